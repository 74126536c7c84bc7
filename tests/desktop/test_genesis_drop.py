"""The officer drags a table downloaded from the Regionalstatistik onto the statistics tab, sees what it gives for
which year with its reference date, and takes it; a table the program does not know is mapped once and remembered."""

import csv
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox

from desktop.genesis_dialogs import GenesisImportDialog, GenesisMappingDialog
from store.database import open_database
from store.orgunits import OrgUnit, save_org_units
from store.settings import registry_ags
from store.submissions import current_submission, load_values
from store.table_mappings import remembered_mapping
from sync.officer import init_officer
from tests.desktop.conftest import OFFICER_PASSPHRASE
from tests.desktop.keyboard import type_text
from tests.desktop.modal import when_modal

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "genesis"


def when_dialog(kind, act):
    when_modal(None, act, kind)


def drop(widget, path: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = QPointF(widget.rect().center())
    enter = QDragEnterEvent(centre.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return True


def officer(tmp_path, officer_window):
    path = tmp_path / "rathaus.sqlite"
    db = open_database(path)
    init_officer(db, OFFICER_PASSPHRASE)
    save_org_units(db, [OrgUnit(id="stadt", kind="stadt", name="Soest")])
    db.close()
    window = officer_window(path)
    window.tabs.setCurrentWidget(window.statistics)
    return window


def test_a_downloaded_population_table_dropped_onto_the_statistics_tab(qtbot, tmp_path, fake_dialogs, officer_window):
    window = officer(tmp_path, officer_window)
    seen = {}

    def check_and_take(dialog: GenesisImportDialog):
        assert "12411-01-01-5" in dialog.findChild(type(dialog.problem), "genesis_intro").text()
        assert "Gemeindeschlüssel" in dialog.problem.text() and not dialog.apply_button.isEnabled()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        dialog.ags.setFocus()
        qtbot.waitUntil(dialog.ags.hasFocus)
        type_text("05974040")
        qtbot.waitUntil(lambda: dialog.values.rowCount() > 0, timeout=5000)
        seen["rows"] = [[dialog.values.item(r, c).text() for c in range(6)] for r in range(dialog.values.rowCount())]
        seen["region"] = dialog.region.text()
        assert dialog.apply_button.isEnabled()
        dialog.apply_button.click()

    when_dialog(GenesisImportDialog, check_and_take)
    assert drop(window.statistics, DATA / "12411-01-01-5_00.csv")
    assert seen["region"] == "Soest"
    assert len(seen["rows"]) == 24 and {row[0] for row in seen["rows"]} == {str(y) for y in range(2008, 2016)}
    assert all(row[3] == "31.12." and row[4] == "Berichtsreihe" for row in seen["rows"])
    assert fake_dialogs.informed[-1].startswith("Übernommen für: 2008, 2009")
    db = open_database(tmp_path / "rathaus.sqlite")
    with (DATA / "12411-01-01-5_00.csv").open(encoding="utf-8", newline="") as fh:
        soest = next(row for row in csv.reader(fh, delimiter=";") if row and row[0].endswith("05974040"))
    values = load_values(db, current_submission(db, "stadt", "bevoelkerung", 2015).id)
    assert values[("einwohner_amtlich", "insgesamt", "insgesamt")].number == int(soest[2])
    assert registry_ags(db) == "05974040"  # asked once, kept for the next table
    assert window.statistics.year.value() == 2015
    items = [window.statistics.list.item(i).text() for i in range(window.statistics.list.count())]
    assert any(t.startswith("Bevölkerung") and "freigegeben" in t for t in items)


def test_only_a_single_table_file_is_accepted_as_a_drop(qtbot, tmp_path, fake_dialogs, officer_window):
    window = officer(tmp_path, officer_window)
    other = tmp_path / "notiz.txt"
    other.write_text("nichts", encoding="utf-8")
    assert not drop(window.statistics, other)


def test_an_unknown_table_is_mapped_once_and_remembered(qtbot, tmp_path, fake_dialogs, officer_window):
    text = (DATA / "13211-01-03-4_00.csv").read_text(encoding="utf-8").replace("13211-01-03-4", "99999-01-01-4")
    unknown = tmp_path / "99999-01-01-4.csv"
    unknown.write_text(text, encoding="utf-8")
    window = officer(tmp_path, officer_window)
    db = open_database(tmp_path / "rathaus.sqlite")
    from store.settings import set_registry_ags

    set_registry_ags(db, "05974")
    seen = {}

    def map_columns(mapping: GenesisMappingDialog):
        mapping.form_choice.setCurrentIndex(mapping.form_choice.findData("arbeitsmarkt"))
        kinds = [mapping.grid.item(r, 0).text() for r in range(mapping.grid.rowCount())]
        combo: QComboBox = mapping.targets[kinds.index("Arbeitslose insgesamt / Anzahl")]
        combo.setCurrentIndex(combo.findData("arbeitsmarkt\tarbeitslose\tinsgesamt"))
        seen["value"] = mapping.grid.item(kinds.index("Arbeitslose insgesamt / Anzahl"), 2).text()
        mapping.save_button.click()

    def first_time(dialog: GenesisImportDialog):
        assert "kennt das Programm noch nicht" in dialog.problem.text() and not dialog.apply_button.isEnabled()
        when_dialog(GenesisMappingDialog, map_columns)
        dialog.map_button.click()
        assert dialog.values.rowCount() > 0 and "eigene Zuordnung" in dialog.target.text()
        seen["first"] = [dialog.values.item(r, 1).text() for r in range(dialog.values.rowCount())]
        dialog.apply_button.click()

    when_dialog(GenesisImportDialog, first_time)
    assert drop(window.statistics, unknown)
    assert set(seen["first"]) == {"Arbeitslose und erwerbsfähige Leistungsberechtigte nach Staatsangehörigkeit: "
                                  "Arbeitslose insgesamt (SGB III und SGB II) / insgesamt"}
    assert seen["value"].endswith("(2016)")  # the newest year, so that the officer sees what the column holds
    assert remembered_mapping(db, "99999-01-01-4")["form"] == "arbeitsmarkt"

    def second_time(dialog: GenesisImportDialog):
        seen["second"] = dialog.target.text()
        seen["unchanged"] = dialog.details.toPlainText()
        dialog.reject()

    when_dialog(GenesisImportDialog, second_time)
    assert drop(window.statistics, unknown)
    assert "eigene Zuordnung" in seen["second"]
    assert "unverändert" in seen["unchanged"]


def test_a_kreis_office_takes_its_gemeinden_as_areas_from_the_dialog(qtbot, tmp_path, fake_dialogs, officer_window):
    from store.areas import areas_of, find_level
    from store.settings import set_registry_ags

    window = officer(tmp_path, officer_window)
    db = open_database(tmp_path / "rathaus.sqlite")
    set_registry_ags(db, "05974")
    seen = {}

    def take_gemeinden(dialog: GenesisImportDialog):
        qtbot.waitUntil(dialog.gemeinden.isVisible, timeout=5000)
        dialog.gemeinden.setChecked(True)
        qtbot.waitUntil(lambda: "14 Gemeinden" in dialog.details.toPlainText(), timeout=5000)
        seen["region"] = dialog.region.text()
        dialog.apply_button.click()

    when_dialog(GenesisImportDialog, take_gemeinden)
    assert drop(window.statistics, DATA / "12411-01-01-5_00.csv")
    assert seen["region"] == "Soest, Kreis"
    assert not fake_dialogs.errors, fake_dialogs.errors
    assert len(areas_of(db, find_level(db, "Gemeinde").code)) == 14
    assert window.areas.level.currentText() == "Gemeinde"  # the areas tab shows them at once


def test_a_table_by_area_is_mapped_once_and_its_figures_taken(qtbot, tmp_path, fake_dialogs, officer_window):
    from desktop.area_figures_dialog import AreaFiguresDialog
    from store.areas import Area, ensure_level, figures_at, save_areas

    window = officer(tmp_path, officer_window)
    db = open_database(tmp_path / "rathaus.sqlite")
    ensure_level(db, "Stadtbezirk")
    ensure_level(db, "Stadtteil", "stadtbezirk")
    save_areas(db, "stadtbezirk", [Area("stadtbezirk", "9", "Mülheim")])
    save_areas(db, "stadtteil", [Area("stadtteil", "901", "Mülheim", "9"), Area("stadtteil", "909", "Dellbrück", "9")])
    table = tmp_path / "stadtteile.csv"
    table.write_text("id;tab_id;tabelle;jahr;raum_id;raum;zei_id;zeile;zahl\r\n"
                     "1;12;Bevölkerung;2024;901;Mülheim;1;Einwohner insgesamt;42000\r\n"
                     "2;12;Bevölkerung;2024;909;Dellbrück;1;Einwohner insgesamt;22000\r\n"
                     "3;12;Bevölkerung;2024;901;Mülheim;2;Einwohner/innen mit Migrationshintergrund (EMR);21000\r\n"
                     "4;12;Bevölkerung;2024;909;Dellbrück;2;Einwohner/innen mit Migrationshintergrund (EMR);5000\r\n",
                     encoding="utf-8")
    seen = {}

    def map_and_take(dialog: AreaFiguresDialog):
        texts = [dialog.mapping.item(r, 0).text() for r in range(dialog.mapping.rowCount())]
        seen["known"] = dialog.targets[texts.index("Einwohner/innen mit Migrationshintergrund (EMR)")].currentData()
        assert "Einwohner insgesamt" in dialog.details.toPlainText() and not dialog.apply_button.isEnabled()
        combo = dialog.targets[texts.index("Einwohner insgesamt")]
        combo.setCurrentIndex(combo.findData("einwohner"))
        assert dialog.apply_button.isEnabled(), dialog.details.toPlainText()
        dialog.apply_button.click()

    when_dialog(AreaFiguresDialog, map_and_take)
    assert drop(window.statistics, table)
    assert seen["known"] == "emr"  # the program's own label needs no mapping
    assert fake_dialogs.informed[-1] == "4 Zahlen nach Gebieten übernommen."
    assert figures_at(db, "stadtbezirk", 2024, "einwohner") == {"9": 64000}
    assert figures_at(db, "stadtbezirk", 2024, "emr") == {"9": 26000}
