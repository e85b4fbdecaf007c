"""Synthetic records in our format, for scale measurements only.

Every synthetic row says so in `source` ("synthetic, bench/synth.py"), and names are numbered
placeholders, so a synthetic file can never be mistaken for programme data. Places are random
points inside the committed oblast polygons (a margin in from the border), so the files pass
`python -m initiatives check` like real records.

    python -m bench.synth --initiatives 5000 --places 450 --out /tmp/synth-5k
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
import shapely

from geodata.layers import read_oblasts
from initiatives import vocab
from initiatives.records import INITIATIVE_COLUMNS, LOCATION_COLUMNS

SOURCE = "synthetic, bench/synth.py: not programme data"
MARGIN_DEG = 0.05


def random_points(polygon, count: int, rng: np.random.Generator) -> list[tuple[float, float]]:
    """`count` points inside `polygon` shrunk by a margin, by rejection sampling."""
    inner = polygon.buffer(-MARGIN_DEG)
    minx, miny, maxx, maxy = inner.bounds
    shapely.prepare(inner)
    points: list[tuple[float, float]] = []
    while len(points) < count:
        xs = rng.uniform(minx, maxx, 4 * count)
        ys = rng.uniform(miny, maxy, 4 * count)
        inside = shapely.contains_xy(inner, xs, ys)
        points += [(round(y, 4), round(x, 4)) for x, y in zip(xs[inside], ys[inside], strict=True)]
    return points[:count]


def locations(places: int, rng: np.random.Generator) -> list[dict[str, str]]:
    """Places spread over the seven oblasts in turn (Bishkek city is not a programme oblast)."""
    oblasts = read_oblasts()
    oblasts = oblasts[oblasts["iso_code"] != "KG-GB"].sort_values("iso_code")
    codes = list(oblasts["iso_code"])
    per_oblast = {code: places // len(codes) + (i < places % len(codes)) for i, code in enumerate(codes)}
    rows = []
    for code, geometry in zip(codes, oblasts.geometry, strict=True):
        for lat, lon in random_points(geometry, per_oblast[code], rng):
            n = len(rows) + 1
            rows.append({
                "location_id": f"S{n:04d}", "oblast_code": code, "place_as_printed": f"Синтетикалык жер {n}",
                "district": "", "district_ru": "", "ayil_aimak_ky": "",
                "settlement_ky": f"Синтетикалык жер {n}", "settlement_ru": f"Синтетическое место {n}",
                "latitude": str(lat), "longitude": str(lon), "location_precision": "settlement",
                "coordinates_source": SOURCE, "reading_note": "",
            })
    return rows


def initiatives(count: int, places: list[dict[str, str]], rng: np.random.Generator) -> list[dict[str, str]]:
    themes = vocab.themes().codes
    groups = vocab.target_groups().codes
    forms = [f for f in vocab.legal_forms().codes if f != "not_stated"]
    place_ids = [p["location_id"] for p in places]
    rows = []
    for n in range(1, count + 1):
        grant = "cso" if n % 2 else "lsg"
        rows.append({
            "id": f"SYN-{n:06d}", "grant_type": grant, "location_id": place_ids[rng.integers(len(place_ids))],
            "grantee": f"Синтетикалык уюм {n}", "legal_form": forms[rng.integers(len(forms))],
            "title_ky": f"Синтетикалык демилге {n}", "title_en": f"Synthetic initiative {n}",
            "title_ru": f"Синтетическая инициатива {n}",
            "summary_ky": "Өлчөө үчүн гана.", "summary_en": "For measurement only.",
            "summary_ru": "Только для измерений.",
            "themes": ";".join(rng.choice(themes, rng.integers(1, 4), replace=False)),
            "target_groups": ";".join(rng.choice(groups, rng.integers(1, 4), replace=False)),
            "source": SOURCE, "source_status": "published", "note": "",
        })
    return rows


def write(out: Path, count: int, places: int, seed: int = 2021) -> Path:
    """Write initiatives.csv and locations.csv under `out`; the same seed gives the same files."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    place_rows = locations(places, rng)
    for name, columns, rows in (("locations.csv", LOCATION_COLUMNS, place_rows),
                                ("initiatives.csv", INITIATIVE_COLUMNS, initiatives(count, place_rows, rng))):
        with (out / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--initiatives", type=int, required=True)
    parser.add_argument("--places", type=int, default=450)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write(args.out, args.initiatives, args.places, args.seed)
    print(f"{args.initiatives} synthetic initiatives over {args.places} places in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
