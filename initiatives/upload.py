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


def _workbook_tables(name: str, data: bytes) -> list[tuple[list[str], list[list[str]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise RecordsError([Problem(name, 0, "(file)", f"is not an Excel workbook ({err})")]) from None
    tables = []
    for sheet in book.worksheets:
        values = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        if values:
            tables.append((values[0], values[1:]))
    book.close()
    return tables


def _cell(value: object) -> str:
    """A workbook cell as the CSV would hold it: 150, not 150.0; nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
