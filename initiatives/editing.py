"""An edit of the records, from a table or an uploaded spreadsheet, checked before it can be saved.

Both ways to edit end here: the proposed sheets are written to a scratch folder beside the committed places and
loaded with the same checks as `python -m initiatives check` (the boundary joins included), so an editor meets
the same `row: field` messages as a maintainer. Nothing here writes to the store; initiatives.store does, with
what `propose` returns.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from initiatives.changes import INITIATIVES_SHEET, OUTPUTS_SHEET, Change, changes, csv_rows
from initiatives.export import guarded
from initiatives.outputs import OUTPUT_COLUMNS
from initiatives.problems import Problem, RecordsError
from initiatives.records import INITIATIVE_COLUMNS, PUBLISHED_ONLY, STATUS_COLUMNS, Records
from initiatives.store import write_records_folder
from initiatives.upload import Upload

SHEET_COLUMNS = {INITIATIVES_SHEET: (*INITIATIVE_COLUMNS, *STATUS_COLUMNS), OUTPUTS_SHEET: OUTPUT_COLUMNS}
# What an LSG record must carry to be published: a grantee, a title and a source other than the announcement.
LSG_PUBLISHED = ("grantee", "title_ky", "source")


@dataclass(frozen=True)
class Proposal:
    """A checked edit: the sheets to save, what they change against the version they started from, and the
    records as they would load (what the preview counts)."""

    base: int
    files: dict[str, str]
    changes: list[Change]
    records: Records


def sheet_text(rows: Iterable[dict[str, str]], columns: tuple[str, ...]) -> str:
    """A sheet as the store keeps it: CSV, each text cell guarded as every CSV we write is (a formula sign
    leads with an apostrophe, which the loader takes off again)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([guarded(clean(row.get(column, ""))) for column in columns])
    return buffer.getvalue()


def clean(value: object) -> str:
    """A cell as text: None, NaN and NA (an emptied table cell, a number column's empty cell) are "", a list (a
    multiselect cell) joins with ';'."""
    if isinstance(value, list | tuple):
        return ";".join(str(v).strip() for v in value if str(v).strip())
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def table_rows(table: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of an edited table, each cell as text; a row left wholly empty (a new row not filled) is
    dropped, as the loader drops an empty CSV line."""
    rows = []
    for record in table.to_dict("records"):
        row = {column: clean(record.get(column)) for column in columns}
        if any(row.values()):
            rows.append(row)
    return rows


def publish_lsg_grants(rows: list[dict[str, str]], before: dict[str, dict[str, str]]) -> list[Problem]:
    """An LSG grant the source left unlisted becomes published when an editor names its grantee, its title and a
    source other than the newsletter's announcement; filled in without a new source, it is refused (we never
    publish what no source says). Changes `rows` in place; returns the refusals."""
    problems = []
    for number, row in enumerate(rows, start=2):
        if row.get("grant_type") != "lsg" or row.get("source_status") != "not_published":
            continue
        if not any(row.get(column) for column in PUBLISHED_ONLY):
            continue
        announced = before.get(row.get("id", ""), {}).get("source", "")
        if all(row.get(column) for column in LSG_PUBLISHED) and row["source"] != announced:
            row["source_status"] = "published"
        else:
            problems.append(Problem(INITIATIVES_SHEET, number, "source",
                                    "name the source that publishes this grant's grantee and title (the "
                                    "newsletter announces the LSG grants without listing them)"))
    return problems


def propose(base: int, base_files: dict[str, str], initiatives: list[dict[str, str]] | None = None,
            outputs: list[dict[str, str]] | None = None, layers: Path | None = None) -> Proposal:
    """The edit checked: raises RecordsError with every problem (file, row, field), else the Proposal. A sheet
    given as None stays as it was in `base_files`."""
    files = dict(base_files)
    problems: list[Problem] = []
    if initiatives is not None:
        before = {row.get("id", ""): row for row in csv_rows(base_files.get(INITIATIVES_SHEET, ""))[1]}
        problems += publish_lsg_grants(initiatives, before)
        files[INITIATIVES_SHEET] = sheet_text(initiatives, SHEET_COLUMNS[INITIATIVES_SHEET])
    if outputs is not None:
        files[OUTPUTS_SHEET] = sheet_text(outputs, SHEET_COLUMNS[OUTPUTS_SHEET])
    try:
        records = check_files(files, layers)
    except RecordsError as err:
        raise RecordsError(problems + err.problems, err.kind) from None
    if problems:
        raise RecordsError(problems)
    return Proposal(base, files, changes(base_files, files), records)


def propose_upload(base: int, base_files: dict[str, str], upload: Upload, layers: Path | None = None) -> Proposal:
    """propose() with an uploaded file's rows; its problems name the uploaded file (its rows keep their
    numbers), not the store's sheets."""
    try:
        return propose(base, base_files, upload.initiatives, upload.outputs, layers)
    except RecordsError as err:
        named = [replace(p, file=upload.name) if p.file in SHEET_COLUMNS else p for p in err.problems]
        raise RecordsError(named, err.kind) from None


def check_files(files: dict[str, str], layers: Path | None = None) -> Records:
    """The records the sheets would load as, with every check the command line runs (raises RecordsError);
    `layers`: the imported raion layers (default local-layers/)."""
    from geodata.checks import check_records  # the checks that need the boundaries too
    from geodata.layers import LOCAL_LAYERS_DIR

    with tempfile.TemporaryDirectory(prefix="yj-edit-") as scratch:
        write_records_folder(Path(scratch), files)
        return check_records(Path(scratch), local_layers=layers or LOCAL_LAYERS_DIR)


def as_table(text: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """A sheet of the store as a table of text, for the edit page: every column there, none missing."""
    _, rows = csv_rows(text)
    return pd.DataFrame([{c: row.get(c, "") for c in columns} for row in rows], columns=list(columns))
