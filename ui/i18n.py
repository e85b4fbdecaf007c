"""UI strings in Kyrgyz, Russian and English: one TOML catalogue per language in ui/locales."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("ky", "ru", "en")
LANGUAGE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}
DEFAULT_LANGUAGE = "en"
RETURN_LANGUAGE_COOKIE = "yj_lang"  # the page's language while its reader signs in (ui.server.ReturnLanguage)


@cache
def catalogue(lang: str) -> dict[str, str]:
    with (LOCALES_DIR / f"{lang}.toml").open("rb") as handle:
        return tomllib.load(handle)


def t(key: str, lang: str, **values: object) -> str:
    """The string for `key` in `lang` (English if missing there), with {placeholders} filled."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE)[key]
    return text.format(**values) if values else text


def accepted_language(header: str | None) -> str | None:
    """The first of our languages a browser's Accept-Language asks for, by its q-values (`ru-RU,ru;q=0.9,
    en;q=0.8` -> ru); None where it names none of them."""
    wanted = []
    for position, part in enumerate((header or "").split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in LANGUAGES and quality > 0:
            wanted.append((-quality, position, language))
    return min(wanted)[2] if wanted else None
