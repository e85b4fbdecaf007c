"""The map of one view: what the map page's frame and data layer are built from, apart from the page.

The map page draws it through st_folium (ui.map_frame); the first HTML response draws the same map as its
preview (ui.preview), from the same two builders and digests, so the two cannot differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd

from geodata.layers import CONTEXT_FILE
from initiatives import apply_filters, vocab
from ui.data import digest, geodata_dir, geojson_dict
from ui.maps import AyilAimakMarks, RaionShading, base_map, data_layer
from ui.state import View, choose_ayil_aimak, choose_oblast, choose_raion, map_widget_key

MAP_HEIGHT = 500  # with the numbers above it, the whole map above the fold at 1366x900
PRESENT_HEIGHT = 560  # the frame's own; on a projector the page's CSS sets its height from the screen's


@dataclass(frozen=True)
class ViewMap:
    """The map a view shows, with `shade` (what the oblasts are shaded by: all, cso, lsg, poverty)."""

    view: View
    shade: str

    @cached_property
    def map_rows(self) -> pd.DataFrame:
        """The map keeps the whole country in view (zoomed to the chosen oblast), so it counts every oblast."""
        view = self.view
        rows = (apply_filters(view.data.records.table, replace(view.filters, oblasts=(), raions=(), ayil_aimaks=()),
                              view.data.haystack) if view.oblast else view.rows)
        return rows[rows["grant_type"] == self.shade] if self.shade in ("cso", "lsg") else rows

    @cached_property
    def texts(self) -> dict[str, str]:
        t = self.view.t
        counted = f"shade_{self.shade}" if self.shade in ("cso", "lsg") else "metric_initiatives"
        return {"initiatives": t(counted), "approximate": t("approximate_position"), "places": t("map_places"),
                "click_to_open": t("map_click_to_open"), "poverty": t("coverage_poverty"),
                "other_oblast": t("map_other_oblast"), "nothing": t("map_nothing")}

    @cached_property
    def oblast_counts(self) -> pd.Series:
        return self.map_rows["oblast_code"].value_counts()

    @cached_property
    def location_counts(self) -> pd.Series:
        return self.map_rows["location_id"].value_counts()

    @property
    def units(self):
        """Drilled into a raion: its ayil aimaks and towns."""
        return self.view.data.ayil_aimaks if self.view.raion else None

    @property
    def with_raions(self) -> bool:
        """Drilled into an oblast: its raions and cities, shaded by the initiatives in view; or, as context for
        the whole country or an oblast, every raion shaded by poverty."""
        return self.view.data.raions is not None and bool(self.view.oblast or self.shade == "poverty")

    @property
    def poverty_shading(self) -> bool:
        return self.with_raions and self.shade == "poverty" and self.view.data.raions.indicators is not None

    @cached_property
    def raion_counts(self) -> pd.Series | None:
        """On the oblast's own scale: its busiest raion is the darkest."""
        if not self.with_raions:
            return None
        rows = self.map_rows
        in_oblast = rows[rows["oblast_code"] == self.view.oblast] if self.view.oblast else rows
        return in_oblast["raion_code"].value_counts()

    @cached_property
    def unit_counts(self) -> pd.Series | None:
        if self.units is None:
            return None
        rows = self.map_rows
        return rows.loc[rows["raion_code"] == self.view.raion, "ayil_aimak_code"].value_counts()

    @property
    def label_px(self) -> int:
        """Raion names, drilled (the whole country's 53 names would hide it)."""
        return (17 if self.view.present else 13) if self.view.oblast else 0

    @property
    def oblast_label_px(self) -> int:
        return 0 if self.view.oblast else 19 if self.view.present else 14

    @property
    def place_label_px(self) -> int:
        """A projector names a drilled oblast's places."""
        return 19 if self.view.present and self.view.oblast else 0

    @property
    def hint(self) -> str:
        """What a click on this map does, said above it."""
        units = self.units
        key = (f"map_hint_ayil_aimak{'_polygons' if units.drawn == 'polygons' else 's'}" if units is not None
               else "map_hint_raions" if self.with_raions and self.view.oblast else "map_hint")
        return self.view.t(key)

    @property
    def height(self) -> int:
        return PRESENT_HEIGHT if self.view.present else MAP_HEIGHT

    @property
    def key(self) -> str:
        """One map frame per drill-down level: a filter change swaps the data layer inside the same frame."""
        return map_widget_key(self.view.oblast, self.view.raion, self.view.ayil_aimak)

    def raion_shading(self) -> RaionShading | None:
        if not self.with_raions:
            return None
        view, layer = self.view, self.view.data.raions
        units = layer.units_in(view.oblast)
        poverty = layer.indicators["poverty_pct_2020"].to_dict() if self.poverty_shading else None
        return RaionShading(units, {c: layer.label(c, view.lang) for c in units["unit_code"]}, self.raion_counts,
                            view.raion, poverty, layer.lakes_in(view.oblast, view.lang))

    def ayil_aimak_marks(self) -> AyilAimakMarks | None:
        units, view = self.units, self.view
        if units is None:
            return None
        codes = units.codes_in(view.raion)
        return AyilAimakMarks(units.shapes_in(view.raion), {c: units.label(c, view.lang) for c in codes},
                              {c: view.t(f"aa_kind_{units.kind(c)}") for c in codes}, self.unit_counts,
                              units.drawn == "polygons", view.ayil_aimak)

    def context(self) -> dict:
        return geojson_dict(str(geodata_dir() / CONTEXT_FILE.name))

    def raion_bounds(self):
        """Drilled into an ayil aimak drawn as a polygon, its extent; else the raion's."""
        view, layer = self.view, self.view.data.raions
        if not view.raion or layer is None:
            return None
        unit = self.units.bounds_of(view.ayil_aimak) if self.units is not None and view.ayil_aimak else None
        if unit is not None:
            return unit
        return layer.units.loc[layer.units["unit_code"] == view.raion].total_bounds

    def mapped_places(self) -> pd.DataFrame:
        """Every place, but drilled into a raion only its oblast's: zoomed that far the other oblasts' grey circles
        are off the map, and they took the map data of a raion with its ayil aimaks over its budget (issue 28)."""
        places = self.view.data.records.locations
        return places[places["oblast_code"] == self.view.oblast] if self.view.raion else places

    def basemap(self):
        """Fresh folium objects each time (folium duplicates layers when one object is rendered twice);
        built only the first time a view is shown (see ui.map_frame)."""
        view = self.view
        return base_map(view.data.oblasts, self.context(), selected=view.oblast, lang=view.lang,
                        bounds=self.raion_bounds(), fill_frame=view.present)

    def initiatives_layer(self):
        view = self.view
        return data_layer(view.data.oblasts, self.mapped_places(), self.oblast_counts, self.location_counts,
                          selected=view.oblast, lang=view.lang, texts=self.texts, raions=self.raion_shading(),
                          label_px=self.label_px, oblast_label_px=self.oblast_label_px,
                          ayil_aimaks=self.ayil_aimak_marks(), place_label_px=self.place_label_px)

    @property
    def frame_digest(self) -> str:
        """What the basemap depends on (the language too: the frame's + and − are titled in it)."""
        view = self.view
        return digest(view.data.version, view.oblast, view.raion, view.ayil_aimak, view.present, view.lang)

    @cached_property
    def layer_digest(self) -> str:
        view = self.view
        return digest(view.data.version, view.oblast, view.raion, view.ayil_aimak, view.lang, self.shade,
                      self.label_px, self.oblast_label_px, self.place_label_px, tuple(self.oblast_counts.items()),
                      tuple(self.location_counts.items()),
                      () if self.raion_counts is None else tuple(self.raion_counts.items()),
                      () if self.unit_counts is None else tuple(self.unit_counts.items()))


def oblast_heading(view: View) -> tuple[str, str, str]:
    """The drilled place's names: (oblast, raion, "oblast › raion › ayil aimak")."""
    raions = view.data.raions
    units = view.data.ayil_aimaks if view.raion else None
    oblast_name = vocab.oblasts().label(view.oblast, view.lang) if view.oblast else ""
    raion_name = raions.label(view.raion, view.lang) if view.raion and raions is not None else ""
    unit_name = units.label(view.ayil_aimak, view.lang) if units is not None and view.ayil_aimak else ""
    return oblast_name, raion_name, " › ".join(part for part in (oblast_name, raion_name, unit_name) if part)


def way_back(view: View) -> tuple[str, Callable[[str], None], tuple[str]]:
    """The drilled view's way back one level (label, what it calls, with what): the page's button beside the
    drilled place's heading, and the preview's drawing of it."""
    oblast_name, raion_name, _ = oblast_heading(view)
    if view.ayil_aimak:
        return view.t("back_to_raion", raion=raion_name), choose_ayil_aimak, ("",)
    if view.raion:
        return view.t("back_to_oblast", oblast=oblast_name), choose_raion, ("",)
    return view.t("back_to_country"), choose_oblast, ("",)
