"""Every way an input path can fail is named for what it is, never a traceback (issue 14, failures 4 and 7)."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from initiatives import RecordsError, load_records
from initiatives.__main__ import main
from initiatives.records import INITIATIVE_COLUMNS
from initiatives.sheets import MAX_FILE_BYTES, header_problems, read_input_bytes
from tests.conftest import RECORDS_DIR, fingerprint


def problems_for(path: str | Path) -> list[str]:
    with pytest.raises(RecordsError) as caught:
        load_records(path)
    return [str(p) for p in caught.value.problems]


def test_a_name_too_long_for_the_file_system(tmp_path):
    (message,) = problems_for(tmp_path / ("a" * 300))
    assert ":0: (file): the path (or one of its parts) is too long" in message


def test_a_file_that_fails_while_being_read():
    (message,) = problems_for("/proc/self/mem")
    assert message == "mem:0: (file): cannot be read (Input/output error)"


def test_a_file_without_read_permission(records_copy, monkeypatch):
    # The suite runs as root, for whom no permission bit denies a read: the error is raised where it would be.
    target = records_copy / "initiatives.csv"
    real_open = Path.open

    def denied(self, *args, **kwargs):
        if self == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    assert "initiatives.csv:0: (file): permission denied: the file cannot be read by the user running the dashboard" \
        in problems_for(records_copy)


@pytest.mark.parametrize("make, words", [
    (lambda d: os.mkfifo(d / "pipe.csv") or d / "pipe.csv", "a named pipe (FIFO), not a file"),
    (lambda d: Path("/dev/null"), "a device, not a file"),
    (lambda d: (d / "loop.csv").symlink_to(d / "loop.csv") or d / "loop.csv", "a symbolic link loop"),
    (lambda d: (d / "gone.csv").symlink_to(d / "nothing.csv") or d / "gone.csv",
     "a symbolic link whose target does not exist"),
    (lambda d: d / "absent.csv", "no such file or directory"),
])
def test_file_kinds_are_named_for_what_they_are(make, words, tmp_path):
    (message,) = problems_for(make(tmp_path))
    assert ":0: (file): " + words in message, message


@pytest.mark.parametrize("path", ["/proc/self/mem", "/dev/null", "/nonexistent/" + "b" * 300])
def test_the_command_line_says_it_in_one_line_without_a_traceback(path, capsys):
    assert main(["check", "--records", path]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1 and ":0: (file): " in err


def test_a_file_one_byte_over_the_limit_does_not_read_as_equal_to_it(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    data, (problem,) = read_input_bytes(path)
    assert data is None
    assert f"{MAX_FILE_BYTES + 1:,} bytes" in problem.message and f"the limit is {MAX_FILE_BYTES:,} bytes" \
        in problem.message


class CountingStr(str):
    """A column name that counts how often it is compared with another."""

    comparisons = 0

    def __eq__(self, other):
        CountingStr.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_checking_a_wide_header_is_linear_in_its_width():
    columns = 5_000
    header = [CountingStr(f"c{i}") for i in range(columns)]
    CountingStr.comparisons = 0
    problems = header_problems("wide.csv", header, INITIATIVE_COLUMNS, ())
    # Counting each column along the whole header made 25,000,000 comparisons here.
    assert CountingStr.comparisons < 10 * columns
    assert sum(p.message == "unknown column" for p in problems) == columns


def test_a_wide_header_is_refused_with_a_short_list(records_copy, capsys):
    (records_copy / "initiatives.csv").write_text(",".join(f"c{i}" for i in range(20_000)) + "\n")
    assert main(["check", "--records", str(records_copy)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) <= 52 and lines[-1].endswith("more problems like these")
    assert "initiatives.csv:1: id: required column is missing" in lines


def test_two_byte_order_marks_leave_no_invisible_character_in_a_column_name(records_copy):
    path = records_copy / "locations.csv"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + path.read_bytes())
    before = fingerprint(path)
    records = load_records(records_copy)
    assert "location_id" in records.table.columns
    assert "locations.csv: 2 UTF-8 byte-order marks were found and ignored" in records.notices
    assert fingerprint(path) == before


def test_a_bad_location_id_is_reported_once(records_copy):
    from tests.fixtures.bad_records import _flat_cell, flat_then, set_cell

    set_cell("initiatives.csv", 3, "location_id", "L 02!")(records_copy)
    assert [m for m in problems_for(records_copy) if ": location_id: " in m] == \
        ["initiatives.csv:3: location_id: 'L 02!' is not an id: use letters, digits, '-', '_' or '.'"]
    fresh = shutil.copytree(RECORDS_DIR, records_copy.parent / "fresh")
    flat = flat_then(_flat_cell(2, "location_id", "L 01!"))(fresh)
    assert len([m for m in problems_for(flat) if ":2: location_id" in m]) == 1
