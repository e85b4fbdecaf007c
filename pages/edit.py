"""For programme staff: fill in what the source left out (the LSG grants), record status and results.

Shown to editors only (ui.auth); each write asks ui.auth again. Two ways to change the records, one path on:
check (the command line's checks, in the editor's language), preview (field by field), save with a note.
"""

import streamlit as st

from ui.auth import require_editor, shown_name
from ui.editing import edit_by_table, edit_by_upload, review_and_save, started_from
from ui.state import current_view
from ui.text import markdown_text

view = current_view()
who = require_editor()
st.title(view.t("page_edit"))
st.caption(view.t("edit_intro", who=markdown_text(shown_name(who)), base=started_from()))
by_table, by_upload = st.tabs([view.t("edit_by_table"), view.t("edit_by_upload")])
with by_table:
    edit_by_table(view.lang)
with by_upload:
    edit_by_upload(view.lang)
review_and_save(view.lang)
