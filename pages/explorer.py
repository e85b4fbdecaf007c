"""A searchable, filterable table of all initiatives, a detail view and downloads."""

import streamlit as st

from ui.downloads import downloads
from ui.state import current_view
from ui.widgets import breadcrumb, explorer_table, initiative_card

# The browser gets at most this many rows at once; the downloads always hold every filtered row.
TABLE_ROWS = 2000

view = current_view()
st.title(view.t("page_explorer"))
breadcrumb(view)
total = len(view.data.records.table)
st.caption(view.t("explorer_rows", n=len(view.rows), total=total))
downloads(view)

rows = view.rows.head(TABLE_ROWS).reset_index(drop=True)
if len(view.rows) > TABLE_ROWS:
    st.caption(view.t("explorer_capped", shown=TABLE_ROWS, n=len(view.rows)))
# The title and grantee bounded, so that the place and the oblast are on a 1366-px screen too (the full title
# is in the card below and in the downloads).
widths = {view.t("title"): st.column_config.TextColumn(width="large"),
          view.t("grantee"): st.column_config.TextColumn(width="medium")}
event = st.dataframe(explorer_table(rows, view), hide_index=True, width="stretch", on_select="rerun",
                     selection_mode="single-row", key="explorer_table", column_config=widths)
selected = event.selection.rows if event and event.selection else []
st.subheader(view.t("detail"))
if selected and selected[0] < len(rows):
    initiative_card(rows.iloc[selected[0]], view)
else:
    st.caption(view.t("select_row_hint"))
