"""A town with an officer and holders on separate databases, for the exchange tests."""

from dataclasses import dataclass, field
from pathlib import Path

from forms.catalog import form_for
from forms.values import Value
from store.database import open_database
from store.orgunits import OrgUnit, save_org_units
from store.submissions import create_correction, create_draft, set_values
from store.workflow import finalise
from sync.export import export_submission
from sync.holder import setup_from_file
from sync.officer import init_officer, write_setup_file

OFFICER_PASSPHRASE = "Rathaus-Integration-2026"
KITA = OrgUnit(id="kita-07", kind="kita", name="Kita Löwenzahn", traeger="AWO", city="Musterstadt")
SCHOOL = OrgUnit(id="100001", kind="schule", name="Grundschule Am Bach", attributes={"schulform": "Grundschule"})


@dataclass
class Memo:
    name: str
    data: bytes
    origin: str = "Test"
    problem: str = ""


@dataclass
class ListSource:
    items: list
    accepted_items: list = field(default_factory=list)
    rejected_items: list = field(default_factory=list)

    def fetch(self):
        return iter(self.items)

    def accepted(self, item):
        self.accepted_items.append(item.name)

    def rejected(self, item, reason):
        self.rejected_items.append((item.name, reason))


def kita_values(children=40, staff=8):
    values = {("personal_gesamt", "", ""): Value(number=staff)}
    for row, total in (("u3", children // 4), ("ue3", children - children // 4)):
        values[("kinder", row, "insgesamt")] = Value(number=total)
        for col in ("eltern_ausl", "sprache", "auslaender"):
            values[("kinder", row, col)] = Value(number=total // 3)
    return values


def officer_db(tmp_path: Path):
    db = open_database(tmp_path / "rathaus.sqlite")
    keys = init_officer(db, OFFICER_PASSPHRASE)
    save_org_units(db, [KITA, SCHOOL])
    return db, keys


def holder_db(tmp_path: Path, officer, keys, unit=KITA, name="kita.sqlite"):
    setup = tmp_path / f"{unit.id}.imsetup"
    passphrase = write_setup_file(officer, keys, unit.id, setup)
    db = open_database(tmp_path / name)
    setup_from_file(db, setup, passphrase)
    return db


def export_revision(db, tmp_path: Path, year: int, values: dict, correction_of=None, name=None) -> Path:
    if correction_of is None:
        draft = create_draft(db, KITA.id, form_for("kita", year), year)
    else:
        draft = create_correction(db, correction_of)
    set_values(db, draft.id, values)
    finalise(db, draft.id)
    path = tmp_path / (name or f"meldung_{year}_{draft.revision}.imon")
    export_submission(db, draft.id, path)
    return path, draft.id
