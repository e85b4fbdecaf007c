"""What one version of the records changes against another: added, changed and removed records, field by field.

The store keeps these with every version (its history), the edit page previews them before a save, and a
refused save shows the other editor's. Records are keyed by what names them: an initiative by its id, an
output by its initiative, kind and output type (and its place among those, where one initiative has two).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from initiatives.sheets import unguarded

INITIATIVES_SHEET = "initiatives.csv"
OUTPUTS_SHEET = "outputs.csv"
KINDS = ("added", "changed", "removed")


@dataclass(frozen=True)
class Change:
    """One field of one record: `old` is "" for an added record, `new` is "" for a removed one."""

    sheet: str
    record: str
    kind: str  # added | changed | removed
    field: str
    old: str
    new: str


def csv_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a CSV text as the store keeps it, each cell as it was before it was guarded."""
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), [{k: unguarded(v or "") for k, v in row.items() if k is not None}
                                           for row in reader]


def keyed(sheet: str, rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Each row under the name of its record (see the module's docstring)."""
    if sheet != OUTPUTS_SHEET:
        return {row.get("id", ""): row for row in rows}
    seen: Counter[str] = Counter()
    named = {}
    for row in rows:
        base = f"{row.get('initiative_id', '')} {row.get('kind', '')} {row.get('output', '')}"
        seen[base] += 1
        named[base if seen[base] == 1 else f"{base} #{seen[base]}"] = row
    return named


def sheet_changes(sheet: str, old_text: str, new_text: str) -> list[Change]:
    """The changes from `old_text` to `new_text`, two versions of one sheet, in the new sheet's order."""
    old_header, old_rows = csv_rows(old_text)
    new_header, new_rows = csv_rows(new_text)
    old, new = keyed(sheet, old_rows), keyed(sheet, new_rows)
    fields = [*new_header, *(f for f in old_header if f not in new_header)]
    found: list[Change] = []
    for name, row in new.items():
        before = old.get(name)
        if before is None:
            found += [Change(sheet, name, "added", f, "", row.get(f, "")) for f in fields if row.get(f, "")]
        else:
            found += [Change(sheet, name, "changed", f, before.get(f, ""), row.get(f, ""))
                      for f in fields if before.get(f, "") != row.get(f, "")]
    for name, row in old.items():
        if name not in new:
            found += [Change(sheet, name, "removed", f, row.get(f, ""), "") for f in fields if row.get(f, "")]
    return found


def changes(old_files: dict[str, str], new_files: dict[str, str]) -> list[Change]:
    """Every change between two versions' files (a sheet missing from one counts as empty)."""
    found: list[Change] = []
    for sheet in sorted(set(old_files) | set(new_files)):
        found += sheet_changes(sheet, old_files.get(sheet, ""), new_files.get(sheet, ""))
    return found


def records_touched(found: list[Change]) -> dict[str, int]:
    """How many records each kind of change touches: what a preview and a history line count."""
    touched = {kind: {(c.sheet, c.record) for c in found if c.kind == kind} for kind in KINDS}
    return {kind: len(names) for kind, names in touched.items()}
