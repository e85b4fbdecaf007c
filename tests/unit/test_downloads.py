"""One session cannot block every viewer's downloads (issue 32, item 3).

The handler is taken from the dispatcher a new session gets, so the test fails where Streamlit's own
unbounded handler is still in place. The media-file manager is a stand-in whose build of one file waits
until the test lets it go: what the handler does meanwhile is then certain, not a race.
"""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace

import pytest
from streamlit.proto.BackMsg_pb2 import BackendOperationRequest
from streamlit.runtime import app_session

from tests.conftest import ROOT, run_async
from ui import downloads

SLOW, QUICK = "excel-of-session-a", "csv-of-session-b"


class MediaFiles:
    """Builds QUICK at once and SLOW once released; records what it built and on which thread."""

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        self.built: list[tuple[str, str]] = []

    def execute_deferred(self, file_id: str) -> str:
        self.built.append((file_id, threading.current_thread().name))
        if file_id == SLOW:
            self.started.set()
            assert self.release.wait(30)
        return f"/media/{file_id}"


def request(file_id: str, number: int) -> BackendOperationRequest:
    sent = BackendOperationRequest(request_id=f"r{number}")
    sent.deferred_file.file_id = file_id
    return sent


@pytest.fixture
def media(monkeypatch) -> MediaFiles:
    files = MediaFiles()
    monkeypatch.setattr(app_session.runtime, "get_instance", lambda: SimpleNamespace(media_file_mgr=files))
    return files


def session_handler():
    """The deferred-file handler of a session created after the app's start-up (dashboard.py installs ours)."""
    downloads.install()
    session = SimpleNamespace(_script_data=SimpleNamespace(main_script_path=str(ROOT / "dashboard.py")))
    return app_session.AppSession._create_backend_operation_dispatcher(session)._handlers["deferred_file"]


def test_a_flood_from_one_session_is_refused_and_other_viewers_are_served(media):
    handler = session_handler()

    async def scenario():
        first = asyncio.create_task(handler.handle(request(SLOW, 0), "session-a"))
        while not media.started.is_set():
            await asyncio.sleep(0.01)
        flood = await asyncio.wait_for(asyncio.gather(
            *(handler.handle(request(SLOW, n), "session-a") for n in range(1, 3001))), 10)
        shared_pool_free = await asyncio.wait_for(asyncio.to_thread(lambda: "free"), 10)
        other = await asyncio.wait_for(handler.handle(request(QUICK, 3001), "session-b"), 10)
        media.release.set()
        return await first, flood, shared_pool_free, other

    first, flood, shared_pool_free, other = run_async(scenario())
    assert {r.error_msg for r in flood} == {downloads.BUSY_MESSAGE}
    assert other.deferred_file.url == f"/media/{QUICK}" and first.deferred_file.url == f"/media/{SLOW}"
    assert shared_pool_free == "free"
    assert [file for file, _ in media.built] == [SLOW, QUICK], "the flood built nothing"
    assert all(thread.startswith("yj-download") for _, thread in media.built), "built off the shared pool"


def test_after_a_build_the_session_may_ask_again(media):
    handler = session_handler()
    media.release.set()

    async def twice():
        return [await handler.handle(request(SLOW, n), "session-a") for n in range(2)]

    assert [r.deferred_file.url for r in run_async(twice())] == [f"/media/{SLOW}"] * 2


def test_a_view_is_built_once_however_many_ask():
    cache = downloads.FileCache()
    calls = []
    gate = threading.Event()

    def build() -> bytes:
        calls.append(1)
        gate.wait(10)
        return b"xlsx bytes"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("view", build))) for _ in range(8)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join(10)
    assert results == [b"xlsx bytes"] * 8 and len(calls) == 1


def test_the_cache_keeps_within_its_count_and_bytes():
    cache = downloads.FileCache(max_files=3, max_bytes=100)
    for n in range(5):
        cache.get(f"v{n}", lambda: b"x" * 30)
    assert cache.get("v4", lambda: b"rebuilt") == b"x" * 30  # the newest stays
    assert cache.get("v0", lambda: b"rebuilt") == b"rebuilt"  # the oldest went
    cache.get("huge", lambda: b"x" * 101)
    assert cache.get("huge", lambda: b"again") == b"again"  # over the budget: served, never kept


class Lanes(MediaFiles):
    """Streamlit's manager as far as the handler reads it: the deferred callables by file id. Every heavy
    build waits until released; a light one is built at once."""

    def __init__(self, heavy: list[str], light: list[str]) -> None:
        super().__init__()
        self.waiting = threading.Semaphore(0)
        self._deferred_callables = {
            **{f: {"callable": downloads.Build(f, lambda: b"", heavy=True)} for f in heavy},
            **{f: {"callable": downloads.Build(f, lambda: b"", heavy=False)} for f in light}}

    def execute_deferred(self, file_id: str) -> str:
        self.built.append((file_id, threading.current_thread().name))
        if self._deferred_callables[file_id]["callable"].heavy:
            self.waiting.release()
            assert self.release.wait(30)
        return f"/media/{file_id}"


def test_a_cheap_download_never_waits_behind_expensive_ones(monkeypatch):
    """On the code before: every session shared two build workers, so with two briefs building another
    viewer's CSV waited for them (here: for ever, until released)."""
    briefs = [f"brief-of-session-{n}" for n in range(6)]
    files = Lanes(heavy=briefs, light=["csv-of-the-viewer"])
    monkeypatch.setattr(app_session.runtime, "get_instance", lambda: SimpleNamespace(media_file_mgr=files))
    handler = session_handler()

    async def scenario():
        building = [asyncio.create_task(handler.handle(request(f, n), f"s{n}")) for n, f in enumerate(briefs)]
        for _ in range(downloads.BUILD_WORKERS):  # the heavy lane is full, the rest queue behind it
            await asyncio.to_thread(files.waiting.acquire, True, 10)
        csv = await asyncio.wait_for(handler.handle(request("csv-of-the-viewer", 99), "viewer"), 10)
        files.release.set()
        return csv, await asyncio.gather(*building)

    csv, built = run_async(scenario())
    assert csv.deferred_file.url == "/media/csv-of-the-viewer"
    assert [r.deferred_file.url for r in built] == [f"/media/{f}" for f in briefs]
    threads = dict(files.built)
    assert threads["csv-of-the-viewer"].startswith("yj-download-light")
    assert all(threads[f].startswith("yj-download-heavy") for f in briefs)


def test_a_file_already_built_is_handed_over_in_the_light_lane():
    key = "a-view-built-before"
    downloads.FILES.get(key, lambda: b"brief")
    manager = SimpleNamespace(_deferred_callables={"id": {"callable": downloads.Build(key, lambda: b"", True)}})
    assert downloads.lane_of(manager, "id") == downloads.LIGHT
    unbuilt = SimpleNamespace(_deferred_callables={"id": {"callable": downloads.Build("new", lambda: b"", True)}})
    assert downloads.lane_of(unbuilt, "id") == downloads.HEAVY
    assert downloads.lane_of(SimpleNamespace(), "id") == downloads.HEAVY, "unknown: the safe lane"
