"""The registry: the town, its Bezirke and Unterbezirke, and the reporting institutions."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from common.i18n import N_, _
from store.database import rows, write
from store.errors import StoreError
from store.settings import imported_school_directory

KINDS = ("stadt", "bezirk", "unterbezirk", "schule", "kita", "jugendtreff", "verein")
INSTITUTION_KINDS = ("schule", "kita", "jugendtreff", "verein")

KIND_LABELS = {
    "stadt": N_("Stadt"),
    "bezirk": N_("Bezirk"),
    "unterbezirk": N_("Unterbezirk"),
    "schule": N_("Schule"),
    "kita": N_("Kindertageseinrichtung"),
    "jugendtreff": N_("Jugendtreff"),
    "verein": N_("Verein"),
}

SCHOOL_TYPES = (
    "Grundschule", "Hauptschule", "Realschule", "Sekundarschule", "Gesamtschule", "Gymnasium", "PRIMUS-Schule",
    "Förderschule", "Freie Waldorfschule", "Weiterbildungskolleg", "Berufskolleg",
    # As the NRW school directory names them (2024/25: 484, 2, 19 and 1 schools).
    "Förderschule Grund-/Hauptschule", "Förderschule Realschule/Gymnasium", "Förderschule Berufskolleg",
    "Volksschule",
)


@dataclass(frozen=True)
class OrgUnit:
    id: str
    kind: str
    name: str
    parent_id: str | None = None
    official_number: str | None = None
    traeger: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    attributes: dict = field(default_factory=dict)
    valid_from: int | None = None
    valid_to: int | None = None
    successor_id: str | None = None
    synthetic: bool = False

    def active_in(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


def _row(unit: OrgUnit) -> dict:
    row = asdict(unit)
    row["attributes"] = json.dumps(unit.attributes, ensure_ascii=False, sort_keys=True)
    row["synthetic"] = int(unit.synthetic)
    return row


def _unit(row: dict) -> OrgUnit:
    # The area an institution lies in is kept beside it (store.areas) and saved on its own, so that saving a unit
    # from a registry list that does not name areas leaves its area as it was.
    row = {k: v for k, v in row.items() if k not in ("area_level", "area_key")}
    row["attributes"] = json.loads(row["attributes"] or "{}")
    row["synthetic"] = bool(row["synthetic"])
    return OrgUnit(**row)


def save_org_units(db: Database, units: list[OrgUnit]) -> None:
    for unit in units:
        if unit.kind not in KINDS:
            raise StoreError(_("Unbekannte Art „{kind}“ bei {name}.").format(kind=unit.kind, name=unit.name))
    with write(db):
        # A successor or parent may come later in the list; foreign keys are checked at commit instead.
        db.execute("PRAGMA defer_foreign_keys = ON")
        db["org_units"].upsert_all([_row(u) for u in units], pk="id")


def get_org_unit(db: Database, unit_id: str) -> OrgUnit:
    found = rows(db, "SELECT * FROM org_units WHERE id = ?", [unit_id])
    if not found:
        raise StoreError(_("Die Einrichtung „{id}“ ist in dieser Datenbank nicht bekannt.").format(id=unit_id))
    return _unit(found[0])


def list_org_units(db: Database, kind: str | None = None) -> list[OrgUnit]:
    where, args = ("WHERE kind = ?", [kind]) if kind else ("", [])
    return [_unit(r) for r in rows(db, f"SELECT * FROM org_units {where} ORDER BY kind, name", args)]


def bezirke(db: Database) -> list[tuple[str, str]]:
    """(id, name) of every Bezirk, in the order they were entered: the rows of every table by Bezirk."""
    return [(r[0], r[1]) for r in db.execute("SELECT id, name FROM org_units WHERE kind = 'bezirk' ORDER BY rowid")]


def town_name(db: Database) -> str:
    """The town's own name; the top-level unit wins where a Kreis holds towns of its own."""
    row = db.execute("SELECT name FROM org_units WHERE kind = 'stadt' ORDER BY parent_id IS NOT NULL LIMIT 1"
                     ).fetchone()
    return row[0] if row else ""


def has_synthetic_units(db: Database) -> bool:
    """True where any figure may be the demo's invention: every report page then says so."""
    return db.execute("SELECT 1 FROM org_units WHERE synthetic = 1 LIMIT 1").fetchone() is not None


def holds_data(db: Database) -> bool:
    return db.execute("SELECT EXISTS(SELECT 1 FROM org_units) OR EXISTS(SELECT 1 FROM submissions)").fetchone()[0] == 1


def school_directory(db: Database) -> dict[str, str]:
    """Schulnummer → Schulform of every school in the lists imported so far, also outside the town.

    A Grundschule's pupils move on to schools in neighbouring towns too; the holder's app finds the receiving
    school's type here when it counts transitions from a pupil export."""
    directory = imported_school_directory(db)
    for unit in list_org_units(db, "schule"):
        if unit.official_number and unit.attributes.get("schulform"):
            directory[unit.official_number] = unit.attributes["schulform"]
    return directory


def located_institutions(db: Database, year: int | None = None) -> list[tuple[str, float, float]]:
    """(name, x, y) of each institution whose place is known (from its registry list), in the maps' metres."""
    found = db.execute(
        "SELECT name, json_extract(attributes, '$.lage_x'), json_extract(attributes, '$.lage_y'), valid_from, "
        f"valid_to FROM org_units WHERE kind IN ({', '.join('?' for _k in INSTITUTION_KINDS)}) "
        "AND json_extract(attributes, '$.lage_x') IS NOT NULL ORDER BY name", list(INSTITUTION_KINDS)).fetchall()
    return [(name, float(x), float(y)) for name, x, y, start, end in found
            if year is None or ((start is None or start <= year) and (end is None or year <= end))]
