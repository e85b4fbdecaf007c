"""Entry point: page set-up, the records (or a readable error), shared filters, navigation.

`streamlit run dashboard.py` imports this file to find `app` and serve it; Streamlit then runs the
file as each page's script (`__name__ == "__main__"`), which draws the page.
"""

import gc

import streamlit as st

from initiatives import RecordsError
from ui.account import draw_account
from ui.assets import ensure_static_assets
from ui.auth import editor, refuse_local_editing_off_loopback
from ui.data import dataset
from ui.errors import error_language, show_records_error
from ui.guard import install as guard_widget_values
from ui.i18n import t
from ui.present import apply_page_style, apply_presentation_style
from ui.state import build_view, draw_sidebar, enter_pages, leave_pages, to_map_page

# (script, title key, path); the coverage page only where an official raion layer has been imported.
PAGES = (
    ("pages/map.py", "page_map", "map"),
    ("pages/themes.py", "page_themes", "themes"),
    ("pages/coverage.py", "page_coverage", "coverage"),
    ("pages/explorer.py", "page_explorer", "explorer"),
    ("pages/about.py", "page_about", "about"),
    ("pages/edit.py", "page_edit", "edit"),
    ("pages/history.py", "page_history", "history"),
)
EDITORS_ONLY = frozenset({"edit", "history"})  # not even listed for a viewer: their scripts never run for one


def page_list(lang: str, raions: bool = False, editor: bool = False) -> list:
    return [
        st.Page(script, title=t(title, lang), url_path=path, default=path == "map")
        for script, title, path in PAGES
        if (raions or path != "coverage") and (editor or path not in EDITORS_ONLY)
    ]


def main() -> None:
    guard_widget_values()
    st.set_page_config(page_title="Ынтымактуу Жашоо · coverage", page_icon="🕊️", layout="wide")
    ensure_static_assets()
    try:
        data = dataset()
    except RecordsError as err:
        show_records_error(err, error_language())
        # Declaring the pages (without running one) keeps Streamlit from listing the files of pages/.
        st.navigation(page_list(error_language()), position="hidden")
        st.stop()

    view = build_view(data)
    apply_page_style()
    if view.present:
        apply_presentation_style()
    pages = page_list(view.lang, data.raions is not None, editor() is not None and not view.present)
    navigation = st.navigation(pages, position="hidden" if view.present else "sidebar")
    if to_map_page() and navigation is not pages[0]:  # a chart opened a location: its initiatives are on the map
        st.switch_page(pages[0])
    enter_pages()
    try:
        navigation.run()
    finally:
        leave_pages()
    if view.present:
        return  # a projector shows no sidebar (ui.present): its widgets are not drawn at all
    # The sidebar after the page: the browser gets the page (the map among it) first and draws the filters
    # while the map's frame loads (issue 15). So a page never st.stop()s outside presentation mode.
    draw_sidebar(data)
    draw_account(view.lang)
    if data.records.notices:
        with st.sidebar.container(border=True):
            st.warning(view.t("notices"))
            for notice in data.records.notices:
                st.text(notice)


if __name__ == "__main__":
    main()
else:
    # Imported by `streamlit run` at start-up, with the data layer above: load the map's libraries now
    # (folium), not in the first viewer's script run. Not streamlit-folium: a component declared before
    # Streamlit's runtime starts is unknown to it (its frame answers 404).
    from starlette.middleware import Middleware

    import ui.maps  # noqa: F401
    from ui.auth import MAX_SIGN_IN_AGE_S, local_editing
    from ui.downloads import install as bound_downloads
    from ui.preview import warm as warm_map_preview
    from ui.server import (
        LocalHostGuard,
        ReturnLanguage,
        SecurityHeaders,
        StaticNameGuard,
        UnknownPageRedirect,
        page_routes,
    )

    refuse_local_editing_off_loopback()  # before anything is served (ui.auth)
    warm_map_preview()  # the landing page's map in its first response, for the server's first viewer too
    bound_downloads()  # one download build per session at a time, off the shared thread pool (ui.downloads)

    # Served with a route per page path (the map is the landing page, `/`): a deep link opens without
    # Streamlit's 404 probes, and each page asks for its element code ahead (see ui.server).
    app = st.App(__file__, routes=page_routes(path for _, _, path in PAGES),
                  middleware=[Middleware(SecurityHeaders, cookie_max_age=MAX_SIGN_IN_AGE_S),
                              Middleware(LocalHostGuard, active=local_editing()),
                              Middleware(ReturnLanguage),
                              Middleware(StaticNameGuard),
                              Middleware(UnknownPageRedirect, pages=[path for _, _, path in PAGES])])

    # What start-up imported lives as long as the server: keep Python's full collections from walking it
    # again and again. Under the load test's two minutes there were four, 67-110 ms each (every session
    # waits meanwhile); with this 14-55 ms (README: Performance, eighth pass).
    gc.freeze()
