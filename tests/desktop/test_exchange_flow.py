"""The officer makes a setup file, a Kita sets up with it and sends its sealed file, the officer imports it by
drag and drop (dry run first), and the Kita reads the receipt. Two databases, two windows, real widgets."""

import re

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from desktop.holder_window import HolderWindow
from store.database import open_database
from store.orgunits import save_org_units
from store.submissions import State, current_submission
from sync.officer import exchange_folders, init_officer
from tests.desktop.conftest import KITA, opened
from tests.desktop.keyboard import enter, fill_grid, tab, type_text
from tests.desktop.modal import wait_for_operations
from tests.desktop.test_first_start import back_to, click_option

PASSPHRASE = "Rathaus-Integration-2026"


def window_on(qtbot, path):
    window = HolderWindow(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window = opened(qtbot, window)
    return window


def drop(widget, paths):
    """Qt delivers drop events only inside a real drag, which QTest cannot start; so the widget gets the same
    enter and drop events the platform would hand it, and must accept the enter first."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter_event = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                  Qt.KeyboardModifier.NoModifier)
    widget.dragEnterEvent(enter_event)
    assert enter_event.isAccepted()
    widget.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))


def test_setup_file_sealed_submission_import_and_receipt(qtbot, tmp_path, fake_dialogs):
    officer_path = tmp_path / "rathaus" / "rathaus.sqlite"
    officer_path.parent.mkdir()
    db = open_database(officer_path)
    init_officer(db, PASSPHRASE)
    save_org_units(db, [KITA])
    db.close()

    fake_dialogs.passphrase = "falsch-falsch"
    officer = window_on(qtbot, officer_path)
    panel = officer.officer
    assert "Kennwort stimmt nicht" in fake_dialogs.errors[0]
    assert not panel.choose_button.isEnabled()
    fake_dialogs.passphrase = PASSPHRASE
    assert panel.unlock() and panel.choose_button.isEnabled()

    panel.institutions.setCurrentRow(0)
    setup = tmp_path / "Einrichtung_kita.imsetup"
    fake_dialogs.save_path = setup
    qtbot.mouseClick(panel.setup_button, Qt.MouseButton.LeftButton)
    one_time = re.search(r"\n\n([a-z0-9]{4}(?:-[a-z0-9]{4}){4})\n\n", fake_dialogs.informed[-1]).group(1)

    holder_path = tmp_path / "kita" / "kita.sqlite"
    holder_path.parent.mkdir()
    fake_dialogs.open_path, fake_dialogs.passphrase = setup, one_time
    click_option(qtbot, "setup_file")
    holder = window_on(qtbot, holder_path)
    assert holder.institution.name == KITA.name
    back_to(holder, qtbot)
    enter()
    fill_grid([(12, 4, 3, 1), (30, 20, 15, 6)])
    tab()
    type_text("8")
    view = holder.entry
    qtbot.mouseClick(view.finalise_button, Qt.MouseButton.LeftButton)
    sent = tmp_path / "Meldung_kita.imon"
    fake_dialogs.save_path = sent
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert view.state_label.text() == "Status: exportiert"

    drop(panel, [sent])
    wait_for_operations(qtbot)
    assert panel.summary.text().startswith("Probelauf, noch nichts gespeichert: 1 importiert"), fake_dialogs.errors
    assert "insgesamt: – → 12" in panel.results.item(0, 2).text()
    officer_db = officer.db
    assert current_submission(officer_db, KITA.id, "kita", view.session.submission.year) is None
    qtbot.mouseClick(panel.commit_button, Qt.MouseButton.LeftButton)
    wait_for_operations(qtbot)
    assert panel.summary.text().startswith("Eingelesen: 1 importiert")
    stored = current_submission(officer_db, KITA.id, "kita", view.session.submission.year)
    assert stored.state is State.RECEIVED
    folders = exchange_folders(officer_path)
    assert [p.name for p in folders.archive.iterdir()] == [sent.name]
    assert sent.exists()  # the officer's copy is archived; the dropped original is left where it was

    fake_dialogs.open_path = next(folders.outbox.iterdir())
    holder.open_receipt()
    assert "vom Integrationsbüro angenommen" in fake_dialogs.informed[-1]
    assert "vom Integrationsbüro angenommen" in holder.form_list.item(0).text()


def test_a_tampered_copy_is_quarantined_with_its_reason(qtbot, tmp_path, fake_dialogs):
    officer_path = tmp_path / "rathaus.sqlite"
    db = open_database(officer_path)
    init_officer(db, PASSPHRASE)
    save_org_units(db, [KITA])
    db.close()
    fake_dialogs.passphrase = PASSPHRASE
    officer = window_on(qtbot, officer_path)
    tampered = tmp_path / "Meldung_gefaelscht.imon"
    tampered.write_bytes(b"IMON-MELDUNG-2\n" + bytes(200))
    officer.officer.dry_run.setChecked(False)
    fake_dialogs.open_paths = [tampered]
    drop(officer.officer, [tampered])
    wait_for_operations(qtbot)
    assert "1 abgelehnt" in officer.officer.summary.text()
    quarantine = exchange_folders(officer_path).quarantine
    names = sorted(p.name for p in quarantine.iterdir())
    assert names[0] == tampered.name and names[1].endswith(".grund.txt")
    assert "anderes Integrationsbüro" in (quarantine / names[1]).read_text(encoding="utf-8")
