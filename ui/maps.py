"""The folium map: our own layers as the basemap, oblasts shaded by initiatives, one circle per location.

Every text that reaches the map's HTML (tooltips) goes through `map_text` here, once; the layers carry
no other text from a file than the codes they are styled and clicked by.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from initiatives import vocab
from initiatives.records import place_names
from ui.assets import MAP_SCRIPTS_URL, URL_PREFIX, OfflineMap, asset_text, map_scripts_text
from ui.i18n import t

KYRGYZSTAN_BOUNDS = [[39.15, 69.25], [43.3, 80.3]]
# ColorBrewer YlGnBu: sequential and colour-blind safe; grey for none.
SHADES = ("#f0f0f0", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
NEIGHBOUR_FILL = "#e6e6e6"  # also the map background, so the clipped neighbours have no visible edge
MARKER_OUTLINE = "#7a2e00"
APPROXIMATE_FILL = "#ffffff"
# Named on the map's attribution line, each by the layer drawn from it.
BOUNDARY_SOURCE = "Natural Earth"
RAION_SOURCE = "OCHA COD-AB"
POVERTY_SOURCE = "WFP PRISM"
MARKER_COLOUR = "#d95f02"  # orange: distinct from the blues for every common colour-vision type
SUMMARY_COLOUR = "#fdae6b"  # lighter orange: a circle standing for a whole oblast's places
OUTSIDE_COLOUR = "#9e9e9e"  # grey: a place beyond the drilled oblast, context only
APPROXIMATE = ("district", "oblast")
SPREAD_DEG = 0.12  # display-only spacing for locations that share one point
# Share of people below the poverty line: ColorBrewer Purples, apart from the initiatives' greens and orange.
POVERTY_SHADES = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
POVERTY_STEPS = (10.0, 20.0, 30.0, 40.0)  # % below the poverty line: the bins' upper edges
WATER = "#b3d3ec"
NO_FIGURE = "#ffffff"  # a city of oblast rank: the source gives no poverty figure
COORDINATE_DIGITS = 4  # ~10 m: finer than the layers' simplification, and a third less map data
# Above this many places in view, oblasts other than the chosen one show one summary circle each,
# so the map's payload grows with the places of one oblast, not with the whole programme.
MARKER_LIMIT = 60


# Map labels: dark text with a white halo, centred on their point, never catching a click.
LABEL_CSS = (".yj-label{pointer-events:none}.yj-label div{position:absolute;transform:translate(-50%,-50%);"
             "white-space:nowrap;line-height:1.15;font-weight:600;color:#111;"
             "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff}")


def map_text(text: str) -> str:
    """Text for the map's HTML: escaped, and with its braces as entities.

    Beyond HTML: branca compiles every rendered script again as a Jinja template, so a place named
    `{{ ... }}` would be run on the server (in the HTML export) and `{% ...` would break the map.
    """
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


def shade(count: int, top: int) -> str:
    """The fill for an oblast with `count` initiatives when the busiest has `top`."""
    if count <= 0 or top <= 0:
        return SHADES[0]
    return SHADES[1 + min(len(SHADES) - 2, math.floor((count / top) * (len(SHADES) - 1) - 1e-9))]


def oblast_features(oblasts: gpd.GeoDataFrame, counts: pd.Series, lang: str, label: str) -> dict:
    """Oblast polygons as GeoJSON with count and an escaped tooltip per feature."""
    names = vocab.oblasts()
    features = []
    for code, geometry in zip(oblasts["iso_code"], oblasts.geometry, strict=True):
        count = int(counts.get(code, 0))
        name = names.label(code, lang)
        features.append({
            "type": "Feature",
            "geometry": geometry.__geo_interface__,
            "properties": {"iso_code": code, "count": count,
                           "tooltip": f"<b>{map_text(name)}</b><br>{map_text(label)}: {count}"},
        })
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True)
class RaionShading:
    """The raions drawn inside a drilled oblast: what each is shaded and labelled with."""

    units: gpd.GeoDataFrame  # unit_code, geometry: the oblast's raions and cities
    names: dict[str, str]  # unit code -> name in the chosen language
    counts: pd.Series  # initiatives in view per unit code
    selected: str = ""  # the raion drilled into, if any
    poverty: dict[str, float] | None = None  # shade by this share (%) instead of by initiatives
    lakes: tuple[tuple[str, dict], ...] = ()  # (name in the chosen language, GeoJSON geometry)


def rounded(geometry: dict) -> dict:
    """A GeoJSON geometry with its coordinates cut to COORDINATE_DIGITS decimals."""
    def cut(value):
        return round(value, COORDINATE_DIGITS) if isinstance(value, float) else [cut(v) for v in value]
    return {"type": geometry["type"], "coordinates": cut(geometry["coordinates"])}


def poverty_shade(share: float | None) -> str:
    if share is None or math.isnan(share):
        return NO_FIGURE
    return POVERTY_SHADES[sum(share > edge for edge in POVERTY_STEPS)]


def raion_features(raions: RaionShading, texts: dict[str, str]) -> dict:
    """The oblast's raions as GeoJSON: count, fill and an escaped tooltip per unit."""
    top = int(raions.counts.max()) if len(raions.counts) else 0
    features = []
    for code, geometry in zip(raions.units["unit_code"], raions.units.geometry, strict=True):
        count = int(raions.counts.get(code, 0))
        tooltip = f"<b>{map_text(raions.names[code])}</b><br>{map_text(texts['initiatives'])}: {count}"
        if raions.poverty is not None:
            share = raions.poverty.get(code)
            fill = poverty_shade(share)
            figure = f"{share:.1f} %" if share is not None and not math.isnan(share) else "—"
            tooltip += f"<br>{map_text(texts['poverty'])}: {figure}"
        else:
            fill = shade(count, top)
        features.append({
            "type": "Feature", "geometry": rounded(geometry.__geo_interface__),
            "properties": {"raion_code": code, "count": count, "fill": fill, "selected": code == raions.selected,
                           "tooltip": tooltip},
        })
    return {"type": "FeatureCollection", "features": features}


def raion_style(feature: dict) -> dict:
    """A raion's shading; the one drilled into is lighter, so its ayil aimaks' names read over it."""
    props = feature["properties"]
    none = props["count"] == 0
    return {"fillColor": props["fill"], "fillOpacity": 0.35 if props["selected"] else 0.85,
            "color": "#111111" if props["selected"] else "#4d4d4d", "weight": 3.5 if props["selected"] else 1.2,
            "dashArray": "5 4" if none else None}


NOTICE_STYLE = "background:#fff;border:1px solid #555;border-radius:4px;padding:.4em .7em"


def label_layer(points: list[tuple[float, float, str]], size_px: int, style: str = "",
                rank: int = 0, beside: int = 0) -> folium.FeatureGroup:
    """Names on the map, centred on their points; they take no clicks, so the shapes under them do.

    Where two would overlap, the map shows the one of lower `rank` (then the one added first) and hides
    the other until a zoom makes room (static/map/leaflet-fixes.js). A label `beside` its point (a mark of
    about that radius in px) is set to its right, or its left, above or below, wherever it fits."""
    layer = folium.FeatureGroup(name="labels")
    placed = f"transform:translate({beside}px,-50%)" if beside else ""  # right of its mark, until the map places it
    for lat, lon, text in points:
        folium.Marker(
            [round(lat, COORDINATE_DIGITS), round(lon, COORDINATE_DIGITS)], interactive=False, keyboard=False,
            icon=folium.DivIcon(class_name="yj-label", icon_size=(0, 0),
                                html=f'<div data-rank="{rank}"{f" data-beside={beside}" if beside else ""} '
                                     f'style="font-size:{size_px}px;{style}{placed}">'
                                     f'{map_text(text)}</div>'),
        ).add_to(layer)
    return layer


def oblast_labels(oblasts: gpd.GeoDataFrame, counts: pd.Series, lang: str, size_px: int) -> folium.FeatureGroup:
    """Each oblast's name and count in the chosen language, at a point inside it; a city too small to
    hold its name (Bishkek, Osh city) is left to its tooltip."""
    names = vocab.oblasts()
    points = [(p.y, p.x, f"{names.label(code, lang)} · {int(counts.get(code, 0))}")
              for code, shape, p in zip(oblasts["iso_code"], oblasts.geometry,
                                        oblasts.geometry.representative_point(), strict=True)
              if shape.area >= MIN_LABELLED_AREA]
    return label_layer(points, size_px)


MIN_LABELLED_AREA = 0.1  # square degrees (~1,000 km² here): the oblasts, not Bishkek


def raion_labels(raions: RaionShading, size_px: int, rank: int = 0, skip: str = "") -> folium.FeatureGroup:
    """Each raion's name and count (but `skip`'s: drilled into it, its ayil aimaks are named instead), and
    the lakes'."""
    anchors = raions.units.geometry.representative_point()
    points = [(p.y, p.x, f"{raions.names[code]} · {int(raions.counts.get(code, 0))}")
              for code, p in zip(raions.units["unit_code"], anchors, strict=True) if code != skip]
    for name, shape in raions.lakes:
        point = shapely.geometry.shape(shape).representative_point()
        points.append((point.y, point.x, name))
    return label_layer(points, size_px, rank=rank)


@dataclass(frozen=True)
class AyilAimakMarks:
    """The drilled raion's ayil aimaks and towns: drawn as points (official centres) or imported polygons."""

    shapes: gpd.GeoDataFrame  # unit_code, geometry
    names: dict[str, str]  # unit code -> name in the chosen language
    kinds: dict[str, str]  # unit code -> its kind, in the chosen language
    counts: pd.Series  # initiatives in view per unit code
    polygons: bool = False
    selected: str = ""


AA_REACHED = "#111111"  # an ayil aimak with an initiative in view: a dark dot; one without, a hollow grey one
AA_NONE = "#8c8c8c"


def ayil_aimak_features(marks: AyilAimakMarks, texts: dict[str, str]) -> dict:
    """The units as GeoJSON: code, count and an escaped tooltip (name, kind, P-code, initiatives) each."""
    top = int(marks.counts.max()) if len(marks.counts) else 0
    features = []
    for code, geometry in zip(marks.shapes["unit_code"], marks.shapes.geometry, strict=True):
        count = int(marks.counts.get(code, 0))
        tooltip = (f"<b>{map_text(marks.names[code])}</b><br>{map_text(marks.kinds[code])} · {map_text(code)}"
                   f"<br>{map_text(texts['initiatives'])}: {count}")
        features.append({
            "type": "Feature", "geometry": rounded(geometry.__geo_interface__),
            "properties": {"aa_code": code, "count": count, "fill": shade(count, top),
                           "selected": code == marks.selected, "tooltip": tooltip},
        })
    return {"type": "FeatureCollection", "features": features}


def ayil_aimak_point_style(feature: dict) -> dict:
    props = feature["properties"]
    reached = props["count"] > 0
    return {"radius": 7 if props["selected"] else 5 if reached else 4, "fill": True, "fillOpacity": 1,
            "fillColor": AA_REACHED if reached else "#ffffff", "color": "#ffffff" if reached else AA_NONE,
            "weight": 1.5}


def ayil_aimak_layer(marks: AyilAimakMarks, texts: dict[str, str], size_px: int) -> folium.FeatureGroup:
    """The units, clickable (a click filters the view to one: ?aa=), and their names beside them, those with an
    initiative first and bold where names would overlap."""
    layer = folium.FeatureGroup(name="ayil aimaks")
    common = {"name": "ayil aimak units", "highlight_function": lambda f: {"weight": 3, "color": "#000000"},
              "tooltip": folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True)}
    if marks.polygons:
        folium.GeoJson(ayil_aimak_features(marks, texts), style_function=raion_style, **common).add_to(layer)
        anchors = marks.shapes.geometry.representative_point()
    else:
        folium.GeoJson(ayil_aimak_features(marks, texts), marker=folium.CircleMarker(radius=4),
                       style_function=ayil_aimak_point_style, **common).add_to(layer)
        anchors = marks.shapes.geometry
    for reached in (True, False):
        points = [(p.y, p.x, marks.names[code]) for code, p in zip(marks.shapes["unit_code"], anchors, strict=True)
                  if (marks.counts.get(code, 0) > 0) == reached]
        # Beside a point, not on it (a polygon's name in it): the dot and the location circles stay visible.
        label_layer(points, size_px if reached else size_px - 1, "" if reached else "font-weight:400;color:#333;",
                    rank=0 if reached else 1, beside=0 if marks.polygons else 8).add_to(layer)
    return layer


def spread_positions(locations: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Display positions: locations sharing one point are set around it so each stays clickable.

    Plain Python: a pandas groupby costs ~9 ms here, more than the rest of the layer.
    """
    sharing: dict[tuple[float, float], list[str]] = {}
    for lid, lat, lon in zip(locations["location_id"], locations["latitude"], locations["longitude"], strict=True):
        sharing.setdefault((lat, lon), []).append(lid)
    positions: dict[str, tuple[float, float]] = {}
    for (lat, lon), ids in sharing.items():
        for i, lid in enumerate(ids):
            if len(ids) == 1:
                positions[lid] = (lat, lon)
            else:
                angle = 2 * math.pi * i / len(ids)
                positions[lid] = (lat + SPREAD_DEG * math.sin(angle), lon + SPREAD_DEG * math.cos(angle))
    return positions


def location_features(locations: pd.DataFrame, counts: pd.Series, texts: dict[str, str],
                      selected: str = "", lang: str = "ky") -> list[dict]:
    """One point per location with at least one initiative in view, named in `lang`; tooltips escaped.
    Drilled into an oblast, the places of other oblasts are marked `outside` (drawn grey; a click goes to
    their oblast)."""
    positions = spread_positions(locations)
    names = dict(zip(locations["location_id"], place_names(locations, lang), strict=True))
    features = []
    for loc in locations.itertuples():
        count = int(counts.get(loc.location_id, 0))
        if count == 0:
            continue
        lat, lon = positions[loc.location_id]
        approximate = loc.location_precision in APPROXIMATE
        tooltip = (f"<b>{map_text(names[loc.location_id])}</b><br>"
                   f"{map_text(texts['initiatives'])}: {count}")
        if approximate:
            tooltip += f"<br><i>{map_text(texts['approximate'])}</i>"
        outside = bool(selected) and loc.oblast_code != selected
        if outside:
            tooltip += f"<br><i>{map_text(texts.get('other_oblast', ''))}</i>"
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"location_id": loc.location_id, "count": count, "approximate": approximate,
                           "outside": outside, "tooltip": tooltip},
        })
    return features


def location_popups(rows: pd.DataFrame, lang: str, not_listed: str) -> dict[str, str]:
    """Per location, its name and its initiatives in view as popup HTML for the standalone map: id and grant
    type, grantee and title in `lang` (the Kyrgyz original where there is no translation); every text escaped."""
    grants = vocab.grant_types()
    names = dict(zip(rows["location_id"], place_names(rows, lang), strict=True)) if len(rows) else {}
    popups: dict[str, list[str]] = {}
    for row in rows.itertuples():
        head = f"<b>{map_text(row.id)}</b> · {map_text(grants.label(row.grant_type, lang))}"
        if row.source_status == "not_published":
            body = f"<i>{map_text(not_listed)}</i>"
        else:
            title = getattr(row, f"title_{lang}", "") or row.title_ky
            body = f"{map_text(row.grantee)}<br>{map_text(title)}"
        popups.setdefault(row.location_id, []).append(f"<p style='margin:.3em 0'>{head}<br>{body}</p>")
    return {lid: f"<div style='max-width:320px;max-height:260px;overflow:auto'>"
                 f"<div style='font-size:15px;font-weight:700'>{map_text(names[lid])}</div>{''.join(parts)}</div>"
            for lid, parts in popups.items()}


# The standalone map's page: its panel above the map, not over it (at 1366x768 a panel over the map covered
# Batken); the map takes the rest of the window, its size known before Leaflet fits the view into it.
STANDALONE_LAYOUT = ("<style>html,body{height:100%;margin:0}body{display:flex;flex-direction:column}"
                     ".folium-map{flex:1 1 auto;height:auto !important;min-height:0}"
                     ".yj-panel{order:-1;flex:none}</style>")


def standalone_panel(title: str, summary: str, legend: str, source: str) -> str:
    """The standalone map's own heading: what it shows, for which view, its legend and its sources, above the
    map (STANDALONE_LAYOUT). `legend` is legend_html's (escaped); the rest is escaped here. Braces as entities
    (see map_text)."""
    panel = (f'<div class="yj-panel" style="background:#fff;padding:.5em .8em;font:14px sans-serif;'
             f'border-bottom:1px solid #999">'
             f'<div style="font-size:18px;font-weight:700">{html.escape(title)}</div>'
             f'<div>{html.escape(summary)}</div>{legend}'
             f'<div style="font-size:12px;color:#444">{html.escape(source)}</div></div>')
    return STANDALONE_LAYOUT + panel.replace("{", "&#123;").replace("}", "&#125;")


def oblast_summary_features(oblasts: gpd.GeoDataFrame, locations: pd.DataFrame, counts: pd.Series,
                            lang: str, texts: dict[str, str]) -> list[dict]:
    """One circle per oblast standing for all its places; clicking it drills into the oblast."""
    names = vocab.oblasts()
    in_view = locations.assign(count=locations["location_id"].map(counts).fillna(0).astype(int))
    in_view = in_view[in_view["count"] > 0]
    per_oblast = in_view.groupby("oblast_code").agg(places=("location_id", "size"), count=("count", "sum"))
    anchors = dict(zip(oblasts["iso_code"], oblasts.geometry.representative_point(), strict=True))
    features = []
    for code, row in per_oblast.iterrows():
        if code not in anchors:
            continue
        point = anchors[code]
        tooltip = (f"<b>{map_text(names.label(code, lang))}</b><br>"
                   f"{map_text(texts['initiatives'])}: {int(row['count'])}<br>"
                   f"{map_text(texts['places'])}: {int(row['places'])}<br>"
                   f"<i>{map_text(texts['click_to_open'])}</i>")
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(point.x, 4), round(point.y, 4)]},
            "properties": {"iso_code": code, "count": int(row["count"]), "places": int(row["places"]),
                           "summary": True, "approximate": False, "tooltip": tooltip},
        })
    return features


def marker_features(oblasts: gpd.GeoDataFrame, locations: pd.DataFrame, counts: pd.Series, *,
                    selected: str, lang: str, texts: dict[str, str]) -> dict:
    """Every place when there are few; otherwise the chosen oblast's places and a circle per other oblast."""
    shown = locations[locations["location_id"].map(counts).fillna(0) > 0]
    if len(shown) <= MARKER_LIMIT:
        return {"type": "FeatureCollection", "features": location_features(shown, counts, texts, selected, lang)}
    open_oblast = shown[shown["oblast_code"] == selected]
    closed = shown[shown["oblast_code"] != selected]
    return {"type": "FeatureCollection",
            "features": oblast_summary_features(oblasts, closed, counts, lang, texts)
            + location_features(open_oblast, counts, texts, selected, lang)}


class ZoomButtons(MacroElement):
    """Leaflet's + and − with their titles in the reader's language (Leaflet's own say "Zoom in")."""

    _template = Template("""{% macro script(this, kwargs) %}
        L.control.zoom({{ this.titles|tojson }}).addTo({{ this._parent.get_name() }});
    {% endmacro %}""")

    def __init__(self, zoom_in: str, zoom_out: str) -> None:
        super().__init__()
        self._name = "ZoomButtons"
        self.titles = {"zoomInTitle": zoom_in, "zoomOutTitle": zoom_out}


def base_map(oblasts: gpd.GeoDataFrame, context: dict, *, selected: str, lang: str,
             bounds=None, fill_frame: bool = False) -> folium.Map:
    """What does not change with the filters: our basemap layers and the view (country or oblast).

    streamlit-folium keys the map frame on this part's script, so a filter change keeps the frame
    and only swaps the data layer; choosing an oblast rebuilds the frame, zoomed to it.
    """
    fmap = OfflineMap(location=[41.4, 74.7], zoom_start=6, tiles=None, min_zoom=5, max_zoom=12,
                      control_scale=True, prefer_canvas=False, zoom_snap=0.25, zoom_delta=0.5, zoom_control=False)
    ZoomButtons(t("zoom_in", lang), t("zoom_out", lang)).add_to(fmap)
    fmap.get_root().header.add_child(folium.Element(
        f"<style>.leaflet-container{{background:{NEIGHBOUR_FILL};font-family:sans-serif}}{LABEL_CSS}"
        # On a projector the map fills its frame, whose height the page sets from the screen's.
        + ("#map_div{height:100vh !important}" if fill_frame else "") + "</style>"))
    # Only geometry and what the style reads reach the script: layer files may carry any text.
    context = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": f["geometry"],
         "properties": {"country": f["properties"].get("role") == "country"}} for f in context["features"]]}
    folium.GeoJson(
        context, name="context", interactive=False, attribution=BOUNDARY_SOURCE,
        style_function=lambda f: {"fillColor": "#ffffff" if f["properties"]["country"] else NEIGHBOUR_FILL,
                                  "color": "#9a9a9a", "weight": 1, "fillOpacity": 1},
    ).add_to(fmap)
    if bounds is not None:  # a raion drilled into: (minx, miny, maxx, maxy)
        minx, miny, maxx, maxy = bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding=(24, 24))
    elif selected and selected in set(oblasts["iso_code"]):
        minx, miny, maxx, maxy = oblasts.loc[oblasts["iso_code"] == selected].total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding=(12, 12))
    else:
        fmap.fit_bounds(KYRGYZSTAN_BOUNDS)
    return fmap


def data_layer(oblasts: gpd.GeoDataFrame, locations: pd.DataFrame, oblast_counts: pd.Series,
               location_counts: pd.Series, *, selected: str, lang: str, texts: dict[str, str],
               raions: RaionShading | None = None, label_px: int = 13,
               oblast_label_px: int = 0, popups: dict[str, str] | None = None,
               ayil_aimaks: AyilAimakMarks | None = None, place_label_px: int = 0) -> folium.FeatureGroup:
    """What the filters change: oblasts shaded by initiatives, the drilled oblast's raions, the drilled raion's
    ayil aimaks, the location circles on top, with tooltips; with `place_label_px` (a projector, drilled), the
    drilled oblast's places named beside their circles, before the raions where names would overlap."""
    layer = folium.FeatureGroup(name="initiatives")
    top = int(oblast_counts.max()) if len(oblast_counts) else 0

    def oblast_style(feature: dict) -> dict:
        props = feature["properties"]
        chosen = props["iso_code"] == selected
        dimmed = bool(selected) and not chosen
        # Under its raions the chosen oblast is only an outline: the two layers' borders differ a little.
        opacity = 0.0 if raions is not None and (chosen or not selected) else 0.35 if dimmed else 0.8
        return {"fillColor": shade(props["count"], top), "fillOpacity": opacity,
                "color": "#111111" if chosen else "#555555", "weight": 3 if chosen else 1}

    folium.GeoJson(
        oblast_features(oblasts, oblast_counts, lang, texts["initiatives"]), name="oblasts",
        style_function=oblast_style,
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
    ).add_to(layer)
    if raions is not None and len(raions.units):
        folium.GeoJson(
            raion_features(raions, texts), name="raions", style_function=raion_style,
            attribution=RAION_SOURCE + (f", {POVERTY_SOURCE}" if raions.poverty is not None else ""),
            highlight_function=lambda f: {"weight": 3, "color": "#000000"},
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        ).add_to(layer)
        if raions.lakes:
            folium.GeoJson(
                {"type": "FeatureCollection", "features": [
                    {"type": "Feature", "geometry": rounded(shape), "properties": {}} for _, shape in raions.lakes]},
                name="lakes", interactive=False,
                style_function=lambda f: {"fillColor": WATER, "fillOpacity": 1, "color": "#6a9fc9", "weight": 1},
            ).add_to(layer)
        if label_px:
            raion_labels(raions, label_px, rank=2 if ayil_aimaks or place_label_px else 0,
                         skip=raions.selected if ayil_aimaks else "").add_to(layer)
    if ayil_aimaks is not None and len(ayil_aimaks.shapes):
        ayil_aimak_layer(ayil_aimaks, texts, max(label_px - 1, 11)).add_to(layer)
    if oblast_label_px and not selected:
        oblast_labels(oblasts, oblast_counts, lang, oblast_label_px).add_to(layer)
    markers = marker_features(oblasts, locations, location_counts, selected=selected, lang=lang, texts=texts)
    if markers["features"]:  # folium refuses a tooltip field on an empty collection
        popup = None
        if popups is not None:  # the standalone map: its circles open their initiatives
            for feature in markers["features"]:
                feature["properties"]["popup"] = popups.get(feature["properties"].get("location_id", ""), "")
            popup = folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=340)
        folium.GeoJson(
            markers, name="locations", marker=folium.CircleMarker(radius=8), style_function=marker_style,
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True), popup=popup,
        ).add_to(layer)
        if place_label_px:
            names = dict(zip(locations["location_id"], place_names(locations, lang), strict=True))
            own = [f for f in markers["features"]
                   if "location_id" in f["properties"] and not f["properties"]["outside"]]
            points = [(f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0],
                       names[f["properties"]["location_id"]]) for f in own]
            label_layer(points, place_label_px, rank=0, beside=14).add_to(layer)
    elif texts.get("nothing"):  # an empty map says why, where the eye is
        chosen = oblasts.loc[oblasts["iso_code"] == selected].geometry
        point = chosen.iloc[0].representative_point() if len(chosen) else shapely.Point(74.7, 41.4)
        label_layer([(point.y, point.x, texts["nothing"])], 16, NOTICE_STYLE).add_to(layer)
    return layer


def build_map(oblasts: gpd.GeoDataFrame, context: dict, locations: pd.DataFrame,
              oblast_counts: pd.Series, location_counts: pd.Series, *, selected: str, lang: str,
              texts: dict[str, str], ayil_aimaks: AyilAimakMarks | None = None,
              raions: RaionShading | None = None, bounds=None, label_px: int = 13,
              oblast_label_px: int = 0, popups: dict[str, str] | None = None, panel: str = "") -> folium.Map:
    """The whole map in one piece, for the standalone HTML export: base_map's and data_layer's arguments,
    with popups on the circles and a panel (standalone_panel) naming what it shows."""
    fmap = base_map(oblasts, context, selected=selected, lang=lang, bounds=bounds)
    data_layer(oblasts, locations, oblast_counts, location_counts, selected=selected, lang=lang,
               texts=texts, raions=raions, label_px=label_px, oblast_label_px=oblast_label_px,
               popups=popups, ayil_aimaks=ayil_aimaks).add_to(fmap)
    if panel:
        fmap.get_root().html.add_child(folium.Element(panel))
    return fmap


def marker_radius(count: int, summary: bool) -> float:
    """Area grows with initiatives; capped so thousands stay on the map."""
    radius = (6 + 2.5 * math.sqrt(count)) if not summary else (12 + 1.5 * math.sqrt(count))
    return min(radius, 34.0)


def marker_style(feature: dict) -> dict:
    props = feature["properties"]
    summary = props.get("summary", False)
    outside = props.get("outside", False)
    # An approximate position is hollow (white, dashed outline): it reads the same over every shade,
    # so the legend can show it as it is drawn.
    approximate = props["approximate"]
    fill = OUTSIDE_COLOUR if outside else SUMMARY_COLOUR if summary else APPROXIMATE_FILL if approximate \
        else MARKER_COLOUR
    outline = "#555555" if outside else MARKER_COLOUR if approximate else MARKER_OUTLINE
    return {"radius": marker_radius(props["count"], summary), "fill": True, "fillColor": fill, "color": outline,
            "weight": 2.5 if summary or approximate else 1.5, "fillOpacity": 0.9,
            "dashArray": "4 3" if approximate else None}


def summarised(counts: pd.Series) -> bool:
    """Whether the map stands oblasts' places in for summary circles (see MARKER_LIMIT), given the
    initiatives per location in view."""
    return int((counts > 0).sum()) > MARKER_LIMIT


# A legend's fill swatch and its text (escaped by the caller).
LEGEND_SWATCH = ('<span style="display:inline-block;width:1.4em;height:1em;background:{};border:1px solid #555;'
                 'vertical-align:middle;margin:0 .3em 0 .8em"></span>{}')


def legend_html(top: int, title: str, located: str, approximate: str, summary: str = "", outside: str = "") -> str:
    """Swatches for the oblast shading and the marker styles, drawn as the map draws them; texts escaped."""
    steps = len(SHADES) - 1
    parts = [LEGEND_SWATCH.format(SHADES[0], 0)]
    for i in range(1, steps + 1):
        low = math.floor((i - 1) * top / steps) + 1
        high = math.floor(i * top / steps)
        if top and high >= low:
            parts.append(LEGEND_SWATCH.format(SHADES[i], f"{low}–{high}" if high > low else high))
    circle = ('<span style="display:inline-block;width:1em;height:1em;border-radius:50%;margin:0 .3em 0 .8em;'
              'vertical-align:middle;background:{};border:2px {} {}"></span>{}')
    parts.append(circle.format(MARKER_COLOUR, "solid", MARKER_OUTLINE, html.escape(located)))
    parts.append(circle.format(APPROXIMATE_FILL, "dashed", MARKER_COLOUR, html.escape(approximate)))
    if summary:
        parts.append(circle.format(SUMMARY_COLOUR, "solid", MARKER_OUTLINE, html.escape(summary)))
    if outside:
        parts.append(circle.format(OUTSIDE_COLOUR, "solid", "#555555", html.escape(outside)))
    return f'<div class="yj-legend" style="font-size:.9rem"><b>{html.escape(title)}</b>{"".join(parts)}</div>'


def inlined_assets() -> dict[str, tuple[str, str]]:
    """The map's asset links and what stands in for each in a page that needs no request for them:
    url -> (tag, its text)."""
    return {MAP_SCRIPTS_URL: ("script", map_scripts_text()),
            f"{URL_PREFIX}/leaflet/leaflet.css": ("style", asset_text("leaflet/leaflet.css"))}


def standalone_html(fmap: folium.Map) -> str:
    """The map as one HTML file with Leaflet and jQuery inlined: opens with no server and no internet."""
    page = fmap.get_root().render()
    for url, (tag, text) in inlined_assets().items():
        pattern = (rf'<script src="{re.escape(url)}"></script>' if tag == "script"
                   else rf'<link rel="stylesheet" href="{re.escape(url)}"/>')
        page, found = re.subn(pattern, lambda _m, tag=tag, text=text: f"<{tag}>{text}</{tag}>", page)
        if not found:
            raise ValueError(f"standalone export: the map no longer links {url}")
    return page


def poverty_legend_html(title: str, no_figure: str, source: str, no_initiative: str) -> str:
    """Swatches for the poverty shading, its bins in %, the outline of a raion with no initiative in view,
    and where the figures come from; texts escaped."""
    edges = (0.0, *POVERTY_STEPS)
    bins = [f"{low:g}–{high:g} %" for low, high in zip(edges, edges[1:], strict=False)] + [f"> {edges[-1]:g} %"]
    parts = [LEGEND_SWATCH.format(colour, text) for colour, text in zip(POVERTY_SHADES, bins, strict=True)]
    parts.append(LEGEND_SWATCH.format(NO_FIGURE, html.escape(no_figure)))
    parts.append('<span style="display:inline-block;width:1.4em;height:1em;border:2px dashed #4d4d4d;'
                 f'vertical-align:middle;margin:0 .3em 0 .8em"></span>{html.escape(no_initiative)}')
    return (f'<div class="yj-legend" style="font-size:.9rem"><b>{html.escape(title)}</b>{"".join(parts)}'
            f'<br><small>{html.escape(source)}</small></div>')


def ayil_aimak_legend_html(polygons: bool, title: str, reached: str, none: str) -> str:
    """What the drilled raion's ayil aimaks are drawn as, in the map's own marks; texts escaped. `title` says
    which of the two is drawn: official centres (points) or an imported boundary layer (polygons)."""
    if polygons:
        parts = [LEGEND_SWATCH.format(SHADES[3], html.escape(reached)),
                 '<span style="display:inline-block;width:1.4em;height:1em;border:2px dashed #4d4d4d;'
                 f'vertical-align:middle;margin:0 .3em 0 .8em"></span>{html.escape(none)}']
    else:
        dot = ('<span style="display:inline-block;width:.7em;height:.7em;border-radius:50%;margin:0 .3em 0 .8em;'
               'vertical-align:middle;background:{};border:1.5px solid {}"></span>{}')
        parts = [dot.format(AA_REACHED, AA_REACHED, html.escape(reached)),
                 dot.format("#ffffff", AA_NONE, html.escape(none))]
    return f'<div class="yj-legend" style="font-size:.9rem"><b>{html.escape(title)}</b>{"".join(parts)}</div>'
