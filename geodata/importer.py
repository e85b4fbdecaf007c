"""Import an official raion or ayil-aimak boundary file (OCHA COD-AB, geoBoundaries, ...).

Validates it (readable, polygons, valid geometry, a CRS that lands on Kyrgyzstan, a name
field), reprojects to WGS84, simplifies until it fits a size budget, writes
geodata/kg_<level>.geojson and joins the 25 locations to it. The input file is only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geodata.build import geojson_text
from geodata.join import JoinMatch, join_locations
from geodata.layers import ADMIN_LEVELS, GEODATA_DIR, admin_layer_file, geometry_problems
from initiatives.problems import Problem, RecordsError

SIZE_BUDGET_BYTES = {"raion": 400_000, "ayil_aimak": 1_500_000}
KYRGYZSTAN_BBOX = (69.2, 39.1, 80.35, 43.35)
NAME_FIELDS = {
    "raion": ("ADM2_EN", "ADM2_KY", "ADM2_RU", "shapeName", "name_en", "name", "NAME_2", "NAME"),
    "ayil_aimak": ("ADM3_EN", "ADM3_KY", "ADM3_RU", "shapeName", "name_en", "name", "NAME_3", "NAME"),
}
CODE_FIELDS = {
    "raion": ("ADM2_PCODE", "shapeID", "pcode", "code", "GID_2"),
    "ayil_aimak": ("ADM3_PCODE", "shapeID", "pcode", "code", "GID_3"),
}
LOCATION_NAMES = {"raion": ("district", "district_ru"),
                  "ayil_aimak": ("ayil_aimak_ky", "settlement_ky", "place")}
START_TOLERANCE_DEG = 0.0005


@dataclass
class ImportResult:
    """What an import wrote and how the locations joined to it."""

    path: Path
    units: int
    tolerance_deg: float
    size_bytes: int
    matches: list[JoinMatch]


def _pick_field(frame: gpd.GeoDataFrame, wanted: str | None, candidates: tuple[str, ...],
                file: str, what: str, required: bool) -> str | None:
    columns = [c for c in frame.columns if c != "geometry"]
    if wanted:
        if wanted not in columns:
            raise RecordsError([Problem(file, 1, wanted, f"no such {what} field (fields: "
                                        f"{', '.join(columns) or 'none'})")])
        return wanted
    found = next((c for c in candidates if c in columns), None)
    if found is None and required:
        raise RecordsError([Problem(file, 1, f"(--{what}-field)", f"no {what} field found among "
                                    f"{', '.join(columns) or 'no fields'}; pass --{what}-field")])
    return found


def read_boundaries(path: Path, level: str, name_field: str | None = None,
                    code_field: str | None = None) -> gpd.GeoDataFrame:
    """Read and validate a boundary file into columns unit_code, unit_name, geometry (WGS84)."""
    file = path.name
    if level not in ADMIN_LEVELS:
        raise RecordsError([Problem(file, 0, "--level", f"unknown level '{level}' "
                                    f"(expected {' or '.join(ADMIN_LEVELS)})")])
    if not path.is_file():
        raise RecordsError([Problem(file, 0, "(file)", "file not found")])
    try:
        frame = gpd.read_file(path)
    except Exception as err:  # pyogrio raises several types for unreadable input
        raise RecordsError([Problem(file, 0, "(file)", f"not a readable vector layer "
                                    f"(GeoJSON, Shapefile, GeoPackage): {str(err).splitlines()[0]}")]) from err
    if frame.empty:
        raise RecordsError([Problem(file, 0, "(file)", "the layer has no features")])
    if frame.crs is None:
        raise RecordsError([Problem(file, 0, "(crs)", "the layer has no coordinate reference "
                                    "system; save it with one (e.g. EPSG:4326)")])
    name_col = _pick_field(frame, name_field, NAME_FIELDS[level], file, "name", True)
    code_col = _pick_field(frame, code_field, CODE_FIELDS[level], file, "code", False)
    problems = geometry_problems(file, frame.geometry)
    for i, name in enumerate(frame[name_col], start=1):
        if pd.isna(name) or not str(name).strip():
            problems.append(Problem(file, i, name_col, "unit has no name"))
    if problems:
        raise RecordsError(problems)
    wgs84 = frame.to_crs("EPSG:4326")
    minx, miny, maxx, maxy = wgs84.total_bounds
    kx0, ky0, kx1, ky1 = KYRGYZSTAN_BBOX
    if maxx < kx0 or minx > kx1 or maxy < ky0 or miny > ky1:
        raise RecordsError([Problem(file, 0, "(crs)", f"after reprojection from {frame.crs.to_string()} "
                                    f"the layer lies at {minx:.2f}..{maxx:.2f} E, {miny:.2f}..{maxy:.2f} N, "
                                    "not over Kyrgyzstan: is the declared CRS right?")])
    names = wgs84[name_col].astype(str).str.strip()
    codes = wgs84[code_col].astype(str) if code_col else names
    return gpd.GeoDataFrame({"unit_code": codes.values, "unit_name": names.values},
                            geometry=wgs84.geometry.values, crs="EPSG:4326")


def simplify_to_budget(units: gpd.GeoDataFrame, budget: int) -> tuple[gpd.GeoDataFrame, float, str]:
    """Coverage-simplify with a growing tolerance until the GeoJSON fits the byte budget."""
    tolerance = START_TOLERANCE_DEG
    while True:
        simplified = units.copy()
        simplified.geometry = shapely.set_precision(
            shapely.coverage_simplify(units.geometry.values, tolerance), 1e-5)
        text = geojson_text(simplified)
        if len(text.encode()) <= budget or tolerance > 0.05:
            return simplified, tolerance, text
        tolerance *= 2


def import_boundaries(path: Path, level: str, locations: pd.DataFrame, *, name_field: str | None = None,
                      code_field: str | None = None, out_dir: Path = GEODATA_DIR) -> ImportResult:
    """Validate, simplify and write the layer, then join the locations to it."""
    units = read_boundaries(path, level, name_field, code_field)
    simplified, tolerance, text = simplify_to_budget(units, SIZE_BUDGET_BYTES[level])
    target = admin_layer_file(level, out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    matches = join_locations(locations, simplified, code_field="unit_code", name_field="unit_name",
                             location_code_column=f"{level}_code",
                             location_name_columns=LOCATION_NAMES[level],
                             use_points_for=("settlement", "ayil_aimak") if level == "ayil_aimak"
                             else ("settlement", "ayil_aimak", "district"))
    return ImportResult(target, len(simplified), tolerance, len(text.encode()), matches)
