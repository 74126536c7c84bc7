"""The values a report counts, as one long table: only approved submissions, or on request also those received
and not yet approved, marked as such.

For each institution, form, year and source the newest revision in a counted state is used: a correction that
arrived but is not yet approved does not push the approved figures out of an "approved only" report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


CHUNK = 100_000


def _values(db: Database, counted_sql: str, params: list) -> pd.DataFrame:
    """The cell values of the counted submissions, read in chunks whose text columns become categories at once:
    700,000 values as Python strings would take half a gigabyte before they could be converted."""
    import pandas as pd

    dtypes = {}
    for column in ("field", "row", "col"):
        codes = [r[0] for r in db.execute(f"SELECT DISTINCT {column} FROM cell_values")]
        dtypes[column] = pd.CategoricalDtype(sorted(codes))
    dtypes["state"] = pd.CategoricalDtype(["geheim", "nicht_zutreffend", "unbekannt"])
    chunks = []
    for chunk in pd.read_sql_query(
            f"""WITH counted AS ({counted_sql})
                SELECT v.submission_id, v.field, v.row, v.col, v.number, v.state, v.estimate
                FROM cell_values v WHERE v.submission_id IN (SELECT id FROM counted)""",
            db.conn, params=params, chunksize=CHUNK):
        chunks.append(chunk.astype(dtypes).assign(number=chunk["number"].astype("Int64"),
                                                  estimate=chunk["estimate"].astype(bool)))
    if not chunks:
        return pd.DataFrame({"submission_id": pd.Series(dtype="int64"),
                             **{c: pd.Series(dtype=t) for c, t in dtypes.items()},
                             "number": pd.Series(dtype="Int64"), "estimate": pd.Series(dtype=bool)})
    return pd.concat(chunks, ignore_index=True)


def counted_values(db: Database, include_received: bool = False) -> pd.DataFrame:
    """Every counted value in long format (one row per value); `approved` is False for a value that is only
    received, so tables can mark it."""
    import pandas as pd

    states = WITH_RECEIVED if include_received else APPROVED_ONLY
    marks = ", ".join("?" for _ in states)
    counted_sql = f"""SELECT s.* FROM submissions s
        WHERE s.state IN ({marks}) AND s.revision = (
            SELECT MAX(t.revision) FROM submissions t
            WHERE t.org_unit_id = s.org_unit_id AND t.form_id = s.form_id AND t.year = s.year
              AND t.figure_source = s.figure_source AND t.state IN ({marks}))"""
    params = [*(s.value for s in states), *(s.value for s in states)]
    submissions = pd.read_sql_query(
        f"SELECT id, org_unit_id, year, form_id, form_version, figure_source, state AS submission_state "
        f"FROM ({counted_sql})", db.conn, params=params).set_index("id")
    units = pd.read_sql_query("SELECT id, kind, name, json_extract(attributes, '$.schulform') AS school_type, "
                              "synthetic FROM org_units", db.conn).set_index("id")
    areas = pd.DataFrame.from_dict(_areas(db), orient="index", columns=["bezirk_id", "unterbezirk_id"])
    unit = submissions["org_unit_id"]
    submissions = submissions.assign(
        kind=unit.map(units["kind"]), name=unit.map(units["name"]),
        school_type=unit.map(units["school_type"]).fillna(""), bezirk_id=unit.map(areas["bezirk_id"]),
        unterbezirk_id=unit.map(areas["unterbezirk_id"]),
        approved=submissions["submission_state"] == State.APPROVED.value,
        synthetic=unit.map(units["synthetic"]).fillna(0).astype(bool))
    names = units.loc[units["kind"] == "bezirk", "name"]
    submissions = submissions.assign(bezirk=submissions["bezirk_id"].map(names).fillna(""))
    # Categories: the report filters these columns dozens of times, and comparing categories is fast.
    for column in ("org_unit_id", "kind", "school_type", "bezirk_id", "unterbezirk_id", "form_id", "figure_source",
                   "submission_state", "name", "bezirk"):
        submissions[column] = submissions[column].astype("category")
    values = _values(db, counted_sql, params)
    frame = values.join(submissions, on="submission_id").rename(columns={"state": "value_state"})
    return frame[list(COLUMNS)]


def registry(db: Database) -> pd.DataFrame:
    """Every org unit with its kind, school type, Bezirk and the years it existed: the rows a table by Bezirk or by
    school type must have in a year, even those for which no figure can be printed."""
    import pandas as pd

    units = pd.read_sql_query("SELECT id AS org_unit_id, kind, json_extract(attributes, '$.schulform') AS school_type, "
                              "valid_from, valid_to FROM org_units", db.conn)
    areas = _areas(db)
    bezirk = units["org_unit_id"].map(lambda unit: areas.get(unit, (None, None))[0])
    # A Bezirk lies in itself, so that it is found like the institutions in it.
    bezirk = bezirk.where(units["kind"] != "bezirk", units["org_unit_id"])
    return units.assign(school_type=units["school_type"].fillna(""), bezirk_id=bezirk)
