"""Build the committed oblast and context layers from Natural Earth (via Debian's qgis-common).

Re-runnable: `python -m geodata build-oblasts [--source GPKG] [--out DIR]`. CI rebuilds into a
temporary folder and checks the result equals the committed files byte for byte.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import shapely

from geodata.layers import CONTEXT_FILE, OBLASTS_FILE
from initiatives import vocab

DEBIAN_GPKG = Path("/usr/share/qgis/resources/data/world_map.gpkg")
SOURCE_ENV = "KG_WORLD_MAP_GPKG"
SOURCE_NOTE = ("Natural Earth 1:10m Admin-1 states and provinces and Admin-0 countries (v4.1.0, public "
               "domain), as shipped in world_map.gpkg of Debian's qgis-common 3.22.16+dfsg-1")
# Natural Earth's English name -> ISO 3166-2. (Its FIPS codes will not do: Bishkek shares KG01 with Chüy.)
ISO_BY_NATURAL_EARTH_NAME = {
    "Batken": "KG-B", "Chuy": "KG-C", "Jalal-Abad": "KG-J", "Naryn": "KG-N", "Osh": "KG-O",
    "Talas": "KG-T", "Ysyk-Köl": "KG-Y", "Bishkek": "KG-GB",
}
NEIGHBOURS = ("KAZ", "UZB", "TJK", "CHN")
OBLAST_TOLERANCE_DEG = 0.004  # ~0.4 km; the budget is 1.5 km Hausdorff and 100 KB
CONTEXT_TOLERANCE_DEG = 0.02
CONTEXT_BBOX = (60.0, 34.0, 90.0, 49.0)  # wide enough that its clip edge stays off-screen
PRECISION = 5  # decimal places: about 1 m


# Where scripts/test.sh unpacks the Debian package when it is not installed system-wide.
UNPACKED_GPKG = (Path(__file__).resolve().parent.parent / ".cache" / "qgis-common" / "root"
                 / DEBIAN_GPKG.relative_to("/"))


def default_source() -> Path:
    """$KG_WORLD_MAP_GPKG, else the installed qgis-common, else the copy scripts/test.sh unpacked."""
    if os.environ.get(SOURCE_ENV):
        return Path(os.environ[SOURCE_ENV])
    return DEBIAN_GPKG if DEBIAN_GPKG.is_file() else UNPACKED_GPKG


def build_oblasts(source: Path) -> gpd.GeoDataFrame:
    """Kyrgyz admin-1 units with ISO codes and names, coverage-simplified (no gaps, no overlaps)."""
    raw = gpd.read_file(source, layer="states_provinces", where="adm0_a3 = 'KGZ'")
    raw = raw.sort_values("name", ignore_index=True)
    simplified = shapely.coverage_simplify(raw.geometry.values, OBLAST_TOLERANCE_DEG)
    names = vocab.oblasts()
    codes = [ISO_BY_NATURAL_EARTH_NAME[n] for n in raw["name"]]
    return gpd.GeoDataFrame(
        {
            "iso_code": codes,
            "name_ky": [names.label(c, "ky") for c in codes],
            "name_ru": [names.label(c, "ru") for c in codes],
            "name_en": [names.label(c, "en") for c in codes],
            "natural_earth_name": raw["name"],
        },
        geometry=shapely.set_precision(simplified, 10 ** -PRECISION),
        crs="EPSG:4326",
    ).sort_values("iso_code", ignore_index=True)


def build_context(source: Path) -> gpd.GeoDataFrame:
    """Kyrgyzstan's outline and its neighbours, clipped to the map's surroundings."""
    countries = gpd.read_file(source, layer="countries")
    keep = countries[countries["ISO_A3"].isin(("KGZ", *NEIGHBOURS))].sort_values("ISO_A3", ignore_index=True)
    clipped = keep.geometry.values.intersection(shapely.box(*CONTEXT_BBOX))
    geoms = shapely.set_precision(shapely.simplify(clipped, CONTEXT_TOLERANCE_DEG), 10 ** -3)
    return gpd.GeoDataFrame(
        {"iso_a3": keep["ISO_A3"], "name_en": keep["NAME"],
         "role": ["country" if c == "KGZ" else "neighbour" for c in keep["ISO_A3"]]},
        geometry=geoms, crs="EPSG:4326",
    )


def geojson_text(frame: gpd.GeoDataFrame) -> str:
    """Compact, stable GeoJSON text (sorted keys, fixed precision) so rebuilds diff cleanly."""
    data = json.loads(frame.to_json(drop_id=True))
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def write_layers(source: Path, out_dir: Path | None = None) -> list[Path]:
    """Build both layers and write them; returns the paths written."""
    oblast_path = (out_dir / OBLASTS_FILE.name) if out_dir else OBLASTS_FILE
    context_path = (out_dir / CONTEXT_FILE.name) if out_dir else CONTEXT_FILE
    oblast_path.write_text(geojson_text(build_oblasts(source)), encoding="utf-8")
    context_path.write_text(geojson_text(build_context(source)), encoding="utf-8")
    return [oblast_path, context_path]
