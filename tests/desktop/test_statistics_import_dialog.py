"""The officer imports population figures from a table whose headings the program does not know: picks the columns,
names the source, sees per year what would be taken over, and nothing is saved before „Übernehmen“."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from desktop.statistics_import_dialog import StatisticsImportDialog
from forms.catalog import latest_form
from intake.tables import read_table
from store.submissions import current_submission
from tests.desktop.keyboard import press, type_text

BEZIRKE = ("Stichjahr;Merkmal;Bezirk;Gruppe;Anzahl\r\n"
           "2024;Einwohner/innen nach Bezirk;Bezirk 1;insgesamt;5.210\r\n"
           "2024;Einwohner/innen nach Bezirk;Bezirk 1;Ausländer/innen;412\r\n"
           "2024;Einwohner/innen nach Bezirk;Bezirk 1;EMR-Migrant/innen;1.020\r\n"
           "2024;bevoelkerung_bezirk;bezirk_02;insgesamt;3.480\r\n"
           "2024;bevoelkerung_bezirk;bezirk_02;auslaender;298\r\n"
           "2024;bevoelkerung_bezirk;bezirk_02;emr;730\r\n")
WRONG_2023 = ("2023;Einwohner/innen nach Bezirk;Bezirk 1;insgesamt;300\r\n"
              "2023;Einwohner/innen nach Bezirk;Bezirk 1;Ausländer/innen;412\r\n")


@pytest.fixture
def open_dialog(qtbot, tmp_path, db):
    def make(text: str, sources=()) -> StatisticsImportDialog:
        path = tmp_path / "melderegister.csv"
        path.write_bytes(text.encode("cp1252"))  # as Excel saves „CSV (Trennzeichen-getrennt)“
        dialog = StatisticsImportDialog(db, latest_form("bevoelkerung"), read_table(path), path.name, list(sources))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        return dialog

    return make


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def preview_rows(dialog) -> list[tuple[str, ...]]:
    table = dialog.years
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def test_unknown_headings_are_mapped_by_hand_and_nothing_is_saved_in_the_preview(qtbot, db, open_dialog):
    dialog = open_dialog(BEZIRKE)
    intro = dialog.findChild(QLabel, "intro").text()
    assert "melderegister.csv" in intro and "6 Zeilen, 5 Spalten" in intro
    assert dialog.combos["field"].currentText() == "Merkmal" and dialog.combos["value"].currentText() == "Anzahl"
    assert dialog.combos["year"].currentData() == -1
    assert "Jahr" in dialog.problem.text() and not dialog.apply_button.isEnabled()
    assert dialog.raw.rowCount() == 6 and dialog.raw.horizontalHeaderItem(0).text() == "Stichjahr"
    assert dialog.raw.item(0, 4).text() == "5.210" and dialog.raw.verticalHeaderItem(0).text() == "2"

    choose(dialog.combos["year"], "Stichjahr")
    choose(dialog.combos["row"], "Bezirk")
    choose(dialog.combos["column"], "Gruppe")
    assert not dialog.apply_button.isEnabled()  # until the new preview is shown
    qtbot.waitUntil(dialog.apply_button.isEnabled)
    assert dialog.problem.text() == ""
    assert preview_rows(dialog) == [("2024", "6", "wird übernommen")]
    assert dialog.columns() == {"year": 0, "field": 1, "row": 2, "column": 3, "value": 4}
    assert "Quelle ist ein Pflichtfeld" in dialog.details.toPlainText()  # no source yet: a warning only

    dialog.source_line.setFocus()
    qtbot.waitUntil(dialog.source_line.hasFocus)
    type_text("Einwohnermelderegister, Stand 31.12.2024")
    assert dialog.source_text() == "Einwohnermelderegister, Stand 31.12.2024"
    qtbot.waitUntil(lambda: dialog.apply_button.isEnabled() and "Quelle ist" not in dialog.details.toPlainText())
    assert current_submission(db, "stadt", "bevoelkerung", 2024) is None

    press(Qt.Key.Key_Escape)
    assert dialog.result() == dialog.DialogCode.Rejected and not dialog.isVisible()


def test_one_column_for_two_things_is_refused(qtbot, open_dialog):
    dialog = open_dialog("Jahr;Feld;Zeile;Spalte;Wert\r\n2024;Einwohner/innen nach Bezirk;Bezirk 1;insgesamt;5210\r\n")
    assert dialog.apply_button.isEnabled() and dialog.problem.text() == ""
    choose(dialog.combos["source"], "Zeile")
    qtbot.waitUntil(lambda: "„Zeile“" in dialog.problem.text())
    assert "Zeile und Quelle" in dialog.problem.text()
    assert not dialog.apply_button.isEnabled() and dialog.years.rowCount() == 0
    choose(dialog.combos["source"], "– nicht verwenden –")
    qtbot.waitUntil(dialog.apply_button.isEnabled)
    assert dialog.problem.text() == ""


def test_a_second_source_is_named_or_the_main_one_chosen(qtbot, open_dialog):
    dialog = open_dialog(BEZIRKE.replace("Stichjahr", "Jahr").replace("Bezirk;Gruppe", "Zeile;Spalte"),
                         sources=["Zensus 2022"])
    assert dialog.figure_source() == ""
    combo = dialog.source_choice
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Hauptquelle (für die Zeitreihen des Berichts)", "Zensus 2022"]
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    combo.lineEdit().selectAll()
    type_text("IT.NRW")
    assert dialog.figure_source() == "IT.NRW" and not dialog.apply_button.isEnabled()
    qtbot.waitUntil(dialog.apply_button.isEnabled)
    choose(combo, "Zensus 2022")
    assert dialog.figure_source() == "Zensus 2022"
    choose(combo, "Hauptquelle (für die Zeitreihen des Berichts)")
    assert dialog.figure_source() == ""


def test_a_year_with_an_error_is_not_taken_over(qtbot, open_dialog):
    dialog = open_dialog(BEZIRKE.replace("Stichjahr", "Berichtsjahr") + WRONG_2023)
    for name, heading in (("row", "Bezirk"), ("column", "Gruppe")):
        choose(dialog.combos[name], heading)
    assert preview_rows(dialog) == [("2023", "0", "wird NICHT übernommen"), ("2024", "0", "wird NICHT übernommen")]
    assert not dialog.apply_button.isEnabled()  # without Zeile and Spalte no cell of a table field is found
    qtbot.waitUntil(dialog.apply_button.isEnabled)
    assert preview_rows(dialog) == [("2023", "2", "wird NICHT übernommen"), ("2024", "6", "wird übernommen")]
    assert "  ✖ Einwohner/innen nach Bezirk – Bezirk 1 – Ausländer/innen (412) ist größer als" in (
        dialog.details.toPlainText())
    assert dialog.apply_button.isEnabled()  # 2024 alone can be taken over


def test_every_control_is_reached_by_tab_and_every_label_has_a_key(qtbot, open_dialog):
    dialog = open_dialog(BEZIRKE)
    dialog.combos["year"].setFocus()
    qtbot.waitUntil(dialog.combos["year"].hasFocus)
    seen = []
    for _ in range(30):
        seen.append(QApplication.focusWidget())
        press(Qt.Key.Key_Tab)
    wanted = [*dialog.combos.values(), dialog.source_choice, dialog.source_line, dialog.raw, dialog.years,
              dialog.details, dialog.buttons.button(dialog.buttons.StandardButton.Cancel)]
    assert all(any(s is w or w.isAncestorOf(s) for s in seen) for w in wanted)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    keys = [text[text.index("&") + 1].lower() for text in labels]
    assert len(labels) == 11 and len(set(keys)) == 11


def test_the_preview_lists_every_approved_figure_the_table_would_replace(qtbot, tmp_path, db, open_dialog):
    from intake.statistics_import import import_statistics

    first = tmp_path / "alt.csv"
    first.write_bytes(BEZIRKE.replace("Stichjahr", "Jahr").encode("cp1252"))
    columns = {"year": 0, "field": 1, "row": 2, "column": 3, "value": 4}
    assert import_statistics(db, latest_form("bevoelkerung"), read_table(first), source="Melderegister",
                             columns=columns)[0].written
    dialog = open_dialog(BEZIRKE.replace("Stichjahr", "Jahr").replace("5.210", "5.230"))
    choose(dialog.combos["row"], "Bezirk")
    choose(dialog.combos["column"], "Gruppe")
    qtbot.waitUntil(dialog.apply_button.isEnabled)
    assert preview_rows(dialog) == [("2024", "6", "wird übernommen, ersetzt 1 freigegebenen Wert")]
    assert "↻ Einwohner/innen nach Bezirk – Bezirk 1 – insgesamt: 5.210 → 5.230" in dialog.details.toPlainText()
