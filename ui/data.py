"""Cached access to the data layer: each file is read once per server (and again when it changes), not once per
rerun."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa
import streamlit as st

from geodata.ayil_aimaks import AyilAimaks
from geodata.checks import ayil_aimak_join, checked, with_raions
from geodata.coverage import INDICATORS_FILE, oblast_of_units, read_indicators
from geodata.join import JoinMatch, join_oblasts, join_raions
from geodata.lakes import lakes_of
from geodata.layers import (
    ADMIN_LEVELS,
    AYIL_AIMAK_POINTS_FILE,
    CONTEXT_FILE,
    GEODATA_DIR,
    LOCAL_LAYERS_DIR,
    OBLASTS_FILE,
    admin_layer_file,
    english_name,
    read_admin_layer,
    read_ayil_aimak_points,
    read_context,
    read_oblasts,
    unit_label,
)
from initiatives import DEFAULT_RECORDS, Records, RecordsError, load_records, search_text, vocab
from initiatives.problems import Problem
from initiatives.programme import FILE_NAME as PROGRAMME_FILE
from initiatives.programme import load_programme
from initiatives.sheets import path_kind
from initiatives.store import Store, StoreError, reason

RECORDS_ENV = "YJ_RECORDS"
GEODATA_ENV = "YJ_GEODATA_DIR"
LAYERS_ENV = "YJ_LAYERS_DIR"
COUNTRY_TOLERANCE_DEG = 0.01


def records_path() -> Path | None:
    """`streamlit run dashboard.py -- --records PATH`, else $YJ_RECORDS, else the committed data."""
    args = sys.argv[1:]
    if "--records" in args and args.index("--records") + 1 < len(args):
        return Path(args[args.index("--records") + 1])
    env = os.environ.get(RECORDS_ENV)
    return Path(env) if env else None


def geodata_dir() -> Path:
    """$YJ_GEODATA_DIR (boundary layers to try out before committing them), else geodata/: the oblasts, and
    the raions and their indicators the product ships."""
    env = os.environ.get(GEODATA_ENV)
    return Path(env) if env else GEODATA_DIR


def local_layers_dir() -> Path:
    """$YJ_LAYERS_DIR, else local-layers/: an officer's imports, which win over the shipped layers."""
    env = os.environ.get(LAYERS_ENV)
    return Path(env) if env else LOCAL_LAYERS_DIR


@dataclass(frozen=True)
class RaionData:
    """An imported raion layer with what the coverage view needs, computed once per dataset."""

    units: gpd.GeoDataFrame
    join: tuple[JoinMatch, ...]
    indicators: pd.DataFrame | None
    oblast_of: dict[str, str]  # unit P-code -> oblast iso code
    lakes: gpd.GeoDataFrame  # ky, ru, en, geometry: the layer's holes that are lakes

    def label(self, code: str, lang: str) -> str:
        """A unit's name in `lang` as the official layer gives it (English where a name is missing)."""
        row = self._names.get(code)
        return (row.get(lang) or row["en"]) if row else code

    def units_in(self, oblast: str) -> gpd.GeoDataFrame:
        """unit_code and geometry of the oblast's units; for "" every unit, simplified to ~1 km (a
        country-wide context shading must not weigh three times the rest of the map)."""
        if oblast not in self._shapes:
            units = self.units[self.units["unit_code"].isin(self.codes_in(oblast))][["unit_code", "geometry"]]
            if not oblast:
                units = units.assign(geometry=units.geometry.simplify(COUNTRY_TOLERANCE_DEG, preserve_topology=True))
            self._shapes[oblast] = units
        return self._shapes[oblast]

    def lakes_in(self, oblast: str, lang: str) -> tuple[tuple[str, dict], ...]:
        """(name, GeoJSON geometry) of the lakes within the oblast's units' extent (every lake for "")."""
        extent = shapely.box(*self.units_in(oblast).total_bounds)
        return tuple((row[lang], row.geometry.__geo_interface__) for _, row in self.lakes.iterrows()
                     if row.geometry.intersects(extent))

    @cached_property
    def _shapes(self) -> dict[str, gpd.GeoDataFrame]:
        return {}

    def codes_in(self, oblast: str) -> list[str]:
        """The oblast's units (every unit for ""), raions before cities, each group by English name."""
        return [code for code in self._order if not oblast or self.oblast_of.get(code) == oblast]

    @cached_property
    def _names(self) -> dict[str, dict[str, str]]:
        return {row.unit_code: {"ky": unit_label(row.name_ky, row.unit_type, "ky"),
                                "ru": unit_label(row.name_ru, row.unit_type, "ru"),
                                "en": english_name(row.name_ky, row.unit_type, row.name_en)}
                for row in self.units.itertuples()}

    @cached_property
    def _order(self) -> list[str]:
        units = self.units.sort_values(["unit_type", "name_en"], key=lambda c: c.map({"raion": 0, "city": 1})
                                       if c.name == "unit_type" else c)
        return list(units["unit_code"])


@dataclass(frozen=True)
class Dataset:
    """Everything the pages read; built once per records file and shared, never mutated."""

    records: Records
    programme: dict
    haystack: pd.Series
    oblasts: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    ayil_aimaks: AyilAimaks | None  # the admin-3 units, as points (shipped) or imported polygons
    join: tuple[JoinMatch, ...]
    raions: RaionData | None  # only where an official raion layer has been imported
    oblast_codes: frozenset[str]  # those with initiatives; precomputed: set() over 50,000 rows costs ~50 ms
    location_ids: frozenset[str]
    version: str  # the files read and their change stamp: what caches of views of this dataset are keyed on


RECORD_FILES = ("initiatives.csv", "locations.csv", "outputs.csv")  # what load_records reads from a folder
MAX_SOURCES = 4  # datasets kept at once: one per records source (a process normally has one)


def files_read(path: Path | None, layers: Path, local: Path) -> list[Path]:
    """Every file a dataset is built from, and no other: 30,000 unrelated files beside the records made each
    rerun stat them all (175 ms against 18)."""
    records = path or DEFAULT_RECORDS
    from_records = [records / name for name in RECORD_FILES] if path_kind(records)[0] == "dir" else [records]
    return [*from_records, layers / OBLASTS_FILE.name, layers / CONTEXT_FILE.name,
            *(admin_layer_file(level, folder) for level in ADMIN_LEVELS for folder in (local, layers)),
            local / INDICATORS_FILE, layers / INDICATORS_FILE, layers / AYIL_AIMAK_POINTS_FILE.name,
            *(vocab.DATA_DIR / f"{name}.csv" for name in vocab.NAMES), vocab.DATA_DIR / PROGRAMME_FILE]


def content_stamp(files: list[Path]) -> str:
    """What tells one content of these files from another without reading them: each file's size, inode,
    modification and change times. Not the newest modification time alone: a backup restored with `cp -p`,
    `rsync -a`, `tar` or `unzip` carries its old time, and the app went on showing what it replaced."""
    parts = []
    for file in files:
        try:
            s = file.stat()
        except OSError as err:  # missing or unreadable: the load that follows says so
            parts.append(f"{file}:{err.errno}")
            continue
        parts.append(f"{file}:{s.st_size}:{s.st_ino}:{s.st_dev}:{s.st_mtime_ns}:{s.st_ctime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


Source = tuple[str | None, str, str]
_LIVE: OrderedDict[Source, tuple[str, Dataset | RecordsError]] = OrderedDict()  # source -> (stamp, built)
_LIVE_LOCK = threading.Lock()
_BUILDING: dict[Source, threading.Lock] = {}


def _dataset(path: str | None, layers: str, local: str, stamp: str) -> Dataset | RecordsError:
    """The dataset, or why it cannot be built: a failure is kept too, so that every page load of a broken file
    does not repeat the (possibly long) checking, but only while the files stay as they were. One live
    dataset per source: a new content replaces the old (at 100,000 rows each one kept was ~200 MB)."""
    source = (path, layers, local)
    with _LIVE_LOCK:
        live = _LIVE.get(source)
        if live and live[0] == stamp:
            return live[1]
        building = _BUILDING.setdefault(source, threading.Lock())
    with building:  # viewers who arrive meanwhile wait for this build instead of making their own
        with _LIVE_LOCK:
            live = _LIVE.get(source)
            if live and live[0] == stamp:
                return live[1]
        try:
            built: Dataset | RecordsError = _build_dataset(path, layers, local, stamp)
        except RecordsError as err:
            built = err
        with _LIVE_LOCK:
            _LIVE[source] = (stamp, built)
            _LIVE.move_to_end(source)
            while len(_LIVE) > MAX_SOURCES:
                _LIVE.popitem(last=False)
        return built


def _build_dataset(path: str | None, layers: str, local: str, stamp: str) -> Dataset:
    oblasts = read_oblasts(Path(layers) / OBLASTS_FILE.name)
    units = read_admin_layer("raion", Path(local), Path(layers))
    records = load_records(Path(path) if path else None)
    oblast_join = tuple(join_oblasts(records.locations, oblasts))
    raion_join = None if units is None else tuple(join_raions(records.locations, units))
    # The points are read once: the join checks the records against them, the map draws them.
    points = read_ayil_aimak_points(Path(layers) / AYIL_AIMAK_POINTS_FILE.name)
    aa_join = None if units is None else ayil_aimak_join(records.locations, raion_join, units, points)
    checked(records, oblast_join, raion_join, aa_join)  # each join made once: checked here, shown by the pages
    if units is not None:
        records = with_raions(records, raion_join, units, aa_join)
    table = records.table
    raions = None if units is None else RaionData(units, raion_join, read_indicators(Path(local), Path(layers)),
                                                  oblast_of_units(units, oblasts), lakes_of(units))
    polygons = read_admin_layer("ayil_aimak", Path(local), Path(layers))  # read (and checked) wherever present
    ayil_aimaks = None if points is None or units is None else AyilAimaks(points, polygons)
    return Dataset(records, load_programme(), search_text(table), oblasts,
                   read_context(Path(layers) / CONTEXT_FILE.name), ayil_aimaks, oblast_join, raions,
                   frozenset(table["oblast_code"].unique()), frozenset(table["location_id"].unique()),
                   f"{path}|{layers}|{local}|{stamp}")


_STORES: dict[str, Store] = {}
_STORES_LOCK = threading.Lock()


def store() -> Store:
    """The versioned store (initiatives.store), opened once per process; raises RecordsError when it cannot be
    reached, so the page says so instead of a traceback."""
    from initiatives.store import database_url

    url = database_url()
    with _STORES_LOCK:
        if url not in _STORES:
            try:
                _STORES[url] = Store(url)
            except StoreError as err:
                raise RecordsError([Problem("(store)", 0, "(database)", str(err))]) from None
        return _STORES[url]


def editable() -> bool:
    """Whether the records come from the store (and so can be edited): not with --records or $YJ_RECORDS, which
    open files read-only, for trying data out."""
    return records_path() is None


def current_version() -> int:
    """The store's current version: asked on every page run, so a save by any process behind the proxy is
    seen on the next interaction."""
    with store_problems():
        return store().current()


@contextmanager
def store_problems() -> Iterator[None]:
    """The database going away after it was opened: a readable page (RecordsError), not a traceback."""
    try:
        yield
    except (sa.exc.SQLAlchemyError, OSError) as err:
        raise RecordsError([Problem("(store)", 0, "(database)", f"{store().safe_url}: {reason(err)}")]) from None


def dataset() -> Dataset:
    """The current dataset; raises RecordsError for bad input or boundaries (the caller shows it)."""
    path = records_path()
    if path is None:
        number = current_version()
        with store_problems():
            path = store().folder(number)
    layers, local = geodata_dir(), local_layers_dir()
    stamp = content_stamp(files_read(path, layers, local))
    built = _dataset(str(path) if path else None, str(layers), str(local), stamp)
    if isinstance(built, RecordsError):
        raise built
    return built


@st.cache_data(show_spinner=False)
def geojson_dict(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def digest(*parts: Hashable) -> str:
    """A short cache key for what a view shows: Streamlit's own hashing of a DataFrame or of a long
    tuple of counts costs more than building a small chart."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()
