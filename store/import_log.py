"""Every file the officer's import looked at, with its fingerprint and what became of it: the trail that answers
"did our file arrive?" months later."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from store.database import now, write


def log_import(db: Database, file_name: str, origin: str, file_hash: str, outcome: str, reason: str,
               submission_id: int | None) -> None:
    with write(db):
        db.conn.execute(
            "INSERT INTO import_log(at, file_name, origin, file_hash, outcome, reason, submission_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", [now(), file_name, origin, file_hash, outcome, reason, submission_id])
