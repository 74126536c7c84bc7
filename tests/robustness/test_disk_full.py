"""A full disk during an import and an export: a clear German message, nothing half-written, and everything works
again once there is room.

The officer's database is held at its size with PRAGMA max_page_count, which makes SQLite fail exactly as on a full
disk (SQLITE_FULL, "database or disk is full"). The holder's export writes through store.files.write_atomically,
whose operating-system calls are made to fail with ENOSPC the way a full USB stick or share fails: after part of
the file was written, or only when the data is flushed to the device (fsync). A 64 KiB tmpfs filled up behaves the
same (checked by hand as root); the tests stay independent of mount rights.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

import store.files
import sync.importer
from common.errors import UserError
from store.database import open_database
from store.errors import StoreError
from store.submissions import State, get_submission
from sync.export import export_current
from sync.importer import IMPORTED, UPDATED, import_from
from sync.submission_file import SUFFIX
from sync.transports import FolderInbox
from tests.sync.exchange_helpers import KITA, export_revision, holder_db, kita_values, officer_db

UNLIMITED = 1073741823
FULL = "Der Datenträger ist voll"


@pytest.fixture
def town(tmp_path):
    """An officer, a kita, and eight revisions of the kita's 2024 submission as files waiting for the import."""
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    files = tmp_path / "meldungen"
    files.mkdir()
    previous = None
    for n in range(8):
        _path, previous = export_revision(holder, files, 2024, kita_values(40 + n), correction_of=previous,
                                          name=f"meldung_2024_{n + 1:02d}{SUFFIX}")
    yield officer, keys, holder, files
    holder.close()
    officer.close()


def inbox_with(files: Path, root: Path) -> tuple[FolderInbox, Path, Path]:
    inbox = root / "eingang"
    shutil.copytree(files, inbox)
    return FolderInbox(inbox, root / "archiv", root / "quarantaene", settle_seconds=0), inbox, root / "archiv"


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def stored(db) -> tuple[int, int, int]:
    return tuple(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                 for t in ("submissions", "cell_values", "import_log"))


def integrity(db) -> list:
    return db.execute("PRAGMA integrity_check").fetchall()


def test_import_on_a_full_disk_fails_clearly_keeps_the_files_and_works_once_there_is_room(town, tmp_path):
    officer, keys, _holder, files = town
    source, inbox, archive = inbox_with(files, tmp_path)
    before = stored(officer)
    pages = officer.execute("PRAGMA page_count").fetchone()[0]
    assert officer.execute(f"PRAGMA max_page_count = {pages}").fetchone()[0] == pages

    with pytest.raises(StoreError) as caught:
        import_from(officer, keys, source)
    assert FULL in caught.value.message and "Platz schaffen" in caught.value.message
    assert integrity(officer) == [("ok",)]
    assert not officer.conn.in_transaction
    assert stored(officer) == before  # the batch is absent as a whole: no submission, value or log line of it
    assert names(inbox) == names(files)  # every file still waits in the inbox, none archived or quarantined
    assert names(archive) == [] and names(tmp_path / "quarantaene") == []

    officer.execute(f"PRAGMA max_page_count = {UNLIMITED}")
    summary = import_from(officer, keys, source)
    assert summary.ok and summary.counts[IMPORTED] == 1 and summary.counts[UPDATED] == 7
    assert names(inbox) == [] and names(archive) == names(files)
    assert stored(officer)[0] == before[0] + 8
    assert integrity(officer) == [("ok",)]

    # The database file itself is sound: it opens again and holds the complete import.
    path = Path(officer.execute("PRAGMA database_list").fetchone()[2])
    again = open_database(path)
    assert again.execute("SELECT MAX(revision) FROM submissions").fetchone()[0] == 8
    again.close()


def test_full_disk_between_batches_keeps_every_committed_batch_whole(town, tmp_path, monkeypatch):
    """With batches of three files the disk runs full in a later batch: the earlier batches are stored and
    archived, the failing one is absent and all its files stay in the inbox, and the next import finishes."""
    officer, keys, _holder, files = town
    monkeypatch.setattr(sync.importer, "BATCH", 3)
    base = officer.execute("PRAGMA page_count").fetchone()[0]
    seen_partial = False
    for room in range(0, 60):
        root = tmp_path / f"platz_{room}"
        root.mkdir()
        copy = sqlite3.connect(root / "rathaus.sqlite")
        officer.conn.backup(copy)
        copy.close()
        db = open_database(root / "rathaus.sqlite")
        source, inbox, archive = inbox_with(files, root)
        db.execute(f"PRAGMA max_page_count = {base + room}")
        try:
            import_from(db, keys, source)
        except StoreError as exc:
            assert FULL in exc.message
            full = True
        else:
            full = False
        assert integrity(db) == [("ok",)]
        committed = stored(db)[0]
        # Only whole batches are stored, and exactly their files have left the inbox.
        assert committed % 3 == 0 or committed == len(names(files))
        assert len(names(archive)) == committed and len(names(inbox)) == len(names(files)) - committed
        assert names(root / "quarantaene") == []
        seen_partial = seen_partial or (full and committed > 0)
        db.execute(f"PRAGMA max_page_count = {UNLIMITED}")
        assert import_from(db, keys, source).ok
        assert stored(db)[0] == len(names(files)) and names(inbox) == []
        db.close()
        if not full:
            break
    assert seen_partial, "the disk never ran full after a committed batch"


class FullDisk:
    """store.files' view of the os module, on a disk that is full: `at` says where ENOSPC comes, "write" (after
    half of the data reached the temporary file) or "fsync" (all written, refused when flushed to the device)."""

    def __init__(self, at: str):
        self.at = at

    def __getattr__(self, name):
        return getattr(os, name)

    def fdopen(self, fd, mode="r", *args, **kwargs):
        real = os.fdopen(fd, mode, *args, **kwargs)
        return _HalfWrites(real) if self.at == "write" else real

    def fsync(self, fd):
        if self.at == "fsync":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        os.fsync(fd)


class _HalfWrites:
    def __init__(self, real):
        self.real = real

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()

    def write(self, data):
        self.real.write(data[:len(data) // 2])
        self.real.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.mark.parametrize("at", ["write", "fsync"])
def test_export_on_a_full_disk_fails_clearly_leaves_nothing_and_works_once_there_is_room(town, tmp_path, monkeypatch,
                                                                                        at):
    officer, keys, holder, _files = town
    submission = get_submission(holder, holder.execute("SELECT MAX(id) FROM submissions").fetchone()[0])
    stick = tmp_path / "usb-stick"
    stick.mkdir()
    target = stick / "meldung.imon"

    with monkeypatch.context() as full:
        full.setattr(store.files, "os", FullDisk(at))
        with pytest.raises(UserError) as caught:
            export_current(holder, KITA.id, submission.form_id, submission.year, target)
    message = caught.value.message
    assert FULL in message and str(target) in message and "anderen Ort" in message
    assert names(stick) == []  # neither the file nor a temporary part of it
    after = get_submission(holder, submission.id)
    assert (after.state, after.content_hash) == (submission.state, submission.content_hash)

    # An earlier export at the same place survives a failed one byte for byte.
    export_current(holder, KITA.id, submission.form_id, submission.year, target)
    earlier = target.read_bytes()
    with monkeypatch.context() as full:
        full.setattr(store.files, "os", FullDisk(at))
        with pytest.raises(UserError, match=FULL):
            export_current(holder, KITA.id, submission.form_id, submission.year, target)
    assert names(stick) == ["meldung.imon"] and target.read_bytes() == earlier

    # Room again: the export goes through and the officer takes the file.
    written = export_current(holder, KITA.id, submission.form_id, submission.year, target)
    assert get_submission(holder, submission.id).state is State.EXPORTED
    assert written.revision == submission.revision and names(stick) == ["meldung.imon"]
    source, _inbox, _archive = inbox_with(stick, tmp_path / "rathaus")
    assert import_from(officer, keys, source).counts[IMPORTED] == 1
