"""The download buttons and the server side of what they ask for.

A download button with a callable is "deferred": the browser asks for the file over the websocket, and
Streamlit 1.67 runs the callable in the event loop's default thread pool (asyncio.to_thread), the one
every session's other work shares. A client that asks 3,000 times in 0.06 s queued 3,000 builds there, and
another viewer's one-oblast CSV waited 78 s. So here:
- one build per session and lane at a time: a request while the session's last one is still being built
  is refused at once, on the event loop, at no cost;
- builds run in small pools of their own, never in the shared one, in two lanes: a cheap file (a CSV, or
  any file already built) never waits behind expensive ones (a brief, Excel, IATI);
- each view's file is built once and kept (bounded by count and bytes), so a second click, or a
  second viewer of the same view, costs nothing.

`install()` puts the handler in place of Streamlit's own for every new session (it patches
`AppSession._create_backend_operation_dispatcher`; tests/e2e/test_downloads_server.py checks it).
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pandas as pd
import streamlit as st
from streamlit.proto.BackMsg_pb2 import BackendOperationRequest
from streamlit.proto.ForwardMsg_pb2 import BackendOperationResponse, DeferredFileResponsePayload
from streamlit.runtime import app_session
from streamlit.runtime.media_file_manager import MediaFileManager

from initiatives import export, xlsx
from initiatives.brief import brief_pdf, data_version
from initiatives.iati import to_iati
from initiatives.query import Filters
from initiatives.records import JOINED_COLUMNS
from ui.charts import labelled_counts
from ui.data import Dataset, digest
from ui.i18n import t
from ui.state import View

_LOGGER = logging.getLogger(__name__)
BUILD_WORKERS = 2  # per lane: a 10-s Excel of 100,000 rows leaves room for another
BUSY_MESSAGE = "This page's last download is still being prepared; try again in a moment."
MAX_CACHED_FILES = 32
MAX_CACHED_BYTES = 64 * 2**20
HEAVY, LIGHT = "heavy", "light"

# Two lanes: the brief, Excel and IATI take seconds each; a CSV of a view takes milliseconds, and must never
# wait behind thirty sessions' briefs (with one shared pair of workers it waited 0.84 s at the median).
_POOLS = {lane: ThreadPoolExecutor(BUILD_WORKERS, thread_name_prefix=f"yj-download-{lane}") for lane in (HEAVY, LIGHT)}
_BUILDING: set[tuple[str, str]] = set()  # (session, lane) with a build under way; on the event loop only


def lane_of(media_files: MediaFileManager, file_id: str) -> str:
    """Which lane builds a deferred file: light for a cheap kind or a file already built (it is only handed
    over), heavy for everything else, including a callable this module did not make. Streamlit keeps the
    callable in `MediaFileManager._deferred_callables`, which the pinned version has; without it, heavy."""
    entry = getattr(media_files, "_deferred_callables", {}).get(file_id)
    build = entry.get("callable") if isinstance(entry, dict) else None
    if isinstance(build, Build) and (not build.heavy or build.ready()):
        return LIGHT
    return HEAVY


class OneBuildPerSession:
    """Streamlit's deferred-file handler, bounded: see the module's docstring."""

    def __init__(self, media_files: Callable[[], MediaFileManager]) -> None:
        self._media_files = media_files

    async def handle(self, request: BackendOperationRequest, session_id: str) -> BackendOperationResponse:
        media_files = self._media_files()
        file_id = request.deferred_file.file_id
        lane = lane_of(media_files, file_id)
        if (session_id, lane) in _BUILDING:
            return BackendOperationResponse(request_id=request.request_id, error_msg=BUSY_MESSAGE)
        _BUILDING.add((session_id, lane))
        try:
            url = await asyncio.get_running_loop().run_in_executor(_POOLS[lane], media_files.execute_deferred,
                                                                   file_id)
        except Exception:  # as Streamlit's own handler: logged, and the browser says the download failed
            _LOGGER.exception("building the file %s failed", file_id)
            return BackendOperationResponse(request_id=request.request_id,
                                            error_msg="Failed to generate file for download")
        finally:
            _BUILDING.discard((session_id, lane))
        return BackendOperationResponse(request_id=request.request_id,
                                        deferred_file=DeferredFileResponsePayload(url=url))


_UNBOUNDED_DISPATCHER = app_session.AppSession._create_backend_operation_dispatcher


def _bounded_dispatcher(self: app_session.AppSession):
    dispatcher = _UNBOUNDED_DISPATCHER(self)
    dispatcher.register("deferred_file", OneBuildPerSession(lambda: app_session.runtime.get_instance().media_file_mgr))
    return dispatcher


def install() -> None:
    """Idempotent; for the sessions created after it (call it when the server starts)."""
    app_session.AppSession._create_backend_operation_dispatcher = _bounded_dispatcher


class FileCache:
    """Built files by view key, least recently used first out, within a count and a byte budget; a key being
    built by one thread is waited for by the others, not built twice."""

    def __init__(self, max_files: int = MAX_CACHED_FILES, max_bytes: int = MAX_CACHED_BYTES) -> None:
        self.max_files, self.max_bytes = max_files, max_bytes
        self._files: OrderedDict[str, bytes | str] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}

    def get(self, key: str, build: Callable[[], bytes | str]) -> bytes | str:
        with self._lock:
            if key in self._files:
                self._files.move_to_end(key)
                return self._files[key]
            guard = self._building.setdefault(key, threading.Lock())
        with guard:
            with self._lock:
                if key in self._files:
                    return self._files[key]
            try:
                data = build()
            finally:  # a failed build leaves no lock behind: the next click builds afresh
                with self._lock:
                    self._building.pop(key, None)
            with self._lock:
                self._keep(key, data)
            return data

    def ready(self, key: str) -> bool:
        with self._lock:
            return key in self._files

    def _keep(self, key: str, data: bytes | str) -> None:
        size = len(data)
        if size > self.max_bytes:
            return
        self._files[key] = data
        while len(self._files) > self.max_files or sum(len(v) for v in self._files.values()) > self.max_bytes:
            self._files.popitem(last=False)


FILES = FileCache()


class Build:
    """What a download button is given: the view's file, from the cache or built once; `heavy` says which
    lane builds it (lane_of)."""

    def __init__(self, key: str, build: Callable[[], bytes | str], heavy: bool) -> None:
        self.key, self.build, self.heavy = key, build, heavy

    def __call__(self) -> bytes | str:
        return FILES.get(self.key, self.build)

    def ready(self) -> bool:
        return FILES.ready(self.key)


def deferred(key: str, build: Callable[[], bytes | str], heavy: bool = True) -> Build:
    return Build(key, build, heavy)


HEAVY_KINDS = frozenset({"xlsx", "brief", "iati"})  # seconds each at scale; the CSVs take milliseconds
EXCEL_WIDTH_ROWS = 500  # widths from the header and the first rows: enough to judge, cheap on 100,000 rows
MAX_EXCEL_WIDTH = 60


def excel_bytes(rows: pd.DataFrame, lang: str, outputs: pd.DataFrame | None = None) -> bytes:
    """The filtered rows, labels beside the codes, plus one sheet per summary table and their outputs; each
    sheet with a frozen header, an autofilter and columns wide enough to read."""
    sheets = {t("sheet_initiatives", lang): export.labelled_table(rows, lang, outputs)}
    for dimension in ("oblast", "theme", "target_group"):
        sheets[t(f"sheet_by_{dimension}", lang)] = labelled_counts(rows, dimension, lang).iloc[:, :3]
    if outputs is not None:
        sheets[t("sheet_outputs", lang)] = export.outputs_table(outputs, rows, lang)
    written = []
    for name, table in sheets.items():
        header = [str(c) for c in table.columns]
        widths = xlsx.column_widths(header, table.head(EXCEL_WIDTH_ROWS).itertuples(index=False), MAX_EXCEL_WIDTH)
        written.append((name, header, table.itertuples(index=False, name=None), widths))
    buffer = io.BytesIO()
    xlsx.write_workbook(buffer, written)
    return buffer.getvalue()


def brief_bytes(rows: pd.DataFrame, data: Dataset, filters: Filters, lang: str, raion_names: dict[str, str]) -> bytes:
    """The view's printed brief; the data version (a hash of every record) is computed here, on the click, not
    on every rerun of the page (100,000 rows took about a second)."""
    records = data.records
    return brief_pdf(rows, records.outputs, data.programme, data.oblasts, filters, lang,
                     data_version(records.table, records.outputs), raion_names=raion_names)


def labelled_csv(rows: pd.DataFrame, lang: str, outputs: pd.DataFrame | None = None) -> str:
    return export.to_csv(export.labelled_table(rows, lang, outputs), bom=True)


def downloads(view: View) -> None:
    """The filtered rows to download, built only when clicked (a large Excel takes seconds), each file named
    after the view: CSV with labels in the chosen language beside the codes, the codes-only CSV that loads
    back with --records, an HXL-tagged CSV for 3W tools, and Excel. The CSVs start with a byte-order mark,
    so Excel on Windows shows the Cyrillic.

    The callables run outside the script, so they are bound to this run's rows, not to the session.
    """
    rows = view.rows if view.data.raions is not None else view.rows.drop(columns=list(JOINED_COLUMNS))
    rows = rows.copy()
    lang = view.lang
    outputs = view.data.records.outputs

    def name(extension: str, stem: str = "initiatives") -> str:
        return export.view_file_name(view.filters, extension, stem)

    def file(kind: str, build: Callable[[], bytes | str]) -> Build:
        return deferred(digest(view.data.version, view.filters, lang, kind), build, heavy=kind in HEAVY_KINDS)

    # Each button as wide as its label, the row wrapping where the screen is narrow: four equal columns cut
    # "Саптар жана жыйынтыктар (Excel)" at 1366 px.
    row = st.container(horizontal=True)
    row.download_button(view.t("download_csv"), file("csv", partial(labelled_csv, rows, lang, outputs)), name("csv"),
                        "text/csv", key="download_csv", width="content", on_click="ignore",
                        help=view.t("download_csv_help"))
    row.download_button(view.t("download_xlsx"), file("xlsx", partial(excel_bytes, rows, lang, outputs)), name("xlsx"),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        key="download_xlsx", width="content", on_click="ignore")
    row.download_button(view.t("download_hxl"), file("hxl", partial(export.to_hxl_csv, rows, lang)),
                        name("csv", "initiatives-hxl"), "text/csv", key="download_hxl", width="content",
                        on_click="ignore", help=view.t("download_hxl_help"))
    row.download_button(view.t("download_codes"), file("codes", partial(export.to_csv, rows, True)),
                        name("csv", "initiatives-codes"), "text/csv", key="download_codes", width="content",
                        on_click="ignore", help=view.t("download_codes_help"))
    raions = view.data.raions
    raion_names = {code: raions.label(code, lang) for code in view.filters.raions} if raions is not None else {}
    brief = partial(brief_bytes, rows, view.data, view.filters, lang, raion_names)
    row.download_button(view.t("download_brief"), file("brief", brief), name("pdf", "brief"), "application/pdf",
                        key="download_brief", width="content", on_click="ignore", help=view.t("download_brief_help"))
    row.download_button(view.t("download_iati"), file("iati", partial(to_iati, rows, outputs, view.data.programme)),
                        name("xml", "initiatives-iati"), "application/xml", key="download_iati", width="content",
                        on_click="ignore", help=view.t("download_iati_help"))
