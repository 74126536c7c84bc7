"""What a hurried user does wrong: each gets a German message, and nothing already entered is lost."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.ops.workspace import open_workspace
from store.submissions import current_submission, load_values
from tests.desktop.conftest import GRUNDSCHULE, KITA
from tests.desktop.keyboard import enter, fill_grid, press, tab, type_text


def saved(tmp_path, unit, form_id, year):
    db, _unit = open_workspace(tmp_path / "holder.sqlite")
    return load_values(db, current_submission(db, unit.id, form_id, year).id)


@pytest.fixture
def school_form(open_window):
    window = open_window(GRUNDSCHULE)
    enter()
    return window


@pytest.mark.parametrize(
    ("typed", "says", "kept"),
    [
        ("12a", "„12a“ ist keine Zahl", 12),  # "1" and "12" were values while typing
        ("-3", "„-3“ ist negativ", None),
        ("2000000", "2.000.000 ist größer als 1.000.000", 200_000),
        ("12,5", "keine ganze Zahl", 12),
    ],
)
def test_bad_count_is_named_kept_on_screen_and_the_stored_value_is_said(school_form, tmp_path, typed, says, kept):
    view = school_form.entry
    type_text("298")
    tab()
    type_text(typed)
    box = view.boxes["zwg_gesamt"]
    assert says in box.messages.text()
    assert box.edit.text() == typed
    values = saved(tmp_path, GRUNDSCHULE, "schule", view.session.submission.year)
    assert values[("schueler_gesamt", "", "")].number == 298
    if kept is None:
        assert "(nicht gespeichert)" in box.messages.text()
        assert ("zwg_gesamt", "", "") not in values
    else:
        assert f"(nicht gespeichert; gespeichert bleibt {kept:,})".replace(",", ".") in box.messages.text()
        assert values[("zwg_gesamt", "", "")].number == kept


def test_german_thousands_separator_is_read_as_thousands(school_form, tmp_path):
    view = school_form.entry
    type_text("1.234")
    tab()
    assert view.boxes["schueler_gesamt"].edit.text() == "1.234"
    values = saved(tmp_path, GRUNDSCHULE, "schule", view.session.submission.year)
    assert values[("schueler_gesamt", "", "")].number == 1234


def test_finalise_with_a_bad_entry_is_refused(school_form, fake_dialogs, qtbot):
    view = school_form.entry
    type_text("zwölf")
    qtbot.mouseClick(view.finalise_button, Qt.MouseButton.LeftButton)
    assert view.state_label.text() == "Status: in Bearbeitung"
    assert "keine gültige Zahl" in fake_dialogs.errors[0] and "„zwölf“" in fake_dialogs.errors[0]


def test_finalise_lists_what_is_missing(school_form, fake_dialogs, qtbot):
    view = school_form.entry
    type_text("298")
    qtbot.mouseClick(view.finalise_button, Qt.MouseButton.LeftButton)
    assert view.state_label.text() == "Status: in Bearbeitung"
    message = fake_dialogs.informed[0]
    assert message.startswith("Noch nicht abschließbar: ")
    assert "ist ein Pflichtfeld" in message
    assert "Pflichtfeld" in view.boxes["zwg_gesamt"].messages.text()


def test_block_pasted_from_excel_is_taken_where_valid(open_window, tmp_path, qtbot):
    window = open_window(KITA)
    enter()
    view = window.entry
    QApplication.clipboard().setText("12\t4\tdrei\t1\r\n48\t-20\t15\t6\r\n")
    press(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    messages = view.boxes["kinder"].messages.text()
    assert "6 Werte eingefügt" in messages
    assert "„drei“ ist keine Zahl" in messages and "„-20“ ist negativ" in messages
    values = saved(tmp_path, KITA, "kita", view.session.submission.year)
    assert values[("kinder", "u3", "insgesamt")].number == 12
    assert values[("kinder", "ue3", "insgesamt")].number == 48
    assert ("kinder", "u3", "sprache") not in values and ("kinder", "ue3", "eltern_ausl") not in values


def test_block_larger_than_the_table_says_what_was_left_out(open_window, tmp_path):
    window = open_window(KITA)
    enter()
    QApplication.clipboard().setText("1\t1\t1\t1\t9\n2\t2\t2\t2\n3\t3\t3\t3\n")
    press(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    messages = window.entry.boxes["kinder"].messages.text()
    assert "5 eingefügte Werte passen nicht mehr in die Tabelle" in messages


def test_export_to_a_folder_that_cannot_be_written(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_window(KITA)
    enter()
    view = window.entry
    fill_grid([(12, 4, 3, 1), (30, 20, 15, 6)])
    type_text("0")
    tab()
    type_text("8")
    qtbot.mouseClick(view.finalise_button, Qt.MouseButton.LeftButton)
    blocker = tmp_path / "USB-Stick"
    blocker.write_text("eine Datei, kein Ordner")
    fake_dialogs.save_path = blocker / "meldung.imon"
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert "Bitte einen anderen" in fake_dialogs.errors[0]
    assert view.state_label.text() == "Status: abgeschlossen"
    fake_dialogs.save_path = tmp_path / "meldung.imon"
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert view.state_label.text() == "Status: exportiert"


def test_full_disk_keeps_the_typed_value_with_a_message_and_saves_it_later(school_form, tmp_path):
    view = school_form.entry
    db = view.session.db
    type_text("298")
    tab()
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    type_text("1" * 1)
    for _ in range(40):  # enough new audit rows to need a new page
        press(Qt.Key.Key_Backspace)
        type_text("1")
        if "Datenträger ist voll" in view.boxes["zwg_gesamt"].messages.text():
            break
    assert "Datenträger ist voll" in view.boxes["zwg_gesamt"].messages.text()
    assert view.boxes["zwg_gesamt"].edit.text() == "1"
    db.execute("PRAGMA max_page_count = 1073741823")
    press(Qt.Key.Key_Backspace)
    type_text("120")
    assert not view.boxes["zwg_gesamt"].messages.isVisible()
    values = saved(tmp_path, GRUNDSCHULE, "schule", view.session.submission.year)
    assert values[("schueler_gesamt", "", "")].number == 298
    assert values[("zwg_gesamt", "", "")].number == 120


def test_closing_in_the_middle_of_typing_asks_only_for_text_that_is_no_value(school_form, fake_dialogs, tmp_path):
    window = school_form
    type_text("298")
    tab()
    type_text("12a")
    fake_dialogs.confirm_answer = False
    window.close()
    assert window.isVisible()
    assert "„12a“ ist keine Zahl" in fake_dialogs.confirmations[0]
    press(Qt.Key.Key_Backspace)
    fake_dialogs.confirmations.clear()
    window.close()
    assert not window.isVisible()
    assert not [c for c in fake_dialogs.confirmations if "nicht gespeichert" in c]
    values = saved(tmp_path, GRUNDSCHULE, "schule", window.entry.session.submission.year)
    assert values[("zwg_gesamt", "", "")].number == 12


def test_closing_while_a_table_cell_is_still_being_typed_keeps_the_number(open_window, tmp_path):
    window = open_window(KITA)
    enter()
    year = window.entry.session.submission.year
    type_text("17")  # still in the cell's editor: no Enter, no Tab
    window.close()
    assert saved(tmp_path, KITA, "kita", year)[("kinder", "u3", "insgesamt")].number == 17
