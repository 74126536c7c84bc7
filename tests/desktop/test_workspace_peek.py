"""The start-up path reads the holder's form list from a read-only connection; it must show exactly what the full
way shows, and step aside wherever the full way has work to do."""

import shutil
from datetime import date
from pathlib import Path

from desktop.ops.workspace import form_rows, open_workspace, peek_workspace, setup_demo
from store.database import open_database
from store.settings import OFFICER, set_role

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TODAY = date(2026, 12, 7)


def test_the_quick_list_is_the_full_list(tmp_path):
    path = tmp_path / "schule.sqlite"
    db = open_database(path)
    setup_demo(db, TODAY)
    db.close()
    unit, rows = peek_workspace(path, TODAY)
    db, full_unit = open_workspace(path)
    assert unit == full_unit
    assert rows == form_rows(db, full_unit, TODAY)
    assert [r.year for r in rows][:2] == [2026, 2025] and len(rows) == 12


def test_it_steps_aside_where_the_full_way_has_work_to_do(tmp_path):
    assert peek_workspace(tmp_path / "neu.sqlite") is None  # nothing there yet: the first start creates it
    letter = tmp_path / "brief.sqlite"
    letter.write_bytes(b"Sehr geehrte Damen und Herren\n" * 20)
    assert peek_workspace(letter) is None  # open_database will say that this is not our file
    old = tmp_path / "alt.sqlite"
    shutil.copy(FIXTURES / "schema-v1.sqlite", old)
    assert peek_workspace(old) is None  # an upgrade is due first
    assert old.read_bytes() == (FIXTURES / "schema-v1.sqlite").read_bytes()  # and reading changed nothing
    officer = open_database(tmp_path / "rathaus.sqlite")
    set_role(officer, OFFICER)
    officer.close()
    assert peek_workspace(tmp_path / "rathaus.sqlite") is None  # the officer's window is built the full way
