"""The drill path above every page: each step a way back, each filter a chip that removes itself (issue 12)."""

from __future__ import annotations

import pytest

from tests.conftest import raw_initiatives
from tests.pages.conftest import metrics, run_app

NOOKAT = "KG06242000000"


def shown(label: str) -> str:
    """A button label as the reader sees it (Markdown escapes removed)."""
    return label.replace("\\", "")


def crumbs(at) -> list[tuple[str, bool]]:
    return [(shown(b.label), b.disabled) for b in at.button if b.key and b.key.startswith("crumb_")]


def chip(at, label: str):
    (found,) = [b for b in at.button if b.key and b.key.startswith("chip_") and shown(b.label) == f"{label} ✕"]
    return found


@pytest.mark.parametrize("page", [None, "pages/themes.py", "pages/explorer.py"])
def test_the_path_names_where_the_view_is(page):
    at = run_app({"oblast": "KG-N", "location": "L13"}, page=page)
    assert crumbs(at) == [("All Kyrgyzstan", False), ("› Naryn Oblast", False), ("› Naryn", True)]


def test_each_step_goes_back_to_it():
    at = run_app({"oblast": "KG-N", "location": "L13"})
    [b for b in at.button if b.key == "crumb_1"][0].click().run()
    assert crumbs(at) == [("All Kyrgyzstan", False), ("› Naryn Oblast", True)] and "location" not in at.query_params
    [b for b in at.button if b.key == "crumb_0"][0].click().run()
    assert crumbs(at) == [] and metrics(at)["Initiatives"] == "50", "the whole country, unfiltered: no path to show"


def test_with_raions_the_raion_is_a_step(local_layers, monkeypatch):
    monkeypatch.setenv("YJ_LAYERS_DIR", str(local_layers))
    at = run_app({"raion": NOOKAT, "location": "L07", "lang": "ru"})
    assert [label for label, _ in crumbs(at)] == ["Весь Кыргызстан", "› Ошская область", "› Ноокатский район",
                                                  "› Ноокат"]
    [b for b in at.button if b.key == "crumb_2"][0].click().run()
    assert at.query_params["raion"] in (NOOKAT, [NOOKAT]) and "location" not in at.query_params


def test_a_chip_removes_its_filter_and_only_that():
    at = run_app({"theme": "youth,water", "grant_type": "cso", "q": "жаштар"})
    chip(at, "Youth participation").click().run()
    assert at.sidebar.multiselect(key="w_theme").value == ["water"]
    assert at.sidebar.multiselect(key="w_grant_type").value == ["cso"]
    chip(at, "“жаштар”").click().run()
    assert "q" not in at.query_params
    chip(at, "CSO grant").click().run()
    expected = sum("water" in r["themes"].split(";") for r in raw_initiatives())
    assert metrics(at)["Initiatives"] == str(expected)
