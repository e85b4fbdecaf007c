"""What one upload may cost the process every viewer shares, and what a record may hold: a workbook is bounded
before it is read (its parts' unpacked sizes, its rows), a stray cell at the sheet's far end changes nothing,
and a control character is refused at the check with the row and field it is in."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from initiatives import load_records
from initiatives.editing import propose, propose_upload
from initiatives.problems import RecordsError
from initiatives.store import Store
from initiatives.upload import MAX_MEMBER_BYTES, MAX_SHEET_ROWS, read_upload
from tests.unit.test_editing import rows_of, with_changes
from ui.problems import message


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'versions.sqlite'}")


@pytest.fixture
def export(store) -> bytes:
    """The app's own Excel download of the store's records, in Russian."""
    from ui.downloads import excel_bytes

    records = load_records(store.folder(1))
    return excel_bytes(records.table, "ru", records.outputs)


def rewritten(workbook: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change`, every other part as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(item.filename, data)
    return out.getvalue()


def stray_cell(column: str) -> callable:
    """One formatted cell at the sheet's last row, as a spreadsheet leaves it behind, the dimension saying so."""
    def change(xml: bytes) -> bytes:
        xml = xml.replace(b"</sheetData>", f'<row r="1048576"><c r="{column}1048576" s="0" t="inlineStr"><is><t> '
                                           f'</t></is></c></row></sheetData>'.encode())
        return xml.replace(b"<sheetViews>", f'<dimension ref="A1:{column}1048576"/><sheetViews>'.encode(), 1)
    return change


@pytest.mark.parametrize("column", ["A", "B", "XFD"])
def test_a_stray_cell_at_the_sheets_last_row_changes_nothing(store, export, column):
    """On the code before the bound: 1,048,575 rows read (19-25 s, over 1 GB); with column XFD, 149 changes."""
    plain = read_upload("initiatives.xlsx", export)
    stray = read_upload("initiatives.xlsx", rewritten(export, stray_cell(column)))
    assert stray.initiatives == plain.initiatives and stray.outputs == plain.outputs
    assert propose_upload(1, store.files(1), stray).changes == []


def many_rows(count: int, cell: str = "x") -> callable:
    def change(xml: bytes) -> bytes:
        rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{cell}</t></is></c></row>'
                       for n in range(1000, 1000 + count))
        return xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    return change


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused_before_it_is_read(export):
    """A zip bomb under the upload cap: the same row again and again deflates ~1000:1."""
    bomb = rewritten(export, many_rows(1, "x" * (MAX_MEMBER_BYTES + 1)))
    assert len(bomb) < 1024 * 1024, "under the upload cap"
    with pytest.raises(RecordsError) as refused:
        read_upload("bomb.xlsx", bomb)
    (problem,) = refused.value.problems
    assert (problem.file, problem.field) == ("bomb.xlsx", "(file)")
    assert "unpacks to more than 16 MB" in problem.message
    assert message(problem.message, "ru").startswith("в распакованном виде больше 16 МБ")
    assert message(problem.message, "ky").startswith("ачылганда 16 МБ")


def test_a_sheet_with_content_past_the_row_limit_is_refused_in_the_editors_language(export):
    with pytest.raises(RecordsError) as refused:
        read_upload("long.xlsx", rewritten(export, many_rows(MAX_SHEET_ROWS + 10)))
    (problem,) = refused.value.problems
    assert problem.file == "long.xlsx" and problem.row > MAX_SHEET_ROWS
    assert re.search(r"past 20,000 rows", problem.message)
    assert "20,000" in message(problem.message, "ru") and "строк" in message(problem.message, "ru")
    assert "саптан" in message(problem.message, "ky")


@pytest.mark.parametrize("control", ["\x1b", "\x0b", "\x07", "\x08", "\x0c", "\x1a"])
def test_a_control_character_is_refused_at_the_check_with_row_and_field(store, control):
    """On the code before: ESC, VT, BEL and BS were accepted into the store (only NUL was refused)."""
    rows = with_changes(rows_of(store), "CSO-02", title_en=f"Peace{control}ful")
    with pytest.raises(RecordsError) as refused:
        propose(1, store.files(1), rows)
    (problem,) = refused.value.problems
    assert (problem.row, problem.field) == (3, "title_en")
    assert f"U+{ord(control):04X}" in problem.message
    assert "управляющий символ" in message(problem.message, "ru")
    assert store.current() == 1


def test_tab_and_newline_stay_text(store):
    rows = with_changes(rows_of(store), "CSO-02", summary_en="First line\nsecond\tline")
    proposal = propose(1, store.files(1), rows)
    assert proposal.records.table.set_index("id").loc["CSO-02", "summary_en"] == "First line\nsecond\tline"
