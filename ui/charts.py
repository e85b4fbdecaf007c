"""Plotly chart builders: plain functions from counts to figures, labelled in the chosen language."""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from initiatives import count_by, vocab
from ui.i18n import t

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
GRANT_COLOURS = {"cso": "#0072B2", "lsg": "#E69F00"}
VOCABULARIES = {"theme": vocab.themes, "oblast": vocab.oblasts, "target_group": vocab.target_groups}


def labelled_counts(table: pd.DataFrame, dimension: str, lang: str,
                    label: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Counts by `dimension` and grant type with readable labels; the data table behind a chart.

    `label` names a code where the dimension has no vocabulary (raions: the imported layer names them).
    """
    counts = count_by(table, dimension, split_by="grant_type")
    if label is None:
        voc = VOCABULARIES[dimension]()

        def label(code: str) -> str:
            return voc.label(code, lang)
    missing = t("raion_unplaced" if dimension == "raion" else "not_published", lang)
    grants = vocab.grant_types()
    return pd.DataFrame({
        t(dimension, lang): [label(c) if c else missing for c in counts[dimension]],
        t("grant_type", lang): [grants.label(g, lang) for g in counts["grant_type"]],
        t("axis_initiatives", lang): counts["initiatives"],
        "_code": counts[dimension], "_grant": counts["grant_type"],
    })


def grant_colours(lang: str) -> dict[str, str]:
    """Grant type label -> colour, CSO first: one order for every legend."""
    return {vocab.grant_types().label(code, lang): colour for code, colour in GRANT_COLOURS.items()}


def stacked_bar(data: pd.DataFrame, title: str, lang: str, large: bool = False) -> go.Figure:
    """Horizontal bars split by grant type, biggest at the top.

    Built as a figure spec, not with plotly.express: express takes ~55 ms a chart (a third of a rerun
    when many viewers each ask for a new view), this ~3 ms.
    """
    category, grant, value = data.columns[:3]
    order = data.groupby(category, sort=False)[value].sum().sort_values().index.tolist()
    colours = grant_colours(lang)
    rank = {name: i for i, name in enumerate(colours)}
    groups = sorted(data.groupby(grant, sort=False), key=lambda g: rank.get(g[0], len(rank)))  # CSO first, always
    traces = [{"type": "bar", "orientation": "h", "name": name, "x": part[value].tolist(),
               "y": part[category].tolist(), "marker": {"color": colours.get(name)},
               "hovertemplate": f"{category}: %{{y}}<br>{grant}: {name}<br>{value}: %{{x}}<extra></extra>"}
              for name, part in groups]
    layout = {
        "title": {"text": title}, "barmode": "stack", "height": max(320, 30 * len(order) + 140),
        "legend": {"title": {"text": ""}}, "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
        "font": {"size": 18 if large else 13},
        "yaxis": {"title": {"text": ""}, "categoryorder": "array", "categoryarray": order},
        "xaxis": {"title": {"text": t("axis_initiatives", lang)}, "dtick": 1 if data[value].max() <= 12 else None},
    }
    return go.Figure({"data": traces, "layout": layout})


def bars_html(data: pd.DataFrame, title: str, lang: str) -> str:
    """The stacked bars as a plain HTML table (one row per category, a bar per grant type, the numbers).

    For the landing page: no chart library to load (Plotly's 4.7 MB bundle held the map back by
    seconds on a cold start), readable by screen readers, and the table is the chart's data.
    Every label is escaped.
    """
    category, grant, value = data.columns[:3]
    colours = grant_colours(lang)
    names = list(colours)
    wide: dict[str, dict[str, int]] = {}  # category -> grant type -> initiatives (a few dozen rows: plain Python)
    for label, name, count in zip(data[category], data[grant], data[value], strict=True):
        per_grant = wide.setdefault(str(label), dict.fromkeys(names, 0))
        per_grant[name] = per_grant.get(name, 0) + int(count)
    ordered = sorted(wide.items(), key=lambda item: -sum(item[1].values()))  # stable: ties keep their order
    top = max((sum(counts.values()) for counts in wide.values()), default=0)
    head = "".join(f'<th scope="col" style="text-align:right;padding:0 .6em">{html.escape(n)}</th>' for n in names)
    rows = []
    for label, row in ordered:
        bar = "".join(
            f'<span style="display:inline-block;height:1.1em;vertical-align:middle;background:{colour};'
            f'width:{100 * row[name] / top:.2f}%" title="{html.escape(name)}: {row[name]}"></span>'
            for name, colour in colours.items() if top and row[name])
        cells = "".join(f'<td style="text-align:right;padding:0 .6em">{row[n]}</td>' for n in names)
        rows.append(f'<tr><th scope="row" style="text-align:right;font-weight:normal;padding:.15em .6em">'
                    f'{html.escape(str(label))}</th><td style="width:45%;white-space:nowrap">{bar}</td>{cells}</tr>')
    swatches = " ".join(f'<span style="display:inline-block;width:.9em;height:.9em;background:{colour};'
                        f'vertical-align:middle;margin:0 .3em 0 .8em"></span>{html.escape(name)}'
                        for name, colour in colours.items())
    return (f'<table style="width:100%;border-collapse:collapse;font-size:.95rem">'
            f'<caption style="text-align:left;font-weight:600;padding:.3em 0">{html.escape(title)}'
            f'<span style="font-weight:normal;font-size:.85rem">{swatches}</span></caption>'
            f'<thead><tr><th scope="col"></th><th scope="col"></th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


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
    """Sunburst oblast → location → initiative; with many rows, oblast → location → grant type."""
    oblasts = vocab.oblasts()
    grants = vocab.grant_types()
    grant_labels = table["grant_type"].map({g: grants.label(g, lang) for g in table["grant_type"].unique()})
    frame = pd.DataFrame({
        "oblast": table["oblast_code"].map({c: oblasts.label(c, lang) for c in table["oblast_code"].unique()}),
        "location": (table["place"] + " (" + table["location_id"] + ")").map(plain),
        "initiative": (table["id"] + " · " + grant_labels).map(plain),
        "n": 1,
    })
    if len(frame) > HIERARCHY_LEAVES:
        frame = (frame.assign(initiative=grant_labels.values)
                 .groupby(["oblast", "location", "initiative"], as_index=False)["n"].sum())
    fig = px.sunburst(frame, path=["oblast", "location", "initiative"], values="n",
                      title=t("chart_hierarchy", lang), color_discrete_sequence=px.colors.qualitative.Safe)
    fig.update_traces(hovertemplate="%{label}<br>%{value}<extra></extra>")
    fig.update_layout(height=560, margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig
