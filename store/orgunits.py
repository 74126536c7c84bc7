"""The registry: the town, its Bezirke and Unterbezirke, and the reporting institutions."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from sqlite_utils import Database

from common.i18n import N_, _
from store.database import write
from store.errors import StoreError

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
    row = dict(row)
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
    rows = list(db["org_units"].rows_where("id = ?", [unit_id]))
    if not rows:
        raise StoreError(_("Die Einrichtung „{id}“ ist in dieser Datenbank nicht bekannt.").format(id=unit_id))
    return _unit(rows[0])


def list_org_units(db: Database, kind: str | None = None) -> list[OrgUnit]:
    where, args = ("kind = ?", [kind]) if kind else (None, [])
    return [_unit(r) for r in db["org_units"].rows_where(where, args, order_by="kind, name")]
