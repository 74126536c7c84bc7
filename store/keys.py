"""The institutions' public signing keys as the officer registered them; revoked ones stay, so that old signed
files can still be told apart from forgeries."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from store.database import now, write


def institution_keys(db: Database, org_unit_id: str) -> list[tuple[str, bool]]:
    """(verify key as hex, revoked) of every key the institution was ever given."""
    return [(r[0], r[1] is not None) for r in db.execute(
        "SELECT verify_key, revoked_at FROM institution_keys WHERE org_unit_id = ?", [org_unit_id]).fetchall()]


def revoke_keys(db: Database, org_unit_id: str) -> None:
    with write(db):
        db.execute("UPDATE institution_keys SET revoked_at = ? WHERE org_unit_id = ? AND revoked_at IS NULL",
                   [now(), org_unit_id])


def replace_key(db: Database, org_unit_id: str, verify_key_hex: str) -> None:
    """The new key of a first setup: every earlier one is revoked in the same transaction."""
    with write(db):
        revoke_keys(db, org_unit_id)
        db.execute("INSERT INTO institution_keys(org_unit_id, verify_key, created_at) VALUES (?, ?, ?)",
                   [org_unit_id, verify_key_hex, now()])

