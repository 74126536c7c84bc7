"""Schema 7 for a workspace from before: its Bezirke and Unterbezirke become areas, each institution stays in its
area, and the population figures of the numbered rows "Bezirk 1" … "Bezirk 12" of the town's form become
figures of the areas those rows stood for (the n-th Bezirk by id, as the form's help said)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.database import now

if TYPE_CHECKING:
    from sqlite_utils import Database

# (field, column of the old form) → characteristic; the children's totals are the sum of "with" and "without".
_DIRECT = {
    ("bevoelkerung_bezirk", "insgesamt"): "einwohner",
    ("bevoelkerung_bezirk", "auslaender"): "auslaender",
    ("bevoelkerung_bezirk", "emr"): "emr",
    ("kinder_bezirk", "a3_6_mit"): "kinder_3_6_mh",
    ("kinder_bezirk", "a6_10_mit"): "kinder_6_10_mh",
}
_SUMS = {"kinder_3_6": ("a3_6_mit", "a3_6_ohne"), "kinder_6_10": ("a6_10_mit", "a6_10_ohne")}


def bezirke_to_areas(db: Database) -> None:
    """Also for a workspace built the old way after the upgrade (the demo town): what is there already stays."""
    conn = db.conn
    units = conn.execute("SELECT id, kind, name, parent_id, valid_from, valid_to FROM org_units "
                         "WHERE kind IN ('bezirk', 'unterbezirk') ORDER BY id").fetchall()
    if not units:
        return
    kinds = {u[0]: u[1] for u in units}
    conn.execute("INSERT OR IGNORE INTO area_levels(code, name, parent) VALUES ('bezirk', 'Bezirk', NULL)")
    if "unterbezirk" in kinds.values():
        conn.execute("INSERT OR IGNORE INTO area_levels(code, name, parent) "
                     "VALUES ('unterbezirk', 'Unterbezirk', 'bezirk')")
    conn.executemany(
        "INSERT OR IGNORE INTO areas(level, key, name, parent_key, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?)",
        [(kind, uid, name, parent if kind == "unterbezirk" and kinds.get(parent) == "bezirk" else None, start, end)
         for uid, kind, name, parent, start, end in units])
    # Each institution in the area it hung under: its Unterbezirk where it has one, else its Bezirk.
    conn.execute("""UPDATE org_units SET area_level = (SELECT p.kind FROM org_units p WHERE p.id = org_units.parent_id),
                                         area_key = parent_id
                    WHERE parent_id IN (SELECT id FROM org_units WHERE kind IN ('bezirk', 'unterbezirk'))
                      AND kind NOT IN ('bezirk', 'unterbezirk') AND area_key IS NULL""")
    rows_to_bezirk = {f"bezirk_{n:02d}": uid for n, uid in
                      enumerate(sorted(u[0] for u in units if u[1] == "bezirk"), start=1)}
    # The current revision of the main source, year by year: what the report counted until now.
    cells = conn.execute("""
        SELECT s.year, s.revision, v.field, v.row, v.col, v.number, v.state
        FROM submissions s JOIN cell_values v ON v.submission_id = s.id
        WHERE s.org_unit_id IN (SELECT id FROM org_units WHERE kind = 'stadt') AND s.form_id = 'bevoelkerung'
          AND s.figure_source = '' AND v.field IN ('bevoelkerung_bezirk', 'kinder_bezirk')
          AND s.revision = (SELECT MAX(t.revision) FROM submissions t WHERE t.org_unit_id = s.org_unit_id
                            AND t.form_id = s.form_id AND t.year = s.year AND t.figure_source = '')""").fetchall()
    figures: dict[tuple[str, int, str], tuple[int | None, str | None, str]] = {}
    kids: dict[tuple[str, int, str], list[int | None]] = {}
    for year, revision, field, row, col, number, state in cells:
        key = rows_to_bezirk.get(row)
        if key is None or (number is None and state is None):
            continue
        source = f"Formular Bevölkerung {year}, Fassung {revision} (Zeile „Bezirk {int(row[-2:])}“)"
        characteristic = _DIRECT.get((field, col))
        if characteristic is not None:
            figures[(key, year, characteristic)] = (number, state, source)
        for total, parts in _SUMS.items():
            if field == "kinder_bezirk" and col in parts:
                kids.setdefault((key, year, total), []).append(number)
    for (key, year, total), numbers in kids.items():
        if len(numbers) == 2 and None not in numbers:
            figures[(key, year, total)] = (sum(numbers), None, f"Formular Bevölkerung {year} (mit + ohne)")
    stamp = now()
    conn.executemany(
        "INSERT OR IGNORE INTO area_figures(level, key, year, characteristic, number, state, source, updated_at) "
        "VALUES ('bezirk', ?, ?, ?, ?, ?, ?, ?)",
        [(key, year, c, number, state, source, stamp) for (key, year, c), (number, state, source) in figures.items()])
