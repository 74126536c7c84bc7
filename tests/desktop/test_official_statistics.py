"""The officer enters the town's own figures (naturalisations) with their source, in the same entry view."""

from PySide6.QtCore import Qt

from desktop.main_window import MainWindow
from store.database import open_database
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, current_submission, load_values
from sync.officer import init_officer
from tests.desktop.keyboard import enter, tab, type_text


def test_naturalisations_with_their_source(qtbot, tmp_path, fake_dialogs):
    path = tmp_path / "rathaus.sqlite"
    db = open_database(path)
    init_officer(db, "Rathaus-Integration-2026")
    save_org_units(db, [OrgUnit(id="kita-1", kind="kita", name="Kita Am Park")])  # a registry without the town
    db.close()
    fake_dialogs.passphrase = "Rathaus-Integration-2026"
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    window.open_workspace()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    statistics = window.statistics
    window.tabs.setCurrentWidget(statistics)
    statistics.year.setValue(2024)
    titles = [statistics.list.item(i).text().split("\n")[0] for i in range(statistics.list.count())]
    assert len(titles) == 9 and "Einbürgerungen" in titles
    statistics.list.setCurrentRow(titles.index("Einbürgerungen"))
    statistics.list.setFocus()
    qtbot.waitUntil(statistics.list.hasFocus)
    enter()
    view = window.entry
    assert window.tabs.currentWidget() is view and view.export_button.isHidden()
    type_text("Einbürgerungsbehörde der Stadt, Jahresstatistik 2024")
    tab()
    type_text("212")
    tab()
    type_text("180")  # fewer long-term residents than naturalisations: a warning, not an error
    assert "⚠" in view.boxes["einbuergerungen"].messages.text()
    fake_dialogs.comment = "Sammelverfahren nach Rechtsänderung 2024"
    view.boxes["einbuergerungen"].comment_button.click()
    view.boxes["auslaender_8_jahre"].focus_editor()
    tab()
    type_text("2100")
    qtbot.mouseClick(view.finalise_button, Qt.MouseButton.LeftButton)
    assert view.state_label.text() == "Status: freigegeben", fake_dialogs.informed
    stored = current_submission(window.db, "stadt", "einbuergerung", 2024)
    assert stored.state is State.APPROVED
    values = load_values(window.db, stored.id)
    assert values[("quelle", "", "")].text.startswith("Einbürgerungsbehörde")
    assert values[("einbuergerungen", "", "")].number == 212
    assert "freigegeben" in statistics.list.item(titles.index("Einbürgerungen")).text()
