"""The school list a Grundschule needs to count transitions from its pupil export: the officer's imported school
directory, sent with the setup file, including schools outside the town where many children go on to."""

import csv
from pathlib import Path

from intake.registry_import import import_registry, propose_mapping
from intake.tables import read_table
from store.database import open_database
from store.orgunits import list_org_units, school_directory
from store.settings import school_list
from sync.holder import setup_from_file
from sync.officer import init_officer, write_setup_file

NRW = Path(__file__).resolve().parents[3] / "shared" / "data" / "nrw-schulverzeichnis-2024-25.csv"
SOEST = "05974040"


def nrw_rows():
    with NRW.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_setup_file_of_a_soest_grundschule_carries_every_school_of_the_directory(tmp_path):
    rows = nrw_rows()
    officer = open_database(tmp_path / "rathaus.sqlite")
    keys = init_officer(officer, "Rathaus-Integration-2026")
    dry = import_registry(officer, read_table(NRW), ags=SOEST, dry_run=True)
    assert dry.in_area == 22 and school_directory(officer) == {}  # a dry run keeps nothing, not even the list
    assert dry.schools_listed == len(rows)
    assert f"Schulliste für die Übergänge nach Klasse 4: {len(rows):,} Schulen".replace(",", ".") in dry.describe()[-1]
    import_registry(officer, read_table(NRW), propose_mapping(read_table(NRW)), ags=SOEST)
    schools = list_org_units(officer, "schule")
    assert len(schools) == 22  # only the town's schools enter the registry ...
    directory = school_directory(officer)
    assert directory == {r["Schulnummer"]: r["Schulform"] for r in rows}  # ... but every school is in the list
    lippstadt = next(r for r in rows if r["Schulform"] == "Gymnasium" and r["Ort"] == "Lippstadt")
    grundschule = next(u for u in schools if u.attributes.get("schulform") == "Grundschule")

    setup = tmp_path / "gs.imsetup"
    passphrase = write_setup_file(officer, keys, grundschule.id, setup)
    holder = open_database(tmp_path / "schule.sqlite")
    setup_from_file(holder, setup, passphrase)
    received = school_list(holder)
    assert received[lippstadt["Schulnummer"]] == "Gymnasium"
    assert len(received) == len(rows)


def test_a_kita_gets_no_school_list_and_an_old_setup_leaves_none(tmp_path):
    officer = open_database(tmp_path / "rathaus.sqlite")
    keys = init_officer(officer, "Rathaus-Integration-2026")
    kita = tmp_path / "kita.csv"
    kita.write_text("Kennung;Name;Art\nkita-1;Kita Sonnenschein;kita\n", encoding="utf-8")
    import_registry(officer, read_table(kita))
    setup = tmp_path / "kita.imsetup"
    passphrase = write_setup_file(officer, keys, "kita-1", setup)
    holder = open_database(tmp_path / "kita.sqlite")
    setup_from_file(holder, setup, passphrase)
    assert school_list(holder) is None
