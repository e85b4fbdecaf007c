"""The first response's map (ui.preview): its cache is bounded, a slow build never holds the page back, and
record text reaches it only as text."""

from __future__ import annotations

import json
import re
import threading

import pytest

from initiatives.export import to_csv
from initiatives.records import load_records
from tests.conftest import oblasts_only, run_async
from tests.e2e.test_hostile_text import PAYLOAD
from ui import preview
from ui.data import dataset
from ui.state import view_of_query

PAGE = '<html><head><meta charset="UTF-8" /><link rel="stylesheet" crossorigin href="./static/css/index.css">' \
       '</head><body><div id="root"></div></body></html>'


@pytest.fixture
def fresh_cache(monkeypatch):
    monkeypatch.setattr(preview, "_CACHE", type(preview._CACHE)())
    monkeypatch.setattr(preview, "_BUILDING", {})


def test_the_cache_keeps_the_views_used_last_and_no_more(fresh_cache, monkeypatch):
    monkeypatch.setattr(preview, "preview_markup", lambda view, shade, location: (f"<b>{view}</b>", ""))
    for number in range(preview.CACHED_PREVIEWS + 10):
        preview._build(("version", number), number, "all", False)
    preview._build(("version", 10), 10, "all", False)  # used again: kept
    preview._build(("version", "new"), "new", "all", False)
    assert preview.cached_views() == preview.CACHED_PREVIEWS
    kept = {key[1] for key in preview._CACHE}
    assert 10 in kept and "new" in kept and 11 not in kept and 0 not in kept


def test_a_slow_build_gives_the_page_without_its_preview_and_the_next_viewer_gets_it(fresh_cache, monkeypatch):
    release = threading.Event()

    def slow(view, shade, location):
        release.wait(10)
        return "<i>head</i>", "<i>body</i>"

    monkeypatch.setattr(preview, "preview_markup", slow)
    monkeypatch.setattr(preview, "PREVIEW_WAIT_S", 0.05)
    assert run_async(preview.preview_for({"oblast": ["KG-O"]})) is None
    release.set()
    preview.preview_future({"oblast": ["KG-O"]}).result(10)  # the build the first viewer started, not another
    assert run_async(preview.preview_for({"oblast": ["KG-O"]})) == ("<i>head</i>", "<i>body</i>")
    assert preview.cached_views() == 1


def test_the_preview_goes_first_in_the_head_and_before_the_root_with_streamlits_stylesheet_after_it():
    page = preview.with_preview(PAGE, ("<style>h</style>", "<div id=yj-preview></div><script>p</script>"))
    assert page.index("<style>h</style>") == page.index("<head>") + len("<head>")
    assert page.index("<script>p</script>") < page.index('<link rel="stylesheet"') < page.index('<div id="root">')
    assert page.count('<link rel="stylesheet"') == 1
    assert preview.with_preview(PAGE, None) == PAGE


def test_record_text_reaches_the_preview_only_as_text(tmp_path, monkeypatch, fresh_cache):
    table = load_records().table
    published = table["source_status"] == "published"
    for field in ("place_as_printed", "settlement_ky", "settlement_ru", "grantee", "title_ky"):
        rows = published if field in ("grantee", "title_ky") else slice(None)
        table.loc[rows, field] = table.loc[rows, field] + " " + PAYLOAD
    records = tmp_path / "hostile.csv"
    records.write_text(to_csv(table), encoding="utf-8")
    monkeypatch.setenv("YJ_RECORDS", str(records))
    monkeypatch.setenv("YJ_GEODATA_DIR", str(oblasts_only(tmp_path / "geodata")))
    view, shade = view_of_query({"lang": ["ky"], "oblast": ["KG-N"]}, dataset())
    head, body = preview.preview_markup(view, shade)
    assert "<" not in re.sub(r"</?script[^>]*>|<div id=\"yj-preview\"[^>]*>|</div>", "", body.split("<script>")[0])
    document = json.loads(re.search(r'id="yj-preview-doc">(.*?)</script>', body, re.S).group(1))
    assert "onerror" in document, "the hostile place name is on the map"
    assert "<img src=x" not in document and "<script>window.__pwned" not in document
    # Braces as entities, as on the live map (in the layer's JSON, `&` is written \u0026).
    assert '{{ "ev"' not in document and re.search(r"(&|\\u0026)#123;(&|\\u0026)#123;", document)
