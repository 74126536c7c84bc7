"""The Excel forms the officer made, each with its random access code: the officer's permission for one
institution, form and year to report in a workbook, without a signature. See sync.excel_form for the seal."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from store import settings
from store.database import now, write


def seal_key(db: Database) -> bytes:
    """The officer's key for sealing Excel forms; made at the first form. Only this database holds it."""
    with write(db):
        stored = settings.excel_seal_key(db)
        if stored is None:
            stored = secrets.token_hex(32)
            settings.set_excel_seal_key(db, stored)
    return bytes.fromhex(stored)


def existing_seal_key(db: Database) -> bytes | None:
    """The key, or None when this database never made an Excel form."""
    stored = settings.excel_seal_key(db)
    return bytes.fromhex(stored) if stored else None


def allow_excel(db: Database, org_unit_id: str, form_id: str, form_version: int, year: int) -> str:
    """Records the permission for one new workbook; returns its access code."""
    nonce = secrets.token_hex(16)
    with write(db):
        db.execute("INSERT INTO excel_permissions(nonce, org_unit_id, form_id, form_version, year, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)", [nonce, org_unit_id, form_id, form_version, year, now()])
    return nonce


def excel_allowed(db: Database, nonce: str, org_unit_id: str, form_id: str, year: int) -> bool:
    """Whether a workbook with this access code was made here for this institution, form and year, unrevoked."""
    return db.execute("SELECT 1 FROM excel_permissions WHERE nonce = ? AND org_unit_id = ? AND form_id = ? AND "
                      "year = ? AND revoked_at IS NULL", [nonce, org_unit_id, form_id, year]).fetchone() is not None
