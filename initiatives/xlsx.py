"""An Excel workbook of plain tables, its XML written straight into the zip, row by row.

XlsxWriter took 32 s for the 100,000-row download (4.1 million cells), nearly all of it its own work per
cell (bench.excel); a table needs none of that machinery. Each sheet here is one stream of rows: text as
inline strings (never a formula, link or number, whatever it starts with), numbers as numbers, missing
values as empty cells; a frozen header, an autofilter over the table and column widths, as Excel itself
writes them (ECMA-376, SpreadsheetML). Memory stays bounded: rows are compressed as they are written.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO
from xml.sax.saxutils import escape, quoteattr

import numpy as np

MAX_CELL_CHARS = 32_767  # Excel's limit for a cell's text
MAX_SHEET_NAME = 31
# XML 1.0 has no place for these control characters; Excel would refuse the file.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ROWS_PER_WRITE = 500

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_STYLES = (  # one font, no fills or borders beyond the required defaults, one cell format; header bold
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def text(value: str) -> str:
    """A cell's text as XML: escaped, without the control characters XML cannot hold, within Excel's limit."""
    return escape(NOT_XML.sub("", value[:MAX_CELL_CHARS]))


def _cell(reference: str, value: object, style: str) -> str:
    """One cell's XML, or "" for a missing value (None, NaN, NaT, pd.NA)."""
    if isinstance(value, str):
        return f'<c r="{reference}"{style} t="inlineStr"><is><t xml:space="preserve">{text(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{reference}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | np.integer):
        return f'<c r="{reference}"{style}><v>{int(value)}</v></c>'
    try:
        if value is None or value != value:  # NaN, NaT; pd.NA's comparison is no bool and raises
            return ""
    except TypeError:
        return ""
    try:
        number = float(value)  # numpy numbers
    except (TypeError, ValueError):
        return _cell(reference, str(value), style)
    return f'<c r="{reference}"{style}><v>{number!r}</v></c>' if math.isfinite(number) else ""


def _cells(values: Sequence[object], letters: Sequence[str], row: int, style: str = "") -> str:
    cells = "".join(_cell(f"{letter}{row}", value, style) for letter, value in zip(letters, values, strict=True))
    return f'<row r="{row}">{cells}</row>'


def column_widths(header: Sequence[str], sample: Iterable[Sequence[object]], widest: int) -> list[float]:
    """Each column as wide as its header or its widest text in the sample rows, plus padding, at most `widest`."""
    widths = [len(str(name)) for name in header]
    for values in sample:
        for i, value in enumerate(values):
            if value is not None and value == value:
                widths[i] = max(widths[i], len(str(value)))
    return [min(widest, w + 2) for w in widths]


def _sheet(out: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[float]) -> int:
    """Writes one worksheet; returns its last row's number."""
    letters = [column_letter(i) for i in range(max(len(header), 1))]
    out.write((f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_REL_NS}>'
               '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
               'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
               '<sheetFormatPr defaultRowHeight="15"/>').encode())
    if widths:
        out.write(("<cols>" + "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w:.2f}" customWidth="1"/>'
                                      for i, w in enumerate(widths)) + "</cols>").encode("utf-8"))
    out.write(b"<sheetData>")
    out.write(_cells(list(header), letters, 1, ' s="1"').encode("utf-8"))
    last = 1
    batch = []
    for last, values in enumerate(rows, start=2):
        batch.append(_cells(values, letters, last))
        if len(batch) == _ROWS_PER_WRITE:
            out.write("".join(batch).encode("utf-8"))
            batch = []
    out.write("".join(batch).encode("utf-8"))
    out.write(f'</sheetData><autoFilter ref="A1:{letters[-1]}{last}"/></worksheet>'.encode())
    return last


def write_workbook(target: IO[bytes], sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]],
                                                              Sequence[float]]]) -> None:
    """Each sheet: (name, header, rows, column widths in characters). Rows are consumed once, as written."""
    names = [name[:MAX_SHEET_NAME] for name, *_ in sheets]
    if len(set(names)) != len(names):
        raise ValueError(f"sheet names must differ within {MAX_SHEET_NAME} characters: {names}")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))))
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        filters = []
        for n, (_, header, rows, widths) in enumerate(sheets, start=1):
            with book.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as out:
                last = _sheet(out, header, rows, widths)
            # Excel keeps an autofilter's range as a hidden name too; without it, it offers to repair the file.
            quoted = "'" + names[n - 1].replace("'", "''") + "'"
            filters.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n - 1}" hidden="1">'
                           f"{escape(quoted)}!$A$1:${column_letter(max(len(header), 1) - 1)}${last}</definedName>")
        book.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_REL_NS}>'
            "<bookViews><workbookView/></bookViews><sheets>"
            + "".join(f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
                      for n, name in enumerate(names, start=1))
            + f"</sheets><definedNames>{''.join(filters)}</definedNames></workbook>"))
        book.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" '
                      'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>'))
