"""Forged widget values sent over the websocket, as a client without a browser can (issue 14).

The client speaks Streamlit's protocol as bench.load does: it opens the page, learns the widget ids
from what the server draws, then sends a value no widget could have produced. Each one must be
refused without an error: the run finishes, no exception is drawn, and the view falls back.
"""

from __future__ import annotations

import json
import random

import pytest

from bench.load import Client, Tally
from tests.conftest import run_async

FORGED = [
    ("unknown oblast", "w_oblast", "string_value", "KG-X", "50"),
    ("markup as an oblast", "w_oblast", "string_value", "<img src=x onerror=alert(1)>", "50"),
    ("100,000-character oblast", "w_oblast", "string_value", "x" * 100_000, "50"),
    ("a boolean for a selectbox", "w_oblast", "bool_value", True, "50"),
    ("unknown language", "w_lang", "string_value", "xx", "50"),
    ("a number for the language", "w_lang", "int_value", 7, "50"),
    ("unknown themes", "w_theme", "string_array_value", ["nope", "{{7*7}}"], "50"),
    ("a thousand unknown target groups", "w_target_group", "string_array_value", ["x"] * 1000, "50"),
    ("a string for a multiselect", "w_grant_type", "string_value", "cso", None),
    ("a search of 20,000 words", "w_q", "string_value", "water " * 20_000, None),
    ("a string for the presentation toggle", "w_present", "string_value", "yes", "50"),
    ("unknown map shading", "w_shade", "string_value", "evil", "50"),
    ("unknown location", "w_location", "string_value", "L99", "50"),
    ("map click that is not JSON", "map", "json_value", "not json", "50"),
    ("map click that is a list", "map", "json_value", "[1, 2, 3]", "50"),
    ("map click without properties", "map", "json_value", '{"last_active_drawing": "L01"}', "50"),
    ("map click with lists for codes", "map", "json_value",
     json.dumps({"last_active_drawing": {"properties": {"iso_code": ["KG-O"], "location_id": {"a": 1}}}}), "50"),
]


async def send_forged(url: str, key: str, field: str, value: object) -> tuple[Client, float]:
    client = Client(url, Tally(), random.Random(0))
    await client.connect()
    try:
        await client.open()  # the page as a browser opens it
        assert key in client.ids, f"the page drew no widget '{key}' ({sorted(client.ids)})"
        client.tally = Tally()  # count only what the forged value causes
        client.set(key, field, value)
        seconds = await client.rerun()
        await client.rerun()  # and the session still answers afterwards
        return client, seconds
    finally:
        await client.ws.close()


@pytest.mark.parametrize("name, key, field, value, initiatives", FORGED, ids=[f[0] for f in FORGED])
def test_a_forged_widget_value_is_refused_without_an_error(server, name, key, field, value, initiatives):
    client, _ = run_async(send_forged(server.url, key, field, value))
    assert client.tally.errors == [], client.tally.errors
    assert client.tally.initiatives_shown, "the page still draws its numbers"
    if initiatives:
        assert client.tally.initiatives_shown == {initiatives}, client.tally.initiatives_shown


async def forged_first_message(url: str, key: str, field: str, value: object) -> Client:
    """A new session whose very first message carries the forged value (ids learned from another session)."""
    scout = Client(url, Tally(), random.Random(0))
    await scout.connect()
    try:
        await scout.open()
    finally:
        await scout.ws.close()
    client = Client(url, Tally(), random.Random(1))
    client.ids = dict(scout.ids)
    client.set(key, field, value)
    await client.connect()
    try:
        await client.rerun()
        await client.rerun()
        return client
    finally:
        await client.ws.close()


@pytest.mark.parametrize("name, key, field, value, initiatives", FORGED, ids=[f[0] for f in FORGED])
def test_a_forged_value_in_a_sessions_first_message_is_refused(server, name, key, field, value, initiatives):
    client = run_async(forged_first_message(server.url, key, field, value))
    assert client.tally.errors == [], client.tally.errors
    assert client.tally.initiatives_shown, "the page still draws its numbers"
