"""Controlled vocabularies (oblasts, grant types, themes, target groups, legal forms).

One CSV per vocabulary in initiatives/data, each with Kyrgyz, Russian and English labels:
the single source of truth for codes and their names in every language. A maintainer edits
them in a spreadsheet, so they are read as carefully as the records: a byte-order mark is
recovered from, a renamed column or an empty label is a `file:row: field` problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from initiatives.problems import Problem, RecordsError
from initiatives.sheets import ID_PATTERN, read_sheet

DATA_DIR = Path(__file__).parent / "data"
LANGUAGES = ("ky", "ru", "en")
NAMES = ("oblasts", "grant_types", "themes", "target_groups", "legal_forms", "columns", "activity_statuses",
         "output_types")


@dataclass(frozen=True)
class Vocabulary:
    """Codes in file order with their labels per language."""

    name: str
    labels: dict[str, dict[str, str]]  # code -> {lang: label}
    notices: tuple[str, ...] = ()  # what was recovered while reading the file

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def label(self, code: str, lang: str = "en") -> str:
        """The label in `lang`, or the code itself for a code the vocabulary lacks."""
        return self.labels.get(code, {}).get(lang, code)


def key_column(name: str) -> str:
    return "oblast_code" if name == "oblasts" else "code"


@cache
def _load(directory: Path, name: str) -> Vocabulary:
    """Read and check one vocabulary file; cached per folder, as they never change while the app runs."""
    problems: list[Problem] = []
    notices: list[str] = []
    key = key_column(name)
    label_columns = tuple(f"name_{lang}" for lang in LANGUAGES)
    sheet = read_sheet(directory / f"{name}.csv", (key, *label_columns), (), problems, notices)
    labels: dict[str, dict[str, str]] = {}
    first_row: dict[str, int] = {}
    for row in sheet.rows if sheet else ():
        number, code = sheet.rownum(row), row[key]
        if not ID_PATTERN.fullmatch(code):
            problems.append(Problem(sheet.name, number, key, f"'{code}' is not a code: use letters, digits, "
                                    "'-', '_' or '.'" if code else "the code is required"))
        elif code in first_row:
            problems.append(Problem(sheet.name, number, key, f"duplicate code '{code}' (first in row "
                                    f"{first_row[code]})"))
        problems += [Problem(sheet.name, number, col, "the label is required") for col in label_columns if not row[col]]
        first_row.setdefault(code, number)
        labels.setdefault(code, {lang: row[f"name_{lang}"] for lang in LANGUAGES})
    if problems:
        raise RecordsError(problems, kind="vocabulary")
    return Vocabulary(name, labels, tuple(notices))


def vocabulary(name: str) -> Vocabulary:
    """One vocabulary from the committed data folder (RecordsError if it cannot be used)."""
    return _load(DATA_DIR, name)


def check_all() -> list[str]:
    """Load every vocabulary; one RecordsError with all their problems, else what was recovered."""
    problems: list[Problem] = []
    notices: list[str] = []
    for name in NAMES:
        try:
            notices += vocabulary(name).notices
        except RecordsError as err:
            problems += err.problems
    if problems:
        raise RecordsError(problems, kind="vocabulary")
    return notices


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


def columns() -> Vocabulary:
    """The export's column names as people read them: the headers of the labelled CSV, HXL CSV and Excel."""
    return vocabulary("columns")


def activity_statuses() -> Vocabulary:
    """IATI's ActivityStatus codelist (1 pipeline … 6 suspended), named in ky, ru and en: how far an
    initiative had got, as of a date and by a source."""
    return vocabulary("activity_statuses")


UNSTATED = "none"  # a status filter's choice for the initiatives whose status the source does not settle
_UNSTATED_LABELS = {"ky": "Булакта айтылган эмес", "ru": "Не указан в источнике", "en": "Not stated in the source"}


def status_choices() -> Vocabulary:
    """What a status filter offers: IATI's statuses, and "not stated in the source" (UNSTATED), which most of
    the records have; without it, choosing every status would silently leave those out."""
    statuses = activity_statuses()
    return Vocabulary("status_choices", {**statuses.labels, UNSTATED: dict(_UNSTATED_LABELS)})


def output_types() -> Vocabulary:
    """The kinds of output an initiative plans or reports (initiatives.outputs), named in ky, ru and en."""
    return vocabulary("output_types")
