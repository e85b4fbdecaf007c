"""The raion layers the product ships, built from the official files in ../shared/boundaries.

COD-AB Kyrgyzstan is CC BY-IGO and the indicators are official statistics republished by WFP, so layers
*made from* them may be committed, simplified, with their attribution (geodata/SOURCES.md); the files
themselves stay in ../shared. Re-runnable: `python -m geodata build-raions [--boundaries DIR] [--out DIR]`.
The test suite rebuilds both from ../shared and checks they equal the committed files byte for byte.

An officer's own, newer official files still go through `import-boundaries` and `import-indicators` into
local-layers/, which win over these (geodata.layers.read_admin_layer, geodata.coverage.read_indicators).
"""

from __future__ import annotations

from pathlib import Path

from geodata.coverage import read_indicator_source, write_indicators
from geodata.importer import SIZE_BUDGET_BYTES, read_boundaries, simplify_to_budget, write_checked
from geodata.layers import GEODATA_DIR, admin_layer_file

BOUNDARIES_DIR = GEODATA_DIR.parent.parent / "shared" / "boundaries"
RAION_SOURCE = "kgz_admbnda_adm2_moes_20181119.json"
INDICATOR_SOURCE = "kgz_adm2_indicators_wfp_prism.json"


def build_raions(boundaries: Path = BOUNDARIES_DIR, out_dir: Path = GEODATA_DIR) -> list[Path]:
    """The simplified raion layer and the raion indicators, as an import of the official files writes them."""
    notes: list[str] = []
    units = read_boundaries(boundaries / RAION_SOURCE, "raion", notes=notes)
    _, _, text = simplify_to_budget(units, SIZE_BUDGET_BYTES["raion"], RAION_SOURCE)
    layer = admin_layer_file("raion", out_dir)
    write_checked(layer, text)
    return [layer, write_indicators(read_indicator_source(boundaries / INDICATOR_SOURCE), out_dir)]
