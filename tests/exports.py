"""Reading the exports back: the labelled ones by column code (their headers are in the reader's language:
initiatives/data/columns.csv, read here with the csv module, not through the code under test), and the IATI
file against the IATI 2.03 schema and codelists in ../shared/standards (lxml, offline)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from lxml import etree

COLUMNS_FILE = Path(__file__).resolve().parents[1] / "initiatives" / "data" / "columns.csv"
IATI_STANDARD = Path(__file__).resolve().parents[2] / "shared" / "standards" / "iati-2.03"


@cache
def iati_schema() -> etree.XMLSchema:
    xsd = IATI_STANDARD / "iati-activities-schema.xsd"
    assert xsd.is_file(), f"the IATI schema must be in {IATI_STANDARD}"
    return etree.XMLSchema(etree.parse(str(xsd)))


@cache
def iati_codelist(name: str) -> set[str]:
    tree = etree.parse(str(IATI_STANDARD / "codelists" / f"{name}.xml"))
    return {code.strip() for code in tree.xpath("//codelist-item/code/text()")}


def parsed_iati(data: bytes) -> etree._Element:
    """The file's root, once the schema has found it valid (else the schema's own message)."""
    root = etree.fromstring(data)
    iati_schema().assertValid(root)
    return root


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
