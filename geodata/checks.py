"""Checks of the records that need boundary layers, run by the command line and the app alike.

initiatives/ reads and validates records on their own; whether a place lies in the oblast it is
recorded in needs polygons, so that check lives here, above both, and the layers read bottom-up.
"""

from __future__ import annotations

from pathlib import Path

from geodata.join import oblast_problems
from geodata.layers import OBLASTS_FILE, read_oblasts
from initiatives.problems import RecordsError
from initiatives.records import Records, load_records


def check_records(path: Path | None, oblasts_file: Path | None = None) -> Records:
    """Load and validate the records, including the join against the committed oblast layer."""
    records = load_records(path)
    problems = oblast_problems(records.locations, read_oblasts(oblasts_file or OBLASTS_FILE), records.where)
    if problems:
        raise RecordsError(problems)
    return records
