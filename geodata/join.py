"""Join the 25 locations to admin units, and report how each one matched.

Order of methods, most trustworthy first: a unit code carried by the record, the point inside
a polygon, the point within a small tolerance of a polygon (generalised borders move border
towns: Tokmok sits ~200 m outside Natural Earth's outline), an exact normalised name, a fuzzy
name. Every location gets a JoinMatch, misses included, so the report shows what failed.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from initiatives.problems import Problem
from initiatives.translit import to_latin

METRIC_CRS = "EPSG:32643"  # UTM 43N covers Kyrgyzstan well enough for distances of a few km
NEAREST_TOLERANCE_KM = 5.0
FUZZY_CUTOFF = 0.85
# Words that say what kind of unit a name is, not which one; dropped before names are compared.
_UNIT_WORDS = re.compile(
    r"\b(ayil|aiyl|ayyl|aimagy|aymagy|aimak|aymak|okmotu|ökmötü|aa|ao|raion|rayon|rayonu|district|"
    r"oblast|oblasty|oblusu|region|city|town|shaary|gorod|selo|sh|a|ayilnyy|aylnyy|rayonnyy|"
    r"skiy|skij|skaya|sky)\b"
)


@dataclass(frozen=True)
class JoinMatch:
    """How one location matched (or failed to match) a unit of one layer."""

    location_id: str
    place: str
    unit_code: str | None
    unit_name: str | None
    method: str  # code | point | nearest | exact name | fuzzy name | miss
    detail: str = ""


def normalise_name(name: str) -> str:
    """Compare names across scripts and spellings: Latin, lower case, no unit words."""
    latin = re.sub(r"[^a-zäöü0-9]+", " ", to_latin(name).lower())
    latin = _UNIT_WORDS.sub(" ", latin)
    latin = latin.replace("dzh", "j").replace("dj", "j").replace("yy", "y")
    return " ".join(latin.split())


def _points(locations: pd.DataFrame) -> gpd.GeoSeries:
    return gpd.GeoSeries(gpd.points_from_xy(locations["longitude"], locations["latitude"]),
                         crs="EPSG:4326", index=locations.index)


def join_locations(locations: pd.DataFrame, units: gpd.GeoDataFrame, *, code_field: str,
                   name_field: str, location_code_column: str | None = None,
                   location_name_columns: tuple[str, ...] = ("place",),
                   use_points_for: tuple[str, ...] = ("settlement", "ayil_aimak", "district"),
                   tolerance_km: float = NEAREST_TOLERANCE_KM) -> list[JoinMatch]:
    """Match every location to one unit of `units`, trying each method in turn."""
    units = units.reset_index(drop=True)
    unit_codes = units[code_field].astype(str).tolist()
    unit_names = units[name_field].astype(str).tolist()
    normalised = {normalise_name(n): i for i, n in enumerate(unit_names)}
    points = _points(locations)
    metric_units = units.geometry.to_crs(METRIC_CRS)
    metric_points = points.to_crs(METRIC_CRS)
    tree = shapely.STRtree(units.geometry.values)
    matches: list[JoinMatch] = []
    for idx, loc in locations.iterrows():
        lid, place = str(loc["location_id"]), str(loc.get("place", ""))

        def found(i: int, method: str, detail: str = "", lid: str = lid, place: str = place) -> JoinMatch:
            return JoinMatch(lid, place, unit_codes[i], unit_names[i], method, detail)

        code = str(loc.get(location_code_column, "") or "") if location_code_column else ""
        if code and code in unit_codes:
            matches.append(found(unit_codes.index(code), "code"))
            continue
        if loc.get("location_precision", "settlement") in use_points_for:
            inside = tree.query(points[idx], predicate="within")
            if len(inside) == 1:
                matches.append(found(int(inside[0]), "point"))
                continue
            distances = metric_units.distance(metric_points[idx]).dropna()  # NaN: a unit without a shape
            nearest = int(distances.idxmin()) if len(distances) else -1
            km = float(distances[nearest]) / 1000 if nearest >= 0 else math.inf
            if len(inside) == 0 and km <= tolerance_km:
                matches.append(found(nearest, "nearest", f"{km:.2f} km outside the polygon "
                                     f"(tolerance {tolerance_km:g} km)"))
                continue
        candidates = [str(loc.get(c, "") or "") for c in location_name_columns]
        names = [normalise_name(c) for c in candidates if c]
        exact = next((normalised[n] for n in names if n in normalised), None)
        if exact is not None:
            matches.append(found(exact, "exact name"))
            continue
        fuzzy = next((m for n in names if n
                      for m in difflib.get_close_matches(n, list(normalised), 1, FUZZY_CUTOFF)), None)
        if fuzzy is not None:
            ratio = max(difflib.SequenceMatcher(None, n, fuzzy).ratio() for n in names)
            matches.append(found(normalised[fuzzy], "fuzzy name", f"'{fuzzy}' similarity {ratio:.2f}"))
            continue
        matches.append(JoinMatch(lid, place, None, None, "miss",
                                 "no unit by code, point or name" if names else "no name to match"))
    return matches


def join_oblasts(locations: pd.DataFrame, oblasts: gpd.GeoDataFrame) -> list[JoinMatch]:
    """Every location to its oblast polygon, by point (all precisions: an oblast point is inside)."""
    return join_locations(locations, oblasts, code_field="iso_code", name_field="name_en",
                          use_points_for=("settlement", "ayil_aimak", "district", "oblast"))


def oblast_problems(locations: pd.DataFrame, oblasts: gpd.GeoDataFrame,
                    where: Callable[[str], tuple[str, int]]) -> list[Problem]:
    """Validation errors: a location outside the country, or inside another oblast than stated.

    `where` maps a location id to the (file, row) it was read from.
    """
    problems: list[Problem] = []
    stated = dict(zip(locations["location_id"].astype(str), locations["oblast_code"], strict=False))
    for match in join_oblasts(locations, oblasts):
        file, row = where(match.location_id)
        if match.method not in ("point", "nearest"):
            problems.append(Problem(file, row, "latitude/longitude",
                                    f"location {match.location_id} ({match.place}) is outside "
                                    "Kyrgyzstan's oblasts"))
        elif match.unit_code != stated[match.location_id]:
            problems.append(Problem(file, row, "oblast_code",
                                    f"location {match.location_id} ({match.place}) is stated as "
                                    f"{stated[match.location_id]} but lies in {match.unit_code} "
                                    f"({match.unit_name})"))
    return problems


def report_lines(matches: list[JoinMatch]) -> list[str]:
    """A readable join report: one line per location, then a tally of methods."""
    lines = [
        f"{m.location_id}  {m.place:<16} -> {m.unit_code or '-':<10} {m.unit_name or '':<24} "
        f"[{m.method}]{'  ' + m.detail if m.detail else ''}"
        for m in matches
    ]
    tally = pd.Series([m.method for m in matches]).value_counts()
    lines.append("methods: " + ", ".join(f"{k} {v}" for k, v in tally.items()))
    return lines
