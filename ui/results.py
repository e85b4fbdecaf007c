"""The Results view: what the initiatives in view planned (as printed) and reported, summed by kind of output,
and by oblast (or, inside an oblast, by raion). Planned and reported stay apart; what nobody has reported
reads "not reported", never 0."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from initiatives import vocab
from initiatives.outputs import totals
from ui.state import View


def results_section(view: View) -> None:
    lang = view.lang
    st.subheader(view.t("results_title"), anchor=False)
    st.caption(view.t("results_note"))
    outputs = view.data.records.outputs
    overall = totals(outputs, view.rows)
    if overall.empty:
        st.info(view.t("results_none"))
        return
    names = vocab.output_types()
    not_reported = view.t("results_not_reported")

    def reported(values: pd.Series) -> list[str]:
        return [not_reported if pd.isna(v) else f"{int(v):,}" for v in values]

    st.dataframe(pd.DataFrame({
        view.t("results_output"): [names.label(code, lang) for code in overall["output"]],
        view.t("results_planned"): overall["planned"],
        view.t("results_reported"): reported(overall["reported"]),  # beside planned: on a phone both in view
        view.t("results_planned_initiatives"): overall["planned_initiatives"],
    }), hide_index=True, width="stretch", key="results_overall")
    in_raions = bool(view.oblast) and view.data.raions is not None
    by = "raion_code" if in_raions else "oblast_code"
    per_place = totals(outputs, view.rows, by)
    planned = per_place.dropna(subset=["planned"])
    if planned.empty:
        return

    def place(code: str) -> str:
        if not code:
            return view.t("raion_unplaced")
        return view.data.raions.label(code, lang) if in_raions else vocab.oblasts().label(code, lang)

    table = planned.assign(place=[place(c) for c in planned[by]],
                           kind=[names.label(c, lang) for c in planned["output"]])
    pivot = table.pivot_table(index="place", columns="kind", values="planned", aggfunc="sum", sort=False)
    pivot = pivot[[names.label(c, lang) for c in names.codes if names.label(c, lang) in pivot.columns]]
    st.caption(view.t("results_by_raion" if in_raions else "results_by_oblast"))
    # As text, blank where a place plans none of that kind (a blank, not 0: nothing is planned there).
    shown = pivot.apply(lambda column: [f"{int(v):,}" if pd.notna(v) else "" for v in column])
    st.dataframe(shown.rename_axis(view.t("raion" if in_raions else "oblast")).reset_index(), hide_index=True,
                 width="stretch", key="results_by_place")
