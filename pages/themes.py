"""What is being done, where, by whom: charts that follow the filters and the chosen oblast."""

import streamlit as st

from ui.results import results_section
from ui.state import current_view
from ui.widgets import breadcrumb, chart_with_table, headline_numbers, hierarchy_chart

view = current_view()
st.title(view.t("page_themes"))
breadcrumb(view)
headline_numbers(view)
if view.rows.empty:
    st.info(view.t("no_rows"))  # not st.stop(): the sidebar, with the way back, is drawn after the page
else:
    st.caption(view.t("themes_note"))
    # Inside an oblast, where a raion layer has been imported, its raions take the place of the oblast chart.
    in_raions = bool(view.oblast) and view.data.raions is not None
    by_place = ("raion", "chart_by_raion") if in_raions else ("oblast", "chart_by_oblast")
    for dimension, title_key in (("theme", "chart_by_theme"), by_place, ("target_group", "chart_by_target"),
                                 ("grant_type", "chart_by_grant_type")):
        chart_with_table(view, dimension, title_key)
    hierarchy_chart(view)
    results_section(view)
