"""Shared fixtures: the newsletter, copies of the records to break, file fingerprints."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
NEWSLETTER = SEEDS / "000_a4c9b521b5731473.txt"
RECORDS_DIR = ROOT / "initiatives" / "data"


@pytest.fixture(scope="session")
def newsletter() -> str:
    assert NEWSLETTER.is_file(), f"the source newsletter must be at {NEWSLETTER}"
    return NEWSLETTER.read_text(encoding="utf-8")


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
