"""The coverage-and-need page, with the official raion layer and indicators imported (issue 11, item 4)."""

from __future__ import annotations

import pytest

from tests.conftest import raw_initiatives
from tests.pages.conftest import metrics, run_app
from tests.unit.test_raions import CHECKED


@pytest.fixture
def with_raions(local_layers, monkeypatch):
    monkeypatch.setenv("YJ_LAYERS_DIR", str(local_layers))


def coverage(query: dict[str, str] | None = None):
    at = run_app(query, page="pages/coverage.py")
    return at, at.dataframe[0].value


def test_every_raion_and_city_with_its_numbers(with_raions):
    at, table = coverage()
    assert len(table) == 53
    units_with = {unit for unit, _ in CHECKED.values() if unit}
    numbers = metrics(at)
    assert (numbers["Raions and cities"], numbers["With no initiative"]) == ("53", str(53 - len(units_with)))
    poorest_without = table[table["Marks"] == "no initiative, poorest quarter"]
    assert numbers["No initiative, among the poorest"] == str(len(poorest_without)) != "0"
    unplaced = sum(r["location_id"] in {loc for loc, (unit, _) in CHECKED.items() if unit is None}
                   for r in raw_initiatives())
    assert any(f"{unplaced} initiatives in view are known only to their oblast" in c.value for c in at.caption)
    assert any("OCHA COD-AB" in c.value and "WFP PRISM" in c.value for c in at.caption), "sources and years"


def test_need_first_puts_the_poorest_without_initiatives_on_top(with_raions):
    _, table = coverage()
    top = table.iloc[0]
    assert top["Marks"] == "no initiative, poorest quarter"
    assert top["Poverty, % (2020)"] == table[table["Marks"] == top["Marks"]][
        "Poverty, % (2020)"].max()


def test_the_oblast_filter_and_the_language_follow(with_raions):
    at, table = coverage({"oblast": "KG-N", "lang": "ru"})
    assert len(table) == 6 and "Область" not in table.columns, "one oblast: its name is not repeated on every row"
    assert "Ат-Башынский район" in set(table["Район или город"]), "Russian names, and At-Bashy as the source names it"
    assert "Ноокатский район" not in set(table["Район или город"])
    _, country = coverage({"lang": "ru"})
    assert set(country["Область"]) >= {"Нарынская область", "Ошская область"} and len(country) > 6
    assert at.title[0].value == "Охват и потребности"


def test_a_theme_filter_changes_the_counts(with_raions):
    _, everything = coverage()
    _, youth = coverage({"theme": "youth"})
    assert youth["Initiatives"].sum() < everything["Initiatives"].sum()


def test_without_any_raion_layer_the_about_page_says_how_to_add_one(no_raion_layer):
    at = run_app(page="pages/about.py")
    assert any("python -m geodata import-boundaries FILE --level raion" in c.value for c in at.caption)


def test_out_of_the_box_the_about_page_credits_the_shipped_raion_layer():
    at = run_app(page="pages/about.py")
    assert not any("import-boundaries" in c.value for c in at.caption)
    credits = " ".join(m.value for m in at.markdown)
    assert "COD-AB" in credits and "CC BY-IGO" in credits and "WFP PRISM" in credits


def test_the_about_page_says_what_the_move_of_three_places_changed():
    at = run_app(page="pages/about.py")
    text = " ".join(t.value for t in at.text)
    assert "Kurama and Lenin in Chüy, Kargalyk in Jalal-Abad" in text
    assert "Alamüdün and Toguz-Toro are no longer among the poorest raions with no initiative" in text
    coverage = run_app(page="pages/coverage.py")
    poor_and_none = coverage.dataframe[0].value
    marks = poor_and_none["Marks"]
    names = set(poor_and_none.loc[marks.str.contains("no initiative") & marks.str.contains("poorest"),
                                  "Raion or city"])
    assert names and not names & {"Alamüdün", "Toguz-Toro"}


@pytest.mark.parametrize("lang, shown", [("ky", "**Ынтымактуу Жашоо**"),
                                         ("en", "**Ынтымактуу Жашоо** — Living in Harmony")])
def test_the_about_page_names_the_programme_once_in_kyrgyz(lang, shown):
    """Issue 31: the Kyrgyz About page read "Ынтымактуу Жашоо — Ынтымактуу Жашоо"."""
    at = run_app({"lang": lang}, page="pages/about.py")
    assert at.markdown[0].value == shown
