"""Shared fixtures: the newsletter, copies of the records to break, file fingerprints."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
NEWSLETTER = SEEDS / "000_a4c9b521b5731473.txt"
BOUNDARIES = ROOT.parent / "shared" / "boundaries"
OFFICIAL_RAIONS = BOUNDARIES / "kgz_admbnda_adm2_moes_20181119.json"
INDICATORS = BOUNDARIES / "kgz_adm2_indicators_wfp_prism.json"
RECORDS_DIR = ROOT / "initiatives" / "data"
# The versioned store of every test and every server a test starts is a throw-away one, never local-data/: a
# test that saves a version makes its own (tests/unit/test_store.py, tests/e2e/test_editing.py).
os.environ["YJ_DATA_DIR"] = tempfile.mkdtemp(prefix="yj-test-data-")
os.environ.pop("YJ_DATABASE_URL", None)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """A throw-away PostgreSQL cluster on loopback for the whole run (tests/postgres.py); its URL."""
    from tests.postgres import cluster

    with cluster() as url:
        yield url


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """oidc-provider-mock on a loopback port, knowing the editor and another account (tests/e2e/signin.py)."""
    import oidc_provider_mock
    import werkzeug.serving

    from tests.e2e.conftest import free_port
    from tests.e2e.signin import EDITOR, OTHER_ACCOUNT

    users = [oidc_provider_mock.User(sub=sub, claims={"email": sub, "email_verified": True,
                                                     "name": sub.split("@")[0]})
             for sub in (EDITOR, OTHER_ACCOUNT)]
    server = werkzeug.serving.make_server("127.0.0.1", free_port(), oidc_provider_mock.app(user_claims=users),
                                          threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, one for the whole run: the browser tests' and the deployment tests' (two fixtures of
    one name would start Playwright twice in one thread, which it refuses)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    assert Path(CHROMIUM).exists(), "Debian's chromium is required (scripts/test.sh installs it)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """An empty database for one test, on each back end the store supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'versions.sqlite'}"
    from tests.postgres import new_database

    return new_database(request.getfixturevalue("postgres_server"))


@pytest.fixture(scope="session")
def newsletter() -> str:
    assert NEWSLETTER.is_file(), f"the source newsletter must be at {NEWSLETTER}"
    return NEWSLETTER.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def local_layers(tmp_path_factory) -> Path:
    """The official raion layer and indicators from ../shared imported once, as an officer would."""
    from geodata.coverage import read_indicator_source, write_indicators
    from geodata.importer import import_boundaries
    from initiatives import load_records

    for source in (OFFICIAL_RAIONS, INDICATORS):
        assert source.is_file(), f"{source.name} must be in {BOUNDARIES} (shared/boundaries)"
    folder = tmp_path_factory.mktemp("local-layers")
    import_boundaries(OFFICIAL_RAIONS, "raion", load_records().locations, out_dir=folder)
    write_indicators(read_indicator_source(INDICATORS), folder)
    return folder


@pytest.fixture(scope="session")
def raions(local_layers):
    from geodata.layers import read_admin_layer

    return read_admin_layer("raion", local_layers)


@pytest.fixture
def records_copy(tmp_path: Path) -> Path:
    """A writable copy of the committed records directory."""
    target = tmp_path / "records"
    shutil.copytree(RECORDS_DIR, target)
    return target


def run_async(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """asyncio.run in a thread of its own: once a test has used Playwright's sync API, its event loop
    runs in the main thread, and asyncio.run refuses to start another there."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def fingerprint(path: Path) -> str:
    """SHA-256 of a file, or of every file below a folder, to prove reading changed nothing."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def raw_initiatives() -> list[dict[str, str]]:
    """The committed initiatives straight from the CSV files (csv module only), each with its oblast.

    Tests compute expected values from this, independently of the loader under test.
    """
    import csv

    with (RECORDS_DIR / "locations.csv").open(encoding="utf-8") as f:
        oblast_of = {r["location_id"]: r["oblast_code"] for r in csv.DictReader(f)}
    with (RECORDS_DIR / "initiatives.csv").open(encoding="utf-8") as f:
        return [{**r, "oblast_code": oblast_of[r["location_id"]]} for r in csv.DictReader(f)]


def oblasts_only(folder: Path) -> Path:
    """A folder of the shipped oblast layers alone (for YJ_GEODATA_DIR): a dashboard with no raion layer
    anywhere, as a user trying other oblast layers has."""
    from geodata.layers import CONTEXT_FILE, OBLASTS_FILE

    folder.mkdir(parents=True, exist_ok=True)
    for layer in (OBLASTS_FILE, CONTEXT_FILE):
        shutil.copy(layer, folder / layer.name)
    return folder
