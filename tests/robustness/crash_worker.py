"""A child process for the robustness tests: saves entries or imports files, and says what is committed.

    python -m tests.robustness.crash_worker edits DB SUBMISSION_ID [COUNT]
    python -m tests.robustness.crash_worker import DB INBOX BATCH
    python -m tests.robustness.crash_worker hold DB SECONDS
    python -m tests.robustness.crash_worker serve

Every line it prints is flushed at once. "ready" comes when the work starts; an "ack …" line only after the save or
the batch it names is committed, so whatever was acknowledged must survive a SIGKILL that lands at any moment.

edits: one value per save, with ever higher numbers (continuing above what the database already holds). Without
COUNT it cycles over EDIT_ADDRESSES until killed ("ack FIELD ROW COL NUMBER"); with COUNT it saves COUNT values,
each in a cell of its own (field "zaehlung", row "rN"), then prints "done".

import: imports the *.imon files of INBOX in batches of BATCH files (the importer's batch size, made small so a
short run has many commits); "ack NAME" when a file leaves the inbox, which happens only after its batch is
committed. "done" when the inbox is empty.

serve: a fork server, so that hundreds of kills do not each pay half a second of Python start-up. It imports the
program once, then reads commands ("edits …" or "import …", the arguments as above) from stdin, one at a time; for
each it forks a real child process that does the work and can be killed. It prints "started PID", the child prints
its lines prefixed with its PID ("PID ready", "PID ack …"), and once the child has ended (finished or killed) the
server prints "exited PID STATUS": every line the child wrote comes before that one.

hold: takes the write lock (BEGIN IMMEDIATE), prints "locked", keeps it SECONDS and commits.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

EDIT_ADDRESSES = [("personal_gesamt", "", ""), ("sprachfoerderung", "", ""), ("kinder", "u3", "insgesamt"),
                  ("kinder", "ue3", "insgesamt"), ("kinder", "u3", "sprache"), ("kinder", "ue3", "sprache")]
OFFICER_PASSPHRASE = "Rathaus-Integration-2026"  # tests.sync.exchange_helpers.OFFICER_PASSPHRASE


_prefix = ""


def say(line: str) -> None:
    # One unbuffered write: it is in the pipe before the call returns, and a small one is never torn.
    os.write(1, (_prefix + line + "\n").encode("utf-8"))


def edits(db_path: str, submission_id: int, count: int | None) -> None:
    from forms.values import Value
    from store.database import open_database
    from store.submissions import set_values

    db = open_database(db_path)
    start = db.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM cell_values WHERE submission_id = ?",
                       [submission_id]).fetchone()[0]
    say("ready")
    if count is None:
        number = start
        while True:
            address = EDIT_ADDRESSES[number % len(EDIT_ADDRESSES)]
            set_values(db, submission_id, {address: Value(number=number)})
            say("ack {} {} {} {}".format(*(part or "-" for part in address), number))
            number += 1
    for i in range(1, count + 1):
        address = ("zaehlung", f"r{i}", "")
        set_values(db, submission_id, {address: Value(number=i)})
        say(f"ack zaehlung r{i} - {i}")
    say("done")


def import_folder(db_path: str, inbox: str, batch: int, keys=None) -> None:
    from store.database import open_database
    from sync import importer
    from sync.officer import unlock_officer
    from sync.transports import FolderInbox

    importer.BATCH = batch
    db = open_database(db_path)
    if keys is None:
        keys = unlock_officer(db, OFFICER_PASSPHRASE)
    base = Path(inbox).parent

    class Acknowledging(FolderInbox):
        def accepted(self, item):
            super().accepted(item)
            say(f"ack {item.name}")

        def rejected(self, item, reason):
            super().rejected(item, reason)
            say(f"rejected {item.name}: {reason}")

    source = Acknowledging(inbox, base / "archiv", base / "quarantaene", settle_seconds=0)
    say("ready")
    importer.import_from(db, keys, source)
    say("done")


def hold(db_path: str, seconds: float) -> None:
    from store.database import open_database

    db = open_database(db_path)
    db.conn.execute("BEGIN IMMEDIATE")
    db.conn.execute("INSERT INTO settings(key, value) VALUES ('gehalten', 'ja') "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
    say("locked")
    time.sleep(seconds)
    db.conn.execute("COMMIT")
    say("done")


def _officer_keys(db_path: str, cache: dict):
    """The officer's keys, unlocked once per key set: argon2id costs a tenth of a second a time."""
    from sync.keys import OfficerKeys

    conn = sqlite3.connect(db_path)
    try:
        protected = conn.execute("SELECT value FROM settings WHERE key = 'officer_keys'").fetchone()[0]
    finally:
        conn.close()
    if protected not in cache:
        cache[protected] = OfficerKeys.unlock(json.loads(protected), OFFICER_PASSPHRASE)
    return cache[protected]


def serve() -> None:
    global _prefix
    # Everything a child needs is imported before the first fork.
    import forms.values  # noqa: F401
    import store.database  # noqa: F401
    import store.submissions  # noqa: F401
    import sync.importer  # noqa: F401
    import sync.officer  # noqa: F401
    import sync.transports  # noqa: F401

    keys: dict = {}
    for command in sys.stdin:
        argv = command.split()
        if not argv:
            continue
        unlocked = _officer_keys(argv[1], keys) if argv[0] == "import" else None
        pid = os.fork()
        if pid == 0:
            _prefix = f"{os.getpid()} "
            status = 0
            try:
                main(argv, unlocked)
            except BaseException as exc:  # noqa: BLE001 - reported to the test, which fails on it
                say(f"error {type(exc).__name__}: {exc}")
                status = 1
            os._exit(status)
        say(f"started {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"exited {pid} {status}")


def main(argv: list[str], keys=None) -> None:
    mode, *args = argv
    if mode == "serve":
        serve()
        return
    db_path, *rest = args
    if mode == "edits":
        edits(db_path, int(rest[0]), int(rest[1]) if len(rest) > 1 else None)
    elif mode == "import":
        import_folder(db_path, rest[0], int(rest[1]), keys)
    elif mode == "hold":
        hold(db_path, float(rest[0]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
