"""What each initiative set out to produce, as printed, and what it produced, as reported (issue 30).

`initiatives/data/outputs.csv`, one row per output: the initiative, `planned` (what the source says it plans,
quoted in `as_printed`) or `reported` (what staff report, with the date it is true as of and its source), the
kind of output from a small vocabulary (`output_types.csv`: people trained, network members, villages and
schools reached, centres opened, plans adopted, initiatives supported), and the number as printed (a singular,
"a training centre", counts 1). Planned and reported are kept apart everywhere; an output nobody has reported
is "not reported", never 0. Files are only ever opened for reading.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from initiatives import vocab
from initiatives.problems import Problem
from initiatives.sheets import ISO_DATE, read_sheet

OUTPUTS_FILE = "outputs.csv"
OUTPUT_COLUMNS = ("initiative_id", "kind", "output", "number", "what_en", "as_printed", "as_of", "source")
KINDS = ("planned", "reported")


def no_outputs() -> pd.DataFrame:
    """The table of a records file that has none (a flat CSV, an older folder)."""
    return pd.DataFrame({column: pd.Series(dtype=int if column == "number" else str) for column in OUTPUT_COLUMNS})


def read_outputs(directory: Path, initiative_ids: set[str], problems: list[Problem],
                 notices: list[str]) -> pd.DataFrame:
    """The folder's outputs.csv, checked; its problems go to `problems` (file, row, field). A folder without
    one has no outputs yet. A row naming an initiative the records no longer hold (staff removed or renamed
    it) is left out and said in `notices`: the records stay usable while outputs.csv catches up."""
    path = directory / OUTPUTS_FILE
    if not path.exists():
        return no_outputs()
    sheet = read_sheet(path, OUTPUT_COLUMNS, (), problems, notices)
    if sheet is None:
        return no_outputs()
    known = vocab.output_types().codes
    rows = []
    for row in sheet.rows:
        line = sheet.rownum(row)

        def refuse(column: str, message: str, line: int = line) -> None:
            problems.append(Problem(sheet.name, line, column, message))

        if not row["initiative_id"]:
            refuse("initiative_id", "initiative_id is required")
        elif row["initiative_id"] not in initiative_ids:
            notices.append(f"{sheet.name}:{line}: initiative_id '{row['initiative_id']}' is not among the records; "
                           "its output is left out")
            continue
        if row["kind"] not in KINDS:
            refuse("kind", f"'{row['kind']}' is neither 'planned' nor 'reported'")
        if row["output"] not in known:
            refuse("output", f"unknown output type '{row['output']}' (expected one of: {', '.join(known)})")
        number = row["number"]
        if not (number.isascii() and number.isdigit() and int(number) > 0):
            refuse("number", f"'{number}' is not a whole number above 0" if number else "number is required")
        if not row["as_printed"]:
            refuse("as_printed", "quote the source's words for this output")
        if not row["source"]:
            refuse("source", "name the source of this output")
        if row["kind"] == "reported" and not ISO_DATE.fullmatch(row["as_of"]):
            refuse("as_of", "a reported output needs the date it is true as of (YYYY-MM-DD)")
        elif row["as_of"] and not ISO_DATE.fullmatch(row["as_of"]):
            refuse("as_of", f"'{row['as_of']}' is not a date: write it as YYYY-MM-DD")
        rows.append({column: row[column] for column in OUTPUT_COLUMNS})
    if not rows:
        return no_outputs()
    table = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
    table["number"] = pd.to_numeric(table["number"], errors="coerce").fillna(0).astype(int)
    return table


def outputs_text(outputs: pd.DataFrame, kind: str, lang: str) -> dict[str, str]:
    """Per initiative id, its outputs of `kind` as "Network members: 150; Plans adopted: 1" in `lang`."""
    names = vocab.output_types()
    chosen = outputs[outputs["kind"] == kind]
    texts: dict[str, list[str]] = {}
    for row in chosen.itertuples():
        texts.setdefault(row.initiative_id, []).append(f"{names.label(row.output, lang)}: {row.number:,}")
    return {initiative: "; ".join(parts) for initiative, parts in texts.items()}


def outputs_per_row(outputs: pd.DataFrame, ids: pd.Series, kind: str, lang: str) -> pd.Series:
    """outputs_text for each id in `ids`, "" where an initiative has none of `kind` (a column of a table)."""
    texts = outputs_text(outputs, kind, lang)
    return ids.map(lambda initiative: texts.get(initiative, ""))


def totals(outputs: pd.DataFrame, rows: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Planned and reported outputs of the initiatives in `rows`, summed by output type (and by `by`, a column
    of `rows` such as oblast_code): columns output, [by], planned, planned_initiatives, reported,
    reported_initiatives. Reported is NA, not 0, where nothing has been reported."""
    chosen = outputs[outputs["initiative_id"].isin(set(rows["id"]))]
    if by:
        chosen = chosen.merge(rows[["id", by]].rename(columns={"id": "initiative_id"}), on="initiative_id")
    keys = ["output", *([by] if by else [])]
    frames = []
    for kind in KINDS:
        part = chosen[chosen["kind"] == kind].groupby(keys).agg(
            **{kind: ("number", "sum"), f"{kind}_initiatives": ("initiative_id", "nunique")})
        frames.append(part)
    table = frames[0].join(frames[1], how="outer").reset_index()
    order = {code: n for n, code in enumerate(vocab.output_types().codes)}
    table = table.sort_values(keys, key=lambda c: c.map(order) if c.name == "output" else c, kind="stable")
    for column in ("planned", "planned_initiatives", "reported", "reported_initiatives"):
        table[column] = table[column].astype("Int64")
    table["planned_initiatives"] = table["planned_initiatives"].fillna(0)
    table["reported_initiatives"] = table["reported_initiatives"].fillna(0)
    return table.reset_index(drop=True)
