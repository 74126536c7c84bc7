import shutil
import sqlite3
from pathlib import Path

import pytest

from forms.model import ValueState
from store.areas import area_of_units, boundaries_of, figures_at, levels
from store.database import open_database, schema_version
from store.errors import StoreError
from store.excel_permissions import excel_allowed
from store.receipts import StoredReceipt, receipt_for
from store.schema import SCHEMA_VERSION
from store.settings import HOLDER, role
from store.submissions import (
    State,
    audit_trail,
    create_correction,
    current_submission,
    figure_sources,
    load_values,
    set_state,
    submissions_of,
)
from store.table_mappings import remembered_mapping
from store.value_origins import origins_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_new_database_has_the_current_schema_in_wal_mode(tmp_path):
    db = open_database(tmp_path / "neu.sqlite")
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema-v*.sqlite")), ids=lambda p: p.name)
def test_every_released_schema_upgrades_and_keeps_its_data(tmp_path, fixture):
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    db = open_database(path)
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    draft = current_submission(db, "100001", "schule", 2023)
    assert draft.state is State.DRAFT
    values = load_values(db, draft.id)
    assert values[("schueler_gesamt", "", "")].number == 298
    assert values[("schueler_gesamt", "", "")].comment == "Stand 15.10."
    assert values[("auslaender", "", "")].state is ValueState.UNKNOWN
    assert values[("schueler_klasse_primar", "k1", "anzahl")].estimate
    assert values[("sprachfoerderung_angebote", "", "")].text == "Deutschförderklasse"
    assert current_submission(db, "100001", "schule", 2024).state is State.FINALISED
    assert db.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 1
    assert len(audit_trail(db, draft.id)) == 5
    if fixture.name != "schema-v1.sqlite":
        assert db.execute("SELECT verify_key FROM institution_keys").fetchone()[0] == "ab" * 32
        assert db.execute("SELECT outcome FROM import_log").fetchone()[0] == "importiert"
    # Before version 3 every submission came from one source: the main one.
    assert {s.figure_source for s in submissions_of(db, "100001")} == {""}
    if fixture.name not in ("schema-v1.sqlite", "schema-v2.sqlite"):
        assert figure_sources(db, "stadt", "bevoelkerung", 2023) == ["", "IT.NRW"]
        register, itnrw = (current_submission(db, "stadt", "bevoelkerung", 2023, s) for s in ("", "IT.NRW"))
        assert load_values(db, register.id)[("quelle", "", "")].text == "Einwohnermelderegister"
        assert load_values(db, itnrw.id)[("bevoelkerung_alter", "a00_04", "insgesamt")].number == 48526 // 20
    assert role(db) == HOLDER
    if fixture.name not in ("schema-v1.sqlite", "schema-v2.sqlite", "schema-v3.sqlite"):
        assert receipt_for(db, "schule", 2024, 1) == StoredReceipt(
            "importiert", "vom Integrationsbüro angenommen", ("Excel, nicht signiert",), "2024-11-02T09:00:01")
    if fixture.name >= "schema-v5.sqlite":
        assert excel_allowed(db, "cd" * 16, "100001", "schule", 2024)
    if fixture.name >= "schema-v6.sqlite":
        june = current_submission(db, "stadt", "bevoelkerung", 2015, "Stichtag 30.06.")
        assert origins_of(db, june.id)["einwohner_amtlich"].reference == "30.06."
        assert remembered_mapping(db, "99999-01-01-5")["form"] == "bevoelkerung"
    if fixture.name >= "schema-v7.sqlite":
        assert [lv.name for lv in levels(db)] == ["Stadtbezirk", "Stadtteil"]
        assert figures_at(db, "stadtbezirk", 2023, "einwohner") == {"9": 22000}
        assert boundaries_of(db, "stadtteil")["909"].label_point == (5, 3)
        assert area_of_units(db)["100001"] == ("stadtteil", "909")
    # A correction carries its values' origins along.
    if fixture.name >= "schema-v6.sqlite":
        set_state(db, june.id, State.APPROVED)
        correction = create_correction(db, june.id)
        assert origins_of(db, correction.id) == origins_of(db, june.id)


def test_receipts_kept_in_the_settings_move_to_their_own_table(tmp_path):
    """Before version 4 a receipt was JSON under a settings key; the upgrade moves each one, and leaves none
    behind for a later program to misread."""
    path = tmp_path / "holder.sqlite"
    shutil.copy(FIXTURES / "schema-v3.sqlite", path)
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO settings(key, value) VALUES (?, ?)", [
            ("quittung:schule:2024:12", '{"outcome": "aktualisiert", "message": "vom Integrationsbüro angenommen", '
                                        '"flags": ["spät"], "at": "2024-11-03T10:00:00"}'),
            ("quittung:kita:2023:1", '{"outcome": "Konflikt", "message": "Fassung 1 ist schon eingegangen", '
                                     '"flags": [], "at": "2024-01-05T08:00:00"}'),
        ])
    db = open_database(path)
    assert receipt_for(db, "schule", 2024, 12) == StoredReceipt("aktualisiert", "vom Integrationsbüro angenommen",
                                                                ("spät",), "2024-11-03T10:00:00")
    assert receipt_for(db, "kita", 2023, 1).outcome == "Konflikt"
    assert receipt_for(db, "kita", 2023, 2) is None
    assert db.execute("SELECT COUNT(*) FROM settings WHERE key LIKE 'quittung:%'").fetchone()[0] == 0


def test_there_is_a_fixture_for_the_current_schema_version():
    assert (FIXTURES / f"schema-v{SCHEMA_VERSION}.sqlite").exists()


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "bericht.sqlite"
    content = b"Das ist ein Brief, keine Datenbank.\n" * 10
    path.write_bytes(content)
    with pytest.raises(StoreError, match="keine Datenbank des Integrationsmonitors"):
        open_database(path)
    assert path.read_bytes() == content


def test_another_programs_sqlite_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "fremd.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE kunden (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="andere SQLite-Datenbank"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_database_from_a_newer_version_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "neuer.sqlite"
    db = open_database(path)
    db["_sqlite_migrations"].insert({"migration_set": "integrationsmonitor", "name": "m999_future",
                                     "applied_at": "2030-01-01"})
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="neueren Version.*aktualisieren"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_folder_that_cannot_be_created_gets_a_clear_message(tmp_path):
    # A file standing where the folder should be: refused even for root, unlike a chmod-protected folder.
    blocker = tmp_path / "Daten"
    blocker.write_text("eine Datei, kein Ordner")
    with pytest.raises(StoreError, match="kann nicht angelegt werden.*Ordner wählen"):
        open_database(blocker / "unterordner" / "daten.sqlite")
    assert blocker.read_text() == "eine Datei, kein Ordner"
