"""The Excel writer (initiatives/xlsx.py), read back with openpyxl as a spreadsheet user's tools would."""

import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from initiatives.xlsx import MAX_CELL_CHARS, column_letter, column_widths, write_workbook

HEADER = ["id", "text", "count", "share", "missing", "flag"]


def written(sheets) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def test_text_stays_text_and_numbers_stay_numbers():
    rows = [
        ("CSO-1", '=HYPERLINK("http://198.51.100.7")', 3, 1.5, None, True),
        ("CSO-2", "007", np.int64(7), np.float64(0.25), float("nan"), False),
        ("CSO-3", "  Жалал-Абад <b>&</b> 'x'", 0, -2.0, pd.NA, None),
        ("LSG-4", "a\x00b\x1fc\u000bd", 12, float("inf"), pd.NaT, None),
    ]
    sheet = written([("initiatives", HEADER, iter(rows), [])])["initiatives"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [v[1] for v in values] == ['=HYPERLINK("http://198.51.100.7")', "007", "  Жалал-Абад <b>&</b> 'x'", "abcd"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert [v[2] for v in values] == [3, 7, 0, 12] and all(isinstance(v[2], int) for v in values)
    assert [v[3] for v in values] == [1.5, 0.25, -2.0, None]  # infinity has no cell value: left empty
    assert [v[4] for v in values] == [None] * 4
    assert [v[5] for v in values] == [True, False, None, None]


def test_a_text_longer_than_excel_allows_is_cut_at_its_limit():
    sheet = written([("s", ["long"], [("й" * (MAX_CELL_CHARS + 10),)], [])])["s"]
    assert sheet["A2"].value == "й" * MAX_CELL_CHARS


def test_each_sheet_is_readable_as_opened():
    book = written([("initiatives", HEADER, [("CSO-1", "t", 1, 1.0, None, True)] * 3, [8, 60, 7, 7, 9, 6]),
                    ("by_oblast", ["code", "oblast", "n"], [], [6, 10, 4]),
                    ("Talas' list", ["a"], [("x",)], [])])
    assert book.sheetnames == ["initiatives", "by_oblast", "Talas' list"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
        assert all(cell.font.b for cell in sheet[1])
    assert book["initiatives"].auto_filter.ref == "A1:F4" and book["by_oblast"].auto_filter.ref == "A1:C1"
    assert book["initiatives"].column_dimensions["B"].width == 60


def test_rows_are_consumed_once_as_they_are_written():
    consumed = []

    def rows():
        for n in range(1200):  # more than one batch
            consumed.append(n)
            yield (f"CSO-{n}", n)

    sheet = written([("s", ["id", "n"], rows(), [])])["s"]
    assert consumed == list(range(1200)) and sheet.max_row == 1201 and sheet["B1201"].value == 1199


def test_the_file_is_a_plain_spreadsheetml_package():
    buffer = io.BytesIO()
    write_workbook(buffer, [("s", ["a"], [("x",)], [])])
    with zipfile.ZipFile(buffer) as package:
        assert package.testzip() is None
        assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                "xl/styles.xml", "xl/worksheets/sheet1.xml"} == set(package.namelist())
        assert "_xlnm._FilterDatabase" in package.read("xl/workbook.xml").decode()  # Excel's own record of it


def test_sheet_names_must_differ_as_excel_shortens_them():
    with pytest.raises(ValueError, match="sheet names"):
        write_workbook(io.BytesIO(), [("a" * 40, ["x"], [], []), ("a" * 31 + "b", ["x"], [], [])])


def test_column_letters_and_widths():
    assert [column_letter(i) for i in (0, 25, 26, 51, 701, 702)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA"]
    assert column_widths(["id", "title"], [("CSO-10", "x" * 100), ("CSO-1", None)], 60) == [8, 60]
