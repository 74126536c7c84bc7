"""A school secretary counts the school's SchILD-NRW pupil export into the form: the figures appear as suggestions
beside the fields, she takes them all or one by one, and no pupil's name or birth date is stored anywhere."""

import codecs
import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTextBrowser

from desktop.ops.workspace import open_workspace, setup_institution
from store.settings import set_school_list, zwg_rule
from store.submissions import State, current_submission, load_values
from sync.submission_file import read_submission_file
from tests.desktop.conftest import GRUNDSCHULE, KITA
from tests.desktop.keyboard import enter, focused, press, type_text
from tests.desktop.modal import when_modal
from tests.desktop.test_accessibility import unnamed
from tests.desktop.test_mnemonics import letters

HEADER = ["Name", "Vorname", "Geburtsdatum", "Status", "Klasse", "Jahrgang", "Staatsangehörigkeit (Schlüssel)",
          "Aussiedler", "Migrationshintergrund vorhanden", "Geburtsland", "Geburtsland Mutter", "Geburtsland Vater",
          "Zuzugsjahr", "Verkehrssprache in der Familie", "Übergangsempfehlung", "Entlassdatum",
          "Abschlussart an eigener Schule (Statistik-Kürzel)", "Aufnehmende Schule: Schulnr."]
# Invented, and odd enough that finding them in a file can only mean the export leaked into it.
SURNAME, FIRST_NAME, BIRTH_DATE = "Qwzyxbrunn", "Jolvandrika", "07.03.2016"
GYMNASIUM, REALSCHULE, NOT_LISTED = "187654", "165432", "199999"
TAKE = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def pupil(status, klasse, jahrgang, staat="000", aussiedler="N", flag="N", born="Deutschland", mother="Deutschland",
          father="Deutschland", arrived="", language="deutsch", recommendation="", left="", qualification="",
          school="", first=FIRST_NAME, birth="12.11.2015"):
    return [SURNAME, first, birth, status, klasse, jahrgang, staat, aussiedler, flag, born, mother, father, arrived,
            language, recommendation, left, qualification, school]


def export_rows(year: int) -> list[list[str]]:
    """Seven pupils, three children who left class 4 last school year, and rows that must not count."""
    return [
        pupil("2", "1a", "01", birth=BIRTH_DATE),
        pupil("2", "1b", "01", staat="475", flag="J", born="Türkei", mother="Türkei", arrived="2019",
              language="türkisch", first="Brelomir"),
        pupil("2", "2a", "02", flag="J", mother="Polen", father=""),
        pupil("2", "2a", "02", staat="", aussiedler="J", born="Kasachstan", mother="Kasachstan", father="Kasachstan",
              arrived="2018"),  # no nationality: German; ZWG by the criteria, not by the flag
        pupil("2", "3a", "03", language="arabisch"),  # ZWG by the criteria only
        pupil("2", "4a", "04", staat="163", flag="J", born="Syrien", mother="Syrien", father="Syrien", arrived="2016",
              language="arabisch"),
        pupil("2", "4a", "04"),
        # Left class 4 at the end of the previous school year: the transitions.
        pupil("8", "4b", "04", recommendation="GY", left=f"15.07.{year}", school=GYMNASIUM),
        pupil("9", "4b", "04", staat="163", flag="J", born="Syrien", mother="Syrien", father="Syrien",
              arrived="2017", language="arabisch", recommendation="R/GY", left=f"30.06.{year}", school=REALSCHULE),
        pupil("8", "4a", "04", flag="J", recommendation="H/R", left=f"20.07.{year}", school=NOT_LISTED),
        pupil("9", "3a", "03", left=f"01.03.{year}"),  # changed school from class 3: no transition
        pupil("8", "4c", "04", recommendation="R", left=f"15.07.{year - 1}", school=GYMNASIUM),  # a year earlier
        pupil("9", "4a", "04", recommendation="GY", left=f"10.09.{year}", school=GYMNASIUM),  # this school year
        pupil("6", "2b", "02"),  # external
    ]


def write_export(path: Path, year: int, encoding: str) -> Path:
    lines = [";".join(f'"{cell}"' for cell in row) for row in [HEADER, *export_rows(year)]]
    text = "\r\n".join(lines) + "\r\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    if encoding == "utf-16":
        path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))  # SchILD's "Unicode" text export
    else:
        path.write_bytes(text.encode(encoding))
    return path


COUNTS = {"schueler_gesamt": 7, "zwg_gesamt": 5, "zwg_selbst_zugewandert": 3, "zwg_eltern_zugewandert": 4,
          "zwg_sprache": 3, "auslaender": 2, "aussiedler": 1}
# Worked out by hand from export_rows(), ZWG by the three criteria; every other cell of these grids is 0.
GRIDS = {
    "schueler_klasse_primar": {("k1", "anzahl"): 2, ("k1", "zwg"): 1, ("k1", "auslaender"): 1,
                               ("k2", "anzahl"): 2, ("k2", "zwg"): 2,
                               ("k3", "anzahl"): 1, ("k3", "zwg"): 1,
                               ("k4", "anzahl"): 2, ("k4", "zwg"): 1, ("k4", "auslaender"): 1},
    "abgaenger_klasse4": {("anzahl", "alle"): 3, ("anzahl", "zwg"): 1, ("anzahl", "auslaender"): 1},
    "empfehlung": {("gymnasium", "alle"): 1, ("real_eingeschr_gym", "alle"): 1, ("real_eingeschr_gym", "zwg"): 1,
                   ("real_eingeschr_gym", "auslaender"): 1, ("haupt_eingeschr_real", "alle"): 1},
    "uebergang_schulform": {("gymnasium", "alle"): 1, ("realschule", "alle"): 1, ("realschule", "zwg"): 1,
                            ("realschule", "auslaender"): 1, ("sonstige", "alle"): 1},
}


def expected(view) -> dict[tuple[str, str, str], int]:
    found = {(code, "", ""): n for code, n in COUNTS.items()}
    for code, cells in GRIDS.items():
        field = view.session.form.field(code)
        for row in field.rows:
            for column in field.columns:
                found[(code, row.code, column.code)] = cells.get((row.code, column.code), 0)
    return found


def stored(tmp_path, view):
    db, _unit = open_workspace(tmp_path / "holder.sqlite")
    try:
        submission = current_submission(db, GRUNDSCHULE.id, "schule", view.session.submission.year)
        return load_values(db, submission.id)
    finally:
        db.close()


def open_school(open_window, tmp_path):
    """The Grundschule's newest form, in a workspace that has the town's school list."""
    db, _unit = open_workspace(tmp_path / "holder.sqlite")
    setup_institution(db, GRUNDSCHULE)
    set_school_list(db, {GYMNASIUM: "Gymnasium", REALSCHULE: "Realschule"})
    db.close()
    window = open_window(None)
    enter()
    return window


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    QApplication.processEvents()


def click_cell(qtbot, table, row, column, button=Qt.MouseButton.LeftButton):
    center = table.visualRect(table.model().index(row, column)).center()
    qtbot.mouseClick(table.viewport(), button, pos=center)
    QApplication.processEvents()
    return center


def right_click_cell(qtbot, table, row, column):
    """A right click as the window system delivers it: the button selects the cell, then comes the menu event."""
    position = click_cell(qtbot, table, row, column, Qt.MouseButton.RightButton)
    QApplication.sendEvent(table.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, position,
                                                               table.viewport().mapToGlobal(position)))
    QApplication.processEvents()


def cell_of(view, code, row_code, column_code) -> tuple[int, int]:
    field = view.session.form.field(code)
    return ([r.code for r in field.rows].index(row_code), [c.code for c in field.columns].index(column_code))


def load_export(qtbot, window, fake_dialogs, path):
    fake_dialogs.open_path = path
    click(qtbot, window.entry.suggest_button)


def run_story(qtbot, window, fake_dialogs, tmp_path) -> Path:
    """Everything the secretary does, from the empty form to the exported file; returns the export's path."""
    view = window.entry
    year = view.session.submission.year
    export = write_export(tmp_path / "SchILD" / "Schuelerexport.txt", year, "utf-16")
    assert focused().objectName() == "input_schueler_gesamt"
    load_export(qtbot, window, fake_dialogs, export)
    assert fake_dialogs.errors == []
    panel = view.suggestions
    assert panel.isVisible()
    assert focused().objectName() == "take_all_suggestions"  # the next step is one key away
    assert panel.headline.text() == "Vorschläge aus dem SchILD-Export „Schuelerexport.txt“: 7 Schüler/innen gezählt"
    assert "64 Vorschläge" in panel.summary.text() and "64 sind noch nicht übernommen" in panel.summary.text()
    assert "5 nach den drei Merkmalen, 3 nach dem Kennzeichen" in panel.zwg_figures.text()
    assert panel.zwg_figures.isVisible()
    assert panel.rule.currentData() == "merkmale"
    assert "Schulnummer 199999" in panel.details.text() and "erste Staatsangehörigkeit" in panel.details.text()
    assert not panel.details_area.isVisible()
    click(qtbot, panel.details_button)
    assert panel.details_area.isVisible()  # notes and limits: one click away, not a wall of text
    click(qtbot, panel.details_button)

    # The mark beside every count field and in every cell of the grids; nothing is saved yet.
    for code, n in COUNTS.items():
        box = view.boxes[code]
        assert box.suggestion.isVisible() and box.take_button.isVisible(), code
        assert box.suggestion.text() == f"aus SchILD-Export: {n}", code
    wanted = expected(view)
    for code in GRIDS:
        table = view.boxes[code].table
        field = view.session.form.field(code)
        for i, row in enumerate(field.rows):
            for j, column in enumerate(field.columns):
                assert table.suggested[(i, j)] == str(wanted[(code, row.code, column.code)]), (code, i, j)
        assert view.boxes[code].suggestion.isVisible()
        assert "aus SchILD-Export" in view.boxes[code].suggestion.text()
    primar = view.boxes["schueler_klasse_primar"].table
    assert "\naus SchILD-Export: 2\nÜbernehmen: Strg+Umschalt+Enter oder Rechtsklick" in primar.item(0, 0).toolTip()
    assert stored(tmp_path, view) == {}

    # One field by its own button: saved at once, the mark says it is in.
    gesamt = view.boxes["schueler_gesamt"]
    click(qtbot, gesamt.take_button)
    assert gesamt.edit.text() == "7"
    assert stored(tmp_path, view)[("schueler_gesamt", "", "")].number == 7
    assert gesamt.suggestion.text() == "aus SchILD-Export: 7 ✓ eingetragen"
    assert not gesamt.take_button.isEnabled()
    assert window.statusBar().currentMessage().startswith("Gespeichert um")
    assert focused().objectName() == "input_schueler_gesamt"  # the filled field, to check or correct it

    # A different value typed by hand: the suggestion beside it is marked as differing.
    auslaender = view.boxes["auslaender"]
    click(qtbot, auslaender.edit)
    assert "Strg+Umschalt+Enter" in view.help.text() and "Vorschlag aus dem SchILD-Export: 2" in view.help.text()
    type_text("3")
    assert auslaender.suggestion.text() == "aus SchILD-Export: 2 – weicht ab"
    assert "#ffdcb8" in auslaender.suggestion.styleSheet()
    assert "1 Vorschlag weicht von einem eingetragenen Wert ab" in panel.summary.text()
    assert stored(tmp_path, view)[("auslaender", "", "")].number == 3
    # In a grid the cell gets a frame and a background of its own.
    click_cell(qtbot, primar, 0, 0)
    type_text("3")
    enter()
    assert primar.differs == {(0, 0)}
    assert primar.item(0, 0).background().color().name() == "#ffdcb8"
    assert primar.item(0, 0).toolTip().endswith("\naus SchILD-Export: 2 (eingetragen: 3)\nÜbernehmen: Strg+Umschalt+"
                                                 "Enter oder Rechtsklick")
    assert "1 weicht vom eingetragenen Wert ab" in view.boxes["schueler_klasse_primar"].suggestion.text()
    assert "2 Vorschläge weichen von eingetragenen Werten ab" in panel.summary.text()

    # By keyboard: the shortcut takes the focused field's suggestion ...
    click(qtbot, view.boxes["zwg_gesamt"].edit)
    press(Qt.Key.Key_Return, TAKE)
    assert view.boxes["zwg_gesamt"].edit.text() == "5"
    assert focused().objectName() == "input_zwg_gesamt"
    # ... and that of the selected cell of a grid, even while a number is half typed into it.
    click_cell(qtbot, primar, 1, 1)
    assert "Strg+Umschalt+Enter" in view.help.text() and "blau unten rechts" in view.help.text()
    press(Qt.Key.Key_Return, TAKE)
    click_cell(qtbot, primar, 2, 0)
    type_text("9")
    press(Qt.Key.Key_Return, TAKE)
    assert primar.item(1, 1).text() == "2" and primar.item(2, 0).text() == "1"
    values = stored(tmp_path, view)
    assert values[("schueler_klasse_primar", "k2", "zwg")].number == 2
    assert values[("schueler_klasse_primar", "k3", "anzahl")].number == 1
    assert primar.item(1, 1).toolTip().endswith("\naus SchILD-Export: 2 (eingetragen: 2)")

    # The context menu of a cell offers the suggestion too.
    def take_from_menu():
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(20, take_from_menu)
            return
        action = next(a for a in menu.actions() if a.text() == "Vorschlag aus SchILD-Export übernehmen")
        menu.close()
        action.trigger()

    QTimer.singleShot(0, take_from_menu)
    right_click_cell(qtbot, primar, 3, 0)
    assert primar.item(3, 0).text() == "2"

    # All the rest at once: the differing value typed by hand is replaced after asking.
    click(qtbot, panel.take_all_button)
    assert "2 Vorschläge weichen von schon eingetragenen Werten ab" in fake_dialogs.confirmations[-1]
    assert panel.taken.text() == "59 Werte übernommen und gespeichert. Sie können jeden Wert weiter ändern."
    assert "Alle sind übernommen" in panel.summary.text()
    assert not panel.take_all_button.isEnabled()
    assert auslaender.edit.text() == "2" and auslaender.suggestion.text().endswith("✓ eingetragen")
    assert primar.item(3, 1).text() == "1" and primar.item(0, 0).text() == "2" and primar.differs == set()
    assert view.counts.text() == "keine Fehler"
    assert view.progress.text() == "7 von 7 Pflichtangaben"
    assert window.statusBar().currentMessage().startswith("Gespeichert um")
    values = stored(tmp_path, view)
    assert {a: values[a].number for a in wanted} == wanted

    # Every value stays the secretary's to change.
    sprache = view.boxes["zwg_sprache"]
    click(qtbot, sprache.edit)
    sprache.edit.selectAll()
    type_text("2")
    assert sprache.suggestion.text() == "aus SchILD-Export: 3 – weicht ab"
    assert "1 ist noch nicht übernommen" in panel.summary.text()

    press(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # &Abschließen
    qtbot.waitUntil(lambda: view.state_label.text() == "Status: abgeschlossen")
    assert fake_dialogs.informed == []
    assert not panel.isVisible() and view.session.suggestions == {}
    assert not view.suggest_button.isEnabled()
    assert not sprache.suggestion.isVisible() and not view.boxes["empfehlung"].suggestion_row.isVisible()
    assert primar.suggested == {}

    target = tmp_path / "Meldung.imon"
    fake_dialogs.save_path = target
    press(Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # Meldungsdatei &exportieren…
    qtbot.waitUntil(lambda: bool(fake_dialogs.informed))
    assert view.state_label.text() == "Status: exportiert"
    values = stored(tmp_path, view)
    assert read_submission_file(target).values == values
    wanted[("zwg_sprache", "", "")] = 2
    assert {a: values[a].number for a in wanted} == wanted
    assert len(values) == len(wanted)
    return export


def test_the_school_takes_its_counted_pupils_into_the_form(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_school(open_window, tmp_path)
    run_story(qtbot, window, fake_dialogs, tmp_path)
    db, _unit = open_workspace(tmp_path / "holder.sqlite")
    submission = current_submission(db, GRUNDSCHULE.id, "schule", window.entry.session.submission.year)
    assert submission.state is State.EXPORTED
    db.close()


def test_no_name_or_birth_date_from_the_export_is_stored_anywhere(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_school(open_window, tmp_path)
    export = run_story(qtbot, window, fake_dialogs, tmp_path)
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p != export]
    config = Path(os.environ["IMON_CONFIG_DIR"])
    files += [p for p in config.rglob("*") if p.is_file()] if config.exists() else []
    names = {p.name for p in files}
    assert "holder.sqlite" in names and "Meldung.imon" in names
    secrets = [s.encode(encoding) for s in (SURNAME, FIRST_NAME, "Brelomir", BIRTH_DATE)
               for encoding in ("utf-8", "utf-16-le")]
    leaks = [(p.name, s) for p in files for s in secrets if s in p.read_bytes()]
    assert leaks == []


def test_a_file_that_is_no_pupil_export_names_the_columns_and_keeps_what_was_typed(open_window, fake_dialogs,
                                                                                    tmp_path, qtbot):
    window = open_school(open_window, tmp_path)
    view = window.entry
    type_text("298")
    kita = tmp_path / "kita_liste.csv"
    kita.write_bytes("Name;Kinder;Gruppen\r\nKita Sonnenschein;45;3\r\nKita Löwenzahn;60;4\r\n".encode("cp1252"))
    letter = tmp_path / "elternbrief.txt"
    letter.write_bytes("Liebe Eltern,\r\nam Freitag fällt der Unterricht aus.\r\n".encode("cp1252"))
    for path in (kita, letter):
        load_export(qtbot, window, fake_dialogs, path)
        message = fake_dialogs.errors[-1]
        assert f"{path.name} ist kein Schülerexport aus SchILD-NRW" in message
        missing = message.split(" ist kein Schülerexport")[1].split(". ")[0]  # what is lacking, before the list
        assert "Status" in missing and "Jahrgang" in missing and "Klasse" in missing
        for column in ("Status", "Jahrgang", "Staatsangehörigkeit (Schlüssel)", "Migrationshintergrund vorhanden",
                       "Übergangsempfehlung", "Entlassdatum", "Aufnehmende Schule: Schulnr."):
            assert column in message
        assert not view.suggestions.isVisible()
        assert view.boxes["schueler_gesamt"].edit.text() == "298"
        assert stored(tmp_path, view)[("schueler_gesamt", "", "")].number == 298
    assert len(fake_dialogs.errors) == 2

    # The right file afterwards: the typed value stays and its differing suggestion is marked.
    load_export(qtbot, window, fake_dialogs,
                write_export(tmp_path / "export.csv", view.session.submission.year, "cp1252"))
    assert len(fake_dialogs.errors) == 2
    assert view.boxes["schueler_gesamt"].suggestion.text() == "aus SchILD-Export: 7 – weicht ab"
    assert view.boxes["schueler_gesamt"].edit.text() == "298"


def test_the_zwg_rule_counts_again_when_changed(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_school(open_window, tmp_path)
    view = window.entry
    export = write_export(tmp_path / "Schueler.txt", view.session.submission.year, "cp1252")
    load_export(qtbot, window, fake_dialogs, export)
    panel = view.suggestions
    klasse4 = view.boxes["abgaenger_klasse4"].table
    primar = view.boxes["schueler_klasse_primar"].table
    assert panel.rule.currentData() == "merkmale"
    assert view.boxes["zwg_gesamt"].suggestion.text() == "aus SchILD-Export: 5"
    assert klasse4.suggested[(0, 1)] == "1" and primar.suggested[cell_of(view, "schueler_klasse_primar", "k3", "zwg")]

    # Every Alt+letter of the form with the banner reaches one control.
    texts = [a.text() for a in window.menuBar().actions()]
    texts += [b.text() for b in view.findChildren(QAbstractButton) if b.isVisibleTo(view)]
    texts += [label.text() for label in view.findChildren(QLabel) if label.isVisibleTo(view) and label.buddy()]
    assert {k: v for k, v in letters(texts).items() if len(v) > 1} == {}
    assert unnamed(window) == []  # the rule's combo box too

    press(Qt.Key.Key_Z, Qt.KeyboardModifier.AltModifier)  # &ZWG zählen nach
    assert focused() is panel.rule
    press(Qt.Key.Key_Down)
    assert panel.rule.currentData() == "kennzeichen"
    assert view.boxes["zwg_gesamt"].suggestion.text() == "aus SchILD-Export: 3"
    assert klasse4.suggested[(0, 1)] == "2"
    assert primar.suggested[cell_of(view, "schueler_klasse_primar", "k3", "zwg")] == "0"
    assert view.session.suggestion(("uebergang_schulform", "sonstige", "zwg")) == 1
    assert "5 nach den drei Merkmalen, 3 nach dem Kennzeichen" in panel.zwg_figures.text()  # both, still
    db, _unit = open_workspace(tmp_path / "holder.sqlite")
    assert zwg_rule(db) == "kennzeichen"  # the choice is kept for next year's export
    db.close()
    assert stored(tmp_path, view) == {}  # counting again saves no value either

    # The file deleted meanwhile: said plainly, and the figures shown still match the rule shown.
    export.unlink()
    press(Qt.Key.Key_Up)
    assert "Schueler.txt" in fake_dialogs.errors[-1] or "gibt es nicht" in fake_dialogs.errors[-1]
    assert panel.rule.currentData() == "kennzeichen"
    assert view.boxes["zwg_gesamt"].suggestion.text() == "aus SchILD-Export: 3"

    click(qtbot, panel.hide_button)
    assert not panel.isVisible() and view.session.suggestions == {}
    assert not view.boxes["zwg_gesamt"].suggestion.isVisible() and klasse4.suggested == {}


def test_the_guide_opens_from_the_banner_and_the_help_menu(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_school(open_window, tmp_path)
    view = window.entry
    assert window.schild_guide_action.isVisible()
    load_export(qtbot, window, fake_dialogs, write_export(tmp_path / "s.txt", view.session.submission.year, "cp1252"))
    shown = []

    def read(dialog):
        shown.append(dialog.findChild(QTextBrowser).toPlainText())
        dialog.reject()

    when_modal(qtbot, read)
    click(qtbot, view.suggestions.guide_button)
    assert shown and "SchILD" in shown[0] and "Aus SchILD-Export vorschlagen" in shown[0]
    when_modal(qtbot, read)
    window.schild_guide_action.trigger()
    assert len(shown) == 2 and shown[1] == shown[0]


def test_only_school_forms_offer_the_export(open_window, tmp_path):
    window = open_window(KITA)
    enter()
    view = window.entry
    assert not view.suggest_button.isVisibleTo(view)
    assert not window.schild_guide_action.isVisible()


def test_a_finalised_school_form_offers_no_suggestions(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_school(open_window, tmp_path)
    view = window.entry
    load_export(qtbot, window, fake_dialogs, write_export(tmp_path / "s.txt", view.session.submission.year, "cp1252"))
    click(qtbot, view.suggestions.take_all_button)
    click(qtbot, view.finalise_button)
    assert view.state_label.text() == "Status: abgeschlossen"
    assert not view.suggest_button.isEnabled() and not view.suggestions.isVisible()
    view.take_focused()  # the shortcut on a finalised form does nothing
    fake_dialogs.confirm_answer = True
    click(qtbot, view.correction_button)
    corrected = window.entry
    assert corrected is not view and corrected.suggest_button.isEnabled()
    assert not corrected.suggestions.isVisible()
    assert not any(corrected.boxes[code].suggestion.isVisible() for code in COUNTS)
