"""Where a field of the town's figures came from ("IT.NRW, Tabelle 12411-01-01-5, Stand 05.05.2017") and on which
reference date it was counted; kept per revision, copied into a correction with its values."""

from __future__ import annotations

from dataclasses import dataclass

from store.database import Database, rows, write


@dataclass(frozen=True)
class Origin:
    source: str
    reference: str = ""


def set_origins(db: Database, submission_id: int, origins: dict[str, Origin]) -> None:
    with write(db):
        db.conn.executemany("INSERT OR REPLACE INTO value_origins(submission_id, field, source, reference) "
                       "VALUES (?, ?, ?, ?)",
                       [(submission_id, code, o.source, o.reference) for code, o in origins.items()])


def origins_of(db: Database, submission_id: int) -> dict[str, Origin]:
    return {r["field"]: Origin(r["source"], r["reference"]) for r in rows(
        db, "SELECT field, source, reference FROM value_origins WHERE submission_id = ?", [submission_id])}


def origins_for_fields(db: Database, form_id: str, fields: list[str], years: list[int]) -> list[Origin]:
    """The distinct origins of the main series' current figures of these fields in these years, for the source
    line under a report table."""
    if not fields or not years:
        return []
    marks_f, marks_y = ", ".join("?" * len(fields)), ", ".join("?" * len(years))
    found = rows(db, f"""
        SELECT DISTINCT o.source, o.reference FROM value_origins o JOIN submissions s ON s.id = o.submission_id
        WHERE s.form_id = ? AND s.figure_source = '' AND o.field IN ({marks_f}) AND s.year IN ({marks_y})
          AND s.revision = (SELECT MAX(t.revision) FROM submissions t WHERE t.org_unit_id = s.org_unit_id
                            AND t.form_id = s.form_id AND t.year = s.year AND t.figure_source = '')
        ORDER BY o.source""", [form_id, *fields, *years])
    return [Origin(r["source"], r["reference"]) for r in found]
