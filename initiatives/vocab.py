"""Controlled vocabularies (oblasts, grant types, themes, target groups, legal forms).

One CSV per vocabulary in initiatives/data, each with Kyrgyz, Russian and English labels:
the single source of truth for codes and their names in every language.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
LANGUAGES = ("ky", "ru", "en")


@dataclass(frozen=True)
class Vocabulary:
    """Codes in file order with their labels per language."""

    name: str
    labels: dict[str, dict[str, str]]  # code -> {lang: label}

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def label(self, code: str, lang: str = "en") -> str:
        """The label in `lang`, or the code itself for a code the vocabulary lacks."""
        return self.labels.get(code, {}).get(lang, code)


@cache
def vocabulary(name: str) -> Vocabulary:
    """Load one vocabulary file; cached because they never change while the app runs."""
    path = DATA_DIR / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    key = "oblast_code" if name == "oblasts" else "code"
    return Vocabulary(name, {r[key]: {lang: r[f"name_{lang}"] for lang in LANGUAGES} for r in rows})


def oblasts() -> Vocabulary:
    return vocabulary("oblasts")


def themes() -> Vocabulary:
    return vocabulary("themes")


def target_groups() -> Vocabulary:
    return vocabulary("target_groups")


def grant_types() -> Vocabulary:
    return vocabulary("grant_types")


def legal_forms() -> Vocabulary:
    return vocabulary("legal_forms")
