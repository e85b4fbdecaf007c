"""Where the committed boundary layers live, and reading them (read-only, checked).

A layer the app draws may have been replaced by hand; a broken one must give a message that
names the file, feature and field, which the dashboard shows, not a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import shapely

from initiatives.problems import Problem, RecordsError
from initiatives.translit import to_latin

GEODATA_DIR = Path(__file__).parent
OBLASTS_FILE = GEODATA_DIR / "kg_oblasts.geojson"
CONTEXT_FILE = GEODATA_DIR / "kg_context.geojson"
# An officer's own imports of newer official raion and ayil-aimak layers go here (git-ignored); they win over
# the layers the product ships beside the oblasts (geodata.shipped, built from ../shared/boundaries).
LOCAL_LAYERS_DIR = GEODATA_DIR.parent / "local-layers"
ADMIN_LEVELS = ("raion", "ayil_aimak")
OBLAST_FIELDS = ("iso_code", "name_ky", "name_ru", "name_en")
CONTEXT_FIELDS = ("role",)
ADMIN_FIELDS = ("unit_code", "unit_name", "name_ky", "name_ru", "name_en", "parent_code", "unit_type")


# The ayil aimaks and towns (COD-AB admin 3) as points, shipped: no open source has their polygons.
AYIL_AIMAK_POINTS_FILE = GEODATA_DIR / "kg_ayil_aimak_points.geojson"
POINT_FIELDS = ("unit_code", "name_ky", "name_en", "parent_code", "kind")
POINT_KINDS = ("ayil_aimak", "town", "urban_type_settlement", "other")


def admin_layer_file(level: str, directory: Path = LOCAL_LAYERS_DIR) -> Path:
    return directory / f"kg_{level}.geojson"


def read_layer(path: Path, fields: tuple[str, ...]) -> gpd.GeoDataFrame:
    """A committed polygon layer in WGS84 with `fields`, or RecordsError naming what is wrong.

    Feature rows are numbered from 1 in file order.
    """
    file = str(path)
    frame = _read_file(path, "boundary layer")
    problems = layer_problems(file, frame, fields)
    if problems:
        raise RecordsError(problems, kind="boundaries")
    return frame


def _read_file(path: Path, what: str) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(path)
    except Exception as err:  # pyogrio/GDAL raise several types for unreadable files
        raise RecordsError([Problem(str(path), 0, "(file)", f"not a readable {what} ({err})")],
                           kind="boundaries") from err


def layer_problems(file: str, frame: gpd.GeoDataFrame, fields: tuple[str, ...]) -> list[Problem]:
    """What makes a layer unusable by the dashboard; the importer checks what it writes with this too."""
    if frame.empty:
        return [Problem(file, 0, "(file)", "the layer has no features")]
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        return [Problem(file, 0, "(crs)", f"expected WGS84 (EPSG:4326), found {frame.crs}")]
    problems = [Problem(file, 1, name, "field missing") for name in fields if name not in frame.columns]
    return problems + geometry_problems(file, frame.geometry)


def geometry_problems(file: str, geometries: Iterable) -> list[Problem]:
    """Every feature that is not one valid (multi)polygon, numbered from 1 in file order."""
    problems = []
    for i, geom in enumerate(geometries, start=1):
        if geom is None or geom.is_empty:
            problems.append(Problem(file, i, "geometry", "feature has no geometry"))
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(file, i, "geometry", f"{geom.geom_type}, expected a polygon"))
        elif not geom.is_valid:
            problems.append(Problem(file, i, "geometry", f"invalid: {shapely.is_valid_reason(geom)}"))
    return problems


def read_oblasts(path: Path = OBLASTS_FILE) -> gpd.GeoDataFrame:
    """The oblast polygons (plus Bishkek city) with iso_code and names in three languages."""
    return read_layer(path, OBLAST_FIELDS)


def read_context(path: Path = CONTEXT_FILE) -> gpd.GeoDataFrame:
    """Country outline and neighbours, drawn under the oblasts instead of a tile basemap."""
    return read_layer(path, CONTEXT_FIELDS)


def admin_layer_path(level: str, directory: Path = LOCAL_LAYERS_DIR, shipped: Path = GEODATA_DIR) -> Path | None:
    """The layer of `level` the app reads: an officer's import in `directory`, else the one shipped in `shipped`
    (the raions), else None."""
    return next((p for p in (admin_layer_file(level, directory), admin_layer_file(level, shipped)) if p.exists()),
                None)


def read_admin_layer(level: str, directory: Path = LOCAL_LAYERS_DIR,
                     shipped: Path = GEODATA_DIR) -> gpd.GeoDataFrame | None:
    """The raion or ayil-aimak layer (admin_layer_path), or None where there is none."""
    path = admin_layer_path(level, directory, shipped)
    return read_layer(path, ADMIN_FIELDS) if path else None


CITY_MARK_KY = " ш."


def english_name(name_ky: str, unit_type: str, name_en: str = "") -> str:
    """A unit's English name by our one rule for proper names (initiatives.translit, as for every place and
    grantee), not COD-AB's English, which is often the Russian's ("Uzgen", "Tash-Kumir" beside our "Özgön",
    "Tash-Kömür"); a city keeps COD-AB's "(city)". `name_en` where there is no Kyrgyz name."""
    bare = name_ky.strip().removesuffix(CITY_MARK_KY.strip()).strip()
    if not bare:
        return name_en
    latin = to_latin(bare)
    return f"{latin} (city)" if unit_type in ("city", "town") else latin


def unit_label(name: str, unit_type: str, lang: str) -> str:
    """An admin-2 unit's name as a reader expects it.

    COD-AB gives a raion's Russian name as an adjective ("Ноокатский") and the Kyrgyz as the bare name
    ("Ноокат", also the town's): the word for raion makes each read as a raion. Cities keep the
    layer's marker ("Ноокат ш.", "г. Узген").
    """
    if not name:
        return name
    if unit_type == "raion":
        return {"ky": f"{name} району", "ru": f"{name} район"}.get(lang, name)
    return name.replace("г.", "г. ", 1).replace("  ", " ") if lang == "ru" else name


def read_ayil_aimak_points(path: Path = AYIL_AIMAK_POINTS_FILE) -> gpd.GeoDataFrame | None:
    """The shipped admin-3 points (unit_code, names, the raion's P-code as parent_code, kind), or None where the
    folder has none; RecordsError naming file, feature and field when one is unusable."""
    if not path.exists():
        return None
    file = str(path)
    frame = _read_file(path, "point layer")
    problems = [Problem(file, 1, name, "field missing") for name in POINT_FIELDS if name not in frame.columns]
    if not problems:
        for i, (geom, kind) in enumerate(zip(frame.geometry, frame["kind"], strict=True), start=1):
            if geom is None or geom.geom_type != "Point":
                problems.append(Problem(file, i, "geometry", "expected a point"))
            if kind not in POINT_KINDS:
                problems.append(Problem(file, i, "kind", f"unknown kind '{kind}' (expected {', '.join(POINT_KINDS)})"))
    if problems:
        raise RecordsError(problems, kind="boundaries")
    return frame
