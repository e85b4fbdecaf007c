"""Every malformed input gets a clear error naming file, row and field, and is left untouched."""

import pytest

from initiatives import vocab
from initiatives.__main__ import main
from tests.conftest import fingerprint
from tests.fixtures.bad_records import CASES

BROKEN = [c for c in CASES if not c.recoverable]
RECOVERABLE = [c for c in CASES if c.recoverable]


def test_corpus_is_large_enough():
    assert len(CASES) >= 60
    assert sum(c.kind == "vocabulary" for c in CASES) >= 8 and any(c.kind == "programme" for c in CASES)


@pytest.fixture
def records_copy(records_copy, monkeypatch):
    """The copy, with its vocabularies and programme.toml read in place of the committed ones."""
    monkeypatch.setattr(vocab, "DATA_DIR", records_copy)
    return records_copy


@pytest.mark.parametrize("case", BROKEN, ids=[c.name for c in BROKEN])
def test_check_names_file_row_and_field(case, records_copy, capsys):
    target = case.plant(records_copy)
    before = fingerprint(target)
    assert main(["check", "--records", str(target)]) == 1
    err = capsys.readouterr().err
    assert case.expect in err, err
    for line in err.strip().splitlines():
        file, row, rest = line.split(":", 2)
        assert file and row.isdigit() and ": " in rest, line
    assert fingerprint(target) == before, "reading must not modify the input"


@pytest.mark.parametrize("case", RECOVERABLE, ids=[c.name for c in RECOVERABLE])
def test_recoverable_input_loads_and_says_so(case, records_copy, capsys):
    target = case.plant(records_copy)
    before = fingerprint(target)
    assert main(["check", "--records", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("50 initiatives")
    assert ("note:" in err) is not case.silent
    assert fingerprint(target) == before
