"""The page shown instead of a traceback when the records cannot be used."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from initiatives import RecordsError
from ui.i18n import DEFAULT_LANGUAGE, t


def show_records_error(err: RecordsError, lang: str = DEFAULT_LANGUAGE) -> None:
    """List every problem as data (never as HTML), with what to do next."""
    st.title(t("records_error", lang))
    st.error(t("records_error_help", lang))
    st.dataframe(
        pd.DataFrame([{t("file", lang): p.file, t("row", lang): p.row, t("field", lang): p.field,
                       t("message", lang): p.message} for p in err.problems]),
        hide_index=True, width="stretch",
    )
