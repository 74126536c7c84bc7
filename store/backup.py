"""Backups of a workspace with SQLite's online backup API, and restoring one without losing the current state."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from common.i18n import _
from store.database import open_database
from store.errors import StoreError
from store.files import POSIX, PRIVATE_FOLDER, create_private, describe_write_error, make_private, private_folder
from store.orgunits import holds_data
from store.settings import last_backup, set_last_backup

REMIND_AFTER = timedelta(days=7)


def backup_folder(db_path: Path) -> Path:
    return Path(db_path).resolve().parent / "Integrationsmonitor-Dateien" / "Sicherungen"


def tighten_backups(db_path: Path) -> None:
    """Backups an earlier version made readable for everyone (0644 in a 0755 folder): owner only from now on.
    The folder is the program's own, so it gets 0700 like every folder the program makes."""
    folder = backup_folder(db_path)
    if not POSIX or not folder.is_dir() or folder.is_symlink():
        return
    try:
        if folder.stat().st_uid == os.getuid() and stat.S_IMODE(folder.stat().st_mode) & 0o077:
            os.chmod(folder, PRIVATE_FOLDER)
        for backup in folder.glob("*.sqlite"):
            if not backup.is_symlink():
                make_private(backup)
    except OSError:
        pass  # a folder of another user or a read-only medium: nothing to tighten here


def default_backup_path(db_path: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
    return backup_folder(db_path) / f"Integrationsmonitor_{stamp}.sqlite"


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """The backup API copies a consistent snapshot even while the app keeps writing; the copy is checked before
    it takes the final name."""
    tmp = target.with_name(target.name + ".tmp")
    try:
        private_folder(target.parent)
        tmp.unlink(missing_ok=True)
        create_private(tmp)  # 0600 before the first byte is in it; os.replace keeps the mode
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
            if dest.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise StoreError(_("Die Sicherung ist beim Prüfen fehlerhaft. Bitte an einem anderen Ort sichern."))
        finally:
            dest.close()
        os.replace(tmp, target)
    except OSError as exc:
        raise StoreError(describe_write_error(exc, target, _("Die Sicherung"))) from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(_("Die Sicherung konnte nicht geschrieben werden ({err}).").format(err=exc)) from exc
    finally:
        tmp.unlink(missing_ok=True)


def make_backup(db: Database, target: Path) -> Path:
    _copy(db.conn, Path(target))
    set_last_backup(db)
    return Path(target)


def backup_due(db: Database, now: datetime | None = None) -> bool:
    """Once a week, and only for a workspace that holds something worth keeping."""
    if not holds_data(db):
        return False
    last = last_backup(db)
    if last is None:
        return True
    return (now or datetime.now(UTC)) - last > REMIND_AFTER


def restore_backup(db: Database, db_path: Path, backup: Path) -> Path:
    """Replaces the workspace's content with the backup's. The state before is saved first, so a wrong choice can
    be undone; the backup is checked to be one of ours (and upgraded if older) before anything changes."""
    backup = Path(backup)
    if not backup.exists():
        raise StoreError(_("Die Sicherung {path} gibt es nicht.").format(path=backup))
    # Checked and upgraded as a copy: the backup file itself stays exactly as it was.
    staging = Path(db_path).resolve().parent / ".wiederherstellung.sqlite"
    for leftover in (staging, staging.with_name(staging.name + "-wal"), staging.with_name(staging.name + "-shm")):
        leftover.unlink(missing_ok=True)
    try:
        create_private(staging)
        shutil.copyfile(backup, staging)  # into the private file: copyfile keeps the target's mode
    except OSError as exc:
        raise StoreError(_("Die Sicherung {path} kann nicht gelesen werden ({err}).").format(
            path=backup, err=exc.strerror)) from exc
    check = open_database(staging)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise StoreError(_("Die Sicherung {path} ist beschädigt und wurde nicht eingespielt.").format(path=backup))
        before = default_backup_path(db_path).with_name(
            "vor_Wiederherstellung_" + default_backup_path(db_path).name)
        _copy(db.conn, before)
        check.conn.backup(db.conn)
    finally:
        check.close()
        for leftover in (staging, staging.with_name(staging.name + "-wal"), staging.with_name(staging.name + "-shm")):
            leftover.unlink(missing_ok=True)
    return before
