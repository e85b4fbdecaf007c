"""Entry point: page set-up, the records (or a readable error), shared filters, navigation."""

import streamlit as st

from initiatives import RecordsError
from ui.assets import ensure_static_assets
from ui.data import dataset
from ui.errors import error_language, show_records_error
from ui.guard import install as guard_widget_values
from ui.i18n import t
from ui.present import apply_page_style, apply_presentation_style
from ui.state import enter_pages, leave_pages, render_sidebar, to_map_page

guard_widget_values()
st.set_page_config(page_title="Ынтымактуу Жашоо · coverage", page_icon="🕊️", layout="wide")
ensure_static_assets()


def page_list(lang: str, raions: bool = False) -> list:
    """The pages; "coverage and need" only where an official raion layer has been imported."""
    coverage = [st.Page("pages/coverage.py", title=t("page_coverage", lang), url_path="coverage")] if raions else []
    return [
        st.Page("pages/map.py", title=t("page_map", lang), url_path="map", default=True),
        st.Page("pages/themes.py", title=t("page_themes", lang), url_path="themes"),
        *coverage,
        st.Page("pages/explorer.py", title=t("page_explorer", lang), url_path="explorer"),
        st.Page("pages/about.py", title=t("page_about", lang), url_path="about"),
    ]


try:
    data = dataset()
except RecordsError as err:
    show_records_error(err, error_language())
    # Declaring the pages (without running one) keeps Streamlit from listing the files of pages/.
    st.navigation(page_list(error_language()), position="hidden")
    st.stop()

view = render_sidebar(data)
if data.records.notices and not view.present:
    with st.sidebar.container(border=True):
        st.warning(view.t("notices"))
        for notice in data.records.notices:
            st.text(notice)
apply_page_style()
if view.present:
    apply_presentation_style()
pages = page_list(view.lang, data.raions is not None)
navigation = st.navigation(pages, position="hidden" if view.present else "sidebar")
if to_map_page() and navigation is not pages[0]:  # a chart opened a location: its initiatives are on the map
    st.switch_page(pages[0])
enter_pages()
try:
    navigation.run()
finally:
    leave_pages()
