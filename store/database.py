"""Opening a database: checks that it is one of ours, upgrades it, and sets the pragmas every connection needs."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from common.i18n import _
from store.errors import StoreError
from store.schema import KNOWN, SCHEMA_VERSION, migrations

SQLITE_MAGIC = b"SQLite format 3\x00"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _check_file(path: Path) -> None:
    if not path.exists():
        folder = path.parent
        if not folder.exists():
            try:
                folder.mkdir(parents=True)
            except OSError as exc:
                raise StoreError(_("Der Ordner {folder} kann nicht angelegt werden ({err}). Bitte einen Ordner "
                                   "wählen, in dem Sie speichern dürfen.").format(folder=folder, err=exc.strerror)
                                 ) from exc
        probe = folder / f".{path.name}.probe"
        try:
            probe.write_bytes(b"")
            probe.unlink()
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


def open_database(path: str | Path) -> Database:
    """Opens (or creates) a database and brings its schema up to date."""
    path = Path(path)
    _check_file(path)
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        db = Database(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        _upgrade(db, path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(_("Die Datenbank {path} kann nicht geöffnet werden: {err}. Sie wurde nicht verändert."
                           ).format(path=path, err=exc)) from exc
    return db


def _upgrade(db: Database, path: Path) -> None:
    applied = [m.name for m in migrations.applied(db)]
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
    migrations.apply(db)
    db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


_OUR_TABLES = {"settings", "org_units", "submissions", "cell_values", "visits", "audit", "_sqlite_migrations",
               "institution_keys", "form_definitions", "import_log", "receipts"}


def schema_version(db: Database) -> int:
    return len(migrations.applied(db))


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


def get_setting(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: Database, key: str, value: str) -> None:
    with write(db):
        db.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])
