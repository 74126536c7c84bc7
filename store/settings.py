"""The workspace's own facts, one typed accessor each: who this database belongs to, its keys, lists the town sent,
the choices a user made once. The `settings` table stores them as text; nothing outside this module knows its keys,
so a setting cannot be misspelt or read in another shape than it was written."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from store.database import write
from store.errors import StoreError

OFFICER, HOLDER = "officer", "holder"


def _get(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _set(db: Database, key: str, value: str) -> None:
    with write(db):
        db.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


def _get_json(db: Database, key: str):
    stored = _get(db, key)
    return json.loads(stored) if stored else None


def _set_json(db: Database, key: str, value) -> None:
    _set(db, key, json.dumps(value, ensure_ascii=False, sort_keys=True))


def role(db: Database) -> str | None:
    """OFFICER, HOLDER, or None for a database nobody has set up yet."""
    return _get(db, "role")


def set_role(db: Database, value: str) -> None:
    if value not in (OFFICER, HOLDER):
        raise ValueError(value)
    _set(db, "role", value)


def institution_id(db: Database) -> str | None:
    """The holder's own institution; None until a setup file or the profile was opened."""
    return _get(db, "institution_id")


def set_institution_id(db: Database, value: str) -> None:
    _set(db, "institution_id", value)


def is_demo(db: Database) -> bool:
    return _get(db, "demo") is not None


def mark_demo(db: Database) -> None:
    _set(db, "demo", "synthetisch")


def signing_key(db: Database) -> str | None:
    """The holder's signing key (hex), as the setup file handed it over. Stored sealed with this computer's secret
    (store.local_secret), so a backup or a copied database alone cannot sign; elsewhere a German StoreError."""
    sealed = _get(db, "signing_key_sealed")
    if sealed:
        from store import local_secret  # PyNaCl: not on the start-up path, which reads settings before the list

        return local_secret.unseal(sealed).hex()
    return _get(db, "signing_key")  # a clear key of an earlier version that could not be sealed yet


def set_signing_key(db: Database, hex_key: str) -> None:
    from store import local_secret

    sealed = local_secret.seal(bytes.fromhex(hex_key))
    with write(db):
        _set(db, "signing_key_sealed", sealed)
        db.execute("DELETE FROM settings WHERE key = 'signing_key'")


def seal_clear_signing_key(db: Database) -> None:
    """An earlier version kept the key in clear: sealed on open, the clear value overwritten (secure_delete, then
    VACUUM) and checkpointed out of the WAL. Where this computer's secret cannot be made, it stays as it was."""
    clear = _get(db, "signing_key")
    if not clear:
        return
    try:
        set_signing_key(db, clear)
    except (StoreError, ValueError):
        return
    # Earlier writes (without secure_delete) may have left copies of the clear value in free space: a holder's
    # database is small, so it is rebuilt once, and the WAL emptied.
    try:
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass  # sealed all the same; the free space is rebuilt at the next opening that can


def officer_public(db: Database) -> dict | None:
    """The officer's public keys, as the latest setup file named them."""
    return _get_json(db, "officer_public")


def set_officer_public(db: Database, keys: dict) -> None:
    _set_json(db, "officer_public", keys)


def trusted_officer_keys(db: Database) -> list[str]:
    """Every officer verify key (hex) this holder has learnt to trust, oldest first."""
    return _get_json(db, "trusted_officer_keys") or []


def set_trusted_officer_keys(db: Database, keys: list[str]) -> None:
    _set(db, "trusted_officer_keys", json.dumps(keys))


def protected_officer_keys(db: Database) -> dict | None:
    """The officer's own key pair, encrypted with the officer's passphrase."""
    return _get_json(db, "officer_keys")


def set_protected_officer_keys(db: Database, protected: dict) -> None:
    _set(db, "officer_keys", json.dumps(protected))


def excel_seal_key(db: Database) -> str | None:
    """Officer: the secret key (hex) that seals the Excel forms this workspace makes (store.excel_permissions)."""
    return _get(db, "excel_siegel_schluessel")


def set_excel_seal_key(db: Database, hex_key: str) -> None:
    _set(db, "excel_siegel_schluessel", hex_key)


def school_list(db: Database) -> dict[str, str] | None:
    """Holder: Schulnummer → Schulform as the town sent it with the setup file; None when it sent none yet."""
    return _get_json(db, "schulliste")


def set_school_list(db: Database, schools: dict[str, str]) -> None:
    _set_json(db, "schulliste", schools)


def imported_school_directory(db: Database) -> dict[str, str]:
    """Officer: Schulnummer → Schulform of every school in the registry lists imported so far."""
    return _get_json(db, "schulverzeichnis") or {}


def add_to_school_directory(db: Database, found: dict[str, str]) -> None:
    with write(db):
        _set_json(db, "schulverzeichnis", {**imported_school_directory(db), **found})


def zwg_rule(db: Database) -> str | None:
    """How this school counts Zuwanderungsgeschichte in its pupil export, as it chose last time."""
    return _get(db, "zwg_regel")


def set_zwg_rule(db: Database, rule: str) -> None:
    _set(db, "zwg_regel", rule)


def registry_ags(db: Database) -> str:
    """The Gemeindeschlüssel the last registry import filtered by."""
    return _get(db, "registry_ags") or ""


def set_registry_ags(db: Database, ags: str) -> None:
    _set(db, "registry_ags", ags)


def webdav_account(db: Database) -> tuple[str, str]:
    """(address, user name) of the town's WebDAV inbox; the password is never stored."""
    return _get(db, "webdav_url") or "", _get(db, "webdav_user") or ""


def set_webdav_account(db: Database, url: str, user: str) -> None:
    with write(db):
        _set(db, "webdav_url", url)
        _set(db, "webdav_user", user)


def last_backup(db: Database) -> datetime | None:
    stored = _get(db, "last_backup")
    return datetime.fromisoformat(stored) if stored else None


def set_last_backup(db: Database, at: datetime | None = None) -> None:
    _set(db, "last_backup", (at or datetime.now(UTC)).isoformat())


def next_setup_sequence(db: Database, org_unit_id: str, at_least: int = 1) -> int:
    """Officer: the number for the next setup file or update of an institution, higher than the last one (kept)
    and at least `at_least`."""
    with write(db):
        counters = _get_json(db, "setup_sequence") or {}
        number = max(int(counters.get(org_unit_id, 0)) + 1, at_least)
        _set_json(db, "setup_sequence", {**counters, org_unit_id: number})
    return number


def last_setup_sequence(db: Database) -> int | None:
    """Holder: the number of the newest setup file or update read; None before the first."""
    stored = _get(db, "last_setup_sequence")
    return int(stored) if stored is not None else None


def set_last_setup_sequence(db: Database, number: int) -> None:
    _set(db, "last_setup_sequence", str(number))
