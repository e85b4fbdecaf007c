"""The raion and ayil-aimak layers the product ships, built from the official files in ../shared/boundaries.

COD-AB Kyrgyzstan is CC BY-IGO and the indicators are official statistics republished by WFP, so layers
*made from* them may be committed, simplified, with their attribution (geodata/SOURCES.md); the files
themselves stay in ../shared. Re-runnable: `python -m geodata build-admin-layers [--boundaries DIR] [--out DIR]`.
The test suite rebuilds both from ../shared and checks they equal the committed files byte for byte.

An officer's own, newer official files still go through `import-boundaries` and `import-indicators` into
local-layers/, which win over these (geodata.layers.read_admin_layer, geodata.coverage.read_indicators).
"""

from __future__ import annotations

import json
from pathlib import Path

from geodata.coverage import read_indicator_source, write_indicators
from geodata.importer import SIZE_BUDGET_BYTES, read_boundaries, simplify_to_budget, write_checked
from geodata.layers import AYIL_AIMAK_POINTS_FILE, GEODATA_DIR, admin_layer_file, read_ayil_aimak_points
from geodata.writing import replace_checked

BOUNDARIES_DIR = GEODATA_DIR.parent.parent / "shared" / "boundaries"
RAION_SOURCE = "kgz_admbnda_adm2_moes_20181119.json"
INDICATOR_SOURCE = "kgz_adm2_indicators_wfp_prism.json"
POINTS_SOURCE = "kgz_adm3_units_points.geojson"


def ayil_aimak_points_text(source: Path) -> str:
    """The admin-3 points as shipped: code, Kyrgyz and English names, the raion's P-code and the kind, in the
    source's order, one feature a line (a reviewer reads the diff)."""
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    lines = []
    for feature in features:
        props = feature["properties"]
        kind = props["kind_from_code"]
        kept = {"unit_code": props["adm3_pcode"], "name_ky": props["name_ky"], "name_en": props["name_en"],
                "parent_code": props["adm2_pcode"], "kind": "ayil_aimak" if kind == "aiyl_aimak"
                else kind if kind in ("town", "urban_type_settlement") else "other"}
        lon, lat = feature["geometry"]["coordinates"]
        lines.append(json.dumps({"type": "Feature", "properties": kept,
                                 "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}},
                                ensure_ascii=False))
    return '{"type": "FeatureCollection", "features": [\n' + ",\n".join(lines) + "\n]}\n"


def build_admin_layers(boundaries: Path = BOUNDARIES_DIR, out_dir: Path = GEODATA_DIR) -> list[Path]:
    """The simplified raion layer, the raion indicators, as an import of the official files writes them, and
    the ayil-aimak points."""
    notes: list[str] = []
    units = read_boundaries(boundaries / RAION_SOURCE, "raion", notes=notes)
    _, _, text = simplify_to_budget(units, SIZE_BUDGET_BYTES["raion"], RAION_SOURCE)
    layer = admin_layer_file("raion", out_dir)
    write_checked(layer, text)
    points = out_dir / AYIL_AIMAK_POINTS_FILE.name
    replace_checked(points, ayil_aimak_points_text(boundaries / POINTS_SOURCE), read_ayil_aimak_points)
    return [layer, write_indicators(read_indicator_source(boundaries / INDICATOR_SOURCE), out_dir), points]
