"""Downloads on the real server, asked for over the websocket as a browser's click does (issue 32, item 3):
a session that asks for its Excel file 300 times at once gets one build, and another viewer is served."""

from __future__ import annotations

import asyncio
import random
import urllib.request

from bench.load import Client, Tally
from tests.conftest import run_async
from ui.downloads import BUSY_MESSAGE


async def explorer(url: str, seed: int) -> Client:
    client = Client(url, Tally(), random.Random(seed))
    client.page_name = "explorer"
    await client.connect()
    await client.open()
    assert {"download_xlsx", "download_csv"} <= set(client.files), client.files
    return client


def fetch(url: str) -> bytes:
    return urllib.request.urlopen(url, timeout=30).read()


async def flood_and_a_neighbour(url: str):
    """The answers, and the files they name fetched while both sessions are open (Streamlit lets a closed
    session's files go)."""
    flooder, neighbour = await explorer(url, 0), await explorer(url, 1)
    try:
        flood = await flooder.ask_for_file(flooder.files["download_xlsx"], times=300)
        (csv,) = await neighbour.ask_for_file(neighbour.files["download_csv"])
        (again,) = await flooder.ask_for_file(flooder.files["download_xlsx"])
        built = [answer.deferred_file.url for answer in flood if answer.deferred_file.url]
        files = [await asyncio.to_thread(fetch, url + path) for path in (built[:1] + [csv.deferred_file.url])]
        return flood, built, again, files
    finally:
        await flooder.ws.close()
        await neighbour.ws.close()


def test_a_flood_of_file_requests_builds_once_and_the_neighbour_is_served(server):
    flood, built, again, (workbook, csv) = run_async(flood_and_a_neighbour(server.url))
    refused = [answer for answer in flood if answer.error_msg == BUSY_MESSAGE]
    assert len(built) + len(refused) == 300 and refused, "the flood is refused while the file is built"
    assert len(built) < 30
    assert workbook.startswith(b"PK"), "an Excel file (a zip)"
    assert csv.decode("utf-8-sig").splitlines()[0].startswith("ID,Grant type (code),Grant type,"), "headed in English"
    assert again.deferred_file.url == built[0], "the same view's file, kept"
