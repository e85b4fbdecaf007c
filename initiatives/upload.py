"""A spreadsheet an editor uploads, read back into the store's sheets: the codes-only CSV, the labelled CSV or
the Excel workbook, each as the dashboard exports it.

Columns are found by their codes or by their headings in any of the three languages (columns.csv), so a file
downloaded in Russian loads back as one downloaded in Kyrgyz. Only the initiatives' own columns are taken; the
places stay the committed ones. Rows keep their spreadsheet numbers, so a problem names the row the editor sees.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from initiatives import vocab
from initiatives.outputs import OUTPUT_COLUMNS
from initiatives.problems import Problem, RecordsError
from initiatives.records import INITIATIVE_COLUMNS, STATUS_COLUMNS
from initiatives.sheets import BOM, MAX_FILE_BYTES, unguarded

INITIATIVE_SHEET_COLUMNS = (*INITIATIVE_COLUMNS, *STATUS_COLUMNS)
REQUIRED = ("id", "grant_type", "location_id", "source", "source_status")


@dataclass(frozen=True)
class Upload:
    """The initiatives (and, from a workbook with an outputs sheet, the outputs) an uploaded file holds."""

    name: str
    initiatives: list[dict[str, str]]
    outputs: list[dict[str, str]] | None


def column_codes() -> dict[str, str]:
    """Every heading a download can carry (a code, or its name in ky, ru or en) -> the column's code."""
    names = vocab.columns()
    found = {}
    for code in names.codes:
        for lang in ("ky", "ru", "en"):
            found.setdefault(names.label(code, lang).strip().casefold(), code)
    for code in names.codes:
        found[code.casefold()] = code
    return found


def read_upload(name: str, data: bytes) -> Upload:
    """The file's records as the store's sheets' rows; raises RecordsError naming the file, row and field."""
    if len(data) > MAX_FILE_BYTES:
        raise RecordsError([Problem(name, 0, "(file)", f"is larger than {MAX_FILE_BYTES // 2**20} MB")])
    if data.startswith(b"PK"):
        tables = _workbook_tables(name, data)
    else:
        tables = [_csv_table(name, data)]
    initiatives = outputs = None
    for header, rows in tables:
        codes = [column_codes().get(str(h).strip().casefold(), "") for h in header]
        if "id" in codes and "grant_type" in codes and initiatives is None:
            initiatives = _rows(name, codes, rows, INITIATIVE_SHEET_COLUMNS, REQUIRED)
        elif {"initiative_id", "kind", "output"} <= set(codes) and outputs is None:
            outputs = _rows(name, codes, rows, OUTPUT_COLUMNS, ("initiative_id", "kind", "output"))
    if initiatives is None:
        raise RecordsError([Problem(name, 1, "id", "no sheet with the initiatives' columns (id, grant_type, ...): "
                                    "upload the CSV or Excel file as the dashboard exports it")])
    return Upload(name, initiatives, outputs)


def _rows(name: str, codes: list[str], rows: list[list[str]], columns: tuple[str, ...],
          required: tuple[str, ...]) -> list[dict[str, str]]:
    missing = [c for c in required if c not in codes]
    if missing:
        raise RecordsError([Problem(name, 1, c, "required column is missing") for c in missing])
    taken = []
    for cells in rows:
        row = dict.fromkeys(columns, "")
        for code, cell in zip(codes, cells, strict=False):
            if code in row and not row[code]:
                row[code] = unguarded(str(cell if cell is not None else "").strip())
        taken.append(row)
    return taken


def _csv_table(name: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError as err:
        raise RecordsError([Problem(name, 0, "(file)", f"is not UTF-8 text (byte {err.start}): save it as "
                                    "CSV UTF-8")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        table = list(reader)
    except csv.Error as err:
        raise RecordsError([Problem(name, reader.line_num, "(csv)", f"cannot parse CSV: {err}")]) from None
    if not table:
        raise RecordsError([Problem(name, 0, "(file)", "is empty")])
    header, rows = table[0], table[1:]
    if len(rows) > 1 and rows[0] and all(str(c).startswith("#") for c in rows[0] if c):  # HXL's hashtag row
        rows = [[""] * len(header), *rows[1:]]
    return header, rows


MAX_SHEET_ROWS = 20_000  # far more than the programme will ever have; the store's own export has ~50
MAX_MEMBER_BYTES = 16 * 2**20  # one part of the workbook, uncompressed: the app's own export is ~0.2 MiB
MAX_WORKBOOK_BYTES = 32 * 2**20


def _bounded_zip(name: str, data: bytes) -> None:
    """Refuses a workbook whose parts would unpack to more than the limits, before any part is read: a 454 KB
    upload can unpack to gigabytes, and it is read in the process every viewer shares. The sizes are the zip's
    own word; the reader below stops at the limit too, should a part unpack to more than it says."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise RecordsError([Problem(name, 0, "(file)", f"is not an Excel workbook ({err})")]) from None
    largest = max(members, key=lambda m: m.file_size, default=None)
    if largest is not None and largest.file_size > MAX_MEMBER_BYTES:
        raise RecordsError([Problem(name, 0, "(file)", f"unpacks to more than {MAX_MEMBER_BYTES // 2**20} MB in "
                                    "one part: this is not a sheet of initiatives")])
    if sum(m.file_size for m in members) > MAX_WORKBOOK_BYTES:
        raise RecordsError([Problem(name, 0, "(file)", f"unpacks to more than {MAX_WORKBOOK_BYTES // 2**20} MB: "
                                    "this is not a sheet of initiatives")])


def _workbook_tables(name: str, data: bytes) -> list[tuple[list[str], list[list[str]]]]:
    from openpyxl import load_workbook

    _bounded_zip(name, data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise RecordsError([Problem(name, 0, "(file)", f"is not an Excel workbook ({err})")]) from None
    try:
        return [table for sheet in book.worksheets if (table := _sheet_table(name, sheet)) is not None]
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError, OSError) as err:  # SyntaxError: bad XML
        raise RecordsError([Problem(name, 0, "(file)", f"is not an Excel workbook ({err})")]) from None
    finally:
        book.close()


def _sheet_rows(sheet) -> Iterator[tuple[int, dict[int, object]]]:
    """(row number, {column number: value}) for each row the sheet's XML holds, nothing for the rows it does
    not: openpyxl's own reader fills every gap up to the sheet's stated dimension (one stray cell at
    XFD1048576 made a million rows of 16,384 cells)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            yield number, {cell["column"]: cell["value"] for cell in cells if cell.get("value") is not None}


def _sheet_table(name: str, sheet) -> tuple[list[str], list[list[str]]] | None:
    """The sheet's header and rows, as wide as the header; rows with nothing in the header's columns at its
    end are dropped (a stray formatted or typed cell far below or beside the table changes nothing), and a
    sheet with more than MAX_SHEET_ROWS rows of content is refused, read no further than that."""
    header: list[str] | None = None
    width = 0
    rows: dict[int, list[str]] = {}
    first = 0
    for number, cells in _sheet_rows(sheet):
        if header is None:
            if not cells:
                continue
            width = max(cells)
            header = [_cell(cells.get(column)) for column in range(1, width + 1)]
            first = number
            continue
        values = [_cell(cells.get(column)) for column in range(1, width + 1)]
        if not any(value.strip() for value in values):  # as the CSV reader skips a blank row
            continue
        if number - first > MAX_SHEET_ROWS:
            raise RecordsError([Problem(name, number, "(row)", f"the sheet '{sheet.title}' has content past "
                                        f"{MAX_SHEET_ROWS:,} rows: upload the initiatives as the dashboard exports "
                                        "them")])
        rows[number] = values
    if header is None:
        return None
    last = max(rows, default=first)
    return header, [rows.get(number, [""] * width) for number in range(first + 1, last + 1)]


def _cell(value: object) -> str:
    """A workbook cell as the CSV would hold it: 150, not 150.0; nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
