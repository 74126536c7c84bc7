"""The first start: a new user meets the welcome dialog and sets up the institution three ways."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCommandLinkButton, QDialog

from common.numbers import format_number
from desktop.profile_dialog import ProfileDialog
from forms.values import Value
from store.orgunits import OrgUnit
from sync.profile_file import PreviousSubmission, Profile, write_profile
from tests.desktop.keyboard import enter, focused, tab, type_text


def when_modal(qtbot, act):
    """Runs `act(dialog)` once a modal dialog is open: exec() blocks the test until the dialog closes."""

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
        else:
            act(dialog)

    QTimer.singleShot(0, poll)


def back_to(window, qtbot):
    """After a modal dialog the window manager gives the focus back to the main window."""
    window.activateWindow()
    qtbot.waitUntil(window.form_list.hasFocus)


def click_option(qtbot, name):
    when_modal(qtbot, lambda d: qtbot.mouseClick(d.findChild(QCommandLinkButton, name), Qt.MouseButton.LeftButton))


def test_demo_gives_a_grundschule_with_last_years_values_beside_each_field(open_window, qtbot):
    click_option(qtbot, "demo")
    window = open_window(None)
    unit = window.institution
    assert unit.name.endswith("(Demo)") and unit.attributes["schulform"] == "Grundschule"
    items = [window.form_list.item(i).text() for i in range(window.form_list.count())]
    assert "leer" in items[0]
    assert all("von der Stadt übernommen" in text for text in items[1:11])
    back_to(window, qtbot)
    enter()
    view = window.entry
    last_year = view.session.previous[("schueler_gesamt", "", "")].number
    assert view.boxes["schueler_gesamt"].previous.text() == f"Vorjahr: {format_number(last_year)}"
    # A big change against last year is a warning that asks for a reason.
    type_text(str(last_year * 2))
    assert "weicht stark vom Vorjahr ab" in view.boxes["schueler_gesamt"].messages.text()
    assert "Begründung eintragen" in view.boxes["schueler_gesamt"].messages.text()


def test_profile_typed_by_hand(open_window, qtbot):
    def fill(dialog: ProfileDialog):
        ok = dialog.buttons.buttons()[0]
        assert not ok.isEnabled()
        dialog.name.setFocus()
        type_text("Städtische Grundschule Süd")
        tab()
        type_text("12345")  # one digit short
        assert "6 Ziffern" in dialog.problem.text() and not ok.isEnabled()
        type_text("6")
        assert dialog.problem.text() == "" and ok.isEnabled()
        enter()

    click_option(qtbot, "by_hand")
    when_modal(qtbot, lambda d: fill(d) if isinstance(d, ProfileDialog) else None)
    window = open_window(None)
    assert window.institution.id == "123456"
    assert window.institution.name == "Städtische Grundschule Süd"
    assert window.institution.attributes == {"schulform": "Grundschule"}
    assert "Städtische Grundschule Süd" in window.institution_label.text()


def test_setup_file_from_the_town(open_window, fake_dialogs, tmp_path, qtbot):
    unit = OrgUnit(id="kita-03", kind="kita", name="Kita Regenbogen", traeger="AWO", city="Musterstadt")
    previous = PreviousSubmission("kita", 1, 2025, {("personal_gesamt", "", ""): Value(number=11)})
    fake_dialogs.open_path = write_profile(Profile(unit, (previous,)), tmp_path / "kita-03.improfil")
    click_option(qtbot, "setup_file")
    window = open_window(None)
    assert window.institution == unit
    back_to(window, qtbot)
    window.form_list.setCurrentRow(1)
    enter()
    assert window.entry.session.submission.year == 2025
    assert window.entry.boxes["personal_gesamt"].edit.text() == "11"


def test_broken_setup_file_says_why_and_offers_the_choice_again(open_window, fake_dialogs, tmp_path, qtbot):
    broken = tmp_path / "kaputt.improfil"
    broken.write_text("kein JSON")
    fake_dialogs.open_path = broken
    click_option(qtbot, "setup_file")

    def second_round(dialog):
        if isinstance(dialog, QDialog) and dialog.findChild(QCommandLinkButton, "demo"):
            dialog.reject()

    QTimer.singleShot(300, lambda: when_modal(qtbot, second_round))
    window = open_window(None)
    assert window.institution is None
    assert "keine Meldungsdatei" in fake_dialogs.errors[0] or "beschädigt" in fake_dialogs.errors[0]
    assert window.institution_label.text() == "Noch keine Einrichtung eingerichtet."


def test_warning_needs_a_reason_before_finalising_and_the_link_asks_for_it(open_window, fake_dialogs, qtbot):
    click_option(qtbot, "demo")
    window = open_window(None)
    back_to(window, qtbot)
    enter()
    view = window.entry
    last_year = view.session.previous[("schueler_gesamt", "", "")].number
    type_text(str(last_year * 2))
    qtbot.mouseClick(view.finalise_button, Qt.MouseButton.LeftButton)
    assert "braucht einen Kommentar" in fake_dialogs.informed[0]
    view.boxes["schueler_gesamt"].edit.setFocus()
    tab()  # the message with its link is the next stop for the keyboard
    assert focused() is view.boxes["schueler_gesamt"].messages
    fake_dialogs.comment = "Zwei neue Eingangsklassen nach Schulschließung im Nachbarbezirk"
    enter()
    assert view.session.value(("schueler_gesamt", "", "")).comment == fake_dialogs.comment
    assert "Begründung: Zwei neue Eingangsklassen" in view.boxes["schueler_gesamt"].messages.text()
