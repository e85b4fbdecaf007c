"""Load and validate the initiative records into one flat table (one row per initiative).

Two input shapes are accepted, so that an analyst can edit in a spreadsheet and load it back:
- the canonical directory (initiatives.csv + locations.csv, as committed in initiatives/data);
- a single flat CSV, as written by `python -m initiatives export --format csv`.
Files are only ever opened for reading.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from initiatives import vocab
from initiatives.outputs import no_outputs, read_outputs
from initiatives.problems import Problem, RecordsError
from initiatives.sheets import ID_PATTERN, ISO_DATE, Sheet, path_kind, read_sheet
from initiatives.translit import to_latin

DEFAULT_RECORDS = vocab.DATA_DIR
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
# A raion settled by evidence, with its source: the unit's P-code in the official layer (OCHA COD-AB).
# Optional, so that files written before these columns existed still load.
RAION_COLUMNS = ("raion_pcode", "raion_source")
# The same for the ayil aimak (COD-AB admin 3): its P-code with the source that settles it, or, with no code,
# only the source's words on why the evidence leaves it unsettled (geodata.join.join_ayil_aimaks).
AYIL_AIMAK_COLUMNS = ("ayil_aimak_pcode", "ayil_aimak_source")
ALL_LOCATION_COLUMNS = (*LOCATION_COLUMNS, *RAION_COLUMNS, *AYIL_AIMAK_COLUMNS)
# How far the initiative had got (IATI activity status, initiatives/data/activity_statuses.csv), the date that
# is true as of, and the reading: the source's own words quoted, or why they do not settle it (then the status
# is empty). Optional, so that files written before these columns existed still load.
STATUS_COLUMNS = ("status", "status_as_of", "status_note")
DERIVED_COLUMNS = ("oblast", "place", "grantee_latin", "place_latin", "district_latin")
# The admin-2 unit (raion or city of oblast rank) each location lies in, by the join with an imported
# official layer (geodata.join), not by evidence: empty without a layer, recomputed on every load.
JOINED_COLUMNS = ("raion_code", "raion_name", "ayil_aimak_code", "ayil_aimak_name")
# The export's column order: the documented core first, then everything else.
EXPORT_COLUMNS = (
    "id", "grant_type", "oblast_code", "oblast", "district", "place", "latitude", "longitude",
    "location_precision", "grantee", "legal_form", "title_ky", "title_en", "title_ru", "themes",
    "target_groups", "source", "location_id", "place_as_printed", "district_ru", "ayil_aimak_ky",
    "settlement_ky", "settlement_ru", "coordinates_source", "reading_note", "summary_ky",
    "summary_en", "summary_ru", "source_status", "note", "grantee_latin", "place_latin",
    "district_latin", "raion_pcode", "raion_source", *AYIL_AIMAK_COLUMNS, *JOINED_COLUMNS, *STATUS_COLUMNS,
)
MULTI_VALUED = ("themes", "target_groups")
SMALL_TABLE = 2000  # rows; below this the plain-Python paths are faster (README, Performance)
# Fields only a published record may (and must) fill: we never invent what the source lacks.
PUBLISHED_ONLY = ("grantee", "legal_form", "title_ky", "themes", "target_groups")


@dataclass
class Records:
    """The validated flat table plus what was recovered on the way in."""

    table: pd.DataFrame
    notices: list[str] = field(default_factory=list)
    source: str = ""
    location_rows: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (file, row)
    # Planned and reported outputs (initiatives.outputs): a folder's outputs.csv; none for a flat file.
    outputs: pd.DataFrame = field(default_factory=no_outputs)

    def where(self, location_id: str) -> tuple[str, int]:
        """The file and row a location was read from, for error messages."""
        return self.location_rows.get(location_id, (self.source, 0))

    @cached_property
    def locations(self) -> pd.DataFrame:
        """One row per location, for maps and joins; computed once (the map page asks several times a rerun)."""
        cols = ["location_id", *[c for c in ALL_LOCATION_COLUMNS if c != "location_id"], "oblast",
                "place", "place_latin", "district_latin", *JOINED_COLUMNS]
        return self.table[cols].drop_duplicates("location_id").reset_index(drop=True)


def load_records(path: str | Path | None = None) -> Records:
    """Read, validate and join records from a directory or a flat CSV; raise RecordsError."""
    target = Path(path) if path is not None else DEFAULT_RECORDS
    notices = vocab.check_all()  # the records are checked against them
    kind, problem = path_kind(target)
    if problem:
        raise RecordsError([replace(problem, file=str(target))])
    outputs = no_outputs()
    if kind == "dir":
        table, origin = _load_directory(target, notices)
        problems: list[Problem] = []
        outputs = read_outputs(target, set(table["id"]), problems, notices)
        if problems:
            raise RecordsError(problems)
    else:
        table, origin = _load_flat(target, notices)
    return Records(_with_derived_columns(table), notices, str(target), origin, outputs)


Origins = dict[str, tuple[str, int]]


def _load_directory(directory: Path, notices: list[str]) -> tuple[pd.DataFrame, Origins]:
    problems: list[Problem] = []
    initiatives = read_sheet(directory / "initiatives.csv", INITIATIVE_COLUMNS, STATUS_COLUMNS, problems, notices)
    locations = read_sheet(directory / "locations.csv", LOCATION_COLUMNS, (*RAION_COLUMNS, *AYIL_AIMAK_COLUMNS),
                           problems, notices)
    if initiatives is None or locations is None:
        raise RecordsError(problems)
    _check_locations(locations, locations.rows, problems)
    known_locations = {r["location_id"] for r in locations.rows}
    _check_initiatives(initiatives, initiatives.rows, problems)
    for row in initiatives.rows:
        if ID_PATTERN.fullmatch(row["location_id"]) and row["location_id"] not in known_locations:
            problems.append(Problem(initiatives.name, initiatives.rownum(row), "location_id",
                                    f"unknown location '{row['location_id']}' (not in locations.csv)"))
    if problems:
        raise RecordsError(problems)
    by_id = {r["location_id"]: r for r in locations.rows}
    origins = {k: (locations.name, locations.rownum(v)) for k, v in by_id.items()}
    # Joined as tables, not as one merged dict per row: at 100,000 rows those dicts were ~200 MiB at once.
    place_columns = [c for c in ALL_LOCATION_COLUMNS if c != "location_id"]
    places = pd.DataFrame(list(by_id.values()), columns=ALL_LOCATION_COLUMNS).set_index("location_id")
    rows = pd.DataFrame(initiatives.rows, columns=[*INITIATIVE_COLUMNS, *STATUS_COLUMNS])
    del initiatives
    rows = rows.join(places[[c for c in place_columns if c not in rows.columns]], on="location_id")
    return _to_frame(rows), origins


def _load_flat(path: Path, notices: list[str]) -> tuple[pd.DataFrame, Origins]:
    problems: list[Problem] = []
    sheet = read_sheet(path, (*INITIATIVE_COLUMNS, *LOCATION_COLUMNS),
                       (*DERIVED_COLUMNS, *RAION_COLUMNS, *AYIL_AIMAK_COLUMNS, *JOINED_COLUMNS, *STATUS_COLUMNS),
                       problems, notices)
    if sheet is None:
        raise RecordsError(problems)
    first_rows: dict[str, dict[str, str]] = {}
    for row in sheet.rows:
        first = first_rows.setdefault(row["location_id"], row)
        for col in ALL_LOCATION_COLUMNS:
            if first is not row and row[col] != first[col]:
                problems.append(Problem(sheet.name, sheet.rownum(row), col,
                                        f"location '{row['location_id']}' has '{first[col]}' in row "
                                        f"{sheet.rownum(first)} but '{row[col]}' here"))
    _check_locations(sheet, first_rows.values(), problems)
    _check_initiatives(sheet, sheet.rows, problems, location_ids_checked=True)
    if problems:
        raise RecordsError(problems)
    return _to_frame(sheet.rows), {k: (sheet.name, sheet.rownum(v)) for k, v in first_rows.items()}


def _check(problems: list[Problem], sheet: Sheet, row: dict[str, str], col: str,
           ok: bool, message: str) -> None:
    if not ok:
        problems.append(Problem(sheet.name, sheet.rownum(row), col, message))


def _check_id(problems: list[Problem], sheet: Sheet, row: dict[str, str], col: str) -> None:
    value = row[col]
    _check(problems, sheet, row, col, bool(ID_PATTERN.fullmatch(value)),
           f"'{value}' is not an id: use letters, digits, '-', '_' or '.'" if value else f"{col} is required")


def _check_code(problems: list[Problem], sheet: Sheet, row: dict[str, str], col: str,
                allowed: Iterable[str], what: str) -> None:
    allowed = tuple(allowed)
    value = row[col]
    _check(problems, sheet, row, col, value in allowed,
           f"unknown {what} '{value}' (expected one of: {', '.join(allowed)})" if value
           else f"{what} is required")


def _check_locations(sheet: Sheet, rows: Iterable[dict[str, str]], problems: list[Problem]) -> None:
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
        if row["raion_pcode"]:
            _check_id(problems, sheet, row, "raion_pcode")
        _check(problems, sheet, row, "raion_source", bool(row["raion_source"]) == bool(row["raion_pcode"]),
               "say where the raion's code comes from" if row["raion_pcode"] else "a source without a raion_pcode")
        if row["ayil_aimak_pcode"]:
            _check_id(problems, sheet, row, "ayil_aimak_pcode")
            _check(problems, sheet, row, "ayil_aimak_source", bool(row["ayil_aimak_source"]),
                   "say where the ayil aimak's code comes from")
        for col, (low, high) in (("latitude", LAT_RANGE), ("longitude", LON_RANGE)):
            value = _parse_float(row[col])
            if value is None:
                problems.append(Problem(sheet.name, sheet.rownum(row), col,
                                        f"'{row[col]}' is not a number (write digits 0-9 with one '.' or ',')"
                                        if row[col] else f"{col} is required"))
            elif not low <= value <= high:
                problems.append(Problem(sheet.name, sheet.rownum(row), col,
                                        f"{value} is outside Kyrgyzstan ({low}..{high})"))


def _check_initiatives(sheet: Sheet, rows: Iterable[dict[str, str]], problems: list[Problem],
                       location_ids_checked: bool = False) -> None:
    """`location_ids_checked`: a flat file's location columns were checked with its locations already."""
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
        if not location_ids_checked:
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
        _check_status(problems, sheet, row)
        for col, vocabulary in multi_vocab.items():
            known = vocabulary().codes
            codes = split_codes(row[col])
            for code in codes:
                _check(problems, sheet, row, col, code in known,
                       f"unknown {col[:-1].replace('_', ' ')} code '{code}'")
            # Refused, not quietly counted once: `youth;youth` made the Youth bar count the initiative twice.
            for code in sorted({c for c in codes if codes.count(c) > 1}):
                problems.append(Problem(sheet.name, sheet.rownum(row), col,
                                        f"'{code}' is named more than once; name each code once"))


def _check_status(problems: list[Problem], sheet: Sheet, row: dict[str, str]) -> None:
    """A status needs the date it is true as of and its reading; no status, no date. A file that carries none
    of the three (written before they existed) says nothing, and is not asked to."""
    status, as_of, note = (row[c] for c in STATUS_COLUMNS)
    if status:
        _check_code(problems, sheet, row, "status", vocab.activity_statuses().codes, "activity status")
        _check(problems, sheet, row, "status_as_of", bool(ISO_DATE.fullmatch(as_of)),
               f"'{as_of}' is not a date: write it as YYYY-MM-DD" if as_of else "say as of when the status is true")
        _check(problems, sheet, row, "status_note", bool(note), "quote the source's words for the status")
    else:
        _check(problems, sheet, row, "status_as_of", not as_of, f"a date ('{as_of}') without a status")


def split_codes(value: str) -> list[str]:
    """Split a ';'-separated multi-valued cell into its codes."""
    return [c.strip() for c in value.split(";") if c.strip()]


# A number as a spreadsheet writes it: ASCII digits, one decimal point or comma, an optional exponent. Python's
# float() also takes "4_2.842", "٤٢.٨٤٢" and "４２.８４２" (all 42.842): a typo or another script, refused.
SPREADSHEET_NUMBER = re.compile(r"[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?", re.ASCII)


def _parse_float(value: str) -> float | None:
    if not SPREADSHEET_NUMBER.fullmatch(value) or ("," in value and "." in value):
        return None
    number = float(value.replace(",", "."))
    return number if math.isfinite(number) else None


def _to_frame(rows: list[dict[str, str]] | pd.DataFrame) -> pd.DataFrame:
    columns = [*INITIATIVE_COLUMNS, *[c for c in ALL_LOCATION_COLUMNS if c != "location_id"], *STATUS_COLUMNS]
    frame = (rows.reindex(columns=columns) if isinstance(rows, pd.DataFrame)
             else pd.DataFrame(rows, columns=columns)).fillna("")
    for col in ("latitude", "longitude"):
        frame[col] = _per_value(frame[col], _parse_float).astype(float)
    for col in MULTI_VALUED:
        frame[col] = _per_value(frame[col], lambda v: ";".join(split_codes(v)))
    return frame


def _per_value(column: pd.Series, function: Callable[[str], str]) -> pd.Series:
    """`function` applied once per distinct value: place and grantee names repeat across rows."""
    return column.map({value: function(value) for value in column.unique()})


def place_names(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Each row's place as a reader of `lang` knows it: the Kyrgyz name (ky), its romanisation (en), the
    Russian name where the source gives one for that settlement (ru; else the Kyrgyz spelling, which reads
    in Russian: an ayil aimak's name, a printed abbreviation)."""
    if lang == "en":
        return frame["place_latin"]
    if lang == "ru":
        russian = frame["settlement_ru"].where(frame["settlement_ky"] != "", "")
        return russian.where(russian != "", frame["place"])
    return frame["place"]


def _with_derived_columns(frame: pd.DataFrame) -> pd.DataFrame:
    obl = vocab.oblasts()
    frame = frame.copy()
    frame["oblast"] = _per_value(frame["oblast_code"], lambda c: obl.label(c, "en"))
    place = frame["settlement_ky"].where(frame["settlement_ky"] != "", frame["ayil_aimak_ky"])
    frame["place"] = place.where(place != "", frame["place_as_printed"])
    frame["grantee_latin"] = _per_value(frame["grantee"], to_latin)
    frame["place_latin"] = _per_value(frame["place"], to_latin)
    frame["district_latin"] = _per_value(frame["district"], to_latin)
    for col in JOINED_COLUMNS:
        frame[col] = ""
    frame = frame[list(EXPORT_COLUMNS)]
    if len(frame) > SMALL_TABLE:
        return frame
    # A small table's text as plain Python strings: with pandas' Arrow-backed strings every filtered
    # view (a take per column) cost ~2 ms more on the real data. Large tables keep Arrow, whose
    # vectorised string operations the large-table paths use.
    return frame.astype({col: object for col in EXPORT_COLUMNS if col not in ("latitude", "longitude")})
