"""Filtering and counting, checked against counts made directly from the CSV files."""

from collections import Counter

import pandas as pd
import pytest

from initiatives import Filters, apply_filters, count_by, headline, load_records, search_text
from initiatives.query import MAX_QUERY_CHARS, MAX_QUERY_WORDS, search_words
from tests.conftest import raw_initiatives


def raw():
    initiatives = raw_initiatives()
    return initiatives, {r["location_id"]: r["oblast_code"] for r in initiatives}


TABLE = load_records().table


def test_no_filter_keeps_everything():
    assert len(apply_filters(TABLE, Filters())) == 50


def test_filter_by_oblast():
    initiatives, oblast_of = raw()
    expected = sum(oblast_of[r["location_id"]] == "KG-J" for r in initiatives)
    assert len(apply_filters(TABLE, Filters(oblasts=("KG-J",)))) == expected == 14


def test_filter_by_theme_matches_whole_codes_only():
    initiatives, _ = raw()
    expected = {r["id"] for r in initiatives if "youth" in r["themes"].split(";")}
    assert set(apply_filters(TABLE, Filters(themes=("youth",)))["id"]) == expected


def test_filters_combine_with_and_values_with_or():
    initiatives, oblast_of = raw()
    expected = {r["id"] for r in initiatives
                if oblast_of[r["location_id"]] in ("KG-O", "KG-B")
                and {"youth", "cross_border"} & set(r["themes"].split(";"))
                and r["grant_type"] == "cso"}
    got = apply_filters(TABLE, Filters(oblasts=("KG-O", "KG-B"), themes=("youth", "cross_border"),
                                       grant_types=("cso",)))
    assert set(got["id"]) == expected and expected


def test_filter_by_target_group():
    initiatives, _ = raw()
    expected = {r["id"] for r in initiatives if "teachers" in r["target_groups"].split(";")}
    assert set(apply_filters(TABLE, Filters(target_groups=("teachers",)))["id"]) == expected == {"CSO-09"}


def test_text_search_is_case_insensitive_across_scripts():
    assert set(apply_filters(TABLE, Filters(text="GALS"))["id"]) == {"CSO-13"}
    assert set(apply_filters(TABLE, Filters(text="интербилим"))["id"]) == {"CSO-10"}
    assert set(apply_filters(TABLE, Filters(text="ozgon"))["id"]) == set()  # romanised with ö
    assert set(apply_filters(TABLE, Filters(text="özgön cso"))["id"]) == {"CSO-10"}
    haystack = search_text(TABLE)
    assert len(apply_filters(TABLE, Filters(text="tokmok"), haystack)) == 2


def test_count_by_theme_explodes_multi_valued_field():
    initiatives, _ = raw()
    expected = Counter(code for r in initiatives for code in (r["themes"].split(";") if r["themes"] else [""]))
    counts = count_by(TABLE, "theme")
    assert dict(zip(counts["theme"], counts["initiatives"], strict=False)) == expected


def test_count_by_oblast_split_by_grant_type():
    initiatives, oblast_of = raw()
    expected = Counter((oblast_of[r["location_id"]], r["grant_type"]) for r in initiatives)
    counts = count_by(TABLE, "oblast", split_by="grant_type")
    assert {(o, g): n for o, g, n in counts.itertuples(index=False)} == expected


def test_headline_numbers_follow_the_filter():
    h = headline(apply_filters(TABLE, Filters(oblasts=("KG-T",))))
    assert (h.initiatives, h.locations, h.oblasts, h.cso, h.lsg) == (4, 2, 1, 2, 2)


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """The real records and 3,000 synthetic ones: both sizes, both code paths."""
    from bench import synth
    synthetic = synth.write(tmp_path_factory.mktemp("synth"), 3000, 120)
    return [load_records().table, load_records(synthetic).table]


@pytest.mark.parametrize("filters", [
    Filters(), Filters(oblasts=("KG-O", "KG-B")), Filters(themes=("youth", "water")),
    Filters(grant_types=("lsg",)), Filters(target_groups=("women",), themes=("media",)),
    Filters(text="синтетикалык 12"), Filters(text="peace"), Filters(oblasts=("KG-N",), text="нарын"),
])
def test_small_and_vectorised_filters_agree(tables, filters):
    for table in tables:
        haystack = search_text(table)
        small = apply_filters(table, filters, haystack, vectorised=False)
        big = apply_filters(table, filters, haystack, vectorised=True)
        assert list(small["id"]) == list(big["id"])


@pytest.mark.parametrize("dimension, split_by", [
    ("theme", "grant_type"), ("oblast", "grant_type"), ("target_group", None), ("location", None),
    ("theme", "target_group"),
])
def test_small_and_vectorised_counts_agree(tables, dimension, split_by):
    for table in tables:
        small = count_by(table, dimension, split_by, vectorised=False)
        big = count_by(table, dimension, split_by, vectorised=True)
        assert small.to_dict("records") == big.to_dict("records")
        assert small["initiatives"].is_monotonic_decreasing


def test_a_search_is_bounded_in_words_and_length():
    assert search_words("water " * 2000) == ["water"]
    assert len(search_words(" ".join(f"w{i}" for i in range(2000)))) == MAX_QUERY_WORDS
    assert search_words("x" * 10_000) == ["x" * MAX_QUERY_CHARS]
    assert search_words("Ош  WATER ош") == ["ош", "water"]


class CountingHay(str):
    """A row's search text that counts how often a word is looked for in it."""

    calls = 0

    def __contains__(self, word):
        CountingHay.calls += 1
        return str.__contains__(self, word)


def test_the_cost_of_a_search_does_not_grow_with_the_words_sent():
    # A 2,000-word ?q= took 30 s of server time on 10,000 rows: every word was looked for in every row.
    haystack = pd.Series([CountingHay(h) for h in search_text(TABLE)], index=TABLE.index, dtype=object)
    CountingHay.calls = 0
    rows = apply_filters(TABLE, Filters(text="а " * 2000), haystack, vectorised=False)
    assert CountingHay.calls <= MAX_QUERY_WORDS * len(TABLE)
    assert len(rows) == int(search_text(TABLE).str.contains("а").sum())


def test_the_vectorised_search_looks_for_each_word_once(monkeypatch):
    from pandas.core.strings.accessor import StringMethods

    calls = []
    real = StringMethods.contains
    monkeypatch.setattr(StringMethods, "contains", lambda self, *a, **k: calls.append(a) or real(self, *a, **k))
    apply_filters(TABLE, Filters(text=" ".join(f"w{i}" for i in range(2000)) + " water " * 500), vectorised=True)
    assert len(calls) <= MAX_QUERY_WORDS
