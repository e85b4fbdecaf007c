"""Entry point: page set-up, the records (or a readable error), shared filters, navigation."""

import streamlit as st

from initiatives import RecordsError
from ui.assets import ensure_static_assets
from ui.data import dataset
from ui.errors import show_records_error
from ui.present import apply_presentation_style
from ui.state import enter_pages, leave_pages, render_sidebar

st.set_page_config(page_title="Ынтымактуу Жашоо · coverage", page_icon="🕊️", layout="wide")
ensure_static_assets()
try:
    data = dataset()
except RecordsError as err:
    show_records_error(err)
    st.stop()

view = render_sidebar(data)
if data.records.notices and not view.present:
    with st.sidebar.container(border=True):
        st.warning(view.t("notices"))
        for notice in data.records.notices:
            st.text(notice)
if view.present:
    apply_presentation_style()
pages = [
    st.Page("pages/map.py", title=view.t("page_map"), url_path="map", default=True),
    st.Page("pages/themes.py", title=view.t("page_themes"), url_path="themes"),
    st.Page("pages/explorer.py", title=view.t("page_explorer"), url_path="explorer"),
    st.Page("pages/about.py", title=view.t("page_about"), url_path="about"),
]
enter_pages()
try:
    st.navigation(pages, position="hidden" if view.present else "sidebar").run()
finally:
    leave_pages()
