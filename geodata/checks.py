"""Checks of the records that need boundary layers, run by the command line and the app alike.

initiatives/ reads and validates records on their own; whether a place lies in the oblast (and,
once an official raion layer has been imported, the raion) it is recorded in needs polygons, so
those checks live here, above both, and the layers read bottom-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata.join import (
    JoinMatch,
    ayil_aimak_problems,
    join_ayil_aimaks,
    join_oblasts,
    join_raions,
    oblast_problems,
    raion_problems,
)
from geodata.layers import (
    AYIL_AIMAK_POINTS_FILE,
    LOCAL_LAYERS_DIR,
    OBLASTS_FILE,
    english_name,
    read_admin_layer,
    read_ayil_aimak_points,
    read_oblasts,
)
from initiatives.problems import RecordsError
from initiatives.records import Records, load_records


def check_records(path: Path | None, oblasts_file: Path | None = None,
                  local_layers: Path = LOCAL_LAYERS_DIR) -> Records:
    """Load and validate the records, including the joins against the oblast layer and any raion layer (and,
    with it, the ayil-aimak points)."""
    records = load_records(path)
    shipped = (oblasts_file or OBLASTS_FILE).parent
    raions = read_admin_layer("raion", local_layers, shipped)
    raion_join = None if raions is None else join_raions(records.locations, raions)
    aa_join = None if raions is None else ayil_aimak_join(
        records.locations, raion_join, raions, read_ayil_aimak_points(shipped / AYIL_AIMAK_POINTS_FILE.name))
    records = checked(records, join_oblasts(records.locations, read_oblasts(oblasts_file or OBLASTS_FILE)),
                      raion_join, aa_join)
    return records if raions is None else with_raions(records, raion_join, raions, aa_join)


def ayil_aimak_join(locations: pd.DataFrame, raion_join: Sequence[JoinMatch], raions: gpd.GeoDataFrame,
                    points: gpd.GeoDataFrame | None) -> list[JoinMatch] | None:
    """The locations joined to the ayil-aimak points (read_ayil_aimak_points), or None where there are none."""
    return None if points is None else join_ayil_aimaks(locations, points, list(raion_join), raions)


def checked(records: Records, oblast_join: Sequence[JoinMatch], raion_join: Sequence[JoinMatch] | None,
            ayil_aimak_join: Sequence[JoinMatch] | None = None) -> Records:
    """The records, if the joins already made agree with them: each place in its stated oblast and raion, and
    its printed ayil aimak in that raion (or the disagreement explained)."""
    problems = oblast_problems(records.locations, list(oblast_join), records.where)
    if raion_join is not None:
        problems += raion_problems(list(raion_join), records.where)
    if ayil_aimak_join is not None:
        problems += ayil_aimak_problems(list(ayil_aimak_join), records.locations, records.where)
    if problems:
        raise RecordsError(problems)
    return records


def with_raions(records: Records, raion_join: Sequence[JoinMatch], units: gpd.GeoDataFrame,
                ayil_aimak_join: Sequence[JoinMatch] | None = None) -> Records:
    """The records with each initiative's raion (P-code and English name, geodata.layers.english_name) filled
    in from the join, and its ayil aimak or town (P-code and English name) where that join settled one.

    A location the join could not place keeps both empty: it is known only to its oblast.
    """
    names = {row.unit_code: english_name(row.name_ky, row.unit_type, row.name_en) for row in units.itertuples()}
    code_of = {m.location_id: m.unit_code or "" for m in raion_join}
    table = records.table.copy()
    table["raion_code"] = table["location_id"].map(code_of).fillna("")
    table["raion_name"] = table["raion_code"].map(names).fillna("")
    for match_column, column in (("unit_code", "ayil_aimak_code"), ("unit_name", "ayil_aimak_name")):
        found = {m.location_id: getattr(m, match_column) or "" for m in ayil_aimak_join or ()}
        table[column] = table["location_id"].map(found).fillna("")
    return replace(records, table=table)
