"""The first response's map (ui.preview) is the map a session opened at the same URL is sent."""

from __future__ import annotations

import json
import re

import pytest

from tests.pages.conftest import map_args, run_app
from tests.pages.test_ayil_aimak_pages import KURAMA
from ui.data import dataset
from ui.preview import preview_markup
from ui.state import view_of_query

QUERIES = [{}, {"lang": "ru", "oblast": "KG-O"}, {"raion": "KG06242000000", "lang": "en"},
           {"present": "1", "lang": "ky"}, {"theme": "youth,nonsense", "shade": "lsg"}, {"aa": KURAMA},
           {"oblast": "KG-Q", "lang": "xx"}]


def preview_document(body: str) -> str:
    found = re.search(r'<script type="application/json" id="yj-preview-doc">(.*?)</script>', body, re.S)
    return json.loads(found.group(1))


@pytest.mark.parametrize("query", QUERIES)
def test_the_preview_holds_the_very_map_a_session_at_that_url_is_sent(query):
    at = run_app(query, map_drawn=False)  # a session's first run, as a browser opening the link makes it
    sent = map_args(at)
    session_view = at.session_state["_view"]
    view, shade = view_of_query({key: [value] for key, value in query.items()}, dataset())
    assert (view.lang, view.oblast, view.raion, view.ayil_aimak, view.present, view.filters) == (
        session_view.lang, session_view.oblast, session_view.raion, session_view.ayil_aimak, session_view.present,
        session_view.filters)
    head, body = preview_markup(view, shade)
    document = preview_document(body)
    assert sent["script"] in document  # the basemap: the same layers, view and zoom titles
    assert sent["feature_group"] in document  # the data layer: the same shading, labels, circles and tooltips
    assert f'<html lang="{session_view.lang}">' in document
    assert "#root{visibility:hidden" in head
