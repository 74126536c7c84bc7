"""Opening a database: checks that it is one of ours, upgrades it, and sets the pragmas every connection needs."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from common.i18n import _
from store.errors import StoreError
from store.files import create_private, make_private, private_folder
from store.schema import KNOWN, SCHEMA_VERSION, migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


@cache
def sqlite_utils() -> ModuleType:
    """sqlite-utils, imported on first use. It imports pandas and numpy whenever they are installed, only to map
    their types when it creates tables from DataFrames, which this program never does; that costs about half a
    second. Imported while both are marked absent, it skips them; a report's later `import pandas` still loads
    the real one, because the marks are taken away again at once."""
    if "sqlite_utils" not in sys.modules:
        hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # the import system's own sign for "not installed"
        try:
            importlib.import_module("sqlite_utils")
        finally:
            for name in hidden:
                del sys.modules[name]
    return sys.modules["sqlite_utils"]


def __getattr__(name: str):
    # `from store.database import Database` in modules off the start-up path: the class, loaded on demand.
    if name == "Database":
        return sqlite_utils().Database
    raise AttributeError(name)

SQLITE_MAGIC = b"SQLite format 3\x00"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _check_file(path: Path) -> None:
    if not path.exists():
        folder = path.parent
        if not folder.exists():
            try:
                private_folder(folder)
            except OSError as exc:
                raise StoreError(_("Der Ordner {folder} kann nicht angelegt werden ({err}). Bitte einen Ordner "
                                   "wählen, in dem Sie speichern dürfen.").format(folder=folder, err=exc.strerror)
                                 ) from exc
        try:
            # Created empty and private (0600) before SQLite opens it: SQLite gives the -wal and -shm files the
            # database's own mode, so they are private too. An empty file is a new database to SQLite.
            create_private(path)
        except OSError as exc:
            raise StoreError(_("Im Ordner {folder} kann nicht gespeichert werden ({err}). Bitte einen Ordner "
                               "wählen, in dem Sie speichern dürfen.").format(folder=folder, err=exc.strerror)
                             ) from exc
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(_("Die Datenbank {path} kann nicht gelesen werden ({err}).").format(
            path=path, err=exc.strerror)) from exc
    if head and head != SQLITE_MAGIC:
        raise StoreError(_("Die Datei {path} ist keine Datenbank des Integrationsmonitors. Sie wurde nicht "
                           "verändert. Bitte die richtige Datei wählen.").format(path=path))
    _tighten(path)  # a database of an earlier version, readable by everyone (0644): from now on 0600


def _tighten(path: Path) -> None:
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        make_private(file)


def open_database(path: str | Path) -> Database:
    """Opens (or creates) a database and brings its schema up to date."""
    path = Path(path)
    _check_file(path)
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        db = sqlite_utils().Database(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        # What is deleted or replaced (a key sealed in place of a clear one) is overwritten, not left in free space.
        conn.execute("PRAGMA secure_delete = ON")
        _upgrade(db, path)
        _tighten(path)  # -wal and -shm left by an earlier version with wider rights
    except sqlite3.DatabaseError as exc:
        raise StoreError(_("Die Datenbank {path} kann nicht geöffnet werden: {err}. Sie wurde nicht verändert."
                           ).format(path=path, err=exc)) from exc
    from store.backup import tighten_backups  # both import this module
    from store.settings import seal_clear_signing_key

    seal_clear_signing_key(db)
    tighten_backups(path)
    return db


def _upgrade(db: Database, path: Path) -> None:
    applied = [m.name for m in migrations().applied(db)]
    unknown = [name for name in applied if name not in KNOWN]
    if unknown:
        raise StoreError(_("Die Datenbank {path} stammt aus einer neueren Version des Integrationsmonitors. "
                           "Bitte das Programm aktualisieren; die Datenbank wurde nicht verändert.").format(path=path))
    foreign = [t for t in db.table_names() if t not in _OUR_TABLES]
    if not applied and foreign:
        raise StoreError(_("Die Datei {path} ist eine andere SQLite-Datenbank, keine des Integrationsmonitors. "
                           "Sie wurde nicht verändert. Bitte die richtige Datei wählen.").format(path=path))
    # Only now that the file is known to be ours may anything about it change.
    db.conn.execute("PRAGMA journal_mode = WAL")
    db.conn.execute("PRAGMA synchronous = FULL")
    migrations().apply(db)
    db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


_OUR_TABLES = {"settings", "org_units", "submissions", "cell_values", "visits", "audit", "_sqlite_migrations",
               "institution_keys", "form_definitions", "import_log", "receipts", "excel_permissions"}


def rows(db: Database | sqlite3.Connection, sql: str, params: list | tuple = ()) -> list[dict]:
    """Rows as dicts through plain `execute`, so the same reading code serves a full database and the read-only
    connection of the start-up path."""
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def open_for_reading(path: str | Path) -> sqlite3.Connection | None:
    """A read-only connection to a database that is ours and already at the current schema, without sqlite-utils:
    the holder's form list is read from it while the window is still new. None wherever the full way is needed
    (no file yet, an older schema to upgrade, anything unexpected); open_database then says what is wrong."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                return None
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    except (OSError, sqlite3.Error, ValueError):
        return None
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None


def schema_version(db: Database) -> int:
    return len(migrations().applied(db))


@contextmanager
def write(db: Database) -> Iterator[Database]:
    """One write transaction. IMMEDIATE takes the write lock up front, so a second writer waits (busy_timeout)
    instead of failing half-way when a deferred transaction tries to upgrade its lock."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as exc:
        raise StoreError(describe_sqlite_error(exc)) from exc


def describe_sqlite_error(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "full" in text:
        return _("Der Datenträger ist voll: die letzte Änderung wurde nicht gespeichert, alles Frühere ist "
                 "erhalten. Bitte Platz schaffen und die Eingabe wiederholen.")
    if "readonly" in text or "read-only" in text:
        return _("Die Datenbank ist schreibgeschützt: die letzte Änderung wurde nicht gespeichert. Bitte die "
                 "Schreibrechte prüfen.")
    if "locked" in text or "busy" in text:
        return _("Die Datenbank wird gerade von einem anderen Programm benutzt. Bitte kurz warten und es "
                 "noch einmal versuchen.")
    return _("Die Änderung konnte nicht gespeichert werden ({err}). Alles Frühere ist erhalten.").format(err=exc)
