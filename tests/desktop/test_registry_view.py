"""The officer keeps the registry: takes the 22 Soest schools from the real NRW school directory through the preview,
finds and sorts them, adds a Bezirk and a Kita by hand, is stopped from giving an id twice, and re-imports the list
without changing anything."""

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox

from desktop.holder_window import HolderWindow
from desktop.registry_view import ADDRESS, ID, KIND, NAME, PARENT, ImportDialog, UnitDialog
from store.database import open_database
from store.orgunits import OrgUnit, get_org_unit, list_org_units, save_org_units
from store.settings import OFFICER, set_role
from tests.desktop.conftest import opened
from tests.desktop.modal import when_modal

NRW = Path(__file__).resolve().parents[3] / "shared" / "data" / "nrw-schulverzeichnis-2024-25.csv"
SOEST = "05974040"


def soest_rows():
    """The Soest schools as the csv module reads the file, independent of the code under test."""
    with NRW.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["Amtlicher Gemeindeschlüssel"] == SOEST]


@pytest.fixture
def registry(qtbot, tmp_path, fake_dialogs):
    path = tmp_path / "rathaus.sqlite"
    db = open_database(path)
    set_role(db, OFFICER)
    save_org_units(db, [OrgUnit(id="stadt", kind="stadt", name="Soest")])
    db.close()
    window = HolderWindow(path)
    qtbot.addWidget(window)
    window.show()
    window = opened(qtbot, window)
    assert window.tabs.widget(0) is window.registry and window.tabs.tabText(0) == "&Verzeichnis"
    return window  # the registry view lives as long as its window


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def import_soest(qtbot, view, fake_dialogs, check=None, ags=SOEST):
    """Opens the NRW directory through the preview, filters it to Soest and takes it over."""
    fake_dialogs.open_path = NRW
    seen = {}

    def act(dialog):
        assert isinstance(dialog, ImportDialog)
        type_into(qtbot, dialog.ags, ags)
        qtbot.waitUntil(lambda: dialog.apply_button.isEnabled() and "von 5407 Zeilen" in dialog.counts.text())
        seen["counts"], seen["rows"] = dialog.counts.text(), dialog.rows.rowCount()
        if check is not None:
            check(dialog)
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    when_modal(qtbot, act)
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    return seen


def test_soest_schools_from_the_nrw_directory(registry, qtbot, fake_dialogs):
    view = registry.registry
    expected = soest_rows()
    assert len(expected) == 22

    def check_mapping(dialog: ImportDialog):
        assert dialog.combos["official_number"].currentText() == "Schulnummer"
        assert dialog.combos["name"].currentText() == "Amtliche Bezeichnung 1"
        assert dialog.combos["traeger"].currentText() == "– nicht verwenden –"
        assert dialog.rows.rowCount() == 20  # the first 20 of the 22
        names = [dialog.rows.item(r, 4).text() for r in range(dialog.rows.rowCount())]
        assert names[0].startswith(expected[0]["Amtliche Bezeichnung 1"])
        # Without a name column nothing can be imported: said beside the mapping, and Übernehmen is off.
        choose(dialog.combos["name"], "– nicht verwenden –")
        qtbot.waitUntil(lambda: "fehlt eine Spalte für: Name" in dialog.problem.text())
        assert not dialog.apply_button.isEnabled() and dialog.rows.rowCount() == 0
        choose(dialog.combos["name"], "Amtliche Bezeichnung 1")
        qtbot.waitUntil(dialog.apply_button.isEnabled)

    seen = import_soest(qtbot, view, fake_dialogs, check_mapping)
    assert "22 von 5407 Zeilen" in seen["counts"]
    assert "neu: 22 · aktualisiert: 0 · unverändert: 0 · abgelehnt: 0 · nicht mehr in der Liste: 0" in seen["counts"]
    assert fake_dialogs.errors == []
    assert "Gespeichert." in fake_dialogs.informed[-1] and "neu: 22" in fake_dialogs.informed[-1]

    assert view.count.text() == "23 Einrichtungen angezeigt"  # the town and its 22 schools
    choose(view.kind_filter, "Schulen")
    assert view.count.text() == "22 Einrichtungen angezeigt (von 23)"
    assert sorted(view.visible_column(ID)) == sorted(r["Schulnummer"] for r in expected)
    hellweg = next(r for r in expected if r["Schulnummer"] == "135458")
    row = view.visible_column(ID).index("135458")
    assert view.visible_column(ADDRESS)[row] == f"{hellweg['Straße und Hausnummer']}, 59494 Soest"

    qtbot.keyClicks(view.search, "Gymnasium")
    gymnasiums = [r for r in expected if "gymnasium" in " ".join(
        (r["Schulform"], r["Amtliche Bezeichnung 1"], r["Amtliche Bezeichnung 2"])).casefold()]
    assert len(gymnasiums) == 3
    assert sorted(view.visible_column(ID)) == sorted(r["Schulnummer"] for r in gymnasiums)
    assert view.count.text() == "3 Einrichtungen angezeigt (von 23)"
    view.search.clear()
    qtbot.keyClicks(view.search, "gymnasium")  # case does not matter
    assert len(view.visible_column(ID)) == 3
    view.search.clear()
    assert len(view.visible_column(ID)) == 22

    header = view.table.horizontalHeader()
    name_header = QPoint(header.sectionViewportPosition(NAME) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=name_header)
    names = view.visible_column(NAME)
    german = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})  # DIN 5007-1, as a German index sorts
    assert names == sorted(names, key=lambda n: n.casefold().translate(german)) and len(names) == 22
    assert names.index("Börde-Berufskolleg, des Kreises Soest in Soest") < names.index(
        "Bruno-Grundschule, Städt. Kath. Bekenntnisschule")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=name_header)
    assert view.visible_column(NAME) == names[::-1]


def test_bezirk_and_kita_by_hand_and_an_id_given_twice(registry, qtbot, fake_dialogs):
    view = registry.registry

    def new_bezirk(dialog: UnitDialog):
        choose(dialog.kind, "Bezirk")
        assert dialog.parent_combo.currentText() == "Soest"  # a Bezirk belongs to the town
        type_into(qtbot, dialog.id_edit, "bezirk-mitte")
        type_into(qtbot, dialog.name, "Mitte")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal(qtbot, new_bezirk)
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    assert get_org_unit(view.db, "bezirk-mitte").parent_id == "stadt"

    def new_kita(dialog: UnitDialog):
        choose(dialog.kind, "Kindertageseinrichtung")
        assert not dialog.save_button.isEnabled() and "Kennung" in dialog.problem.text()
        type_into(qtbot, dialog.id_edit, "Kita Sonnenschein")  # a space: no file could carry this id
        assert "ohne Umlaute" in dialog.problem.text() and not dialog.save_button.isEnabled()
        type_into(qtbot, dialog.id_edit, "kita-sonnenschein")
        type_into(qtbot, dialog.name, "Kita Sonnenschein")
        type_into(qtbot, dialog.traeger, "AWO")
        choose(dialog.parent_combo, "Mitte")
        type_into(qtbot, dialog.valid_from, "2021")
        type_into(qtbot, dialog.valid_to, "2019")
        assert "gültig ab (2021) liegt nach gültig bis (2019)" in dialog.problem.text()
        assert not dialog.save_button.isEnabled()
        dialog.valid_to.clear()
        assert dialog.problem.text() == "" and dialog.save_button.isEnabled()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal(qtbot, new_kita)
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    kita = get_org_unit(view.db, "kita-sonnenschein")
    assert (kita.kind, kita.name, kita.traeger, kita.parent_id, kita.valid_from, kita.valid_to) == (
        "kita", "Kita Sonnenschein", "AWO", "bezirk-mitte", 2021, None)
    assert view.selected_unit() == kita  # the saved entry is selected
    row = view.visible_column(ID).index("kita-sonnenschein")
    assert (view.visible_column(KIND)[row], view.visible_column(PARENT)[row]) == ("Kita", "Mitte")
    assert view.window().officer.institutions.count() == 1  # the exchange tab lists it at once

    def same_id_again(dialog: UnitDialog):
        choose(dialog.kind, "Kindertageseinrichtung")
        type_into(qtbot, dialog.id_edit, "kita-sonnenschein")
        type_into(qtbot, dialog.name, "Kita Regenbogen")
        assert "Die Kennung „kita-sonnenschein“ gibt es schon: Kindertageseinrichtung „Kita Sonnenschein“" in (
            dialog.problem.text())
        assert not dialog.save_button.isEnabled()
        dialog.reject()

    when_modal(qtbot, same_id_again)
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    assert [u.name for u in list_org_units(view.db, "kita")] == ["Kita Sonnenschein"]

    def close_it(dialog: UnitDialog):
        assert dialog.id_edit.isReadOnly() and not dialog.kind.isEnabled()
        type_into(qtbot, dialog.valid_to, "2024")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal(qtbot, close_it)
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    assert get_org_unit(view.db, "kita-sonnenschein").valid_to == 2024
    assert get_org_unit(view.db, "kita-sonnenschein").traeger == "AWO"  # what the dialog did not touch stays


def test_reimport_changes_nothing(registry, qtbot, fake_dialogs):
    view = registry.registry
    import_soest(qtbot, view, fake_dialogs)
    before = list_org_units(view.db)
    prefilled = []

    def remembered(dialog: ImportDialog):
        prefilled.append(dialog.ags.text())

    def act(dialog):
        remembered(dialog)
        qtbot.waitUntil(lambda: "unverändert: 22" in dialog.counts.text())
        assert "neu: 0 · aktualisiert: 0 · unverändert: 22" in dialog.counts.text()
        assert {dialog.rows.item(r, 1).text() for r in range(dialog.rows.rowCount())} == {"unverändert"}
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    when_modal(qtbot, act)
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    assert prefilled == [SOEST]  # the Gemeindeschlüssel of the last import is offered again
    assert "neu: 0" in fake_dialogs.informed[-1] and "unverändert: 22" in fake_dialogs.informed[-1]
    assert list_org_units(view.db) == before


def test_bad_files_and_keys_are_told_not_crashed(registry, qtbot, fake_dialogs, tmp_path):
    view = registry.registry
    fake_dialogs.open_path = None  # the file dialog was cancelled
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    assert fake_dialogs.errors == []

    fake_dialogs.open_path = tmp_path / "liste.csv"
    fake_dialogs.open_path.write_bytes(b"\x00\x01\x02 kein Text")
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    assert "keine Tabelle im Format CSV oder Excel" in fake_dialogs.errors[-1]

    def wrong_key(dialog: ImportDialog):
        type_into(qtbot, dialog.ags, "0")
        qtbot.waitUntil(lambda: "kein Gemeindeschlüssel" in dialog.problem.text())
        assert not dialog.apply_button.isEnabled()
        type_into(qtbot, dialog.ags, "x9")  # only digits are taken
        assert dialog.ags.text() == "9"
        dialog.reject()

    fake_dialogs.open_path = NRW
    when_modal(qtbot, wrong_key)
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    assert [u.kind for u in list_org_units(view.db)] == ["stadt"]  # nothing was taken over

    view.table.clearSelection()
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    assert "Bitte zuerst" in fake_dialogs.informed[-1]


def test_an_institution_is_placed_in_an_area_by_hand(registry, qtbot, fake_dialogs):
    from store.areas import Area, area_of_units, ensure_level, save_areas

    view = registry.registry
    ensure_level(view.db, "Stadtteil")
    save_areas(view.db, "stadtteil", [Area("stadtteil", "909", "Dellbrück"), Area("stadtteil", "905", "Buchheim")])
    save_org_units(view.db, [OrgUnit(id="kita-1", kind="kita", name="Kita Sonne", parent_id="stadt")])
    view.refresh()
    view.select("kita-1")

    def place(dialog: UnitDialog):
        assert dialog.area.isVisibleTo(dialog) and dialog.area.currentText() == "– keines –"
        choose(dialog.area, "Stadtteil › Dellbrück (909)")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal(qtbot, place)
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    assert area_of_units(view.db) == {"kita-1": ("stadtteil", "909")}

    def check(dialog: UnitDialog):
        assert dialog.area.currentText() == "Stadtteil › Dellbrück (909)"  # shown again when edited
        dialog.reject()

    when_modal(qtbot, check)
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
