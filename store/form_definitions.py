"""Form definitions that travelled in a setup file rather than shipping with the program: kept as their text, so
the holder's program knows them at every start and the officer can send them on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from forms.catalog import register_definition
from store.database import write


def stored_definitions(db: Database) -> list[tuple[str, str]]:
    """(file name, text) of every stored definition."""
    return [(r[0], r[1]) for r in db.execute("SELECT file_name, text FROM form_definitions").fetchall()]


def store_definition(db: Database, form_id: str, version: int, file_name: str, text: str) -> None:
    """Keeps the first text of a form version: a version, once sent, never changes."""
    with write(db):
        db.execute("INSERT OR IGNORE INTO form_definitions(form_id, version, file_name, text) VALUES (?, ?, ?, ?)",
                   [form_id, version, file_name, text])


def register_stored_forms(db: Database) -> None:
    """Forms the officer sent with a setup file count like shipped ones once the workspace is open."""
    for file_name, text in stored_definitions(db):
        register_definition(text, file_name)
