"""The versioned store of the records: every save is a version (who, when, note, field-level changes).

SQLite by default, in a git-ignored folder (`local-data/`, or $YJ_DATA_DIR), made on first use with no set-up
step; PostgreSQL when $YJ_DATABASE_URL is set, for several processes or machines behind a load balancer. One
schema for both (SQLAlchemy Core), changed only through migrations (Alembic, initiatives/migrations).

A version holds the whole of the sheets staff edit (initiatives.csv and outputs.csv, as CSV text); the places
(locations.csv) stay the committed ones. The first version is the committed data, authored by the newsletter,
so the history starts at the source. Versions are append-only: a save inserts the next number, a restore is a
new version, and the database refuses any UPDATE or DELETE of them (the migration's triggers).

Concurrency: each save names the version it started from. The next number is the primary key, so of two
saves from the same version exactly one is inserted; the other is refused with the changes it missed.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from initiatives import vocab
from initiatives.changes import INITIATIVES_SHEET, OUTPUTS_SHEET, Change, changes

REPO = Path(__file__).resolve().parent.parent
DATA_DIR_ENV = "YJ_DATA_DIR"
DATABASE_ENV = "YJ_DATABASE_URL"
DEFAULT_DATA_DIR = REPO / "local-data"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
EDITABLE_SHEETS = (INITIATIVES_SHEET, OUTPUTS_SHEET)
FIXED_SHEETS = ("locations.csv",)  # the committed places, beside every version's sheets
BASELINE_AUTHOR = "newsletter 2021-12/2022-02"
BASELINE_NOTE = "The committed data (initiatives/data), read from the programme newsletter"
MAX_NOTE = 2000
WRITE = "yj_write"  # the execution option of a connection that writes (SQLite: it takes the lock at BEGIN)

metadata = sa.MetaData()
versions = sa.Table(
    "versions", metadata,
    sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("restores", sa.Integer, nullable=True),
    sa.Column("change_count", sa.Integer, nullable=False),
)
version_files = sa.Table(
    "version_files", metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("content", sa.Text, nullable=False),
)
version_changes = sa.Table(
    "version_changes", metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("sheet", sa.String(64), nullable=False),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("old", sa.Text, nullable=False),
    sa.Column("new", sa.Text, nullable=False),
)
sign_outs = sa.Table(
    "sign_outs", metadata,
    sa.Column("subject", sa.Text, primary_key=True),
    sa.Column("issued_at", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("signed_out_at", sa.String(32), nullable=False),
)


class StoreError(Exception):
    """The store cannot be reached or opened: said in words, with the database named but no password."""


class SaveRefused(Exception):
    """A save that cannot be taken: another editor saved first (`missed` holds their changes), or the note is
    missing. Nothing was written."""

    def __init__(self, message: str, current: int | None = None, missed: list[Change] | None = None):
        super().__init__(message)
        self.current = current
        self.missed = missed or []


@dataclass(frozen=True)
class Version:
    number: int
    created_at: str  # ISO 8601, UTC
    author: str
    note: str
    restores: int | None
    change_count: int

    @property
    def when(self) -> str:
        """The time of the save as people read it, to the minute (UTC): 2026-12-02 14:14."""
        return self.created_at.replace("T", " ")[:16]


def data_dir() -> Path:
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else DEFAULT_DATA_DIR


def database_url() -> str:
    """$YJ_DATABASE_URL, else the SQLite file in the data folder."""
    return os.environ.get(DATABASE_ENV) or f"sqlite:///{data_dir() / 'versions.sqlite'}"


def committed_files(folder: Path = vocab.DATA_DIR) -> dict[str, str]:
    """The editable sheets as committed: the baseline version's content."""
    return {name: (folder / name).read_text(encoding="utf-8") for name in EDITABLE_SHEETS if (folder / name).exists()}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Store:
    """One database of versions. Cheap to ask for the current version (one indexed query), so every page
    run asks: a save through any process is seen on the next interaction, with no restart."""

    def __init__(self, url: str | None = None, baseline: dict[str, str] | None = None):
        self.url = url or database_url()
        self.safe_url = sa.engine.make_url(self.url).render_as_string(hide_password=True)
        self.key = hashlib.sha256(self.url.encode()).hexdigest()[:12]
        self._folders: dict[int, Path] = {}
        try:
            self.engine = self._engine()
            self._migrate(committed_files() if baseline is None else baseline)
        except sa.exc.SQLAlchemyError as err:
            raise StoreError(f"{self.safe_url}: {reason(err)}") from err
        except OSError as err:
            raise StoreError(f"{self.safe_url}: {err.strerror or err}") from err

    def _engine(self) -> Engine:
        url = sa.engine.make_url(self.url)
        if url.get_backend_name() == "sqlite":
            if url.database:
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(url, connect_args={"timeout": 30})

            @sa.event.listens_for(engine, "connect")
            def _on_connect(dbapi_connection, _record) -> None:  # WAL: readers never wait for a save
                dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
                dbapi_connection.execute("PRAGMA journal_mode=WAL")
                dbapi_connection.execute("PRAGMA foreign_keys=ON")

            @sa.event.listens_for(engine, "begin")
            def _on_begin(connection) -> None:  # a save holds the write lock from its first read; readers don't
                connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITE)
                                           else "BEGIN")

            return engine
        return sa.create_engine(url, pool_pre_ping=True)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A transaction that writes: committed whole when the block ends, rolled back whole if it raises."""
        with self.engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
            yield connection

    @contextlib.contextmanager
    def _setup_lock(self, connection: Connection) -> Iterator[None]:
        """Two processes starting at once on an empty store: one creates the schema and the baseline."""
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(20210401)"))
            yield
            return
        database = sa.engine.make_url(self.url).database
        if not database or database == ":memory:":
            yield
            return
        with open(f"{database}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _migrate(self, baseline: dict[str, str]) -> None:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._writing() as connection, self._setup_lock(connection):
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if connection.execute(sa.select(sa.func.count()).select_from(versions)).scalar_one() == 0:
                self._insert(connection, 1, BASELINE_AUTHOR, BASELINE_NOTE, None, baseline, changes({}, baseline))

    def current(self) -> int:
        """The current version's number."""
        with self.engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.max(versions.c.number))).scalar_one())

    def version(self, number: int) -> Version:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(versions).where(versions.c.number == number)).one_or_none()
        if row is None:
            raise KeyError(number)
        return Version(**row._mapping)

    def history(self) -> list[Version]:
        """Every version, newest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(versions).order_by(versions.c.number.desc())).all()
        return [Version(**row._mapping) for row in rows]

    def files(self, number: int) -> dict[str, str]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(version_files.c.name, version_files.c.content)
                                      .where(version_files.c.version == number)).all()
        if not rows:
            raise KeyError(number)
        return dict(rows)

    def changes_of(self, number: int) -> list[Change]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(version_changes).where(version_changes.c.version == number)
                                      .order_by(version_changes.c.seq)).all()
        return [Change(r.sheet, r.record, r.kind, r.field, r.old, r.new) for r in rows]

    def save(self, base: int, files: dict[str, str], author: str, note: str,
             restores: int | None = None) -> Version:
        """The next version after `base`, holding `files` (checked by the caller, initiatives.editing); refused
        (SaveRefused, nothing written) if another save came after `base`, or without a note or author."""
        note, author = note.strip(), author.strip()
        if not note:
            raise SaveRefused("a save needs a note: say what changed and why")
        if not author:
            raise SaveRefused("a save needs an author")
        unknown = set(files) - set(EDITABLE_SHEETS)
        if unknown:
            raise SaveRefused(f"not a sheet the store keeps: {', '.join(sorted(unknown))}")
        try:
            with self._writing() as connection:
                latest = int(connection.execute(sa.select(sa.func.max(versions.c.number))).scalar_one())
                if latest != base:
                    raise SaveRefused(f"version {latest} was saved after version {base}, which this edit started "
                                      "from", latest, self._missed(connection, base, latest))
                before = self._files(connection, base)
                found = changes(before, files)
                if not found and restores is None:
                    raise SaveRefused("nothing changed: there is nothing to save", latest)
                return self._insert(connection, base + 1, author, note[:MAX_NOTE], restores, files, found)
        except sa.exc.IntegrityError as err:  # another process inserted base + 1 between our read and write
            latest = self.current()
            with self.engine.connect() as connection:
                missed = self._missed(connection, base, latest)
            raise SaveRefused(f"version {latest} was saved after version {base}, which this edit started from",
                              latest, missed) from err

    def restore(self, number: int, base: int, author: str, note: str) -> Version:
        """A new version whose content is version `number`'s: the history only grows."""
        return self.save(base, self.files(number), author, note, restores=number)

    def _files(self, connection: Connection, number: int) -> dict[str, str]:
        rows = connection.execute(sa.select(version_files.c.name, version_files.c.content)
                                  .where(version_files.c.version == number)).all()
        return dict(rows)

    def _missed(self, connection: Connection, base: int, latest: int) -> list[Change]:
        """What the versions after `base` changed, in one list: what a refused editor did not see."""
        return changes(self._files(connection, base), self._files(connection, latest))

    def _insert(self, connection: Connection, number: int, author: str, note: str, restores: int | None,
                files: dict[str, str], found: list[Change]) -> Version:
        version = Version(number, now(), author, note, restores, len(found))
        connection.execute(versions.insert().values(**version.__dict__))
        connection.execute(version_files.insert(), [{"version": number, "name": name, "content": content}
                                                    for name, content in sorted(files.items())])
        if found:
            connection.execute(version_changes.insert(), [
                {"version": number, "seq": seq, **change.__dict__} for seq, change in enumerate(found)])
        return version

    def sign_out(self, subject: str, issued_at: int) -> None:
        """Ends one sign-in for good: every process asks `signed_out` before it lets that sign-in write."""
        with contextlib.suppress(sa.exc.IntegrityError), self._writing() as connection:
            connection.execute(sign_outs.insert().values(subject=subject, issued_at=int(issued_at),
                                                         signed_out_at=now()))

    def signed_out(self, subject: str, issued_at: int) -> bool:
        with self.engine.connect() as connection:
            found = connection.execute(sa.select(sa.func.count()).select_from(sign_outs).where(
                sign_outs.c.subject == subject, sign_outs.c.issued_at == int(issued_at))).scalar_one()
        return bool(found)

    def folder(self, number: int) -> Path:
        """A records folder (initiatives.csv, outputs.csv, locations.csv) holding version `number`, for the
        loader and its checks; made once per version, whole or not at all (a temporary folder renamed). Asked on
        every page run: a folder already made is answered from memory while it stays on disk."""
        known = self._folders.get(number)
        if known is not None and known.is_dir():
            return known
        self._folders[number] = self._make_folder(number)
        return self._folders[number]

    def _make_folder(self, number: int) -> Path:
        fixed = {name: (vocab.DATA_DIR / name).read_bytes() for name in FIXED_SHEETS}
        stamp = hashlib.sha256(b"".join(fixed.values())).hexdigest()[:8]
        target = data_dir() / "versions" / self.key / f"{number}-{stamp}"
        if target.is_dir():
            return target
        files = self.files(number)
        scratch = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
        scratch.mkdir(parents=True, exist_ok=True)
        write_records_folder(scratch, files)
        try:
            scratch.rename(target)
        except OSError:  # another process made it meanwhile: theirs is the same
            for child in scratch.iterdir():
                child.unlink()
            scratch.rmdir()
        return target


def write_records_folder(folder: Path, files: dict[str, str]) -> None:
    """A records folder as load_records reads one: the version's sheets beside the committed places (the
    store's own folders, and the scratch folder an edit is checked in)."""
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    for name in FIXED_SHEETS:
        (folder / name).write_bytes((vocab.DATA_DIR / name).read_bytes())


def reason(err: Exception) -> str:
    """The database's own words, first line only, without the SQL or parameters SQLAlchemy appends."""
    original = getattr(err, "orig", None) or err
    return str(original).strip().splitlines()[0] if str(original).strip() else type(err).__name__
