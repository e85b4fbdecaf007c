"""Static files on the real server (issue 32, item 11): a name no file system can hold is not found, and the
server logs no traceback for it."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


NAMES = {"255 letters": "a" * 255, "256 letters": "a" * 256, "5,000 letters": "b" * 5000,
         "200 Cyrillic letters (400 bytes) in a folder": "map/" + "ж" * 200, "a NUL and 300 letters": "\0" + "c" * 300}


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_a_static_name_that_cannot_exist_is_not_found(server, name):
    before = server.log.read_text()
    assert status(f"{server.url}/app/static/{urllib.parse.quote(name)}") in (400, 404)
    assert "Traceback" not in server.log.read_text()[len(before):]


def test_static_files_are_still_served(server):
    assert status(f"{server.url}/app/static/map/map-first.js") == 200
