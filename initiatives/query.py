"""Filter and count initiatives, fast at 50 rows and at 50,000.

pandas costs about a millisecond per operation whatever the size, which is most of a rerun at
the programme's 50 rows; plain Python is linear and loses beyond a few thousand. So each function
has both paths, chosen by size, and tests check they agree.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd

from initiatives import vocab
from initiatives.records import MULTI_VALUED, SMALL_TABLE

SEARCHED_COLUMNS = (
    "id", "grantee", "grantee_latin", "title_ky", "title_en", "title_ru", "summary_ky", "summary_en",
    "summary_ru", "place", "place_latin", "place_as_printed", "district", "oblast",
)
# A search is a few words: bounded, so its cost stays linear in the rows whatever a URL or a widget sends.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
# What "count by" accepts, in the users' words, mapped to table columns.
DIMENSIONS = {
    "oblast": "oblast_code", "grant_type": "grant_type", "theme": "themes",
    "target_group": "target_groups", "location": "location_id", "location_precision": "location_precision",
    "raion": "raion_code", "ayil_aimak": "ayil_aimak_code",
}


@dataclass(frozen=True)
class Filters:
    """What an analyst has chosen; empty means 'all'. Within a field any value matches."""

    oblasts: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    grant_types: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    text: str = ""
    raions: tuple[str, ...] = ()  # admin-2 P-codes, matched against the joined raion_code
    ayil_aimaks: tuple[str, ...] = ()  # admin-3 P-codes, matched against the joined ayil_aimak_code
    statuses: tuple[str, ...] = ()  # IATI activity-status codes, or vocab.UNSTATED for "not stated"

    def is_empty(self) -> bool:
        return not (self.oblasts or self.themes or self.grant_types or self.target_groups
                    or self.text.strip() or self.raions or self.ayil_aimaks or self.statuses)

    def status_values(self) -> set[str]:
        """The `status` cell values the chosen statuses match ("" for UNSTATED)."""
        return {"" if code == vocab.UNSTATED else code for code in self.statuses}


def search_words(text: str) -> list[str]:
    """The distinct lower-case words searched for: at most MAX_QUERY_WORDS from the first MAX_QUERY_CHARS."""
    head = text[:MAX_QUERY_CHARS]
    words = head.lower().split()
    if len(words) > 1 and len(text) > MAX_QUERY_CHARS and not (head[-1].isspace() or text[MAX_QUERY_CHARS].isspace()):
        words.pop()  # the cut fell inside this word: it is not what was typed
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def _has_any_code(column: pd.Series, codes: tuple[str, ...]) -> pd.Series:
    pattern = r"(?:^|;)(?:" + "|".join(re.escape(c) for c in codes) + r")(?:;|$)"
    return column.str.contains(pattern, regex=True)


def search_text(table: pd.DataFrame) -> pd.Series:
    """One lower-case string per row holding every searchable field."""
    first, *rest = (table[c].astype(str) for c in SEARCHED_COLUMNS)
    return first.str.cat(rest, sep=" ").str.lower()


def apply_filters(table: pd.DataFrame, filters: Filters, haystack: pd.Series | None = None,
                  vectorised: bool | None = None) -> pd.DataFrame:
    """Rows matching every chosen field. Pass a precomputed `search_text` to skip rebuilding it."""
    if filters.is_empty():
        return table
    if vectorised is None:
        vectorised = len(table) > SMALL_TABLE
    text = haystack if haystack is not None else search_text(table)
    mask = _mask_vectorised(table, filters, text) if vectorised else _mask_small(table, filters, text)
    return table[mask]


def _mask_vectorised(table: pd.DataFrame, filters: Filters, text: pd.Series) -> np.ndarray:
    mask = pd.Series(True, index=table.index)
    if filters.oblasts:
        mask &= table["oblast_code"].isin(filters.oblasts)
    if filters.raions:
        mask &= table["raion_code"].isin(filters.raions)
    if filters.ayil_aimaks:
        mask &= table["ayil_aimak_code"].isin(filters.ayil_aimaks)
    if filters.grant_types:
        mask &= table["grant_type"].isin(filters.grant_types)
    if filters.statuses:
        mask &= table["status"].isin(filters.status_values())
    if filters.themes:
        mask &= _has_any_code(table["themes"], filters.themes)
    if filters.target_groups:
        mask &= _has_any_code(table["target_groups"], filters.target_groups)
    for word in search_words(filters.text):
        mask &= text.str.contains(word, regex=False)
    return mask.to_numpy(dtype=bool)


def _mask_small(table: pd.DataFrame, filters: Filters, text: pd.Series) -> np.ndarray:
    mask = np.ones(len(table), dtype=bool)
    if filters.oblasts:
        mask &= np.fromiter((v in filters.oblasts for v in table["oblast_code"].tolist()), bool, len(table))
    for column, chosen in (("raion_code", filters.raions), ("ayil_aimak_code", filters.ayil_aimaks)):
        if chosen:
            mask &= np.fromiter((v in chosen for v in table[column].tolist()), bool, len(table))
    if filters.grant_types:
        mask &= np.fromiter((v in filters.grant_types for v in table["grant_type"].tolist()), bool, len(table))
    if filters.statuses:
        wanted = filters.status_values()
        mask &= np.fromiter((v in wanted for v in table["status"].tolist()), bool, len(table))
    for column, wanted in (("themes", filters.themes), ("target_groups", filters.target_groups)):
        if wanted:
            codes = set(wanted)
            mask &= np.fromiter((not codes.isdisjoint(v.split(";")) for v in table[column].tolist()), bool,
                                len(table))
    words = search_words(filters.text)
    if words:
        mask &= np.fromiter((all(w in hay for w in words) for hay in text.tolist()), bool, len(table))
    return mask


def count_by(table: pd.DataFrame, dimension: str, split_by: str | None = None,
             vectorised: bool | None = None) -> pd.DataFrame:
    """Initiatives per value of `dimension` (optionally split by a second one), long format.

    Multi-valued fields (themes, target groups) are exploded, so one initiative counts once
    under each of its themes; records whose field is empty count under "" (not published).
    """
    columns = [dimension] + ([split_by] if split_by else [])
    if vectorised is None:
        vectorised = len(table) > SMALL_TABLE
    if not vectorised:
        return _count_small(table, columns)
    return _count_vectorised(table, columns).sort_values(
        ["initiatives", *columns], ascending=[False, *[True] * len(columns)], ignore_index=True)


def _count_vectorised(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({dim: table[DIMENSIONS[dim]] for dim in columns})
    for dim in columns:
        if DIMENSIONS[dim] in MULTI_VALUED:
            frame[dim] = frame[dim].str.split(";")
            frame = frame.explode(dim)
    return frame.groupby(columns, sort=False).size().reset_index(name="initiatives")


def _count_small(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    values = []
    for dim in columns:
        cells = table[DIMENSIONS[dim]].tolist()
        values.append([c.split(";") for c in cells] if DIMENSIONS[dim] in MULTI_VALUED else [[c] for c in cells])
    counter: Counter[tuple[str, ...]] = Counter()
    for combination in zip(*values, strict=True):
        counter.update(product(*combination))
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))  # as the vectorised sort
    return pd.DataFrame({**{dim: [k[i] for k, _ in ordered] for i, dim in enumerate(columns)},
                         "initiatives": np.array([n for _, n in ordered], dtype="int64")})


@dataclass(frozen=True)
class Headline:
    """The four numbers every view leads with."""

    initiatives: int
    locations: int
    oblasts: int
    cso: int
    lsg: int


def headline(table: pd.DataFrame) -> Headline:
    grant = table["grant_type"]
    return Headline(
        initiatives=len(table),
        locations=table["location_id"].nunique(),
        oblasts=table["oblast_code"].nunique(),
        cso=int((grant == "cso").sum()),
        lsg=int((grant == "lsg").sum()),
    )
