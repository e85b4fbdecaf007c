"""Presentation mode: no sidebar or menus, large type and high contrast, for a projector."""

from __future__ import annotations

import streamlit as st

from ui.i18n import LANGUAGE_NAMES, LANGUAGES
from ui.state import View, set_value

LANGUAGES_KEY = "present_languages"  # the container of language_buttons; its CSS class is st-key-<key>

# Static CSS only; no record text ever reaches this string.
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], footer {display: none !important;}
.block-container {padding-top: 1rem !important; padding-bottom: .5rem !important; max-width: 100% !important;}
html, body, [data-testid="stAppViewContainer"] {background: #ffffff; color: #000000;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {font-size: 3.8rem !important;
  font-weight: 800 !important; line-height: 1.05 !important; color: #000000 !important;}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  font-size: 1.3rem !important; color: #000000 !important;}
h1 {font-size: 2.4rem !important; padding: 0 0 .4rem 0 !important;}
p, li, button, label {font-size: 1.15rem !important;}
[data-testid="stMetric"] {padding-bottom: .2rem !important;}
/* The column beside the map holds the numbers, the tour, the room's link and the way out at 1280x720. */
[data-testid="stColumn"] [data-testid="stVerticalBlock"] {gap: .55rem !important;}
/* The map fills the screen's height under the title, leaving the legend a line or two. */
iframe[src*="/streamlit_folium.st_folium/"] {height: calc(100vh - 215px) !important;}
/* Read at 5 metres: the legend 22 px and more, a place's initiatives in its dialog 24 px. */
.yj-legend, .yj-legend * {font-size: 1.4rem !important;}
[role="dialog"] p, [role="dialog"] li, [role="dialog"] div[data-testid="stText"],
[role="dialog"] [data-testid="stCaptionContainer"] {font-size: 1.5rem !important;}
[role="dialog"] code {font-size: 1.4rem !important;}
/* The language buttons are for phones (language_buttons), and the title takes two lines there, not four. */
/* Streamlit wraps the container (stLayoutWrapper): hidden, the wrapper would still take a gap of the column. */
@media (min-width: 641px) {:has(> .st-key-present_languages) {display: none !important;}}
@media (max-width: 640px) {h1 {font-size: 1.6rem !important;} :has(> .st-key-present_languages) {order: -1;}}
</style>
"""


# Every page, on a laptop: less empty space above the title and a title that fits one line, so the
# landing page's map is whole above the fold at 1366x900; the rows of numbers (ui.widgets.numbers_row) as
# Streamlit draws its metrics. Static CSS only.
PAGE_CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.2rem;}
h1 {font-size: 2.1rem !important; padding-top: 0 !important;}
.yj-numbers {display: flex; gap: 1rem; margin: 0 !important; padding: 0 !important;}
.yj-numbers > div {flex: 1 1 0; min-width: 0;}
.yj-numbers dt {font-size: .875rem; font-weight: 400; line-height: 1.6; min-height: 1.5rem; margin: 0;}
.yj-numbers dd {font-size: 2.25rem; line-height: normal; margin: 0; padding-bottom: .25rem;}
/* A phone: the title clear of Streamlit's header (3.75rem), the four numbers in a 2x2 grid. */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding-top: 4.5rem;}
  h1 {font-size: 1.6rem !important;}
  .yj-numbers {display: grid; grid-template-columns: 1fr 1fr; row-gap: .4rem;}
  .yj-numbers dd {font-size: 1.9rem;}
}
/* A touch screen: no Plotly toolbar over the charts' titles (its buttons need a hover a finger cannot give). */
@media (pointer: coarse) {.js-plotly-plot .modebar-container {display: none !important;}}
</style>
"""


def apply_page_style() -> None:
    st.html(PAGE_CSS)


def apply_presentation_style() -> None:
    st.html(PRESENTATION_CSS)


def language_buttons(view: View) -> None:
    """The other two languages, one button each, above the title on a phone: a projector view has no sidebar,
    and someone who opened the room's link must still read it in their own language (the way to the filters
    is "Exit presentation"). A projector's presenter chose the language before: there they are not shown."""
    with st.container(horizontal=True, key=LANGUAGES_KEY):
        for lang in LANGUAGES:
            if lang != view.lang:
                st.button(LANGUAGE_NAMES[lang], on_click=set_value, args=("lang", lang), key=f"present_lang_{lang}",
                          icon=":material/translate:")
