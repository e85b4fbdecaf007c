"""Text from data (record fields, vocabulary labels) for Streamlit calls that render Markdown."""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def markdown_text(text: str) -> str:
    """Every Markdown/LaTeX sign escaped, so that a label like `![i](http://…)` or `$x^2$` shows as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)
