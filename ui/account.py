"""The sidebar's sign-in box: sign in or out, and who is signed in (ui.auth decides what that allows)."""

from __future__ import annotations

import time

import streamlit as st

from ui.auth import (
    editor,
    local_editing,
    shown_name,
    sign_in_configured,
    sign_in_problem,
    sign_out,
    signed_in_email,
    signed_out_on_server,
)
from ui.data import current_version, editable, store
from ui.i18n import t
from ui.text import markdown_text  # a caption renders Markdown: a name or an e-mail shows as written


def draw_account(lang: str) -> None:
    """Nothing at all where the records cannot be edited (--records) or nobody can sign in, nor for a session
    that came through a proxy in local editing mode (it may edit nothing: the box named nobody)."""
    if not editable() or not (local_editing() or sign_in_configured()):
        return
    if local_editing() and editor() is None:  # through a proxy: local editing gives nothing, and says nothing
        return
    box = st.sidebar.container(border=True)
    if local_editing():
        box.caption(t("account_local", lang, who=markdown_text(shown_name(editor() or ""))))
    elif signed_in_email() is None:
        if box.button(t("account_sign_in", lang), key="account_sign_in", width="stretch"):
            st.login()
        return
    else:
        box.caption(t("account_signed_in", lang, email=markdown_text(signed_in_email() or "")))
        problem = sign_in_problem(st.user.to_dict(), time.time())
        if problem == "expired" or signed_out_on_server():
            box.caption(t("account_expired", lang))
            if box.button(t("account_sign_in_again", lang), key="account_sign_in_again", width="stretch"):
                    st.login()
        elif problem is not None:
            box.caption(t("account_unverified", lang))
        elif editor() is None:
            box.caption(t("account_not_editor", lang))
        if box.button(t("account_sign_out", lang), key="account_sign_out", width="stretch"):
            sign_out()
    version = store().version(current_version())
    box.caption(t("account_version", lang, number=version.number, when=version.when))
