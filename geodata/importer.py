"""Import an official raion or ayil-aimak boundary file (OCHA COD-AB, geoBoundaries, ...).

Validates it (a file, readable, polygons, valid geometry, a CRS that lands on Kyrgyzstan, a name
field, names of a sane length, units that do not overlap), reprojects to WGS84, simplifies until it
fits a size budget, joins the 25 locations to it, and only then writes local-layers/kg_<level>.geojson:
through a temporary file that is read back and checked like any layer the app reads, so a layer
that would break the dashboard never replaces anything. The input file is only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.build import geojson_text
from geodata.join import METRIC_CRS, JoinMatch, join_locations, join_raions
from geodata.layers import (
    ADMIN_FIELDS,
    ADMIN_LEVELS,
    LOCAL_LAYERS_DIR,
    admin_layer_file,
    geometry_problems,
    read_layer,
    read_oblasts,
)
from geodata.writing import replace_checked
from initiatives.problems import Problem, RecordsError
from initiatives.sheets import path_kind

SIZE_BUDGET_BYTES = {"raion": 400_000, "ayil_aimak": 1_500_000}
NAME_FIELDS = {
    "raion": ("ADM2_EN", "ADM2_KY", "ADM2_RU", "shapeName", "name_en", "name", "NAME_2", "NAME"),
    "ayil_aimak": ("ADM3_EN", "ADM3_KY", "ADM3_RU", "shapeName", "name_en", "name", "NAME_3", "NAME"),
}
CODE_FIELDS = {
    "raion": ("ADM2_PCODE", "shapeID", "pcode", "code", "GID_2"),
    "ayil_aimak": ("ADM3_PCODE", "shapeID", "pcode", "code", "GID_3"),
}
# Kept when the file has them (OCHA COD-AB does): the unit's name in each language, its parent's P-code
# and its type (a raion, or a city of oblast rank).
LANGUAGE_FIELDS = {"raion": {"ky": "ADM2_KY", "ru": "ADM2_RU", "en": "ADM2_EN"},
                   "ayil_aimak": {"ky": "ADM3_KY", "ru": "ADM3_RU", "en": "ADM3_EN"}}
PARENT_FIELDS = {"raion": "ADM1_PCODE", "ayil_aimak": "ADM2_PCODE"}
TYPE_FIELDS = {"raion": "ADM2TYP_EN", "ayil_aimak": "ADM3TYP_EN"}
# Known slips of the official files, corrected on import and said in its output: (code, field, as
# published) -> corrected. COD-AB 2018-11-19 names At-Bashy raion "Ak-Bashy" in English only; its Kyrgyz
# and Russian names (Ат-Башы, Ат-Башынский) are right (shared/boundaries/README.md).
CORRECTIONS = {("KG04220000000", "name_en", "Ak-Bashy"): "At-Bashy"}
START_TOLERANCE_DEG = 0.0005
MAX_TOLERANCE_DEG = 0.05  # ~5 km: coarser than this a raion's shape is no longer worth drawing
MAX_NAME_CHARS = 120  # the longest official ayil-aimak names are about 40
# Far more units than any official layer of the level has (COD-AB: 53 admin-2, 737 admin-3) is refused before
# the checks and the simplification: 200,000 tiny polygons ran 337 s and 1.55 GB before being refused.
MAX_UNITS = {"raion": 500, "ayil_aimak": 5_000}
# A unit must touch Kyrgyzstan (the committed oblast outline, widened by this much for generalised borders).
COUNTRY_MARGIN_DEG = 0.05
# Neighbouring units of an official layer touch; one that covers part of another is a broken layer.
# A sliver below this share of the smaller unit is digitising noise and passes.
OVERLAP_SHARE = 0.01


def _problem(file: str, row: int, field_name: str, message: str) -> RecordsError:
    return RecordsError([Problem(file, row, field_name, message)], kind="boundaries")


@dataclass
class ImportResult:
    """What an import wrote and how the locations joined to it."""

    path: Path
    units: int
    tolerance_deg: float
    size_bytes: int
    matches: list[JoinMatch]
    notes: list[str] = field(default_factory=list)  # what a maintainer should know but need not fix


def _pick_field(frame: gpd.GeoDataFrame, wanted: str | None, candidates: tuple[str, ...],
                file: str, what: str, required: bool) -> str | None:
    columns = [c for c in frame.columns if c != "geometry"]
    if wanted:
        if wanted not in columns:
            raise _problem(file, 1, wanted, f"no such {what} field (fields: {', '.join(columns) or 'none'})")
        return wanted
    found = next((c for c in candidates if c in columns), None)
    if found is None and required:
        raise _problem(file, 1, f"(--{what}-field)", f"no {what} field found among "
                       f"{', '.join(columns) or 'no fields'}; pass --{what}-field")
    return found


def _read_frame(path: Path) -> gpd.GeoDataFrame:
    file = path.name
    kind, problem = path_kind(path)
    if problem:
        raise RecordsError([problem], kind="boundaries")
    if kind == "dir":
        raise _problem(file, 0, "(file)", "is a folder; give the path of the layer's file (for a Shapefile, its .shp)")
    try:
        frame = gpd.read_file(path)
    except Exception as err:  # pyogrio raises several types for unreadable input
        raise _problem(file, 0, "(file)", "not a readable vector layer (GeoJSON, Shapefile, GeoPackage): "
                       f"{str(err).splitlines()[0] if str(err) else type(err).__name__}") from err
    if not isinstance(frame, gpd.GeoDataFrame):  # pyogrio reads a CSV or a table without shapes as a DataFrame
        raise _problem(file, 0, "geometry", "the file has no shapes (a table, such as a CSV?): "
                       "give a boundary layer (GeoJSON, Shapefile, GeoPackage)")
    if frame.empty:
        raise _problem(file, 0, "(file)", "the layer has no features")
    if frame.crs is None:
        raise _problem(file, 0, "(crs)", "the layer has no coordinate reference system; "
                       "save it with one (e.g. EPSG:4326)")
    return frame


def overlap_problems(file: str, units: gpd.GeoDataFrame, names: list[str]) -> list[Problem]:
    """Pairs of units that share more than OVERLAP_SHARE of the smaller one's area."""
    metric = units.geometry.to_crs(METRIC_CRS).values
    left, right = shapely.STRtree(metric).query(metric, predicate="intersects")
    problems = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        shared = shapely.area(shapely.intersection(metric[i], metric[j]))
        smaller = min(shapely.area(metric[i]), shapely.area(metric[j]))
        if smaller and shared / smaller > OVERLAP_SHARE:
            problems.append(Problem(file, j + 1, "geometry", f"overlaps unit {i + 1} ({names[i]}) by "
                                    f"{100 * shared / smaller:.0f}% of the smaller unit's area"))
    return problems


def read_boundaries(path: Path, level: str, name_field: str | None = None,
                    code_field: str | None = None, notes: list[str] | None = None) -> gpd.GeoDataFrame:
    """Read and validate a boundary file into columns unit_code, unit_name, geometry (WGS84)."""
    file = path.name
    if level not in ADMIN_LEVELS:
        raise _problem(file, 0, "--level", f"unknown level '{level}' (expected {' or '.join(ADMIN_LEVELS)})")
    frame = _read_frame(path)
    if len(frame) > MAX_UNITS[level]:
        raise _problem(file, 0, "(file)", f"the layer has {len(frame):,} units; a {level.replace('_', ' ')} layer "
                       f"of Kyrgyzstan has at most {MAX_UNITS[level]:,} (is it the right level, or another country?)")
    name_col = _pick_field(frame, name_field, NAME_FIELDS[level], file, "name", True)
    code_col = _pick_field(frame, code_field, CODE_FIELDS[level], file, "code", False)
    language_cols = {lang: col for lang, col in LANGUAGE_FIELDS[level].items() if col in frame.columns}
    problems = geometry_problems(file, frame.geometry)
    for column in dict.fromkeys([name_col, *language_cols.values()]):
        for i, name in enumerate(frame[column], start=1):
            if column == name_col and (pd.isna(name) or not str(name).strip()):
                problems.append(Problem(file, i, name_col, "unit has no name"))
            elif not pd.isna(name) and len(str(name).strip()) > MAX_NAME_CHARS:
                problems.append(Problem(file, i, column, f"the name is {len(str(name).strip()):,} characters "
                                        f"long; a unit's name has at most {MAX_NAME_CHARS}"))
    if problems:
        raise RecordsError(problems, kind="boundaries")
    if frame.crs.to_epsg() is None and notes is not None:
        notes.append(f"{file}: the coordinate reference system is not a known EPSG code "
                     f"({frame.crs.name}); it was reprojected from its definition: check the map")
    wgs84 = frame.to_crs("EPSG:4326")
    bounds = shapely.bounds(wgs84.geometry.values)
    wild = ~np.isfinite(bounds).all(axis=1) | (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1) | (
        np.abs(bounds[:, [1, 3]]) > 90).any(axis=1)
    if wild.any():
        raise RecordsError([Problem(file, int(i) + 1, "geometry", "a coordinate is not a longitude and latitude "
                                    f"(the unit spans {bounds[i, 0]:g}..{bounds[i, 2]:g} E, {bounds[i, 1]:g}.."
                                    f"{bounds[i, 3]:g} N)") for i in np.flatnonzero(wild)], kind="boundaries")
    outside = ~shapely.intersects(wgs84.geometry.values, _country())
    if outside.all():
        minx, miny, maxx, maxy = wgs84.total_bounds
        raise _problem(file, 0, "(crs)", f"after reprojection from {frame.crs.to_string()} the layer lies at "
                       f"{minx:.2f}..{maxx:.2f} E, {miny:.2f}..{maxy:.2f} N, not over Kyrgyzstan: "
                       "is the declared CRS right?")
    if outside.any():  # a bounding box that overlaps the country let a layer of Kazakhstan with one unit here pass
        raise RecordsError([Problem(file, int(i) + 1, "geometry", f"unit '{frame[name_col].iloc[i]}' lies outside "
                                    "Kyrgyzstan: is this a layer of another country?")
                            for i in np.flatnonzero(outside)], kind="boundaries")
    names = wgs84[name_col].astype(str).str.strip()
    overlaps = overlap_problems(file, wgs84, names.tolist())
    if overlaps:
        raise RecordsError(overlaps, kind="boundaries")
    codes = wgs84[code_col].astype(str) if code_col else names
    units = gpd.GeoDataFrame({"unit_code": codes.values, "unit_name": names.values},
                             geometry=wgs84.geometry.values, crs="EPSG:4326")
    for lang in ("ky", "ru", "en"):
        column = language_cols.get(lang)
        text = wgs84[column].fillna("").astype(str).str.strip() if column else names
        units[f"name_{lang}"] = text.where(text != "", names).values
    parent, kind = PARENT_FIELDS[level], TYPE_FIELDS[level]
    units["parent_code"] = wgs84[parent].fillna("").astype(str).values if parent in wgs84.columns else ""
    kinds = wgs84[kind].fillna("").astype(str).str.lower() if kind in wgs84.columns else pd.Series("", wgs84.index)
    units["unit_type"] = ["city" if "city" in k else level for k in kinds]
    for (code, column, published), corrected in CORRECTIONS.items():
        changed = False
        for target in dict.fromkeys([column, "unit_name"]):
            wrong = (units["unit_code"] == code) & (units[target] == published)
            units.loc[wrong, target] = corrected
            changed |= bool(wrong.any())
        if changed and notes is not None:
            notes.append(f"{file}: {code} '{published}' corrected to '{corrected}' (a known slip of the official "
                         "file; its other names agree)")
    return units


@cache
def _country() -> shapely.Geometry:
    """Kyrgyzstan's outline from the committed oblast layer, widened by COUNTRY_MARGIN_DEG."""
    return read_oblasts().geometry.union_all().buffer(COUNTRY_MARGIN_DEG)


def simplify_to_budget(units: gpd.GeoDataFrame, budget: int, file: str = "(layer)"
                       ) -> tuple[gpd.GeoDataFrame, float, str]:
    """Coverage-simplify with a growing tolerance until the GeoJSON fits the byte budget.

    A unit smaller than the tolerance would vanish (an empty geometry): such units keep their own
    shape, only rounded. A layer that cannot be brought within the budget is refused, not written.
    """
    original = units.geometry.values
    rounded = shapely.set_precision(original, 1e-5)
    vanished = shapely.is_empty(rounded) | ~shapely.is_valid(rounded)
    if vanished.any():
        raise RecordsError([Problem(file, int(i) + 1, "geometry", f"unit '{units['unit_name'].iloc[i]}' vanishes when "
                                    "rounded to 0.00001 degrees (about 1 m): too small to be a unit")
                            for i in np.flatnonzero(vanished)], kind="boundaries")
    tolerance = START_TOLERANCE_DEG
    while True:
        simplified = units.copy()
        shapes = shapely.set_precision(shapely.coverage_simplify(original, tolerance), 1e-5)
        lost = shapely.is_missing(shapes) | shapely.is_empty(shapes) | ~shapely.is_valid(shapes)
        simplified.geometry = np.where(lost, rounded, shapes)
        text = geojson_text(simplified)
        size = len(text.encode())
        if size <= budget:
            return simplified, tolerance, text
        if tolerance >= MAX_TOLERANCE_DEG:
            raise _problem(file, 0, "(size)", f"even simplified at {tolerance:g} degrees the layer is "
                           f"{size:,} bytes, over its budget of {budget:,}: {_why_big(simplified)}")
        tolerance = min(tolerance * 2, MAX_TOLERANCE_DEG)


def _why_big(units: gpd.GeoDataFrame) -> str:
    """What makes a simplified layer too big, said from its parts: the units, their points or their names."""
    points = int(shapely.get_num_coordinates(units.geometry.values).sum())
    name_chars = int(sum(len(str(n)) for column in ("unit_name", "name_ky", "name_ru", "name_en")
                         for n in units[column]))
    if name_chars > points * 10:
        return f"its names take {name_chars:,} characters"
    return f"{len(units):,} units with {points:,} points still, too many to draw"


def import_boundaries(path: Path, level: str, locations: pd.DataFrame, *, name_field: str | None = None,
                      code_field: str | None = None, out_dir: Path = LOCAL_LAYERS_DIR) -> ImportResult:
    """Validate, simplify and write the layer, then join the locations to it."""
    notes: list[str] = []
    units = read_boundaries(path, level, name_field, code_field, notes)
    simplified, tolerance, text = simplify_to_budget(units, SIZE_BUDGET_BYTES[level], path.name)
    matches = join_raions(locations, simplified) if level == "raion" else join_locations(
        locations, simplified, code_field="unit_code", name_field="unit_name", location_code_column="ayil_aimak_code",
        location_name_columns=("ayil_aimak_ky", "settlement_ky", "place"), use_points_for=("settlement", "ayil_aimak"))
    target = admin_layer_file(level, out_dir)
    write_checked(target, text)
    return ImportResult(target, len(simplified), tolerance, len(text.encode()), matches, notes)


def write_checked(target: Path, text: str) -> None:
    """Write a layer so that it must read back as a usable layer before it replaces `target`."""
    replace_checked(target, text, lambda scratch: read_layer(scratch, ADMIN_FIELDS))
