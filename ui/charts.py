"""Plotly chart builders: plain functions from counts to figures, labelled in the chosen language."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from initiatives import count_by, vocab
from initiatives.records import place_names
from ui.i18n import t

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
GRANT_COLOURS = {"cso": "#0072B2", "lsg": "#E69F00"}
VOCABULARIES = {"theme": vocab.themes, "oblast": vocab.oblasts, "target_group": vocab.target_groups,
                "grant_type": vocab.grant_types}


def labelled_counts(table: pd.DataFrame, dimension: str, lang: str,
                    label: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Counts by `dimension` and grant type with readable labels; the data table behind a chart.

    `label` names a code where the dimension has no vocabulary (raions: the imported layer names them).
    """
    if dimension == "grant_type":  # one bar per grant type, in its own colour
        counts = count_by(table, "grant_type")
        counts = counts.assign(grant_type_split=counts["grant_type"])
        split = "grant_type_split"
    else:
        counts = count_by(table, dimension, split_by="grant_type")
        split = "grant_type"
    if label is None:
        voc = VOCABULARIES[dimension]()

        def label(code: str) -> str:
            return voc.label(code, lang)
    missing = t("raion_unplaced" if dimension == "raion" else "not_published", lang)
    grants = vocab.grant_types()
    return pd.DataFrame({
        t(dimension, lang): [label(c) if c else missing for c in counts[dimension]],
        t("grant_type", lang) + (" " if dimension == "grant_type" else ""):  # two columns cannot share a name
            [grants.label(g, lang) for g in counts[split]],
        t("axis_initiatives", lang): counts["initiatives"],
        "_code": counts[dimension], "_grant": counts[split],
    })


def published(data: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """`labelled_counts` split into the bars (values the source gives) and, per grant type, the
    initiatives it gives none for: the 25 LSG grants have no published theme, and are not a theme."""
    known = data["_code"] != ""
    missing = data.loc[~known].groupby("_grant", sort=False)[data.columns[2]].sum()
    return data.loc[known].reset_index(drop=True), {str(g): int(n) for g, n in missing.items()}


def unpublished_note(missing: dict[str, int], dimension: str, lang: str) -> str:
    """One plain line for what `published` left out ("Theme not published in the source: 25 LSG small
    grants"), or "" when nothing was."""
    if not missing:
        return ""
    grants = vocab.grant_types()
    parts = [f"{grants.label(g, lang)}: {missing[g]}" for g in GRANT_COLOURS if missing.get(g)]
    parts += [f"{g}: {n}" for g, n in missing.items() if g not in GRANT_COLOURS]
    return t(f"unpublished_{dimension}", lang, counts=", ".join(parts))


def grant_colours(lang: str) -> dict[str, str]:
    """Grant type label -> colour, CSO first: one order for every legend."""
    return {vocab.grant_types().label(code, lang): colour for code, colour in GRANT_COLOURS.items()}


# Each category's label sits on its own line above its bar, with the bar's total, as on the map page's bars: at
# a phone's 360 px a label beside its bar left the bar 1-2 px (issue 31). The plot is drawn in margins fixed
# here, so Plotly never grows them and draws a chart twice (issue 15): nothing is drawn beside the plot.
WRAP_CHARS = 32  # a longer label takes two lines, broken at a space: 50 characters of Russian fill a phone
ROW_PX = {1: 46, 2: 62}  # a category's height by its label's lines: the label and a bar of 20 px or more
BAR_PX = 20
MARGINS = {"l": 8, "r": 16, "b": 56}
LABEL_COLOUR = "#31333f"  # Streamlit's text colour: Plotly's theme drew the labels a pale grey
TITLE_PX = 46  # above the plot: the title; and the legend's row, when there are two grant types
TITLE_CHARS, TITLE_LINE_PX = 34, 22
LEGEND_PX = 28


def wrapped(label: str, width: int = WRAP_CHARS) -> list[str]:
    """A label as one line, or two broken at the space nearest its middle when it is longer than `width`."""
    if len(label) <= width or " " not in label:
        return [label]
    middle = len(label) / 2
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - middle))
    return [label[:cut], label[cut + 1:]]


def stacked_bar(data: pd.DataFrame, title: str, lang: str, large: bool = False) -> go.Figure:
    """Horizontal bars split by grant type, biggest at the top, each labelled above with its total.

    Built as a figure spec, not with plotly.express: express takes ~55 ms a chart (a third of a rerun
    when many viewers each ask for a new view), this ~3 ms.
    """
    category, grant, value = data.columns[:3]
    # Plotly reads a subset of HTML in every label: a raion named <a href=…> from an imported file became a
    # live link, a <span style=font-size:90px> a 90 px label. Every label is escaped (plain).
    totals = data.groupby(category, sort=False)[value].sum().sort_values()
    order = [plain(str(c)) for c in totals.index]
    colours = grant_colours(lang)
    rank = {name: i for i, name in enumerate(colours)}
    groups = sorted(data.groupby(grant, sort=False), key=lambda g: rank.get(g[0], len(rank)))  # CSO first, always
    # customdata carries each bar's code: a click on it (st.plotly_chart's on_select) says what was chosen.
    traces = [{"type": "bar", "orientation": "h", "name": plain(name), "x": part[value].tolist(),
               "y": [plain(str(c)) for c in part[category]], "marker": {"color": colours.get(name)},
               "customdata": part["_code"].tolist() if "_code" in part else None,
               "hovertemplate": f"{category}: %{{y}}<br>{grant}: {name}<br>{value}: %{{x}}<extra></extra>"}
              for name, part in groups]
    lines = {c: wrapped(str(c)) for c in totals.index}
    row = ROW_PX[max((len(v) for v in lines.values()), default=1)] + (12 if large else 0)
    font = 18 if large else 13
    legend = len(groups) > 1
    heading = wrapped(title, TITLE_CHARS)  # a phone's width holds about 34 characters of a title
    top = TITLE_PX + TITLE_LINE_PX * (len(heading) - 1) + (LEGEND_PX if legend else 0) + (10 if large else 0)
    # Each label just above its bar, left-aligned with the axis: the bar is centred in its row of `row` px.
    labels = [{"x": 0, "y": plain(str(c)), "xref": "x", "yref": "y", "xanchor": "left", "yanchor": "bottom",
               "yshift": BAR_PX / 2 + 1, "showarrow": False, "align": "left",
               "font": {"size": font, "color": LABEL_COLOUR},
               "text": "<br>".join(plain(part) for part in lines[c]) + f" · <b>{int(n)}</b>"}
              for c, n in totals.items()]
    layout = {
        "title": {"text": "<br>".join(plain(line) for line in heading), "y": 1,
                  "yanchor": "top", "yref": "container", "pad": {"t": 12}},
        "barmode": "stack", "bargap": 1 - BAR_PX / row,
        "height": row * len(order) + top + MARGINS["b"],
        "showlegend": legend,
        "legend": {"title": {"text": ""}, "traceorder": "normal", "orientation": "h", "x": 0, "xanchor": "left",
                   "y": 1, "yanchor": "bottom"},
        "margin": {**MARGINS, "t": top},
        "font": {"size": font},
        "annotations": labels,
        "yaxis": {"title": {"text": ""}, "categoryorder": "array", "categoryarray": order, "showticklabels": False,
                  "automargin": False},
        # "allow": Plotly otherwise measures every number on the axis to hide any that overflows the chart.
        "xaxis": {"title": {"text": t("axis_initiatives", lang)}, "dtick": 1 if data[value].max() <= 12 else None,
                  "ticklabeloverflow": "allow", "automargin": False},
    }
    return go.Figure({"data": traces, "layout": layout})


@dataclass(frozen=True)
class Bar:
    """One category of a bar list: its code, label, initiatives per grant type label, and total."""

    code: str
    label: str
    per_grant: dict[str, int]
    total: int


def bar_list(data: pd.DataFrame, lang: str) -> list[Bar]:
    """`labelled_counts` (published values only) as one Bar per category, biggest first."""
    category, grant, value = data.columns[:3]
    names = list(grant_colours(lang))
    bars: dict[str, Bar] = {}  # a few dozen rows: plain Python
    for code, label, name, count in zip(data["_code"], data[category], data[grant], data[value], strict=True):
        bar = bars.setdefault(str(code), Bar(str(code), str(label), dict.fromkeys(names, 0), 0))
        bar.per_grant[name] = bar.per_grant.get(name, 0) + int(count)
    ordered = [replace(b, total=sum(b.per_grant.values())) for b in bars.values()]
    return sorted(ordered, key=lambda b: -b.total)  # stable: ties keep their order


def bar_background(bar: Bar, top: int, lang: str) -> str:
    """A CSS background drawing the bar's grant-type parts, widths on the scale of the biggest (`top`)."""
    stops, start = [], 0.0
    for name, colour in grant_colours(lang).items():
        width = 100 * bar.per_grant.get(name, 0) / top if top else 0
        if width:
            stops.append(f"{colour} {start:.2f}% {start + width:.2f}%")
            start += width
    stops.append(f"transparent {start:.2f}%")
    return f"linear-gradient(to right, {', '.join(stops)})"


def table_html(table: pd.DataFrame) -> str:
    """A chart's data as an escaped HTML table: st.table renders cells as Markdown, and labels are data."""
    cell = 'style="text-align:{};padding:.15em .6em;border-bottom:1px solid #ddd"'
    align = ["right" if pd.api.types.is_numeric_dtype(table[c]) else "left" for c in table.columns]  # numbers right
    head = "".join(f'<th scope="col" {cell.format(a)}>{html.escape(str(c))}</th>' for c, a in zip(table.columns, align,
                                                                                               strict=True))
    rows = "".join(
        f'<tr><th scope="row" {cell.format("left")}>{html.escape(str(label))}</th>'
        + "".join(f'<td {cell.format(a)}>{html.escape(str(v))}</td>' for v, a in zip(values, align, strict=True))
        + "</tr>"
        for label, values in zip(table.index, table.itertuples(index=False), strict=True))
    return (f'<table style="border-collapse:collapse;font-size:.95rem"><thead><tr>'
            f'<th scope="col" {cell.format("left")}>{html.escape(str(table.index.name or ""))}</th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def plain(text: str) -> str:
    """Record text for a Plotly label: Plotly reads a subset of HTML in labels, so escape it."""
    return html.escape(text, quote=False)


HIERARCHY_LEAVES = 300  # above this, the outer ring counts grant types per place, not single initiatives


def hierarchy(table: pd.DataFrame, lang: str) -> go.Figure:
    """Sunburst oblast → location → initiative; with many rows, oblast → location → grant type.

    Each segment's id is its path of codes ("KG-O", "KG-O/L07", "KG-O/L07/CSO-3"), so a click on it
    (st.plotly_chart's on_select) says where to drill. An initiative's segment shows its id alone and
    its grant type on hover: with the grant type written in, that text shrank to 3.5-5 px in Russian and Kyrgyz.
    """
    oblasts = vocab.oblasts()
    grants = vocab.grant_types()
    grant_labels = table["grant_type"].map({g: grants.label(g, lang) for g in table["grant_type"].unique()})
    place = table["oblast_code"] + "/" + table["location_id"]
    leaves = pd.DataFrame({"id": place + "/" + table["id"], "parent": place,
                           "label": (table["id"] + " · " + grant_labels).map(plain), "text": table["id"].map(plain),
                           "n": 1})
    if len(leaves) > HIERARCHY_LEAVES:
        leaves = (pd.DataFrame({"id": place + "/" + table["grant_type"], "parent": place,
                                "label": grant_labels.map(plain), "n": 1})
                  .groupby(["id", "parent", "label"], as_index=False, sort=False)["n"].sum())
        leaves["text"] = leaves["label"]
    places = (pd.DataFrame({"id": place, "parent": table["oblast_code"],
                            "label": (place_names(table, lang) + " (" + table["location_id"] + ")").map(plain), "n": 1})
              .groupby(["id", "parent", "label"], as_index=False, sort=False)["n"].sum())
    regions = (pd.DataFrame({"id": table["oblast_code"], "parent": "", "n": 1})
               .groupby(["id", "parent"], as_index=False, sort=False)["n"].sum())
    regions["label"] = regions["id"].map(lambda c: plain(oblasts.label(c, lang)))
    frame = pd.concat([regions, places, leaves], ignore_index=True)
    text = frame["text"].fillna(frame["label"])  # oblasts and places show their label
    fig = go.Figure(go.Sunburst(
        ids=frame["id"], parents=frame["parent"], labels=frame["label"], text=text, textinfo="text",
        values=frame["n"], branchvalues="total", hovertemplate="%{label}<br>%{value}<extra></extra>"))
    fig.update_layout(title=t("chart_hierarchy", lang), height=560, margin={"l": 10, "r": 10, "t": 60, "b": 10},
                      sunburstcolorway=qualitative.Safe)
    return fig
