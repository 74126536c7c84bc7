"""A Kita leader, a club treasurer and youth-centre staff each fill their form and export it."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.ops.workspace import open_workspace
from store.submissions import State, current_submission, load_values
from sync.submission_file import read_submission_file
from tests.desktop.conftest import JUGENDTREFF, KITA, VEREIN
from tests.desktop.keyboard import enter, fill_grid, focused, press, tab, type_text


def stored(tmp_path, unit, form_id, year):
    db, _unit = open_workspace(tmp_path / "holder.sqlite")
    submission = current_submission(db, unit.id, form_id, year)
    return submission, load_values(db, submission.id)


def finalise_and_export(qtbot, view, fake_dialogs, target):
    qtbot.mouseClick(view.finalise_button, Qt.MouseButton.LeftButton)
    assert view.state_label.text() == "Status: abgeschlossen", fake_dialogs.informed
    fake_dialogs.save_path = target
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert view.state_label.text() == "Status: exportiert"


def test_kita_form(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_window(KITA)
    enter()
    view = window.entry
    assert focused().objectName() == "input_kinder"
    # Parent of foreign origin and family language overlap: 20 + 15 > 30 children is allowed in a row.
    fill_grid([(12, 4, 3, 1), (30, 20, 15, 6)])
    assert focused().objectName() == "input_sprachfoerderung"
    for value in ("10", "9", "2", "3"):
        type_text(value)
        tab()
    assert view.counts.text() == "keine Fehler"
    target = tmp_path / "kita.imon"
    finalise_and_export(qtbot, view, fake_dialogs, target)
    submission, values = stored(tmp_path, KITA, "kita", view.session.submission.year)
    assert submission.state is State.EXPORTED
    assert read_submission_file(target).values == values
    assert values[("kinder", "ue3", "sprache")].number == 15


def test_club_form_with_choices_by_keyboard(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_window(VEREIN)
    enter()
    view = window.entry
    assert focused().objectName() == "input_vereinsart"
    press(Qt.Key.Key_Down)  # "Sportverein"
    tab()
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)  # "geschätzt"
    tab()
    assert focused().objectName() == "input_mitglieder"
    fill_grid([(20, 2, 18, 3, 0, 0), (60, 12, 41, 9, 1, 0), (35, 6, 22, 4, 0, 0), (30, 4, 12, 2, 0, 0),
               (44, 5, 20, 1, 0, 0), (61, 3, 30, 2, 0, 0), (40, 1, 25, 0, 0, 0)])
    type_text("7")
    tab()
    type_text("1")
    tab()
    type_text("Mitglieder mit Migrationshintergrund geschätzt nach Kenntnis des Vorstands")
    finalise_and_export(qtbot, view, fake_dialogs, tmp_path / "verein.imon")
    _submission, values = stored(tmp_path, VEREIN, "verein", view.session.submission.year)
    assert values[("vereinsart", "", "")].text == "sport"
    assert values[("geschaetzt", "", "")].text == "geschaetzt"
    assert values[("mitglieder", "a07_14", "mh_maennlich")].number == 12
    assert values[("bemerkungen", "", "")].text.startswith("Mitglieder mit Migrationshintergrund")


def test_youth_centre_counts_visits_and_takes_them_into_its_form(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_window(JUGENDTREFF)
    assert window.form_list.currentItem().text() == "Besucherliste (Strichliste)"
    enter()
    log = window.page
    for key in (Qt.Key.Key_M, Qt.Key.Key_M, Qt.Key.Key_M, Qt.Key.Key_A, Qt.Key.Key_A):
        QTest.keyClick(log, key)
    QTest.keyClick(log, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one click too many
    assert log.today_total.text().startswith("4")
    qtbot.mouseClick(log.apply_button, Qt.MouseButton.LeftButton)

    year = log.year
    window.form_list.setCurrentRow(1)
    enter()
    view = window.entry
    month = __import__("datetime").date.today().month
    visits = view.session.values
    assert visits[("besuche_monat", f"m{month:02d}", "insgesamt")].number == 4
    assert visits[("besuche_monat", f"m{month:02d}", "mh")].number == 3
    assert focused().objectName() == "input_stammbesucher"
    fill_grid([(5, 3, 4, 2, 0, 0), (12, 8, 9, 6, 1, 1), (15, 10, 8, 5, 0, 0), (6, 4, 2, 1, 0, 0)])
    finalise_and_export(qtbot, view, fake_dialogs, tmp_path / "jt.imon")
    submission, values = stored(tmp_path, JUGENDTREFF, "jugendtreff", year)
    assert submission.state is State.EXPORTED
    assert read_submission_file(tmp_path / "jt.imon").values == values
