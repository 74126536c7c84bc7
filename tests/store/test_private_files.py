"""The holder's signing key and everything that holds it stay with the user: databases, their WAL and SHM files,
backups and the folders the program creates are readable by the owner only, and the key itself is never stored in
clear, so a backup or a copied database alone cannot sign (security issue, finding 6)."""

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from store import settings
from store.backup import make_backup, restore_backup
from store.database import open_database
from store.errors import StoreError

posix_only = pytest.mark.skipif(os.name != "posix", reason=(
    "Windows guards these files by the user profile's access lists, not by mode bits; runs on Linux, macOS and CI"))


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def world_readable_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def local_secret_dir(tmp_path, monkeypatch):
    folder = tmp_path / "config"
    monkeypatch.setenv("IMON_CONFIG_DIR", str(folder))
    return folder


@posix_only
def test_new_database_wal_shm_and_folder_are_private(tmp_path, world_readable_umask):
    path = tmp_path / "neu" / "unter" / "kita.sqlite"
    db = open_database(path)
    settings.set_role(db, settings.HOLDER)
    assert mode(path) == 0o600
    for suffix in ("-wal", "-shm"):
        assert mode(path.with_name(path.name + suffix)) == 0o600, suffix
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700
    db.close()


@posix_only
def test_an_existing_world_readable_database_is_tightened_on_open(tmp_path, world_readable_umask):
    path = tmp_path / "alt.sqlite"
    open_database(path).close()
    os.chmod(path, 0o644)
    db = open_database(path)
    settings.set_role(db, settings.HOLDER)
    assert mode(path) == 0o600
    assert mode(path.with_name(path.name + "-wal")) == 0o600
    db.close()


@posix_only
def test_backups_and_their_folder_are_private(tmp_path, world_readable_umask):
    path = tmp_path / "kita.sqlite"
    db = open_database(path)
    target = tmp_path / "Integrationsmonitor-Dateien" / "Sicherungen" / "s.sqlite"
    make_backup(db, target)
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700
    assert mode(target.parent.parent) == 0o700
    before = restore_backup(db, path, target)
    assert mode(before) == 0o600
    db.close()


def _holder(path: Path) -> tuple:
    db = open_database(path)
    key = SigningKey.generate()
    settings.set_signing_key(db, key.encode().hex())
    return db, key


def test_the_signing_key_is_not_in_the_database_or_its_backup_in_clear(tmp_path, local_secret_dir):
    db, key = _holder(tmp_path / "kita.sqlite")
    backup = make_backup(db, tmp_path / "sicherung.sqlite")
    key_hex = key.encode().hex()
    assert key_hex.encode() not in backup.read_bytes()
    assert key.encode() not in backup.read_bytes()
    raw = sqlite3.connect(backup)
    stored = " ".join(str(v) for (v,) in raw.execute("SELECT value FROM settings"))
    raw.close()
    assert key_hex not in stored
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert key_hex.encode() not in (tmp_path / "kita.sqlite").read_bytes()
    # On the same machine the key is still there for signing.
    assert settings.signing_key(db) == key_hex
    db.close()


def test_a_backup_alone_cannot_sign_on_another_machine(tmp_path, local_secret_dir, monkeypatch):
    db, _key = _holder(tmp_path / "kita.sqlite")
    backup = make_backup(db, tmp_path / "sicherung.sqlite")
    db.close()
    monkeypatch.setenv("IMON_CONFIG_DIR", str(tmp_path / "anderer-rechner"))
    copy = open_database(backup)
    with pytest.raises(StoreError, match="neue Einrichtungsdatei"):
        settings.signing_key(copy)
    copy.close()


@posix_only
def test_the_local_secret_is_private(tmp_path, local_secret_dir, world_readable_umask):
    _holder(tmp_path / "kita.sqlite")[0].close()
    files = [p for p in local_secret_dir.rglob("*") if p.is_file()]
    assert files
    assert all(mode(p) == 0o600 for p in files)
    assert mode(local_secret_dir) == 0o700


def test_a_clear_key_from_an_older_version_is_sealed_on_open(tmp_path, local_secret_dir):
    path = tmp_path / "alt.sqlite"
    open_database(path).close()
    key_hex = SigningKey.generate().encode().hex()
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO settings(key, value) VALUES ('signing_key', ?)", [key_hex])
    raw.commit()
    raw.close()
    db = open_database(path)
    assert settings.signing_key(db) == key_hex
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert key_hex.encode() not in path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or key_hex.encode() not in wal.read_bytes()
    db.close()


def test_holder_still_sends_signed_files_after_a_backup_is_restored(tmp_path, local_secret_dir):
    from sync.importer import IMPORTED, import_from
    from sync.sealed_file import MAGIC
    from tests.sync.exchange_helpers import ListSource, Memo, export_revision, holder_db, kita_values, officer_db

    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    backup = make_backup(holder, tmp_path / "sicherung.sqlite")
    restore_backup(holder, tmp_path / "kita.sqlite", backup)
    path, _draft = export_revision(holder, tmp_path, 2024, kita_values())
    source = ListSource([Memo(path.name, path.read_bytes())])
    summary = import_from(officer, keys, source, dry_run=False)
    assert path.read_bytes().startswith(MAGIC)  # sealed and signed, not the plain file of a holder without keys
    assert summary.counts[IMPORTED] == 1, summary.results[0].reason
    assert source.rejected_items == []


@posix_only
def test_the_officers_key_backup_and_exchange_folders_are_private(tmp_path, world_readable_umask):
    from sync.officer import exchange_folders, export_key_backup
    from sync.transports import FolderInbox
    from tests.sync.exchange_helpers import officer_db

    officer, _keys = officer_db(tmp_path)
    backup = export_key_backup(officer, tmp_path / "schluessel.json")
    assert mode(backup) == 0o600
    folders = exchange_folders(tmp_path / "rathaus.sqlite")
    folders.inbox.mkdir(parents=True)
    (folders.inbox / "a.imon").write_bytes(b"Meldung")
    source = FolderInbox(folders.inbox, folders.archive, folders.quarantine, settle_seconds=0)
    for item in source.fetch():
        source.rejected(item, "Grund")
    assert mode(folders.quarantine) == 0o700
    assert all(mode(p) == 0o600 for p in folders.quarantine.iterdir())
    officer.close()


@posix_only
def test_backups_an_earlier_version_left_readable_are_tightened_on_open(tmp_path, world_readable_umask):
    from store.backup import backup_folder

    path = tmp_path / "kita.sqlite"
    open_database(path).close()
    folder = backup_folder(path)
    folder.mkdir(parents=True)
    old = folder / "Integrationsmonitor_2025-01-01_120000.sqlite"
    old.write_bytes(b"SQLite format 3\x00")
    os.chmod(folder, 0o755)
    os.chmod(old, 0o644)
    open_database(path).close()
    assert mode(folder) == 0o700 and mode(old) == 0o600


def test_on_a_new_computer_a_new_setup_file_makes_the_restored_database_sign_again(tmp_path, local_secret_dir,
                                                                                      monkeypatch):
    from store.errors import StoreError as Refused
    from sync.holder import setup_from_file
    from sync.officer import write_setup_file
    from sync.sealed_file import MAGIC
    from tests.sync.exchange_helpers import KITA, export_revision, holder_db, kita_values, officer_db

    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    backup = make_backup(holder, tmp_path / "sicherung.sqlite")
    holder.close()
    monkeypatch.setenv("IMON_CONFIG_DIR", str(tmp_path / "neuer-rechner"))
    new_path = tmp_path / "neu" / "kita.sqlite"
    restored = open_database(new_path)
    restore_backup(restored, new_path, backup)
    with pytest.raises(Refused, match="neue Einrichtungsdatei"):
        export_revision(restored, tmp_path, 2024, kita_values())
    setup = tmp_path / "neu.imsetup"
    passphrase = write_setup_file(officer, keys, KITA.id, setup)
    setup_from_file(restored, setup, passphrase)
    path, _draft = export_revision(restored, tmp_path, 2025, kita_values(), name="neu.imon")
    assert path.read_bytes().startswith(MAGIC)
    restored.close()
    officer.close()
