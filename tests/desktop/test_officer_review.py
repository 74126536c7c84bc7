"""The officer looks at the year overview of the demo town, asks back on one submission, approves another, and
corrects a value with a reason that shows up in the history."""

import pytest
from PySide6.QtCore import Qt

from demo.town import build_demo
from desktop import dialogs
from desktop.holder_window import HolderWindow
from store.database import open_database
from store.review import history
from store.submissions import State, get_submission, load_values
from tests.desktop.conftest import opened


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(path)
    build_demo(db, seed=3)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def test_overview_review_and_correction(qtbot, tmp_path, demo_path, fake_dialogs, monkeypatch):
    path = tmp_path / "demo.sqlite"
    path.write_bytes(demo_path.read_bytes())
    window = HolderWindow(path)
    qtbot.addWidget(window)
    window.show()
    window = opened(qtbot, window)
    assert not window.officer.create_keys_button.isHidden()  # a demo workspace has no keys yet: offered, not forced
    overview = window.overview
    overview.year.setValue(2025)
    titles = [overview.summary.item(r, 0).text() for r in range(overview.summary.rowCount())]
    assert titles == ["Schule", "Kindertageseinrichtung", "Jugendtreff / Jugendzentrum", "Verein"]
    assert overview.summary.item(0, 7).text() == "100 %"
    closed = overview.summary.item(0, 1).text()
    assert int(closed) == 17  # the Hauptschule closed in 2020 is not expected any more

    overview.entries.setCurrentCell(0, 0)
    qtbot.mouseClick(overview.open_button, Qt.MouseButton.LeftButton)
    review = window.review
    assert window.tabs.currentWidget() is review
    submission_id = review.submission_id
    assert review.values.rowCount() > 10 and review.values.item(0, 2).text()  # last year's value beside it

    fake_dialogs.comment = "Bitte die Zahl der Ausländer/innen prüfen."
    qtbot.mouseClick(review.query_button, Qt.MouseButton.LeftButton)
    assert get_submission(window.db, submission_id).state is State.QUERIED
    assert overview.summary.item(0, 3).text() == "1"  # Rückfrage column

    review.values.setCurrentCell(0, 1)
    monkeypatch.setattr(dialogs, "ask_correction", lambda parent, label, current: ("321", "telefonisch bestätigt"))
    qtbot.mouseClick(review.correct_button, Qt.MouseButton.LeftButton)
    address = review.rows[0]
    assert load_values(window.db, submission_id)[address].number == 321
    last = history(window.db, submission_id, address)[-1]
    assert (last["new"], last["why"], last["who"]) == ("321", "telefonisch bestätigt", "Integrationsbüro")

    qtbot.mouseClick(review.approve_button, Qt.MouseButton.LeftButton)
    assert get_submission(window.db, submission_id).state is State.APPROVED


def test_the_review_heading_shows_a_name_with_markup_as_written(qtbot, tmp_path, fake_dialogs, officer_window):
    from forms.catalog import form_for
    from store.orgunits import OrgUnit, save_org_units
    from store.submissions import create_draft, set_state
    from tests.sync.exchange_helpers import officer_db

    db, _keys = officer_db(tmp_path)
    odd = OrgUnit(id="kita-99", kind="kita", name="Kita <i>Sonne</i> & Mond")
    save_org_units(db, [odd])
    set_state(db, create_draft(db, odd.id, form_for("kita", 2024), 2024).id, State.RECEIVED)
    db.close()
    window = officer_window(tmp_path / "rathaus.sqlite")
    overview = window.overview
    overview.year.setValue(2024)
    overview.summary.setCurrentCell(next(r for r in range(overview.summary.rowCount())
                                         if overview.summary.item(r, 0).text() == "Kindertageseinrichtung"), 0)
    overview.entries.setCurrentCell(next(r for r in range(overview.entries.rowCount())
                                         if overview.entries.item(r, 1).text() == odd.id), 0)
    qtbot.mouseClick(overview.open_button, Qt.MouseButton.LeftButton)
    review = window.review
    assert review.name_label.text() == "Kita <i>Sonne</i> & Mond"
    assert review.name_label.textFormat() == Qt.TextFormat.PlainText  # shown as typed, not italic
