"""The officer takes the town's Stadtbezirke from its GIS file in the Gebiete tab, names the level, sees the
preview, takes them, and sees the areas with their figures, the segregation line and the map."""

from pathlib import Path

from desktop.changes import Changes, announce
from forms.values import Value
from store.areas import areas_of, save_figures
from store.database import open_database
from sync.officer import init_officer
from tests.desktop.conftest import OFFICER_PASSPHRASE
from tests.desktop.keyboard import type_text
from tests.desktop.test_genesis_drop import when_dialog

KOELN = Path(__file__).resolve().parents[3] / "shared" / "data" / "koeln"


def test_the_stadtbezirke_from_the_geojson_with_a_preview_then_figures_and_map(qtbot, tmp_path, fake_dialogs,
                                                                              officer_window):
    from desktop.areas_view import AreaImportDialog

    path = tmp_path / "rathaus.sqlite"
    init_officer(open_database(path), OFFICER_PASSPHRASE)
    window = officer_window(path)
    view = window.areas
    window.tabs.setCurrentWidget(view)
    assert "Noch keine Gebiete" in view.hint.text() and view.table.rowCount() == 0
    fake_dialogs.open_path = KOELN / "stadtbezirke.geojson"
    seen = {}

    def name_and_take(dialog: AreaImportDialog):
        assert "Bitte die Ebene benennen" in dialog.problem.text() and not dialog.apply_button.isEnabled()
        assert dialog.key.currentText() == "STB_NR" and dialog.name.currentText() == "STB_NAME"  # proposed
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        dialog.level.setFocus()
        qtbot.waitUntil(dialog.level.hasFocus)
        type_text("Stadtbezirk")
        seen["preview"] = [dialog.preview.item(r, 1).text() for r in range(dialog.preview.rowCount())]
        assert dialog.apply_button.isEnabled(), dialog.problem.text()
        dialog.apply_button.click()

    when_dialog(AreaImportDialog, name_and_take)
    view.import_button.click()
    assert len(seen["preview"]) == 9 and "Mülheim" in seen["preview"]
    assert fake_dialogs.informed[-1] == "9 Gebiete der Ebene „Stadtbezirk“ übernommen."
    db = open_database(path)
    keys = [a.key for a in areas_of(db, "stadtbezirk")]
    save_figures(db, "stadtbezirk", {(k, view.year.value(), c): Value(number=n) for i, k in enumerate(keys)
                                     for c, n in (("einwohner", 100000 + i * 1000), ("auslaender", 15000 + i * 900))},
                 "Test")
    view.group.setCurrentIndex(view.group.findData("auslaender"))
    view.refresh()
    assert view.table.rowCount() == 9 and view.table.item(0, 3).text() == "100.000"
    assert view.table.item(0, 4).text() == "15,0"
    assert "D = " in view.measures.text() and "9 Gebiete mit Zahlen" in view.measures.text()
    assert view.map.pixmap() is not None and not view.map.pixmap().isNull()


def test_the_report_tab_offers_a_profile_page_per_area(qtbot, tmp_path, fake_dialogs, officer_window):
    from store.areas import Area, ensure_level, save_areas
    from tests.desktop.modal import wait_for_operations

    path = tmp_path / "rathaus.sqlite"
    db = open_database(path)
    init_officer(db, OFFICER_PASSPHRASE)
    window = officer_window(path)
    assert window.report_view.profiles.count() == 1  # no areas yet: "keine" only
    ensure_level(db, "Stadtbezirk")
    save_areas(db, "stadtbezirk", [Area("stadtbezirk", "1", "Innenstadt"), Area("stadtbezirk", "9", "Mülheim")])
    save_figures(db, "stadtbezirk", {(k, 2024, c): Value(number=n) for k in ("1", "9")
                                     for c, n in (("einwohner", 90000), ("auslaender", 20000))}, "Test")
    announce(window.areas, Changes(registry=True))  # as the Gebiete tab does after taking areas
    view = window.report_view
    window.tabs.setCurrentWidget(view)
    view.year.setValue(2024)
    view.first_year.setValue(2024)
    assert [view.profiles.itemText(i) for i in range(view.profiles.count())] == ["keine", "Stadtbezirk"]
    view.profiles.setCurrentIndex(1)
    view.make_button.click()
    wait_for_operations(qtbot)
    assert [p.name for p in view.report.profiles] == ["Innenstadt", "Mülheim"]
    assert view.report.profiles[0].rows[1].area == "22,2"  # 20,000 of 90,000
