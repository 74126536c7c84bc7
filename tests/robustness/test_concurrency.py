"""Two processes on one database: writers wait for each other and lose nothing; a second window is refused.

* Two processes save 1,000 values each into the same database at the same time: all 2,000 are there afterwards.
* While one process holds the write lock, a second instance of the app is refused (QLockFile, as desktop.app.run
  takes it) and a headless `integrationsmonitor import` waits for the lock (busy timeout) and succeeds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from forms.catalog import form_for
from store.database import open_database
from store.orgunits import OrgUnit, save_org_units
from store.submissions import create_draft, load_values
from tests.sync.exchange_helpers import OFFICER_PASSPHRASE, export_revision, holder_db, kita_values, officer_db

ROOT = Path(__file__).resolve().parents[2]
WRITES = 1000
ENV = {**os.environ, "IMON_LANGUAGE": "de", "QT_QPA_PLATFORM": "offscreen"}


def worker(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.robustness.crash_worker", *args], cwd=ROOT, env=ENV,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "gemeinsam.sqlite"
    db = open_database(path)
    units = [OrgUnit(id="kita-a", kind="kita", name="Kita A"), OrgUnit(id="kita-b", kind="kita", name="Kita B")]
    save_org_units(db, units)
    drafts = [create_draft(db, unit.id, form_for("kita", 2024), 2024).id for unit in units]
    db.close()
    procs = [worker("edits", str(path), str(draft), str(WRITES)) for draft in drafts]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        lines = out.splitlines()
        assert lines[0] == "ready" and lines[-1] == "done"
        assert len([line for line in lines if line.startswith("ack ")]) == WRITES
    db = open_database(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for draft in drafts:
        values = load_values(db, draft)
        assert {address: value.number for address, value in values.items()} == {
            ("zaehlung", f"r{i}", ""): i for i in range(1, WRITES + 1)}
        assert db.execute("SELECT COUNT(*) FROM audit WHERE submission_id = ?", [draft]).fetchone()[0] == WRITES
    db.close()


LOCK_HOLDER = """
import sys
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1] + ".lock")  # as desktop.app.run takes it
lock.setStaleLockTime(0)
assert lock.tryLock(100)
print("locked", flush=True)
sys.stdin.read()
lock.unlock()
print("unlocked", flush=True)
"""


def test_a_second_instance_is_refused_while_the_first_runs(qapp, tmp_path, monkeypatch):
    from PySide6.QtCore import QLockFile
    from PySide6.QtWidgets import QMessageBox

    from desktop.app import run

    path = tmp_path / "einrichtung.sqlite"
    first = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(path)], cwd=ROOT, env=ENV,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == "locked"
        told = []
        monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: told.append(text))
        assert run(path) == 1
        assert "schon geöffnet" in told[0]
        assert not path.exists()  # the refused instance did not touch the data
        # The first instance ends (here: killed, as a crash would): its lock does not block the next start.
        first.kill()
        first.wait(timeout=30)
        after = QLockFile(str(path) + ".lock")
        after.setStaleLockTime(0)
        assert after.tryLock(100)
        after.unlock()
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=30)


def test_a_headless_import_waits_for_the_app_and_succeeds(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    inbox = tmp_path / "eingang"
    inbox.mkdir()
    first, first_id = export_revision(holder, inbox, 2024, kita_values(40))
    export_revision(holder, inbox, 2024, kita_values(44), correction_of=first_id)
    holder.close()
    officer.close()
    db_path = tmp_path / "rathaus.sqlite"
    # The app, in the middle of a save: it holds the write lock for a second and a half.
    app = worker("hold", str(db_path), "1.5")
    try:
        assert app.stdout.readline().strip() == "locked"
        done = subprocess.run([sys.executable, "-m", "cli.main", "import", "--db", str(db_path), str(inbox)],
                              cwd=ROOT, env={**ENV, "IMON_PASSPHRASE": OFFICER_PASSPHRASE}, capture_output=True,
                              text=True, timeout=120)
        out, err = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(timeout=30)
    assert app.returncode == 0, err
    assert done.returncode == 0, done.stdout + done.stderr
    assert "gesperrt" not in done.stdout + done.stderr and "locked" not in done.stderr
    assert "Ergebnis: 1 importiert, 1 aktualisiert" in done.stdout, done.stdout
    db = open_database(db_path)
    assert db.execute("SELECT value FROM settings WHERE key = 'gehalten'").fetchone()[0] == "ja"  # the app's save
    assert db.execute("SELECT revision FROM submissions ORDER BY revision").fetchall() == [(1,), (2,)]
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
