"""Write the flat table as CSV, JSON or GeoJSON (the CSV loads back with --records)."""

from __future__ import annotations

import json

import pandas as pd


def to_csv(table: pd.DataFrame) -> str:
    return table.to_csv(index=False, lineterminator="\n")


def to_json(table: pd.DataFrame) -> str:
    return json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=1)


def to_geojson(table: pd.DataFrame) -> str:
    """One point feature per initiative, at its location."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
        }
        for row in table.to_dict(orient="records")
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


FORMATS = {"csv": to_csv, "json": to_json, "geojson": to_geojson}
