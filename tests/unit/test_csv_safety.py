"""No CSV we write hands a spreadsheet a formula or a split record (issue 32, items 2 and 5).

The hostile values are planted in a copy of the records; every CSV is then read with Python's csv module
(as a spreadsheet would split it), independently of the writer.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from initiatives import load_records
from initiatives.export import to_csv, to_hxl_csv, with_labels
from tests.conftest import ROOT
from tests.fixtures.bad_records import set_cell

FORMULAS = ['=HYPERLINK("http://198.51.100.7/x","click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
            "'=already guarded", "'plain apostrophe"]
CR_TITLE = "First line\rsecond line"
# What Excel, LibreOffice and Google Sheets evaluate when a cell starts with it (OWASP, "CSV Injection").
DANGEROUS = re.compile(r"[=+\-@\t\r]")
PLAIN_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")


@pytest.fixture
def hostile(records_copy: Path) -> Path:
    """Records whose grantees and titles are formulas, plus one title with a carriage return inside."""
    for row, value in enumerate(FORMULAS, start=2):
        set_cell("initiatives.csv", row, "grantee", value)(records_copy)
        set_cell("initiatives.csv", row + 10, "title_ky", value)(records_copy)
    path = records_copy / "initiatives.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[19][rows[0].index("title_en")] = CR_TITLE
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)  # quoted, as a spreadsheet writes it
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return records_copy


def cells(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert len({len(r) for r in rows}) == 1, "every record has the header's number of cells"
    return rows


def formulas_in(text: str) -> list[str]:
    return [c for row in cells(text) for c in row if DANGEROUS.match(c) and not PLAIN_NUMBER.fullmatch(c)]


def test_no_csv_download_starts_a_cell_with_a_formula_sign(hostile):
    table = load_records(hostile).table
    assert (table["grantee"] == FORMULAS[0]).any(), "the hostile values are in the data"
    for name, text in (("labelled", to_csv(with_labels(table, "ru"), bom=True)),
                       ("hxl", to_hxl_csv(table, "ky")), ("codes", to_csv(table, bom=True))):
        assert formulas_in(text) == [], name
        assert f"'{FORMULAS[0]}" in {c for row in cells(text) for c in row}, f"{name}: the text itself is kept"


def test_numbers_stay_numbers():
    table = pd.DataFrame({"name": ["-1.5", "+3", "-x"], "value": [-1.5, 2.0, -3.25]})
    rows = cells(to_csv(table))
    assert rows[1:] == [["-1.5", "-1.5"], ["+3", "2.0"], ["'-x", "-3.25"]]


def test_the_coverage_table_guards_raion_names_from_an_imported_file():
    coverage = pd.DataFrame({"raion_pcode": ["KG1"], "name_ru": ["=1+1"], "initiatives": [2], "per_100k": [-0.5]})
    assert cells(to_csv(coverage, True))[1] == ["KG1", "'=1+1", "2", "-0.5"]


def test_a_carriage_return_inside_a_cell_keeps_its_record_whole(hostile, tmp_path):
    table = load_records(hostile).table
    text = to_csv(table, bom=True)
    rows = cells(text)
    assert len(rows) == len(table) + 1
    assert CR_TITLE in [row[rows[0].index("title_en")] for row in rows]


def test_the_codes_csv_loads_back_to_the_same_records(hostile, tmp_path):
    table = load_records(hostile).table
    path = tmp_path / "codes.csv"
    path.write_text(to_csv(table, bom=True), encoding="utf-8", newline="")
    reloaded = load_records(path).table
    pd.testing.assert_frame_equal(reloaded.reset_index(drop=True), table.reset_index(drop=True))
    # A cell guarded by hand in the input ('=…) reads as the text after the apostrophe; any other stays as it is.
    read_as = {f.removeprefix("'") if f.startswith("'=") else f for f in FORMULAS}
    assert read_as <= set(reloaded["grantee"]) and CR_TITLE in set(reloaded["title_en"])


def test_the_command_line_export_guards_formulas_too(hostile):
    done = subprocess.run([sys.executable, "-m", "initiatives", "export", "--format", "csv", "--records",
                           str(hostile), "--layers", "/nonexistent"], cwd=ROOT, capture_output=True, check=True)
    text = done.stdout.decode("utf-8")
    assert formulas_in(text) == [] and "'=cmd|' /C calc'!A0" in text
