"""Every file the officer's import looked at, with its fingerprint and what became of it: the trail that answers
"did our file arrive?" months later."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sqlite_utils import Database

from store.database import write


class LogEntry(NamedTuple):
    at: str
    file_name: str
    origin: str
    file_hash: str
    outcome: str
    reason: str
    submission_id: int | None


def log_imports(db: Database, entries: list[LogEntry]) -> None:
    """One statement for a whole batch of files: an import writes thousands of lines."""
    with write(db):
        db.conn.executemany(
            "INSERT INTO import_log(at, file_name, origin, file_hash, outcome, reason, submission_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", entries)
