"""Killing the program at random moments loses nothing that was acknowledged and leaves no half import.

A real process saves entries (one value a save) or imports sealed files, and is killed with SIGKILL after a random
delay; this is repeated at least 200 times per run (IMON_KILL_POINTS, see conftest.py), on the same database each
time, so every run also starts from what the previous kill left behind. After each kill:

* the database passes PRAGMA integrity_check;
* every save the process acknowledged (it prints a line only after set_values has returned) is there, with at
  least the acknowledged number (a later save may have committed before its line was printed);
* an interrupted import is complete or absent, file by file and batch by batch: every stored submission has all
  its values and its import_log row, nothing else was stored, a file left the inbox only once it was committed,
  and a first run stops on a batch boundary.

The workers come from one fork server (crash_worker serve): each kill still hits a real process, but the Python
start-up is paid once instead of at every kill point. The random delays come from a fixed seed, so a failure can be
replayed; IMON_KILL_SEED chooses another seed.
"""

from __future__ import annotations

import contextlib
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from forms.catalog import form_for
from store.database import open_database
from store.orgunits import OrgUnit, save_org_units
from store.submissions import create_draft, load_values
from sync.importer import IMPORTED, UPDATED
from tests.robustness.crash_worker import EDIT_ADDRESSES, OFFICER_PASSPHRASE
from tests.sync import exchange_helpers
from tests.sync.exchange_helpers import KITA, export_revision, holder_db, kita_values, officer_db

# The fork server (os.fork, select on pipes, SIGKILL) does not exist on Windows; spawning 200 fresh interpreters there
# instead would take minutes. SQLite's commit is the same on both systems, and CI runs this on Linux.
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs os.fork and SIGKILL for its 200 kills; "
                                                                "Windows has neither, CI runs it on Linux")

ROOT = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("IMON_KILL_SEED", "20260611"))
FILES = 24  # sealed files per import round
BATCH = 4  # the importer's batch size in the worker: six commits per round
EDIT_DELAY = (0.005, 0.08)  # seconds between "ready" and the kill
IMPORT_DELAY = (0.005, 0.12)
PATIENCE = 60.0  # seconds a worker may take to answer before the test gives up on it

assert OFFICER_PASSPHRASE == exchange_helpers.OFFICER_PASSPHRASE


class Lines:
    """The server's stdout, line by line, with a timeout, read without blocking past it."""

    def __init__(self, stream, stderr_path: Path):
        self.fd = stream.fileno()
        self.stderr_path = stderr_path
        self.buffer = b""
        self.lines: deque[str] = deque()

    def _fill(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return False
        chunk = os.read(self.fd, 65536)
        if not chunk:
            pytest.fail("the worker server ended unexpectedly:\n" + self.stderr())
        self.buffer += chunk
        *complete, self.buffer = self.buffer.split(b"\n")
        self.lines.extend(line.decode("utf-8") for line in complete)
        return True

    def next(self) -> str:
        deadline = time.monotonic() + PATIENCE
        while not self.lines:
            if not self._fill(deadline - time.monotonic()) and time.monotonic() >= deadline:
                pytest.fail(f"no answer from the worker within {PATIENCE} s:\n" + self.stderr())
        return self.lines.popleft()

    def within(self, seconds: float) -> list[str]:
        """Every line that arrives in the next `seconds`: the delay before the kill."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._fill(deadline - time.monotonic())
        got = list(self.lines)
        self.lines.clear()
        return got

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")[-4000:]


@dataclass
class Run:
    pid: int = 0
    ready: bool = False
    lines: list[str] = field(default_factory=list)
    status: int | None = None

    @property
    def killed(self) -> bool:
        return os.WIFSIGNALED(self.status) and os.WTERMSIG(self.status) == signal.SIGKILL

    @property
    def acks(self) -> list[str]:
        return [line.removeprefix("ack ") for line in self.lines if line.startswith("ack ")]

    def take(self, line: str) -> None:
        word, _, rest = line.partition(" ")
        if word == "started":
            self.pid = int(rest)
        elif word == "exited":
            pid, status = map(int, rest.split())
            assert pid == self.pid
            self.status = status
        else:
            assert int(word) == self.pid, line
            if rest == "ready":
                self.ready = True
            else:
                self.lines.append(rest)


class Server:
    def __init__(self, folder: Path):
        self.stderr_path = folder / "server.stderr"
        self.stderr_file = self.stderr_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.robustness.crash_worker", "serve"], cwd=ROOT, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.stderr_file, env={**os.environ, "IMON_LANGUAGE": "de"})
        self.lines = Lines(self.proc.stdout, self.stderr_path)

    def run(self, command: str, delay: float) -> Run:
        """Starts a worker, kills it `delay` seconds after it is ready (unless it has finished by then), and returns
        everything it said."""
        self.proc.stdin.write((command + "\n").encode())
        self.proc.stdin.flush()
        run = Run()
        while run.status is None and not (run.pid and run.ready):
            run.take(self.lines.next())
        if run.status is None:
            for line in self.lines.within(delay):
                run.take(line)
        if run.status is None:
            with contextlib.suppress(ProcessLookupError):  # it ended on its own just now
                os.kill(run.pid, signal.SIGKILL)
        while run.status is None:
            run.take(self.lines.next())
        errors = [line for line in run.lines if line.startswith(("error", "rejected"))]
        assert not errors, f"{command}: {errors}\n{self.lines.stderr()}"
        return run

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=PATIENCE)
        self.stderr_file.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("server"))
    yield server
    server.close()


def integrity(path: Path):
    """The database as the program opens it after a crash (the WAL is recovered on opening), checked."""
    db = open_database(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    return db


# --- saving entries ---------------------------------------------------------------------------------------------


def test_killing_a_saving_process_loses_no_acknowledged_value(tmp_path, server, kill_points):
    path = tmp_path / "einrichtung.sqlite"
    db = open_database(path)
    save_org_units(db, [OrgUnit(id="kita-1", kind="kita", name="Kita Sonnenschein")])
    submission_id = create_draft(db, "kita-1", form_for("kita", 2024), 2024).id
    db.close()
    rng = random.Random(SEED)
    acknowledged: dict[tuple[str, str, str], int] = {}
    kills = total_acks = 0
    while kills < kill_points // 2:
        delay = rng.uniform(*EDIT_DELAY)
        run = server.run(f"edits {path} {submission_id}", delay)
        assert run.killed, run
        kills += 1
        for ack in run.acks:
            code, row, col, number = ack.split()
            address = tuple("" if part == "-" else part for part in (code, row, col))
            acknowledged[address] = max(acknowledged.get(address, 0), int(number))
            total_acks += 1
        db = integrity(path)
        values = load_values(db, submission_id)
        for address, number in acknowledged.items():
            saved = values.get(address)
            assert saved is not None and saved.number >= number, (
                f"kill {kills} (seed {SEED}, delay {delay:.3f} s): {address} was acknowledged as {number}, "
                f"the database has {saved}")
        # Each value and its audit row are one transaction: the newest audit entry is the value as stored.
        for address, value in values.items():
            newest = db.execute("SELECT new FROM audit WHERE submission_id = ? AND field = ? AND row = ? AND col = ? "
                                "ORDER BY id DESC LIMIT 1", [submission_id, *address]).fetchone()
            assert newest is not None and newest[0] == str(value.number), (address, value, newest)
        assert set(values) <= set(EDIT_ADDRESSES)
        db.close()
    assert kills >= kill_points // 2
    print(f"edits: {kills} kills, {total_acks} acknowledged saves")
    assert total_acks > kills  # the kills landed while saving, not only before the first save


# --- importing files --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sealed_files(tmp_path_factory):
    """FILES sealed submission files of one kita, revisions 1…FILES with different values, and the officer's
    database they are addressed to, before any import."""
    folder = tmp_path_factory.mktemp("sealed")
    officer, keys = officer_db(folder)
    holder = holder_db(folder, officer, keys)
    expected, previous = {}, None
    for revision in range(1, FILES + 1):
        name = f"meldung_{revision:03d}.imon"
        values = kita_values(children=40 + revision, staff=8 + revision % 3)
        path, previous = export_revision(holder, folder, 2024, values, correction_of=previous, name=name)
        assert path.name == name
        expected[name] = (revision, values)
    holder.close()
    officer.close()
    return folder, expected


def _fresh_round(sealed_folder: Path, expected: dict, target: Path) -> tuple[Path, Path]:
    target.mkdir()
    db_path = target / "rathaus.sqlite"
    shutil.copyfile(sealed_folder / "rathaus.sqlite", db_path)
    inbox = target / "eingang"
    inbox.mkdir()
    for name in expected:
        shutil.copyfile(sealed_folder / name, inbox / name)
    return db_path, inbox


def _check_import(db_path: Path, inbox: Path, expected: dict, acked: set[str], first_run: bool, finished: bool,
                  where: str) -> int:
    db = integrity(db_path)
    try:
        stored = {r[1]: r[0] for r in db.execute(
            "SELECT id, revision FROM submissions WHERE org_unit_id = ? AND form_id = 'kita' AND year = 2024",
            [KITA.id]).fetchall()}
        count = len(stored)
        # Files are taken in name order, so what is stored is always the first `count` revisions, all of them whole.
        assert sorted(stored) == list(range(1, count + 1)), where
        by_revision = {revision: (name, values) for name, (revision, values) in expected.items()}
        for revision, submission_id in stored.items():
            assert load_values(db, submission_id) == by_revision[revision][1], f"{where}: revision {revision}"
        logged = db.execute("SELECT file_name, outcome, submission_id FROM import_log").fetchall()
        assert all(outcome not in ("abgelehnt", "Konflikt") for _, outcome, _ in logged), (where, logged)
        taken = [(name, submission_id) for name, outcome, submission_id in logged if outcome in (IMPORTED, UPDATED)]
        assert sorted(taken) == sorted((by_revision[r][0], i) for r, i in stored.items()), (where, logged)
        orphans = db.execute("SELECT COUNT(*) FROM cell_values WHERE submission_id NOT IN "
                             "(SELECT id FROM submissions)").fetchone()[0]
        assert orphans == 0, where
        audited = db.execute("SELECT COUNT(*) FROM audit WHERE why LIKE 'meldung_%'").fetchone()[0]
        assert audited == sum(len(by_revision[r][1]) for r in stored), where
    finally:
        db.close()
    committed = {by_revision[r][0] for r in stored}
    archived = {p.name for p in (inbox.parent / "archiv").glob("*.imon")}
    waiting = {p.name for p in inbox.glob("*.imon")}
    # A file leaves the inbox only once its batch is committed, and none is lost or doubled on the way.
    assert acked <= archived <= committed, where
    assert archived | waiting == set(expected) and not archived & waiting, where
    assert not (inbox.parent / "quarantaene").exists(), where
    if first_run:
        assert count % BATCH == 0 or count == len(expected), f"{where}: {count} files, not a whole batch"
    if finished:
        assert count == len(expected) and not waiting, where
    return count


def test_killing_an_import_leaves_it_complete_or_absent(tmp_path, server, sealed_files, kill_points):
    sealed_folder, expected = sealed_files
    rng = random.Random(SEED + 1)
    kills = rounds = runs_finished = 0
    partial = set()  # how many files the kills left stored: the kills must not all land in the same place
    while kills < kill_points - kill_points // 2:
        rounds += 1
        db_path, inbox = _fresh_round(sealed_folder, expected, tmp_path / f"runde{rounds}")
        acked: set[str] = set()
        first_run, finished = True, False
        while not finished and kills < kill_points - kill_points // 2:
            delay = rng.uniform(*IMPORT_DELAY)
            run = server.run(f"import {db_path} {inbox} {BATCH}", delay)
            acked |= set(run.acks)
            finished = "done" in run.lines
            assert finished or run.killed, run
            kills += run.killed
            runs_finished += finished
            where = f"round {rounds}, kill {kills} (seed {SEED + 1}, delay {delay:.3f} s)"
            partial.add(_check_import(db_path, inbox, expected, acked, first_run, finished, where))
            first_run = False
    assert kills >= kill_points - kill_points // 2
    print(f"import: {kills} kills in {rounds} rounds, {runs_finished} runs finished, files stored after a kill: "
          f"{sorted(partial)}")
    assert len(partial) > 2, partial  # killed at several points of the import, not only before or after it
