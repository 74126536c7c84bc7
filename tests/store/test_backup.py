from datetime import UTC, datetime, timedelta

import pytest

from forms.catalog import form_for
from forms.values import Value
from store.backup import backup_due, make_backup, restore_backup
from store.database import open_database
from store.errors import StoreError
from store.orgunits import OrgUnit, save_org_units
from store.settings import set_last_backup
from store.submissions import create_draft, load_values, set_values

KITA = OrgUnit(id="kita-1", kind="kita", name="Kita Sonnenschein")


@pytest.fixture
def workspace(tmp_path):
    path = tmp_path / "rathaus.sqlite"
    db = open_database(path)
    save_org_units(db, [KITA])
    draft = create_draft(db, KITA.id, form_for("kita", 2024), 2024)
    set_values(db, draft.id, {("personal_gesamt", "", ""): Value(number=8)})
    return db, path, draft.id


def test_backup_is_a_complete_checked_copy(workspace, tmp_path):
    db, _path, submission = workspace
    copy = make_backup(db, tmp_path / "sicherung.sqlite")
    restored = open_database(copy)
    assert load_values(restored, submission)[("personal_gesamt", "", "")].number == 8
    assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_brings_back_the_backup_and_keeps_the_state_before(workspace, tmp_path):
    db, path, submission = workspace
    copy = make_backup(db, tmp_path / "sicherung.sqlite")
    set_values(db, submission, {("personal_gesamt", "", ""): Value(number=99)})
    before = restore_backup(db, path, copy)
    assert load_values(db, submission)[("personal_gesamt", "", "")].number == 8
    assert load_values(open_database(before), submission)[("personal_gesamt", "", "")].number == 99


def test_a_file_that_is_no_backup_is_refused_and_nothing_changes(workspace, tmp_path):
    db, path, submission = workspace
    letter = tmp_path / "brief.sqlite"
    letter.write_text("kein Backup")
    with pytest.raises(StoreError, match="keine Datenbank des Integrationsmonitors"):
        restore_backup(db, path, letter)
    assert load_values(db, submission)[("personal_gesamt", "", "")].number == 8


def test_backup_is_offered_once_a_week(workspace, tmp_path):
    db, _path, _submission = workspace
    assert backup_due(db)
    make_backup(db, tmp_path / "s.sqlite")
    assert not backup_due(db)
    set_last_backup(db, datetime.now(UTC) - timedelta(days=8))
    assert backup_due(db)


def test_an_empty_workspace_needs_no_backup(tmp_path):
    assert not backup_due(open_database(tmp_path / "leer.sqlite"))
