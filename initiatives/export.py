"""Write the flat table as CSV, JSON or GeoJSON (the CSV loads back with --records), and the forms people
open by hand: CSV with labels beside the codes, HXL-tagged CSV for humanitarian 3W tools, file names
that say which view they hold."""

from __future__ import annotations

import csv
import json
import re
import unicodedata

import pandas as pd

from initiatives import vocab
from initiatives.outputs import KINDS, outputs_per_row
from initiatives.query import Filters
from initiatives.records import JOINED_COLUMNS, split_codes
from initiatives.sheets import FORMULA_START, GUARD

BOM = "\ufeff"  # Excel on Windows reads a CSV as UTF-8 (Cyrillic intact) only when it starts with one


def to_csv(table: pd.DataFrame, bom: bool = False) -> str:
    """CSV that a spreadsheet opens as text: no cell becomes a formula (spreadsheet_safe), and a file with a
    carriage return inside a cell quotes every cell (Python's writer quotes only the line terminator's
    characters, so `a\rb` went out bare and split the record in Excel and in our own reader)."""
    safe, has_cr = spreadsheet_safe(table)
    quoting = csv.QUOTE_ALL if has_cr else csv.QUOTE_MINIMAL
    return (BOM if bom else "") + safe.to_csv(index=False, lineterminator="\n", quoting=quoting)


# A cell starting with one of these is read as a formula by Excel, LibreOffice and Google Sheets (OWASP,
# "CSV Injection"); a leading apostrophe makes it text, and our reader takes the apostrophe off again
# (initiatives.sheets.unguarded). A cell already starting with an apostrophe gets a second one, so that
# every value reads back as it was written.
NUMBER = re.compile(r"[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?")


def guarded(cell: str) -> str:
    """`cell` as a spreadsheet must take it: text, never a formula; a number such as -1.5 stays a number."""
    if cell.startswith(GUARD) or (cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell)):
        return GUARD + cell
    return cell


def spreadsheet_safe(table: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The table with every text cell guarded, and whether any holds a carriage return; each distinct value
    is looked at once (names repeat across rows)."""
    columns: dict[str, pd.Series] = {}
    has_cr = False
    for name in table.columns:
        column = table[name]
        if pd.api.types.is_numeric_dtype(column.dtype):
            columns[name] = column
            continue
        values = {v: guarded(v) for v in column.unique() if isinstance(v, str)}
        has_cr = has_cr or any("\r" in v for v in values)
        changed = {v: g for v, g in values.items() if g != v}
        columns[name] = column.map(lambda v, c=changed: c.get(v, v) if isinstance(v, str) else v) if changed else column
    return pd.DataFrame(columns, index=table.index), has_cr


def to_json(table: pd.DataFrame) -> str:
    return json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=1)


def to_geojson(table: pd.DataFrame) -> str:
    """One point feature per initiative, at its location."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
        }
        for row in table.to_dict(orient="records")
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


FORMATS = {"csv": to_csv, "json": to_json, "geojson": to_geojson}

# Coded columns and the vocabulary that names their codes.
CODED = {"grant_type": vocab.grant_types, "oblast_code": vocab.oblasts, "themes": vocab.themes,
         "target_groups": vocab.target_groups, "status": vocab.activity_statuses}


def code_labels(column: pd.Series, vocabulary: vocab.Vocabulary, lang: str, separator: str = "; ",
                missing: str = "") -> pd.Series:
    """';'-separated codes to labels joined by `separator` (`missing` for an empty cell), computed once per
    distinct cell."""
    def label(cell: str) -> str:
        return separator.join(vocabulary.label(code, lang) for code in split_codes(cell)) or missing
    return column.map({cell: label(cell) for cell in column.unique()})


def with_labels(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every column as it is, and beside each coded one its labels in `lang` (`themes` → `themes_label`)."""
    columns: dict[str, pd.Series] = {}
    for name in table.columns:
        columns[name] = table[name]
        if name in CODED:
            columns[f"{name}_label"] = code_labels(table[name], CODED[name](), lang)
    return pd.DataFrame(columns)


# HXL hashtags (hxlstandard.org) for the columns a 3W tool reads; the hashtag row goes under the header.
# Whether the newsletter lists a grant is metadata about the record (#meta), not the activity's #status, which
# 3W readers take for how far the activity has got.
HXL_COLUMNS = (
    ("id", "#activity+code"), ("grantee", "#org+name"), ("grant_type", "#org+type+code"),
    ("grant_type_label", "#org+type"), ("themes", "#sector+code"), ("themes_label", "#sector"),
    ("target_groups_label", "#beneficiary+type"), ("oblast_code", "#adm1+code"), ("oblast", "#adm1+name"),
    ("raion_code", "#adm2+code"), ("raion_name", "#adm2+name"), ("ayil_aimak_code", "#adm3+code"),
    ("ayil_aimak_name", "#adm3+name"), ("place", "#loc+name"),
    ("latitude", "#geo+lat"), ("longitude", "#geo+lon"), ("title_ky", "#activity+name+i_ky"),
    ("title_ru", "#activity+name+i_ru"), ("title_en", "#activity+name+i_en"), ("source_status", "#meta+source_status"),
)


def headed(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table with its column names in `lang` (initiatives/data/columns.csv), for files people open by
    hand; the codes-only CSV keeps the codes, which is what --records reads back."""
    names = vocab.columns()
    return table.rename(columns={name: names.label(name, lang) for name in table.columns})


def labelled_table(table: pd.DataFrame, lang: str, outputs: pd.DataFrame | None = None) -> pd.DataFrame:
    """with_labels, with each initiative's planned and reported outputs in words (`outputs`, as the records
    hold them), headed in `lang`: the labelled CSV and the Excel file's first sheet."""
    labelled = with_labels(table, lang)
    if outputs is not None:
        for kind in KINDS:
            labelled[f"{kind}_outputs"] = outputs_per_row(outputs, table["id"], kind, lang)
    return headed(labelled, lang)


def outputs_table(outputs: pd.DataFrame, table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The outputs of the initiatives in `table`, one row each, labelled and headed in `lang` (Excel's sheet)."""
    chosen = outputs[outputs["initiative_id"].isin(set(table["id"]))]
    names = vocab.output_types()
    frame = pd.DataFrame({
        "initiative_id": chosen["initiative_id"], "kind": chosen["kind"], "output": chosen["output"],
        "output_label": [names.label(code, lang) for code in chosen["output"]], "number": chosen["number"],
        "as_printed": chosen["as_printed"], "what_en": chosen["what_en"], "as_of": chosen["as_of"],
        "source": chosen["source"]})
    return headed(frame, lang)


def to_hxl_csv(table: pd.DataFrame, lang: str, bom: bool = True) -> str:
    """The 3W view of the rows, headed in `lang`, with HXL hashtags (what 3W tools read) under the header;
    labels in `lang`. The raion and ayil-aimak columns only where the rows carry them (a raion layer is in
    use)."""
    labelled = with_labels(table, lang)
    keep = [(name, tag) for name, tag in HXL_COLUMNS if name in labelled.columns
            and not (name in JOINED_COLUMNS and not labelled[name].astype(bool).any())]
    frame = headed(labelled[[name for name, _ in keep]], lang)
    tags = pd.DataFrame([[tag for _, tag in keep]], columns=frame.columns)
    return to_csv(pd.concat([tags, frame.astype(object)], ignore_index=True), bom=bom)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Ysyk-Köl Oblast" → "ysyk-kol-oblast")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def view_file_name(filters: Filters, extension: str, stem: str = "initiatives") -> str:
    """A download's name after the view it holds: `initiatives-osh-youth-cso.csv`."""
    oblasts = vocab.oblasts()
    parts = [stem, *(slug(oblasts.label(c, "en").removesuffix(" Oblast")) for c in filters.oblasts),
             *filters.raions, *filters.ayil_aimaks, *filters.themes, *filters.grant_types, *filters.target_groups,
             *(f"status-{code}" for code in filters.statuses)]
    if filters.text.strip():
        parts.append("search")
    name = "-".join(slug(p) for p in parts if slug(p))[:100].rstrip("-")
    return f"{name}.{extension}"
