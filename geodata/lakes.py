"""The lakes, as the raion layer gives them: COD-AB leaves Ysyk-Köl and Song-Köl as holes.

A hole in the raion layer is also a city of republican rank (Bishkek, Osh) or an enclave (Sokh,
Vorukh, Shakhimardan), so a hole is water only where it holds a lake's known point. The points are
single facts with their source; the shapes come from whichever official layer the user imported.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import shapely


@dataclass(frozen=True)
class Lake:
    names: dict[str, str]  # ky, ru, en
    lon: float
    lat: float
    source: str


LAKES = (
    Lake({"ky": "Ысык-Көл", "ru": "Иссык-Куль", "en": "Ysyk-Köl"}, 77.25, 42.43,
         "a point in the lake's open water; tests check it lies in the COD-AB layer's hole"),
    Lake({"ky": "Соң-Көл", "ru": "Сон-Куль", "en": "Song-Köl"}, 75.13, 41.83,
         "a point in the lake's open water; tests check it lies in the COD-AB layer's hole"),
)


def lakes_of(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each known lake whose point lies in a hole of the units' union: names, and the hole as its shape."""
    union = shapely.union_all(units.geometry.values)
    holes = [shapely.Polygon(ring) for part in getattr(union, "geoms", [union]) for ring in part.interiors]
    rows, shapes = [], []
    for lake in LAKES:
        point = shapely.Point(lake.lon, lake.lat)
        hole = next((h for h in holes if h.contains(point)), None)
        if hole is not None:
            rows.append(lake.names)
            shapes.append(hole)
    return gpd.GeoDataFrame(rows, geometry=shapes, columns=["ky", "ru", "en"], crs=units.crs)
