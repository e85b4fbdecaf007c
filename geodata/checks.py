"""Checks of the records that need boundary layers, run by the command line and the app alike.

initiatives/ reads and validates records on their own; whether a place lies in the oblast (and,
once an official raion layer has been imported, the raion) it is recorded in needs polygons, so
those checks live here, above both, and the layers read bottom-up.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geodata.join import oblast_problems, raion_problems
from geodata.layers import LOCAL_LAYERS_DIR, OBLASTS_FILE, read_admin_layer, read_oblasts
from initiatives.problems import RecordsError
from initiatives.records import Records, load_records


def check_records(path: Path | None, oblasts_file: Path | None = None,
                  local_layers: Path = LOCAL_LAYERS_DIR) -> Records:
    """Load and validate the records, including the joins against the oblast layer and any raion layer."""
    return checked(load_records(path), read_oblasts(oblasts_file or OBLASTS_FILE),
                   read_admin_layer("raion", local_layers))


def checked(records: Records, oblasts: gpd.GeoDataFrame, raions: gpd.GeoDataFrame | None) -> Records:
    """The records, if they agree with the layers already read: a place in its stated oblast and raion."""
    problems = oblast_problems(records.locations, oblasts, records.where)
    if raions is not None:
        problems += raion_problems(records.locations, raions, records.where)
    if problems:
        raise RecordsError(problems)
    return records
