"""Load and validate the initiative records into one flat table (one row per initiative).

Two input shapes are accepted, so that an analyst can edit in a spreadsheet and load it back:
- the canonical directory (initiatives.csv + locations.csv, as committed in initiatives/data);
- a single flat CSV, as written by `python -m initiatives export --format csv`.
Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from initiatives import vocab
from initiatives.problems import Problem, RecordsError
from initiatives.translit import to_latin

DEFAULT_RECORDS = vocab.DATA_DIR
MAX_FILE_BYTES = 40 * 1024 * 1024
BOM = b"\xef\xbb\xbf"
# Kyrgyzstan's extent with a small margin; the exact test is against the boundary layer.
LAT_RANGE = (39.1, 43.35)
LON_RANGE = (69.2, 80.35)
SOURCE_STATUSES = ("published", "not_published")
LOCATION_PRECISIONS = ("settlement", "ayil_aimak", "district", "oblast")

INITIATIVE_COLUMNS = (
    "id", "grant_type", "location_id", "grantee", "legal_form", "title_ky", "title_en", "title_ru",
    "summary_ky", "summary_en", "summary_ru", "themes", "target_groups", "source", "source_status",
    "note",
)
LOCATION_COLUMNS = (
    "location_id", "oblast_code", "place_as_printed", "district", "district_ru", "ayil_aimak_ky",
    "settlement_ky", "settlement_ru", "latitude", "longitude", "location_precision",
    "coordinates_source", "reading_note",
)
DERIVED_COLUMNS = ("oblast", "place", "grantee_latin", "place_latin", "district_latin")
# The export's column order: the documented core first, then everything else.
EXPORT_COLUMNS = (
    "id", "grant_type", "oblast_code", "oblast", "district", "place", "latitude", "longitude",
    "location_precision", "grantee", "legal_form", "title_ky", "title_en", "title_ru", "themes",
    "target_groups", "source", "location_id", "place_as_printed", "district_ru", "ayil_aimak_ky",
    "settlement_ky", "settlement_ru", "coordinates_source", "reading_note", "summary_ky",
    "summary_en", "summary_ru", "source_status", "note", "grantee_latin", "place_latin",
    "district_latin",
)
MULTI_VALUED = ("themes", "target_groups")
SMALL_TABLE = 2000  # rows; below this the plain-Python paths are faster (README, Performance)
# Ids are codes (L01, SYN-000001, ЖӨБ-01): they travel into the map's script and back with a click.
ID_PATTERN = re.compile(r"\w[\w.-]*")
# Fields only a published record may (and must) fill: we never invent what the source lacks.
PUBLISHED_ONLY = ("grantee", "legal_form", "title_ky", "themes", "target_groups")


@dataclass
class Records:
    """The validated flat table plus what was recovered on the way in."""

    table: pd.DataFrame
    notices: list[str] = field(default_factory=list)
    source: str = ""
    location_rows: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (file, row)

    def where(self, location_id: str) -> tuple[str, int]:
        """The file and row a location was read from, for error messages."""
        return self.location_rows.get(location_id, (self.source, 0))

    @cached_property
    def locations(self) -> pd.DataFrame:
        """One row per location, for maps and joins; computed once (the map page asks several times a rerun)."""
        cols = ["location_id", *[c for c in LOCATION_COLUMNS if c != "location_id"], "oblast",
                "place", "place_latin", "district_latin"]
        return self.table[cols].drop_duplicates("location_id").reset_index(drop=True)


@dataclass
class _Sheet:
    """A CSV file read into rows of strings, remembering where each row came from."""

    name: str
    header: list[str]
    rows: list[dict[str, str]]  # each has "_row": spreadsheet line number

    def rownum(self, row: dict[str, str]) -> int:
        return int(row["_row"])


def load_records(path: str | Path | None = None) -> Records:
    """Read, validate and join records from a directory or a flat CSV; raise RecordsError."""
    target = Path(path) if path is not None else DEFAULT_RECORDS
    notices: list[str] = []
    if target.is_dir():
        table, origin = _load_directory(target, notices)
    elif target.is_file():
        table, origin = _load_flat(target, notices)
    else:
        raise RecordsError([Problem(str(target), 0, "(file)", "no such file or directory")])
    return Records(_with_derived_columns(table), notices, str(target), origin)


Origins = dict[str, tuple[str, int]]


def _load_directory(directory: Path, notices: list[str]) -> tuple[pd.DataFrame, Origins]:
    problems: list[Problem] = []
    initiatives = _read_sheet(directory / "initiatives.csv", INITIATIVE_COLUMNS, (), problems, notices)
    locations = _read_sheet(directory / "locations.csv", LOCATION_COLUMNS, (), problems, notices)
    if initiatives is None or locations is None:
        raise RecordsError(problems)
    _check_locations(locations, locations.rows, problems)
    known_locations = {r["location_id"] for r in locations.rows}
    _check_initiatives(initiatives, initiatives.rows, problems)
    for row in initiatives.rows:
        if row["location_id"] and row["location_id"] not in known_locations:
            problems.append(Problem(initiatives.name, initiatives.rownum(row), "location_id",
                                    f"unknown location '{row['location_id']}' (not in locations.csv)"))
    if problems:
        raise RecordsError(problems)
    by_id = {r["location_id"]: r for r in locations.rows}
    joined = [{**by_id[r["location_id"]], **r} for r in initiatives.rows]
    return _to_frame(joined), {k: (locations.name, locations.rownum(v)) for k, v in by_id.items()}


def _load_flat(path: Path, notices: list[str]) -> tuple[pd.DataFrame, Origins]:
    problems: list[Problem] = []
    sheet = _read_sheet(path, (*INITIATIVE_COLUMNS, *LOCATION_COLUMNS), DERIVED_COLUMNS, problems, notices)
    if sheet is None:
        raise RecordsError(problems)
    first_rows: dict[str, dict[str, str]] = {}
    for row in sheet.rows:
        first = first_rows.setdefault(row["location_id"], row)
        for col in LOCATION_COLUMNS:
            if first is not row and row[col] != first[col]:
                problems.append(Problem(sheet.name, sheet.rownum(row), col,
                                        f"location '{row['location_id']}' has '{first[col]}' in row "
                                        f"{sheet.rownum(first)} but '{row[col]}' here"))
    _check_locations(sheet, first_rows.values(), problems)
    _check_initiatives(sheet, sheet.rows, problems)
    if problems:
        raise RecordsError(problems)
    return _to_frame(sheet.rows), {k: (sheet.name, sheet.rownum(v)) for k, v in first_rows.items()}


def read_csv_text(path: Path, notices: list[str]) -> tuple[str | None, list[Problem]]:
    """Decode a CSV file strictly as UTF-8, recovering (and saying so) from a BOM or CRLF."""
    name = path.name
    if not path.is_file():
        return None, [Problem(name, 0, "(file)", "file not found")]
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [Problem(name, 0, "(file)", f"file is {size / 2**20:.1f} MiB; the limit is "
                              f"{MAX_FILE_BYTES / 2**20:.0f} MiB")]
    with path.open("rb") as handle:
        data = handle.read()
    if data.startswith(BOM):
        data = data[len(BOM):]
        notices.append(f"{name}: a UTF-8 byte-order mark was found and ignored")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, [Problem(name, line, "(encoding)",
                              f"not UTF-8 (byte {err.start}); save the file as UTF-8 "
                              "(spreadsheets often save Windows-1251)")]
    if "\x00" in text:
        return None, [Problem(name, text[: text.index("\x00")].count("\n") + 1, "(encoding)",
                              "contains NUL bytes; this is not a text CSV file")]
    if not text.strip():
        return None, [Problem(name, 0, "(file)", "file is empty")]
    if "\r\n" in text:
        mixed = " (mixed with plain newlines)" if "\n" in text.replace("\r\n", "") else ""
        notices.append(f"{name}: Windows line endings (CRLF){mixed} were read as plain newlines")
    return text, []


def _read_sheet(path: Path, required: Iterable[str], optional: Iterable[str],
                problems: list[Problem], notices: list[str]) -> _Sheet | None:
    text, found = read_csv_text(path, notices)
    problems.extend(found)
    if text is None:
        return None
    name = path.name
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
        raw_rows = list(reader)
    except csv.Error as err:
        problems.append(Problem(name, reader.line_num, "(csv)", f"cannot parse CSV: {err}"))
        return None
    required = tuple(required)
    allowed = set(required) | set(optional)
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in allowed]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    for col in missing:
        problems.append(Problem(name, 1, col, "required column is missing"))
    for col in unknown:
        problems.append(Problem(name, 1, col or "(empty)", "unknown column"))
    for col in duplicated:
        problems.append(Problem(name, 1, col, "column appears more than once"))
    if missing or unknown or duplicated:
        return None
    rows: list[dict[str, str]] = []
    for number, cells in enumerate(raw_rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(name, number, "(row)",
                                    f"has {len(cells)} cells but the header has {len(header)}"))
            continue
        row = {h: c.strip() for h, c in zip(header, cells, strict=False)}
        row["_row"] = str(number)
        rows.append(row)
    if not rows and not any(p.file == name and p.field == "(row)" for p in problems):
        problems.append(Problem(name, 1, "(file)", "has a header but no records"))
    return _Sheet(name, header, rows)


def _check(problems: list[Problem], sheet: _Sheet, row: dict[str, str], col: str,
           ok: bool, message: str) -> None:
    if not ok:
        problems.append(Problem(sheet.name, sheet.rownum(row), col, message))


def _check_id(problems: list[Problem], sheet: _Sheet, row: dict[str, str], col: str) -> None:
    value = row[col]
    _check(problems, sheet, row, col, bool(ID_PATTERN.fullmatch(value)),
           f"'{value}' is not an id: use letters, digits, '-', '_' or '.'" if value else f"{col} is required")


def _check_code(problems: list[Problem], sheet: _Sheet, row: dict[str, str], col: str,
                allowed: Iterable[str], what: str) -> None:
    allowed = tuple(allowed)
    value = row[col]
    _check(problems, sheet, row, col, value in allowed,
           f"unknown {what} '{value}' (expected one of: {', '.join(allowed)})" if value
           else f"{what} is required")


def _check_locations(sheet: _Sheet, rows: Iterable[dict[str, str]], problems: list[Problem]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        loc = row["location_id"]
        _check_id(problems, sheet, row, "location_id")
        if loc in seen and sheet.name == "locations.csv":
            problems.append(Problem(sheet.name, sheet.rownum(row), "location_id",
                                    f"duplicate location id '{loc}' (first in row {seen[loc]})"))
        seen.setdefault(loc, sheet.rownum(row))
        _check_code(problems, sheet, row, "oblast_code", vocab.oblasts().codes, "oblast code")
        _check_code(problems, sheet, row, "location_precision", LOCATION_PRECISIONS,
                    "location precision")
        _check(problems, sheet, row, "coordinates_source", bool(row["coordinates_source"]),
               "say where the coordinates come from")
        for col, (low, high) in (("latitude", LAT_RANGE), ("longitude", LON_RANGE)):
            value = _parse_float(row[col])
            if value is None:
                problems.append(Problem(sheet.name, sheet.rownum(row), col,
                                        f"'{row[col]}' is not a number" if row[col]
                                        else f"{col} is required"))
            elif not low <= value <= high:
                problems.append(Problem(sheet.name, sheet.rownum(row), col,
                                        f"{value} is outside Kyrgyzstan ({low}..{high})"))


def _check_initiatives(sheet: _Sheet, rows: Iterable[dict[str, str]], problems: list[Problem]) -> None:
    seen: dict[str, int] = {}
    multi_vocab: dict[str, Callable[[], vocab.Vocabulary]] = {
        "themes": vocab.themes, "target_groups": vocab.target_groups}
    for row in rows:
        rid = row["id"]
        _check_id(problems, sheet, row, "id")
        if rid in seen:
            problems.append(Problem(sheet.name, sheet.rownum(row), "id",
                                    f"duplicate id '{rid}' (first in row {seen[rid]})"))
        seen.setdefault(rid, sheet.rownum(row))
        _check_code(problems, sheet, row, "grant_type", vocab.grant_types().codes, "grant type")
        _check_code(problems, sheet, row, "source_status", SOURCE_STATUSES, "source status")
        _check_id(problems, sheet, row, "location_id")
        _check(problems, sheet, row, "source", bool(row["source"]), "name the source of this record")
        published = row["source_status"] == "published"
        for col in PUBLISHED_ONLY:
            if published:
                _check(problems, sheet, row, col, bool(row[col]), f"{col} is required for a published record")
            else:
                _check(problems, sheet, row, col, not row[col],
                       f"must be empty when source_status is not_published (found '{row[col]}')")
        if published and row["legal_form"]:
            _check_code(problems, sheet, row, "legal_form", vocab.legal_forms().codes, "legal form")
        for col, vocabulary in multi_vocab.items():
            known = vocabulary().codes
            for code in split_codes(row[col]):
                _check(problems, sheet, row, col, code in known,
                       f"unknown {col[:-1].replace('_', ' ')} code '{code}'")


def split_codes(value: str) -> list[str]:
    """Split a ';'-separated multi-valued cell into its codes."""
    return [c.strip() for c in value.split(";") if c.strip()]


def _parse_float(value: str) -> float | None:
    try:
        number = float(value.replace(",", ".")) if value.count(",") == 1 and "." not in value else float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _to_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[*INITIATIVE_COLUMNS,
                                        *[c for c in LOCATION_COLUMNS if c != "location_id"]])
    for col in ("latitude", "longitude"):
        frame[col] = _per_value(frame[col], _parse_float).astype(float)
    for col in MULTI_VALUED:
        frame[col] = _per_value(frame[col], lambda v: ";".join(split_codes(v)))
    return frame


def _per_value(column: pd.Series, function: Callable[[str], str]) -> pd.Series:
    """`function` applied once per distinct value: place and grantee names repeat across rows."""
    return column.map({value: function(value) for value in column.unique()})


def _with_derived_columns(frame: pd.DataFrame) -> pd.DataFrame:
    obl = vocab.oblasts()
    frame = frame.copy()
    frame["oblast"] = _per_value(frame["oblast_code"], lambda c: obl.label(c, "en"))
    place = frame["settlement_ky"].where(frame["settlement_ky"] != "", frame["ayil_aimak_ky"])
    frame["place"] = place.where(place != "", frame["place_as_printed"])
    frame["grantee_latin"] = _per_value(frame["grantee"], to_latin)
    frame["place_latin"] = _per_value(frame["place"], to_latin)
    frame["district_latin"] = _per_value(frame["district"], to_latin)
    frame = frame[list(EXPORT_COLUMNS)]
    if len(frame) > SMALL_TABLE:
        return frame
    # A small table's text as plain Python strings: with pandas' Arrow-backed strings every filtered
    # view (a take per column) cost ~2 ms more on the real data. Large tables keep Arrow, whose
    # vectorised string operations the large-table paths use.
    return frame.astype({col: object for col in EXPORT_COLUMNS if col not in ("latitude", "longitude")})
