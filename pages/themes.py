"""What is being done, where, by whom: charts that follow the filters and the chosen oblast."""

import streamlit as st

from ui.charts import hierarchy, labelled_counts, stacked_bar
from ui.state import current_view
from ui.widgets import headline_numbers

view = current_view()
st.title(view.t("page_themes"))
headline_numbers(view)
if view.rows.empty:
    st.info(view.t("no_rows"))
    st.stop()
st.caption(view.t("themes_note"))

for dimension, title_key in (("theme", "chart_by_theme"), ("oblast", "chart_by_oblast"),
                             ("target_group", "chart_by_target")):
    data = labelled_counts(view.rows, dimension, view.lang)
    st.plotly_chart(stacked_bar(data, view.t(title_key), view.lang, large=view.present),
                    key=f"chart_{dimension}", config={"displaylogo": False,
                                                      "toImageButtonOptions": {"filename": dimension}})
    with st.expander(view.t("chart_data")):
        st.dataframe(data.iloc[:, :3], hide_index=True, width="stretch", key=f"table_{dimension}")

st.plotly_chart(hierarchy(view.rows, view.lang), key="chart_hierarchy", config={"displaylogo": False})
