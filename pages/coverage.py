"""Coverage and need: each raion's people and poverty beside the initiatives in view (only with a raion layer)."""

from functools import partial

import pandas as pd
import streamlit as st

from geodata.ayil_aimaks import raion_units_table, reached_per_oblast, reached_per_raion
from geodata.coverage import coverage_table, unplaced_initiatives
from initiatives import export, vocab
from ui.data import digest
from ui.downloads import deferred
from ui.state import current_view
from ui.widgets import numbers_row

view = current_view()
raions = view.data.raions
st.title(view.t("page_coverage"))
st.caption(view.t("coverage_intro"))
counts = view.rows["location_id"].value_counts()
table = coverage_table(raions.units, raions.indicators, list(raions.join), counts, raions.oblast_of)
if view.oblast:
    table = table[table["oblast_code"] == view.oblast]
units = view.data.ayil_aimaks
reach = None
if units is not None:  # ayil aimaks and towns with an initiative in view, of those each raion has
    reached_codes = set(view.rows["ayil_aimak_code"]) - {""}
    reach = reached_per_raion(units, list(table["raion_pcode"]), reached_codes)
    table = table.merge(reach, on="raion_pcode", how="left")


# Reached, of the raion in view (the only one with initiatives in view), else of the oblast or the country.
scope = table[table["raion_pcode"] == view.raion] if view.raion and reach is not None else table


def reached(k: int, n: int) -> str:
    return view.t("coverage_aa_of", k=int(k), n=int(n))


numbers_row([(view.t("coverage_units"), len(table)), (view.t("coverage_none"), int(table["no_initiative"].sum())),
             (view.t("coverage_none_poor"), int((table["no_initiative"] & table["high_poverty"]).sum())),
             *([(view.t("coverage_aa_reached"), reached(scope["aa_reached"].sum(), scope["aa_units"].sum()))]
               if reach is not None else [])])
unplaced = unplaced_initiatives(list(raions.join), counts)
if unplaced:
    st.caption(view.t("coverage_unplaced", n=unplaced))

orders = {
    "need": (["high_poverty", "no_initiative", "poverty_pct"], [False, False, False]),
    "coverage": (["per_100k", "poverty_pct"], [True, False]),
    "name": (["oblast_code", f"name_{view.lang}"], [True, True]),
}
order = st.radio(view.t("coverage_sort"), list(orders), horizontal=True, key="coverage_sort",
                 format_func=lambda o: view.t(f"coverage_sort_{o}"))
columns, ascending = orders[order]
table = table.sort_values(columns, ascending=ascending, na_position="last", kind="stable")
marks = [", ".join(view.t(f"coverage_mark_{m}") for m, on in (("none", none), ("poor", poor)) if on)
         for none, poor in zip(table["no_initiative"], table["high_poverty"], strict=True)]
# What a manager reads first comes first, all of it on a 1366-px screen beside the sidebar: the name, its marks
# and its numbers; the oblast last, and not at all when one oblast is shown (every row would repeat it).
shown = pd.DataFrame({
    view.t("coverage_raion"): [raions.label(c, view.lang) for c in table["raion_pcode"]],
    view.t("coverage_marks"): marks,
    view.t("metric_initiatives"): table["initiatives"],
    view.t("coverage_per_100k"): table["per_100k"],
    view.t("coverage_poverty"): table["poverty_pct"],
    view.t("coverage_population"): table["population"],
    **({view.t("coverage_aa_reached"): [reached(k, n) for k, n in zip(table["aa_reached"], table["aa_units"],
                                                                        strict=True)]} if reach is not None else {}),
    **({} if view.oblast else
       {view.t("oblast"): [vocab.oblasts().label(c, view.lang) for c in table["oblast_code"]]}),
})
st.dataframe(shown, hide_index=True, width="stretch", column_config={
    view.t("coverage_population"): st.column_config.NumberColumn(format="localized"),
    view.t("coverage_poverty"): st.column_config.NumberColumn(help=view.t("coverage_poverty_help")),
    view.t("coverage_per_100k"): st.column_config.NumberColumn(help=view.t("coverage_per_100k_help")),
})
st.caption(view.t("coverage_no_data"))
st.caption(view.t("coverage_sources"))
# With a byte-order mark, so Excel on Windows reads the Cyrillic.
st.download_button(view.t("coverage_download"),
                   deferred(digest(view.data.version, view.filters, view.lang, order, "coverage"),
                            partial(export.to_csv, shown, True), heavy=False), "coverage-and-need.csv",
                   "text/csv", key="download_coverage", on_click="ignore")

if units is not None:
    if not view.oblast:  # per oblast, the same count
        st.subheader(view.t("coverage_by_oblast"), anchor=False)
        by_oblast = reached_per_oblast(table[["oblast_code", "aa_units", "aa_reached"]])
        st.dataframe(pd.DataFrame({
            view.t("oblast"): [vocab.oblasts().label(c, view.lang) for c in by_oblast["oblast_code"]],
            view.t("coverage_aa_reached"): [reached(k, n) for k, n in zip(by_oblast["aa_reached"],
                                                                          by_oblast["aa_units"], strict=True)],
        }), hide_index=True)
    # One raion's ayil aimaks and towns, each with the initiatives in view joined to it, or none.
    with_units = [c for c in raions.codes_in(view.oblast) if units.codes_in(c)]  # Bishkek has no ayil aimaks
    if with_units:
        st.subheader(view.t("coverage_aa_title"), anchor=False)
        start = view.raion if view.raion in with_units else with_units[0]
        raion = st.selectbox(view.t("raion"), with_units, index=with_units.index(start), key="coverage_aa_raion",
                             format_func=lambda c: raions.label(c, view.lang),
                             placeholder=view.t("choose_placeholder"))
        listed = raion_units_table(units, raion, view.rows, view.lang)
        st.dataframe(pd.DataFrame({
            view.t("ayil_aimak"): listed["name"],
            view.t("coverage_aa_kind"): [view.t(f"aa_kind_{k}") for k in listed["kind"]],
            view.t("aa_pcode"): listed["unit_code"],
            view.t("coverage_aa_initiatives"): [", ".join(ids) or view.t("coverage_mark_none") for ids in
                                                listed["initiatives"]],
        }), hide_index=True, width="stretch")
        unsettled = int(((view.rows["raion_code"] == raion) & (view.rows["ayil_aimak_code"] == "")).sum())
        if unsettled:
            st.caption(view.t("coverage_aa_unsettled", n=unsettled))
        st.caption(view.t("coverage_aa_note"))
