"""Reading the labelled exports back by column code: their headers are in the reader's language
(initiatives/data/columns.csv, read here with the csv module, not through the code under test)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

COLUMNS_FILE = Path(__file__).resolve().parents[1] / "initiatives" / "data" / "columns.csv"


@cache
def _codes(lang: str) -> dict[str, str]:
    with COLUMNS_FILE.open(encoding="utf-8", newline="") as handle:
        return {row[f"name_{lang}"]: row["code"] for row in csv.DictReader(handle)}


def coded(header: list[str], lang: str) -> list[str]:
    """The column codes of a header written in `lang` (a header the file does not name stays as it is)."""
    return [_codes(lang).get(name, name) for name in header]


def coded_rows(rows: list[tuple], lang: str) -> list[dict]:
    """A sheet's rows (the header first) as dicts keyed by column code."""
    header = coded([str(c) for c in rows[0]], lang)
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]
