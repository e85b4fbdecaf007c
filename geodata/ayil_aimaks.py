"""The ayil aimaks and towns (COD-AB admin 3) of each raion: names as readers know them, and what is drawn.

The product ships them as points (the official centroids): no open source reachable here has their polygons.
When an officer imports an admin-3 polygon layer (`import-boundaries --level ayil_aimak`), its polygons are
drawn instead, and its units are the ones listed; the shipped points still give names and kinds where the
polygons' codes match them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geodata.layers import english_name

# Units the official list names but that are no place people live in ("Белгисиз"/"Unknown", a lake basin):
# not drawn, not counted in "ayil aimaks reached".
NOT_SETTLED = ("other",)
# The list gives Kyrgyz and English names only. Russian readers get the Kyrgyz name with the Russian mark of
# its kind ("Курама а/а", "г. Өзгөн"), as local Russian-language documents write them.
_KY_FORM = {"ayil_aimak": "{} а/а", "town": "{} ш.", "urban_type_settlement": "{} ш.т.к."}
_RU_FORM = {"ayil_aimak": "{} а/а", "town": "г. {}", "urban_type_settlement": "пгт {}"}
_POLYGON_KINDS = {"ayil aimak": "ayil_aimak", "aiyl aimak": "ayil_aimak", "town": "town", "city": "town",
                  "urban-type settlement": "urban_type_settlement", "urban type settlement": "urban_type_settlement"}


def unit_label(name_ky: str, name_en: str, kind: str, lang: str) -> str:
    """An admin-3 unit's name in `lang`, with the mark of its kind in Kyrgyz and Russian; in English our
    romanisation of the Kyrgyz name (geodata.layers.english_name), a town marked "(city)" as COD-AB marks it."""
    if lang == "en":
        return english_name(name_ky, kind, name_en)
    form = (_RU_FORM if lang == "ru" else _KY_FORM).get(kind, "{}")
    return form.format(name_ky or name_en)


@dataclass(frozen=True)
class AyilAimaks:
    """The admin-3 units: the shipped points, and an imported polygon layer where there is one."""

    points: gpd.GeoDataFrame  # unit_code, name_ky, name_en, parent_code, kind, geometry (points)
    polygons: gpd.GeoDataFrame | None = None  # an officer's import: unit_code, name_*, parent_code, geometry
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def drawn(self) -> str:
        """"polygons" where an admin-3 polygon layer is imported, else "points": what the map and legend show."""
        return "points" if self.polygons is None else "polygons"

    @property
    def _units(self) -> pd.DataFrame:
        """Per unit code: name_ky, name_en, kind, parent_code; from the polygons where imported."""
        if "units" not in self._cache:
            points = pd.DataFrame(self.points.drop(columns="geometry")).set_index("unit_code")
            if self.polygons is None:
                units = points[["name_ky", "name_en", "kind", "parent_code"]]
            else:
                poly = pd.DataFrame(self.polygons.drop(columns="geometry")).set_index("unit_code")
                kind = poly["unit_type"].fillna("").str.lower().map(_POLYGON_KINDS).fillna("ayil_aimak")
                units = pd.DataFrame({
                    "name_ky": points["name_ky"].reindex(poly.index).fillna(poly["name_ky"].fillna("")),
                    "name_en": points["name_en"].reindex(poly.index).fillna(poly["name_en"].fillna("")),
                    "kind": points["kind"].reindex(poly.index).fillna(kind),
                    "parent_code": poly["parent_code"],
                }, index=poly.index)
            self._cache["units"] = units
        return self._cache["units"]

    def codes_in(self, raion: str) -> list[str]:
        """The raion's settled units, ayil aimaks first, each group by Kyrgyz name."""
        key = ("codes", raion)
        if key not in self._cache:
            units = self._units[(self._units["parent_code"] == raion) & ~self._units["kind"].isin(NOT_SETTLED)]
            order = units.assign(group=units["kind"].ne("ayil_aimak")).sort_values(["group", "name_ky"])
            self._cache[key] = list(order.index)
        return self._cache[key]

    def raion_of(self, code: str) -> str:
        units = self._units
        return str(units.at[code, "parent_code"]) if code in units.index else ""

    def kind(self, code: str) -> str:
        units = self._units
        return str(units.at[code, "kind"]) if code in units.index else ""

    def label(self, code: str, lang: str) -> str:
        units = self._units
        if code not in units.index:
            return code
        row = units.loc[code]
        return unit_label(str(row["name_ky"]), str(row["name_en"]), str(row["kind"]), lang)

    def shapes_in(self, raion: str) -> gpd.GeoDataFrame:
        """unit_code and geometry of what is drawn for the raion's settled units (points or polygons)."""
        key = ("shapes", raion)
        if key not in self._cache:
            layer = self.points if self.polygons is None else self.polygons
            codes = self.codes_in(raion)
            shapes = layer[layer["unit_code"].isin(codes)][["unit_code", "geometry"]]
            order = {code: i for i, code in enumerate(codes)}
            self._cache[key] = shapes.iloc[shapes["unit_code"].map(order).argsort()].reset_index(drop=True)
        return self._cache[key]

    def bounds_of(self, code: str) -> tuple[float, float, float, float] | None:
        """The unit's polygon extent (minx, miny, maxx, maxy), or None where only its point is known."""
        if self.polygons is None:
            return None
        shape = self.polygons.loc[self.polygons["unit_code"] == code]
        return tuple(shape.total_bounds) if len(shape) else None


def reached_per_raion(units: AyilAimaks, raions: list[str], reached_codes: set[str]) -> pd.DataFrame:
    """Per raion: its settled ayil aimaks and towns (`units`), and how many have an initiative in view."""
    rows = []
    for raion in raions:
        codes = units.codes_in(raion)
        rows.append({"raion_pcode": raion, "aa_units": len(codes),
                     "aa_reached": sum(code in reached_codes for code in codes)})
    return pd.DataFrame(rows, columns=["raion_pcode", "aa_units", "aa_reached"])


def reached_per_oblast(per_raion: pd.DataFrame) -> pd.DataFrame:
    """reached_per_raion's rows, with an oblast_code column, summed per oblast."""
    return (per_raion.groupby("oblast_code", sort=True)[["aa_units", "aa_reached"]].sum().reset_index())


def raion_units_table(units: AyilAimaks, raion: str, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per settled unit of the raion: P-code, name in `lang`, kind, and the ids of the initiatives in
    view joined to it (`rows`, with ayil_aimak_code), in record order."""
    ids: dict[str, list[str]] = {}
    for code, initiative in zip(rows["ayil_aimak_code"], rows["id"], strict=True):
        ids.setdefault(code, []).append(initiative)
    codes = units.codes_in(raion)
    return pd.DataFrame({
        "unit_code": codes,
        "name": [units.label(code, lang) for code in codes],
        "kind": [units.kind(code) for code in codes],
        "initiatives": [ids.get(code, []) for code in codes],
    })
