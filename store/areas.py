"""The town's own geography: levels it names itself, areas by the statistics office's keys with a parent, a
lifetime and a boundary, and figures by area key at any level. A higher level's figure is its own where the office
gave one, else the sum of its areas one level down where every one of them has a figure: never both."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from common.i18n import _
from forms.model import ValueState
from forms.values import Value
from store.database import now, rows, write
from store.errors import StoreError

if TYPE_CHECKING:
    from sqlite_utils import Database

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Level:
    code: str
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class Area:
    level: str
    key: str
    name: str
    parent_key: str | None = None
    valid_from: int | None = None
    valid_to: int | None = None

    def active(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True)
class Boundary:
    rings: list[Ring]
    label_point: tuple[float, float] | None


def level_code(name: str) -> str:
    """A level's code from its name: "Statistischer Bezirk" → "statistischer-bezirk"."""
    text = unicodedata.normalize("NFKD", name.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe")
                                 .replace("ü", "ue").replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue"))
    return re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode().lower()).strip("-")[:40]


def levels(db: Database) -> list[Level]:
    """Top level first, each level before the ones below it."""
    found = [Level(r["code"], r["name"], r["parent"]) for r in rows(db, "SELECT * FROM area_levels ORDER BY rowid")]
    ordered: list[Level] = []
    while len(ordered) < len(found):
        known = {lv.code for lv in ordered}
        step = [lv for lv in found if lv.code not in known and (lv.parent is None or lv.parent in known)]
        if not step:  # a loop cannot be stored, but a hand-edited database should still list its levels
            ordered += [lv for lv in found if lv.code not in known]
            break
        ordered += step
    return ordered


def find_level(db: Database, name: str) -> Level | None:
    wanted, code = " ".join(name.split()).casefold(), level_code(name)
    return next((lv for lv in levels(db) if wanted == lv.name.casefold() or code == lv.code), None)


def outline_source(db: Database, level: str) -> str:
    """Where a level's outlines come from and under which licence, for the line under every map."""
    found = rows(db, "SELECT outline_source FROM area_levels WHERE code = ?", [level])
    return found[0]["outline_source"] if found else ""


def set_outline_source(db: Database, level: str, source: str) -> None:
    with write(db):
        db.execute("UPDATE area_levels SET outline_source = ? WHERE code = ?", [source, level])


def child_level(db: Database, code: str) -> Level | None:
    return next((lv for lv in levels(db) if lv.parent == code), None)


def ensure_level(db: Database, name: str, parent: str | None = None) -> Level:
    """The level of this name, made where it is new. Its parent is fixed once: a level below two others would make
    the sums ambiguous."""
    name = " ".join(name.split())
    code = level_code(name)
    if not code or len(name) > 60:
        raise StoreError(_("Bitte der Ebene einen kurzen Namen geben, z. B. „Stadtbezirk“ oder „Stadtteil“."))
    existing = find_level(db, name)
    if existing is not None:
        if parent is not None and existing.parent != parent:
            raise StoreError(_("Die Ebene „{name}“ liegt schon unter „{old}“, nicht unter „{new}“.").format(
                name=existing.name, old=existing.parent or _("keiner Ebene"), new=parent))
        return existing
    if parent is not None and child_level(db, parent) is not None:
        raise StoreError(_("Unter „{parent}“ liegt schon die Ebene „{child}“. Jede Ebene hat höchstens eine Ebene "
                           "darunter.").format(parent=parent, child=child_level(db, parent).name))
    with write(db):
        db.execute("INSERT INTO area_levels(code, name, parent) VALUES (?, ?, ?)", [code, name, parent])
    return Level(code, name, parent)


def areas_of(db: Database, level: str, year: int | None = None) -> list[Area]:
    found = [Area(r["level"], r["key"], r["name"], r["parent_key"], r["valid_from"], r["valid_to"])
             for r in rows(db, "SELECT level, key, name, parent_key, valid_from, valid_to FROM areas WHERE level = ? "
                               "ORDER BY key", [level])]
    return [a for a in found if year is None or a.active(year)]


def save_areas(db: Database, level: str, areas: list[Area], boundaries: dict[str, Boundary] | None = None) -> None:
    """Adds the areas or updates their name, parent and boundary; figures stay with their keys."""
    boundaries = boundaries or {}
    with write(db):
        for area in areas:
            shape = boundaries.get(area.key)
            geometry = json.dumps([[[round(x, 1), round(y, 1)] for x, y in ring] for ring in shape.rings]) \
                if shape else None
            label = shape.label_point if shape and shape.label_point else (None, None)
            db.execute("""INSERT INTO areas(level, key, name, parent_key, valid_from, valid_to, geometry, label_x,
                                            label_y) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                          ON CONFLICT(level, key) DO UPDATE SET name = excluded.name,
                              parent_key = excluded.parent_key, valid_from = excluded.valid_from,
                              valid_to = excluded.valid_to, geometry = COALESCE(excluded.geometry, areas.geometry),
                              label_x = COALESCE(excluded.label_x, areas.label_x),
                              label_y = COALESCE(excluded.label_y, areas.label_y)""",
                       [level, area.key, area.name, area.parent_key, area.valid_from, area.valid_to, geometry,
                        *label])


def boundaries_of(db: Database, level: str) -> dict[str, Boundary]:
    return {r["key"]: Boundary([[(x, y) for x, y in ring] for ring in json.loads(r["geometry"])],
                               (r["label_x"], r["label_y"]) if r["label_x"] is not None else None)
            for r in rows(db, "SELECT key, geometry, label_x, label_y FROM areas WHERE level = ? AND geometry IS NOT "
                              "NULL", [level])}


def set_successors(db: Database, level: str, old_key: str, new: dict[str, float | None]) -> None:
    """Boundaries re-cut: the old area's figures went to these new areas, with the share where it is known."""
    with write(db):
        db.execute("DELETE FROM area_successors WHERE level = ? AND old_key = ?", [level, old_key])
        for key, share in new.items():
            db.execute("INSERT INTO area_successors(level, old_key, new_key, share) VALUES (?, ?, ?, ?)",
                       [level, old_key, key, share])


def successors(db: Database, level: str, old_key: str) -> dict[str, float | None]:
    return {r["new_key"]: r["share"] for r in rows(
        db, "SELECT new_key, share FROM area_successors WHERE level = ? AND old_key = ?", [level, old_key])}


def assign_area(db: Database, org_unit_id: str, level: str | None, key: str | None) -> None:
    with write(db):
        db.execute("UPDATE org_units SET area_level = ?, area_key = ? WHERE id = ?", [level, key, org_unit_id])


def area_of_units(db: Database) -> dict[str, tuple[str, str]]:
    return {r["id"]: (r["area_level"], r["area_key"]) for r in rows(
        db, "SELECT id, area_level, area_key FROM org_units WHERE area_key IS NOT NULL")}


def _value(number: int | None, state: str | None) -> Value:
    return Value(number=number, state=ValueState(state) if state else None)


def stored_figures(db: Database, level: str, year: int | None = None) -> dict[tuple[str, int, str], Value]:
    """(key, year, characteristic) → value, as the office gave them for this level."""
    sql = "SELECT key, year, characteristic, number, state FROM area_figures WHERE level = ?"
    found = rows(db, sql + (" AND year = ?" if year is not None else ""), [level, year] if year is not None
                 else [level])
    return {(r["key"], r["year"], r["characteristic"]): _value(r["number"], r["state"]) for r in found}


def save_figures(db: Database, level: str, figures: dict[tuple[str, int, str], Value], source: str) -> None:
    save_figure_rows(db, level, [(key, year, c, v.number, v.state.value if v.state else None)
                                 for (key, year, c), v in figures.items()], source)


def save_figure_rows(db: Database, level: str, figures: list[tuple[str, int, str, int | None, str | None]],
                     source: str) -> None:
    """(key, year, characteristic, number, state) rows as a table by area brings them, in one statement."""
    stamp = now()
    with write(db):
        db.conn.executemany(
            "INSERT OR REPLACE INTO area_figures(level, key, year, characteristic, number, state, source, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(level, *row, source, stamp) for row in figures])


def figure_years(db: Database) -> list[int]:
    return [r["year"] for r in rows(db, "SELECT DISTINCT year FROM area_figures ORDER BY year")]


def figures_at(db: Database, level: str, year: int, characteristic: str) -> dict[str, int | None]:
    """Each area of the level active in the year → its figure: the office's own for this level where given, else
    the sum of its areas one level down when every one of them has a number; None where neither is known."""
    own = {key: v.number for (key, _y, c), v in stored_figures(db, level, year).items() if c == characteristic}
    result: dict[str, int | None] = {}
    child = child_level(db, level)
    below = figures_at(db, child.code, year, characteristic) if child is not None else {}
    children: dict[str, list[str]] = {}
    if child is not None:
        for area in areas_of(db, child.code, year):
            children.setdefault(area.parent_key or "", []).append(area.key)
    for area in areas_of(db, level, year):
        if area.key in own:
            result[area.key] = own[area.key]
            continue
        parts = [below.get(k) for k in children.get(area.key, [])]
        result[area.key] = sum(parts) if parts and None not in parts else None
    return result
