"""Coverage beside need, per raion: where the initiatives are, and where people are poorest.

The indicators come from WFP PRISM's Kyrgyzstan configuration (population 2021 from the National
Statistical Committee; share of people below the poverty line, 2020, from the Ministry of Labour and
Social Development), keyed by 8-digit SOATE raion codes. A raion's COD-AB P-code KGxxyyy000000 is
SOATE 417xxyyy; the 13 cities of oblast rank have no row, and one city (Kok-Jangak, KG03220400010)
shares a raion's first digits, so only raion P-codes are converted. Like the raion layer, the table is
shipped in geodata/ (built from ../shared/boundaries by geodata.shipped), and an officer's newer import
into local-layers/ wins over it.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata.join import JoinMatch, PointIndex
from geodata.layers import GEODATA_DIR, LOCAL_LAYERS_DIR
from geodata.writing import replace_checked
from initiatives.problems import Problem, RecordsError
from initiatives.sheets import read_input_bytes

INDICATORS_FILE = "kg_raion_indicators.csv"
INDICATOR_COLUMNS = ("raion_pcode", "population_2021", "poverty_pct_2020", "floods_1999_2021")
SOATE_RAION = re.compile(r"417(\d{2})(\d{3})")
# The poorest quarter of raions (by share below the poverty line) is marked as where need is highest.
HIGH_POVERTY_QUANTILE = 0.75


def raion_pcode(soate: str) -> str | None:
    """COD-AB P-code of a raion from its 8-digit SOATE code (41702205 -> KG02205000000), else None."""
    found = SOATE_RAION.fullmatch(soate)
    return f"KG{found.group(1)}{found.group(2)}000000" if found else None


def _number(value: object, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value) if low <= value <= high else None


def read_indicator_source(path: Path) -> pd.DataFrame:
    """The WFP PRISM indicators JSON ({"DataList": [...]}) as one row per raion P-code, checked."""
    data, problems = read_input_bytes(path)
    if data is None:
        raise RecordsError(problems, kind="boundaries")
    file = path.name
    try:
        rows = json.loads(data.decode("utf-8-sig"))["DataList"]
        assert isinstance(rows, list)
    except (ValueError, KeyError, TypeError, AssertionError) as err:
        raise RecordsError([Problem(file, 0, "(file)", "not the indicators JSON: expected {\"DataList\": [...]}")],
                           kind="boundaries") from err
    out: list[dict[str, object]] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(Problem(file, number, "(row)", "not an object"))
            continue
        code = raion_pcode(str(row.get("Adm2_Code", "")))
        population = _number(row.get("Population_2021"), 0, 10_000_000)
        poverty = _number(row.get("poverty"), 0, 100)
        floods = _number(row.get("flood_mudflow"), 0, 100_000)
        for field, value, wanted in (("Adm2_Code", code, "an 8-digit SOATE raion code 417xxyyy"),
                                     ("Population_2021", population, "a number of people"),
                                     ("poverty", poverty, "a percentage, 0 to 100"),
                                     ("flood_mudflow", floods, "a count")):
            if value is None:
                problems.append(Problem(file, number, field, f"'{row.get(field)}' is not {wanted}"))
        out.append(dict(zip(INDICATOR_COLUMNS, (code, population, poverty, floods), strict=True)))
    repeated = Counter(r["raion_pcode"] for r in out if r["raion_pcode"])
    problems += [Problem(file, 0, "Adm2_Code", f"{c} appears more than once") for c, n in sorted(repeated.items())
                 if n > 1]
    if problems:
        raise RecordsError(problems, kind="boundaries")
    return pd.DataFrame(out, columns=list(INDICATOR_COLUMNS))


def write_indicators(table: pd.DataFrame, out_dir: Path = LOCAL_LAYERS_DIR) -> Path:
    """Written as the layers are (geodata.writing): on a full disk the working table stays, whole. Written in
    place, it was once cut to 4,096 bytes and every viewer lost the Coverage page."""
    target = out_dir / INDICATORS_FILE
    text = io.StringIO()
    table.to_csv(text, index=False, lineterminator="\n")
    replace_checked(target, text.getvalue(), read_indicator_file)
    return target


def read_indicators(directory: Path = LOCAL_LAYERS_DIR, shipped: Path = GEODATA_DIR) -> pd.DataFrame | None:
    """The indicators indexed by raion P-code: an officer's import in `directory`, else those shipped in
    `shipped`, else None."""
    path = next((p for p in (directory / INDICATORS_FILE, shipped / INDICATORS_FILE) if p.exists()), None)
    return read_indicator_file(path) if path else None


def read_indicator_file(path: Path) -> pd.DataFrame:
    data, problems = read_input_bytes(path)
    if data is None:
        raise RecordsError(problems, kind="boundaries")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8", "replace"))))
    missing = [c for c in INDICATOR_COLUMNS if rows and c not in rows[0]]
    if not rows or missing:
        raise RecordsError([Problem(path.name, 1, c, "column missing") for c in missing or ["(file)"]],
                           kind="boundaries")
    table = pd.DataFrame(rows).set_index("raion_pcode")[list(INDICATOR_COLUMNS[1:])]
    numbers = table.apply(pd.to_numeric, errors="coerce")
    bad = [Problem(path.name, row + 2, column, f"'{table.iat[row, i]}' is not a number")
           for i, column in enumerate(numbers.columns) for row in range(len(numbers))
           if pd.isna(numbers.iat[row, i]) and table.iat[row, i] != ""]
    if bad:
        raise RecordsError(bad, kind="boundaries")
    return numbers


def oblast_of_units(units: gpd.GeoDataFrame, oblasts: gpd.GeoDataFrame) -> dict[str, str]:
    """Each unit's oblast code (ISO 3166-2), by where the unit's inside point lies on the oblast layer."""
    index = PointIndex(oblasts.reset_index(drop=True))
    codes = list(oblasts["iso_code"])
    result = {}
    for code, point in zip(units["unit_code"], units.geometry.representative_point(), strict=True):
        located = index.locate(point.x, point.y)
        result[code] = codes[located[0]] if located else ""
    return result


def unplaced_initiatives(matches: list[JoinMatch], initiatives_per_location: pd.Series) -> int:
    """Initiatives in view at places with no raion (known only to their oblast): counted in no row."""
    unplaced = {m.location_id for m in matches if not m.unit_code}
    return int(sum(int(n) for location, n in initiatives_per_location.items() if location in unplaced))


def coverage_table(raions: gpd.GeoDataFrame, indicators: pd.DataFrame | None, matches: list[JoinMatch],
                   initiatives_per_location: pd.Series, oblast_of: dict[str, str]) -> pd.DataFrame:
    """One row per raion and city: its oblast, names, population, poverty share, initiatives in view,
    initiatives per 100,000 people, and whether it has none or is among the poorest quarter."""
    raion_of = {m.location_id: m.unit_code for m in matches if m.unit_code}
    per_unit: dict[str, int] = {}
    for location, count in initiatives_per_location.items():
        if location in raion_of:
            per_unit[raion_of[location]] = per_unit.get(raion_of[location], 0) + int(count)
    table = pd.DataFrame({
        "oblast_code": [oblast_of.get(c, "") for c in raions["unit_code"]],
        "raion_pcode": raions["unit_code"].to_numpy(),
        "name_ky": raions["name_ky"].to_numpy(), "name_ru": raions["name_ru"].to_numpy(),
        "name_en": raions["name_en"].to_numpy(), "unit_type": raions["unit_type"].to_numpy(),
    })
    known = indicators if indicators is not None else pd.DataFrame(columns=list(INDICATOR_COLUMNS[1:]))
    table["population"] = table["raion_pcode"].map(known["population_2021"]).astype(float)
    table["poverty_pct"] = table["raion_pcode"].map(known["poverty_pct_2020"]).astype(float)
    table["initiatives"] = table["raion_pcode"].map(per_unit).fillna(0).astype(int)
    table["per_100k"] = (table["initiatives"] / table["population"] * 100_000).round(1)
    table["no_initiative"] = table["initiatives"] == 0
    threshold = table["poverty_pct"].quantile(HIGH_POVERTY_QUANTILE) if table["poverty_pct"].notna().any() else None
    table["high_poverty"] = table["poverty_pct"] >= threshold if threshold is not None else False
    return table.sort_values(["oblast_code", "name_en"], ignore_index=True)
