"""For programme staff: every version of the records (who, when, note), each one's changes, and a restore.

A restore is itself a new version: the history only grows (initiatives.store).
"""

import pandas as pd
import streamlit as st

from initiatives.store import BASELINE_AUTHOR, SaveRefused, Version
from ui.auth import require_editor
from ui.data import store
from ui.editing import changes_table
from ui.state import current_view


def baseline(version: Version) -> bool:
    return version.number == 1 and version.author == BASELINE_AUTHOR


view = current_view()
require_editor()
versions = store().history()
current = versions[0].number
st.title(view.t("page_history"))
st.caption(view.t("history_intro", current=current))
st.dataframe(pd.DataFrame([{
    view.t("history_version"): v.number, view.t("history_when"): v.when,
    # The first version's author and note are ours, not an editor's: said in the reader's language.
    view.t("history_who"): view.t("history_baseline_author") if baseline(v) else v.author,
    view.t("history_changes"): v.change_count, view.t("history_restores"): v.restores or "",
    view.t("history_note"): view.t("history_baseline_note") if baseline(v) else v.note,
} for v in versions]), hide_index=True, width="stretch", key="history_table",
    column_config={view.t("history_note"): st.column_config.TextColumn(width="large")})

numbers = [v.number for v in versions]
chosen = st.selectbox(view.t("history_show"), numbers, key="history_chosen", placeholder=view.t("choose_placeholder"),
                      format_func=lambda n: view.t("history_version_label", number=n))
if chosen is not None:
    st.dataframe(changes_table(store().changes_of(chosen), view.lang), hide_index=True, width="stretch",
                 key="history_changes_table")
    if chosen != current:
        note = st.text_input(view.t("history_restore_note"), key=f"history_note_{chosen}", max_chars=2000)
        if st.button(view.t("history_restore", number=chosen), key="history_restore"):
            if not note.strip():
                st.error(view.t("edit_note_required"))
            else:
                who = require_editor()  # asked again at the write itself
                try:
                    version = store().restore(chosen, current, who, note)
                    st.session_state["history_restored"] = version.number
                except SaveRefused as refused:
                    st.session_state["history_refused"] = str(refused)
                st.rerun()
if "history_restored" in st.session_state:
    st.success(view.t("history_restored", number=st.session_state.pop("history_restored")))
if "history_refused" in st.session_state:
    st.error(st.session_state.pop("history_refused"))
