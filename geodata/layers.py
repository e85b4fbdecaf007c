"""Where the committed boundary layers live, and reading them (read-only)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

GEODATA_DIR = Path(__file__).parent
OBLASTS_FILE = GEODATA_DIR / "kg_oblasts.geojson"
CONTEXT_FILE = GEODATA_DIR / "kg_context.geojson"
ADMIN_LEVELS = ("raion", "ayil_aimak")


def admin_layer_file(level: str, directory: Path = GEODATA_DIR) -> Path:
    return directory / f"kg_{level}.geojson"


def read_oblasts(path: Path = OBLASTS_FILE) -> gpd.GeoDataFrame:
    """The oblast polygons (plus Bishkek city) with iso_code and names in three languages."""
    return gpd.read_file(path)


def read_context(path: Path = CONTEXT_FILE) -> gpd.GeoDataFrame:
    """Country outline and neighbours, drawn under the oblasts instead of a tile basemap."""
    return gpd.read_file(path)


def read_admin_layer(level: str, directory: Path = GEODATA_DIR) -> gpd.GeoDataFrame | None:
    """An imported raion or ayil-aimak layer, or None where none has been imported."""
    path = admin_layer_file(level, directory)
    return gpd.read_file(path) if path.exists() else None
