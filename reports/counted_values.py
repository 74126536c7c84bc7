"""The values a report counts, as one long table: only approved submissions, or on request also those received
and not yet approved, marked as such.

For each institution, form, year and source the newest revision in a counted state is used: a correction that
arrived but is not yet approved does not push the approved figures out of an "approved only" report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlite_utils import Database

from store.submissions import State

if TYPE_CHECKING:
    import pandas as pd

APPROVED_ONLY = (State.APPROVED,)
WITH_RECEIVED = (State.APPROVED, State.RECEIVED, State.QUERIED)

COLUMNS = ("org_unit_id", "kind", "name", "school_type", "bezirk_id", "bezirk", "unterbezirk_id", "year", "form_id",
           "form_version", "figure_source", "field", "row", "col", "number", "value_state", "estimate", "approved",
           "submission_state", "synthetic")


def _areas(db: Database) -> dict[str, tuple[str | None, str | None]]:
    """Each org unit's Bezirk and Unterbezirk, found by walking up its parents."""
    parents = {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, parent_id, kind FROM org_units")}
    areas = {}
    for unit in parents:
        bezirk = unterbezirk = None
        seen, current = set(), parents[unit][0]
        while current is not None and current in parents and current not in seen:
            seen.add(current)
            parent, kind = parents[current]
            if kind == "unterbezirk" and unterbezirk is None:
                unterbezirk = current
            if kind == "bezirk":
                bezirk = current
                break
            current = parent
        areas[unit] = (bezirk, unterbezirk)
    return areas


def counted_values(db: Database, include_received: bool = False) -> pd.DataFrame:
    """Every counted value in long format (one row per value); `approved` is False for a value that is only
    received, so tables can mark it."""
    import pandas as pd

    states = WITH_RECEIVED if include_received else APPROVED_ONLY
    marks = ", ".join("?" for _ in states)
    rows = db.execute(
        f"""WITH counted AS (
                SELECT s.* FROM submissions s
                WHERE s.state IN ({marks}) AND s.revision = (
                    SELECT MAX(t.revision) FROM submissions t
                    WHERE t.org_unit_id = s.org_unit_id AND t.form_id = s.form_id AND t.year = s.year
                      AND t.figure_source = s.figure_source AND t.state IN ({marks})))
            SELECT c.org_unit_id, o.kind, o.name, json_extract(o.attributes, '$.schulform'), c.year, c.form_id,
                   c.form_version, c.figure_source, v.field, v.row, v.col, v.number, v.state, v.estimate,
                   c.state, o.synthetic
            FROM counted c JOIN cell_values v ON v.submission_id = c.id JOIN org_units o ON o.id = c.org_unit_id""",
        [*(s.value for s in states), *(s.value for s in states)]).fetchall()
    names = {r[0]: r[1] for r in db.execute("SELECT id, name FROM org_units WHERE kind = 'bezirk'")}
    areas = _areas(db)
    records = []
    for (unit, kind, name, school_type, year, form_id, version, source, field, row, col, number, value_state,
         estimate, state, synthetic) in rows:
        bezirk, unterbezirk = areas.get(unit, (None, None))
        records.append((unit, kind, name, school_type or "", bezirk, names.get(bezirk, ""), unterbezirk, year,
                        form_id, version, source, field, row, col, number, value_state, bool(estimate),
                        state == State.APPROVED.value, state, bool(synthetic)))
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    frame["number"] = frame["number"].astype("Int64")  # counts stay integers; a missing count stays missing
    return frame
