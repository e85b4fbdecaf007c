"""Presentation mode: no sidebar or menus, large type and high contrast, for a projector."""

from __future__ import annotations

import streamlit as st

# Static CSS only; no record text ever reaches this string.
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], footer {display: none !important;}
.block-container {padding-top: 1rem !important; max-width: 100% !important;}
html, body, [data-testid="stAppViewContainer"] {background: #ffffff; color: #000000;}
[data-testid="stMetricValue"] {font-size: 4.2rem !important; font-weight: 800; color: #000000;}
[data-testid="stMetricLabel"] p {font-size: 1.6rem !important; color: #000000;}
h1 {font-size: 2.6rem !important;}
p, li, button, label {font-size: 1.25rem !important;}
</style>
"""


def apply_presentation_style() -> None:
    st.html(PRESENTATION_CSS)
