"""The column mappings an officer made once for a table of the statistical offices, kept under the table's code so
that next year's download of the same table is taken without asking again."""

from __future__ import annotations

import json

from store.database import Database, now, rows, write


def remembered_mapping(db: Database, table_code: str) -> dict | None:
    found = rows(db, "SELECT mapping FROM table_mappings WHERE table_code = ?", [table_code])
    return json.loads(found[0]["mapping"]) if found else None


def remember_mapping(db: Database, table_code: str, mapping: dict) -> None:
    with write(db):
        db.execute("INSERT OR REPLACE INTO table_mappings(table_code, mapping, saved_at) VALUES (?, ?, ?)",
                   [table_code, json.dumps(mapping, ensure_ascii=False, sort_keys=True), now()])
