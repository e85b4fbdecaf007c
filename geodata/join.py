"""Join the 25 locations to admin units, and report how each one matched.

Order of methods, most trustworthy first: a unit code carried by the record, the point inside
a polygon, the point within a small tolerance of a polygon (generalised borders move border
towns: Tokmok sits ~200 m outside Natural Earth's outline), an exact normalised name, a fuzzy
name. Every location gets a JoinMatch, misses included, so the report shows what failed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

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
    method: str  # code | point | nearest | exact name | fuzzy name | stated district | miss
    detail: str = ""
    conflict: str = ""  # the unit the record names, where its point lies in another (raions)


def normalise_name(name: str) -> str:
    """Compare names across scripts and spellings: Latin, lower case, no unit words."""
    latin = re.sub(r"[^a-zäöü0-9]+", " ", to_latin(name).lower())
    latin = _UNIT_WORDS.sub(" ", latin)
    latin = latin.replace("dzh", "j").replace("dj", "j").replace("yy", "y")
    return " ".join(latin.split())


class PointIndex:
    """The units of one layer, ready to say which one a point lies in (or lies nearest to)."""

    def __init__(self, units: gpd.GeoDataFrame, tolerance_km: float = NEAREST_TOLERANCE_KM):
        self.tree = shapely.STRtree(units.geometry.values)
        self.metric_units = units.geometry.to_crs(METRIC_CRS).reset_index(drop=True)
        self.tolerance_km = tolerance_km

    def locate(self, lon: float, lat: float) -> tuple[int, str, str] | None:
        """(unit index, "point" or "nearest", detail) for the unit holding the point, or None."""
        point = shapely.Point(lon, lat)
        inside = self.tree.query(point, predicate="within")
        if len(inside) == 1:
            return int(inside[0]), "point", ""
        if len(inside):
            return None
        metric_point = gpd.GeoSeries([point], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0]
        distances = self.metric_units.distance(metric_point).dropna()  # NaN: a unit without a shape
        if not len(distances):
            return None
        nearest = int(distances.idxmin())
        km = float(distances[nearest]) / 1000
        if km > self.tolerance_km:
            return None
        return nearest, "nearest", f"{km:.2f} km outside the polygon (tolerance {self.tolerance_km:g} km)"


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
    index = PointIndex(units, tolerance_km)
    matches: list[JoinMatch] = []
    for _, loc in locations.iterrows():
        lid, place = str(loc["location_id"]), str(loc.get("place", ""))

        def found(i: int, method: str, detail: str = "", lid: str = lid, place: str = place) -> JoinMatch:
            return JoinMatch(lid, place, unit_codes[i], unit_names[i], method, detail)

        code = str(loc.get(location_code_column, "") or "") if location_code_column else ""
        if code and code in unit_codes:
            matches.append(found(unit_codes.index(code), "code"))
            continue
        located = (index.locate(loc["longitude"], loc["latitude"])
                   if loc.get("location_precision", "settlement") in use_points_for else None)
        if located:
            matches.append(found(*located))
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


def oblast_problems(locations: pd.DataFrame, matches: list[JoinMatch],
                    where: Callable[[str], tuple[str, int]]) -> list[Problem]:
    """Validation errors in `join_oblasts`' matches: a location outside the country, or inside another
    oblast than stated. `where` maps a location id to the (file, row) it was read from.
    """
    problems: list[Problem] = []
    stated = dict(zip(locations["location_id"].astype(str), locations["oblast_code"], strict=False))
    for match in matches:
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


_CITY_WORDS = re.compile(r"шаар|город|\bг\.|\bcity\b")


@dataclass(frozen=True)
class StatedRaion:
    """The raion or city a record names (Kyrgyz and Russian), compared by name and by kind."""

    names: frozenset[str]
    unit_type: str  # raion | city
    text: str

    @classmethod
    def of(cls, loc: pd.Series) -> StatedRaion | None:
        texts = [str(loc.get(c, "") or "") for c in ("district", "district_ru")]
        names = frozenset(n for n in map(normalise_name, texts) if n)
        if not names:
            return None
        kind = "city" if _CITY_WORDS.search(" ".join(texts).lower()) else "raion"
        return cls(names, kind, texts[0] or texts[1])

    def is_unit(self, unit_type: str, names: frozenset[str]) -> bool:
        return unit_type == self.unit_type and bool(self.names & names)


def names_of(unit: pd.Series) -> frozenset[str]:
    """A unit's names in every language, as join compares them."""
    return frozenset(normalise_name(str(unit[c])) for c in ("unit_name", "name_ky", "name_ru", "name_en"))


def join_raions(locations: pd.DataFrame, raions: gpd.GeoDataFrame) -> list[JoinMatch]:
    """Every location to its raion (or city of oblast rank), saying how.

    Most trustworthy first: a P-code the record carries (with its source); for a record whose point is
    only its district's centre, the district it names; the point in a polygon (or within 5 km); the
    district it names. A record known only to its oblast stays unplaced, and says so.
    """
    raions = raions.reset_index(drop=True)
    index = PointIndex(raions)
    codes = {code: i for i, code in enumerate(raions["unit_code"])}
    kinds = [(unit["unit_type"], names_of(unit)) for _, unit in raions.iterrows()]  # normalised once, not per place
    matches = []
    for _, loc in locations.iterrows():
        lid, place = str(loc["location_id"]), str(loc["place"])
        stated = StatedRaion.of(loc)
        named = [i for i, unit in enumerate(kinds) if stated and stated.is_unit(*unit)]
        located = index.locate(loc["longitude"], loc["latitude"])

        def found(i: int, method: str, detail: str = "", lid: str = lid, place: str = place) -> JoinMatch:
            return JoinMatch(lid, place, raions.at[i, "unit_code"], raions.at[i, "name_en"], method, detail)

        def falls_in(located: tuple[int, str, str] | None = located) -> str:
            return f"the point falls in {raions.at[located[0], 'name_en']}" if located else "the point falls in none"

        code = str(loc.get("raion_pcode", "") or "")
        if code in codes:
            inside = bool(located) and located[0] == codes[code]
            matches.append(found(codes[code], "code", "" if inside else f"{falls_in()}; the record's code, "
                                 f"with its source, decides"))
        elif loc["location_precision"] == "district" and len(named) == 1:
            matches.append(found(named[0], "stated district", "the point is only the district's centre"
                                 + ("" if located and located[0] == named[0] else f"; {falls_in()}")))
        elif located and loc["location_precision"] != "oblast":
            disagrees = stated is not None and not stated.is_unit(*kinds[located[0]])
            matches.append(replace(found(*located), conflict=stated.text if disagrees else ""))
        elif len(named) == 1:
            matches.append(found(named[0], "stated district"))
        else:
            matches.append(JoinMatch(lid, place, None, None, "miss", "unplaced: the record is known only to its "
                                     "oblast" if loc["location_precision"] == "oblast" else "no raion by code, "
                                     "point or name"))
    return matches


def raion_problems(matches: list[JoinMatch], where: Callable[[str], tuple[str, int]]) -> list[Problem]:
    """Validation errors in `join_raions`' matches: a record that names one raion while its point lies in
    another, unexplained. A record explains a known disagreement by carrying the raion's P-code and its source.
    """
    problems = []
    for match in matches:
        if match.conflict:
            file, row = where(match.location_id)
            problems.append(Problem(file, row, "district", f"location {match.location_id} ({match.place}) is "
                                    f"recorded in {match.conflict} but its coordinates fall in {match.unit_name} "
                                    f"({match.unit_code}): correct the record or its coordinates from a named "
                                    "source, or give the raion's P-code and its source (raion_pcode, "
                                    "raion_source)"))
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


# Kinds of admin-3 unit that a settlement-precision town can be (an ayil aimak's centre village is not one).
_TOWN_KINDS = ("town", "urban_type_settlement")


def _printed_names(loc: pd.Series) -> tuple[list[str], tuple[str, ...]]:
    """The admin-3 names a record prints, with the kinds of unit each may be: its ayil aimak, else the town
    it is in (a town of district significance is an admin-3 unit of its own)."""
    if loc.get("ayil_aimak_ky"):
        return [str(loc["ayil_aimak_ky"])], ("ayil_aimak",)
    if loc["location_precision"] == "settlement" and loc.get("settlement_ky"):
        return [str(loc["settlement_ky"])], _TOWN_KINDS
    return [], ()


def _same_unit_name(printed: str, official: str) -> bool:
    """Names of one unit: equal once normalised, or equal but for a first name the print gives as its initial
    ("А. Сүйөркулов" for "Абды Сүйөркулов")."""
    return _same_as_normalised(printed, normalise_name(official))


def _same_as_normalised(printed: str, b: str) -> bool:
    """_same_unit_name against an official name already normalised (the join normalises each unit's once)."""
    a = normalise_name(printed)
    if a == b:
        return True
    initial = re.match(r"^\s*(\w)\.\s*(.+)$", printed)
    if not initial:
        return False
    first, rest = normalise_name(initial.group(1)), normalise_name(initial.group(2))
    words = b.split(" ", 1)
    return len(words) == 2 and words[1] == rest and words[0].startswith(first)


def join_ayil_aimaks(locations: pd.DataFrame, points: gpd.GeoDataFrame,
                     raion_matches: list[JoinMatch], raions: gpd.GeoDataFrame) -> list[JoinMatch]:
    """Every location to its ayil aimak or town (COD-AB admin 3, as points: no polygons are at hand), saying how.

    A P-code the record carries (with its source) first; else the name the record prints, among the units of the
    raion it joined to; a city of oblast rank has no admin-3 unit. A printed name found only in another raion of
    the oblast is a disagreement (`conflict`): the record must settle it, with a code and its source or, where
    the evidence does not, with the source's words on why it stays unsettled (ayil_aimak_source).
    """
    by_code = {code: i for i, code in enumerate(points["unit_code"])}
    # Each unit's kind, raion and normalised names, read once: the scans below run per location.
    units = [(kind, str(parent), normalise_name(ky), normalise_name(en)) for kind, parent, ky, en in
             zip(points["kind"], points["parent_code"], points["name_ky"], points["name_en"], strict=True)]
    kind_of_raion = dict(zip(raions["unit_code"], raions["unit_type"], strict=True))
    raion_of = {m.location_id: m.unit_code for m in raion_matches}
    matches = []
    for _, loc in locations.iterrows():
        lid, place = str(loc["location_id"]), str(loc["place"])
        raion = raion_of.get(lid)
        code = str(loc.get("ayil_aimak_pcode", "") or "")
        names, kinds = _printed_names(loc)

        def unit(i: int, method: str, detail: str = "", lid: str = lid, place: str = place) -> JoinMatch:
            # Named by our romanisation of the Kyrgyz: the list's English forms are often the Russian's
            # ("Kara-Kul'dja", "Sumbulin").
            return JoinMatch(lid, place, points.at[i, "unit_code"], to_latin(points.at[i, "name_ky"]), method, detail)

        def named(where: Callable[[str], bool], names: list[str] = names, kinds: tuple[str, ...] = kinds) -> list[int]:
            return [i for i, (kind, parent, ky, en) in enumerate(units) if kind in kinds and where(parent)
                    and any(_same_as_normalised(n, ky) or _same_as_normalised(n, en) for n in names)]

        if code in by_code:
            matches.append(unit(by_code[code], "code", "the record's code, with its source"))
            continue
        if raion and kind_of_raion.get(raion) == "city":
            matches.append(JoinMatch(lid, place, None, None, "city", "a city of oblast rank: no ayil aimak"))
            continue
        in_raion = named(lambda parent, raion=raion: parent == raion) if raion else []
        if len(in_raion) == 1:
            matches.append(unit(in_raion[0], "name in its raion"))
            continue
        oblast = str(raion or "")[:4]
        elsewhere = named(lambda parent, oblast=oblast: parent.startswith(oblast)) if oblast else []
        if elsewhere:
            where = ", ".join(f"{points.at[i, 'name_en']} ({points.at[i, 'unit_code']})" for i in elsewhere)
            matches.append(JoinMatch(lid, place, None, None, "miss", f"'{names[0]}' is not a unit of its raion; "
                                     f"the oblast has {where}", conflict=names[0]))
            continue
        matches.append(JoinMatch(lid, place, None, None, "miss", f"no unit named '{names[0]}' in its raion"
                                 if names and raion else "no raion: the record is known only to its oblast"
                                 if not raion else "the record names no ayil aimak"))
    return matches


def ayil_aimak_problems(matches: list[JoinMatch], locations: pd.DataFrame,
                        where: Callable[[str], tuple[str, int]]) -> list[Problem]:
    """Validation errors in `join_ayil_aimaks`' matches: a printed ayil aimak found only in another raion of the
    oblast, and the record says nothing about it (no ayil_aimak_source)."""
    explained = dict(zip(locations["location_id"], locations["ayil_aimak_source"].astype(bool), strict=True))
    problems = []
    for match in matches:
        if match.conflict and not explained.get(match.location_id):
            file, row = where(match.location_id)
            problems.append(Problem(file, row, "ayil_aimak_ky", f"location {match.location_id} ({match.place}): "
                                    f"{match.detail}: give the ayil aimak's P-code and its source, or say in "
                                    "ayil_aimak_source why the evidence leaves it unsettled"))
    return problems
