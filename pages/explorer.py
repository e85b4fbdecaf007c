"""A searchable, filterable table of all initiatives, a detail view and downloads."""

import pandas as pd
import streamlit as st

from initiatives import vocab
from initiatives.records import split_codes
from ui.state import current_view
from ui.widgets import downloads, initiative_card, translated

view = current_view()
lang = view.lang
st.title(view.t("page_explorer"))
total = len(view.data.records.table)
st.caption(view.t("explorer_rows", n=len(view.rows), total=total))
downloads(view)

missing = view.t("not_published")
rows = view.rows.reset_index(drop=True)
shown = pd.DataFrame({
    "id": rows["id"],
    view.t("grant_type"): [vocab.grant_types().label(g, lang) for g in rows["grant_type"]],
    view.t("oblast"): [vocab.oblasts().label(c, lang) for c in rows["oblast_code"]],
    view.t("place"): rows["place"],
    view.t("grantee"): [g or missing for g in rows["grantee"]],
    view.t("title"): [translated(r, "title", lang, view) or missing for _, r in rows.iterrows()],
    view.t("themes_label"): [", ".join(vocab.themes().label(c, lang) for c in split_codes(v)) or missing
                             for v in rows["themes"]],
    view.t("target_groups_label"): [", ".join(vocab.target_groups().label(c, lang) for c in split_codes(v))
                                    or missing for v in rows["target_groups"]],
})
event = st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun",
                     selection_mode="single-row", key="explorer_table")
selected = event.selection.rows if event and event.selection else []
st.subheader(view.t("detail"))
if selected and selected[0] < len(rows):
    initiative_card(rows.iloc[selected[0]], view)
else:
    st.caption(view.t("select_row_hint"))
