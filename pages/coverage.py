"""Coverage and need: each raion's people and poverty beside the initiatives in view (only with a raion layer)."""

from functools import partial

import pandas as pd
import streamlit as st

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

numbers_row([(view.t("coverage_units"), len(table)), (view.t("coverage_none"), int(table["no_initiative"].sum())),
             (view.t("coverage_none_poor"), int((table["no_initiative"] & table["high_poverty"]).sum()))])
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
shown = pd.DataFrame({
    view.t("oblast"): [vocab.oblasts().label(c, view.lang) for c in table["oblast_code"]],
    view.t("coverage_raion"): [raions.label(c, view.lang) for c in table["raion_pcode"]],
    view.t("coverage_marks"): marks,  # beside the name: the column a manager reads first, never off-screen
    view.t("coverage_population"): table["population"],
    view.t("coverage_poverty"): table["poverty_pct"],
    view.t("metric_initiatives"): table["initiatives"],
    view.t("coverage_per_100k"): table["per_100k"],
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
                            partial(export.to_csv, shown, True)), "coverage-and-need.csv",
                   "text/csv", key="download_coverage", on_click="ignore")
