"""The page shown instead of a traceback when the records, a vocabulary or a layer cannot be used."""

from __future__ import annotations

import streamlit as st

from initiatives import RecordsError
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from ui.problems import problems_table


def error_language() -> str:
    """The language asked for in the URL: the view's own state cannot be built without the data."""
    lang = st.query_params.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def show_records_error(err: RecordsError, lang: str = DEFAULT_LANGUAGE) -> None:
    """List every problem as data (never as HTML), with what to do next."""
    st.title(t("records_error" if err.kind == "records" else f"error_{err.kind}", lang))
    st.error(t("error_boundaries_help" if err.kind == "boundaries" else "records_error_help", lang))
    st.dataframe(problems_table(err.problems, lang, headings=False), hide_index=True, width="stretch")
