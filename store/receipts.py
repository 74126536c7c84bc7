"""The officer's receipts as the holder took them in: one per form, year and revision, so the holder sees which
revision the town has accepted."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from store.database import write


@dataclass(frozen=True)
class StoredReceipt:
    outcome: str
    message: str
    flags: tuple[str, ...]
    at: str


def keep_receipt(db: Database, form_id: str, year: int, revision: int, receipt: StoredReceipt) -> None:
    """A later receipt for the same revision replaces the earlier one: the officer's latest word counts."""
    with write(db):
        db.execute("INSERT OR REPLACE INTO receipts(form_id, year, revision, outcome, message, flags, at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [form_id, year, revision, receipt.outcome, receipt.message, json.dumps(list(receipt.flags)),
                    receipt.at])


def receipt_for(db: Database, form_id: str, year: int, revision: int) -> StoredReceipt | None:
    row = db.execute("SELECT outcome, message, flags, at FROM receipts WHERE form_id = ? AND year = ? AND "
                     "revision = ?", [form_id, year, revision]).fetchone()
    return StoredReceipt(row[0], row[1], tuple(json.loads(row[2])), row[3]) if row else None
