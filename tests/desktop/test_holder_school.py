"""A school secretary sets up a Grundschule, fills the form by keyboard alone, finalises and exports it."""

from PySide6.QtCore import Qt

from desktop.ops.workspace import open_workspace
from store.submissions import State, current_submission, load_values
from sync.submission_file import read_submission_file
from tests.desktop.conftest import GRUNDSCHULE
from tests.desktop.keyboard import enter, fill_grid, focused, press, tab, type_text

PRIMAR = [(80, 32, 10), (75, 30, 10), (73, 29, 10), (70, 29, 10)]
KLASSE4 = [(60, 25, 8)]
EMPFEHLUNG = [(8, 5, 2), (6, 4, 2), (14, 6, 2), (8, 3, 1), (22, 6, 1), (2, 1, 0)]
UEBERGANG = [(3, 2, 1), (12, 5, 2), (6, 3, 1), (10, 6, 2), (0, 0, 0), (26, 8, 1), (1, 1, 1), (2, 0, 0)]


def test_grundschule_by_keyboard_alone(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_window(GRUNDSCHULE)
    assert window.form_list.hasFocus()
    assert "Schuljahr" in window.form_list.currentItem().text() and "leer" in window.form_list.currentItem().text()
    enter()  # opens the newest year's form
    view = window.entry
    assert focused().objectName() == "input_schueler_gesamt"

    type_text("298")
    tab()
    type_text("312")
    zwg_messages = view.boxes["zwg_gesamt"].messages
    assert zwg_messages.isVisible()
    assert "Schüler/innen mit Zuwanderungsgeschichte (312) ist größer als Schüler/innen insgesamt (298)" in \
        zwg_messages.text()
    assert view.counts.text() == "1 Fehler"

    for _ in range(3):
        press(Qt.Key.Key_Backspace)
    type_text("120")
    assert not zwg_messages.isVisible()
    for value in (60, 90, 70, 40, 3):  # the three overlapping criteria add up to more than 120: allowed
        tab()
        type_text(str(value))
    tab()
    assert focused().objectName() == "input_schueler_klasse_primar"
    fill_grid(PRIMAR)
    assert focused().objectName() == "input_abgaenger_klasse4"
    fill_grid(KLASSE4)
    fill_grid(EMPFEHLUNG)
    fill_grid(UEBERGANG)
    assert focused().objectName() == "input_personal_gesamt"
    assert view.counts.text() == "keine Fehler"
    assert view.progress.text() == "7 von 7 Pflichtangaben"

    press(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # &Abschließen; a mnemonic clicks after a short animation
    qtbot.waitUntil(lambda: view.state_label.text() == "Status: abgeschlossen")
    assert fake_dialogs.informed == []
    assert view.boxes["schueler_gesamt"].edit.isReadOnly()
    assert "abgeschlossen" in window.form_list.currentItem().text()

    target = tmp_path / "Meldung.imon"
    fake_dialogs.save_path = target
    press(Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # Meldungsdatei &exportieren…
    qtbot.waitUntil(lambda: bool(fake_dialogs.informed))
    assert "gespeichert und nachgeprüft" in fake_dialogs.informed[-1]
    assert view.state_label.text() == "Status: exportiert"

    db, _unit = open_workspace(tmp_path / "holder.sqlite")
    submission = current_submission(db, GRUNDSCHULE.id, "schule", view.session.submission.year)
    assert submission.state is State.EXPORTED
    stored = load_values(db, submission.id)
    assert read_submission_file(target).values == stored
    assert stored[("zwg_gesamt", "", "")].number == 120
    assert stored[("uebergang_schulform", "gymnasium", "alle")].number == 26
    assert len(stored) == 7 + 12 + 3 + 18 + 24


def test_typed_value_is_saved_before_the_field_is_left(open_window, tmp_path):
    window = open_window(GRUNDSCHULE)
    enter()
    type_text("298")
    db, _unit = open_workspace(tmp_path / "holder.sqlite")
    submission = current_submission(db, GRUNDSCHULE.id, "schule", window.entry.session.submission.year)
    assert load_values(db, submission.id)[("schueler_gesamt", "", "")].number == 298
