"""The officer enters the town's own figures (naturalisations) with their source, in the same entry view."""

from PySide6.QtCore import Qt

from store.database import open_database
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, current_submission, load_values
from sync.officer import init_officer
from tests.desktop.conftest import OFFICER_PASSPHRASE
from tests.desktop.keyboard import enter, tab, type_text


def test_naturalisations_with_their_source(qtbot, tmp_path, fake_dialogs, officer_window):
    path = tmp_path / "rathaus.sqlite"
    db = open_database(path)
    init_officer(db, OFFICER_PASSPHRASE)
    save_org_units(db, [OrgUnit(id="kita-1", kind="kita", name="Kita Am Park")])  # a registry without the town
    db.close()
    window = officer_window(path)
    statistics = window.statistics
    window.tabs.setCurrentWidget(statistics)
    statistics.year.setValue(2024)
    titles = [statistics.list.item(i).text().split("\n")[0] for i in range(statistics.list.count())]
    assert len(titles) == 10 and {"Einbürgerungen", "Amtliche Schulstatistik (IT.NRW)"} <= set(titles)
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


def test_population_by_bezirk_from_a_csv_through_the_statistics_tab(qtbot, tmp_path, fake_dialogs, officer_window):
    from desktop.statistics_import_dialog import StatisticsImportDialog
    from tests.desktop.modal import when_modal

    path = tmp_path / "rathaus.sqlite"
    db = open_database(path)
    init_officer(db, OFFICER_PASSPHRASE)
    db.close()
    csv = tmp_path / "melderegister.csv"
    csv.write_bytes("Jahr;Feld;Zeile;Spalte;Wert;Quelle\r\n"
                    "2023;Einwohner/innen nach Bezirk;Bezirk 1;insgesamt;5.210;Einwohnermelderegister\r\n"
                    "2023;Einwohner/innen nach Bezirk;Bezirk 1;Ausländer/innen;412;Einwohnermelderegister\r\n"
                    "2024;Einwohner/innen nach Bezirk;Bezirk 1;insgesamt;300;Einwohnermelderegister\r\n"
                    "2024;Einwohner/innen nach Bezirk;Bezirk 1;Ausländer/innen;412;Einwohnermelderegister\r\n"
                    .encode("cp1252"))
    window = officer_window(path)
    statistics = window.statistics
    titles = [statistics.list.item(i).text().split("\n")[0] for i in range(statistics.list.count())]
    statistics.list.setCurrentRow(titles.index("Bevölkerung (Einwohnermelderegister)"))
    fake_dialogs.open_path = csv
    seen = {}

    def act(dialog):
        assert isinstance(dialog, StatisticsImportDialog)
        assert dialog.combos["year"].currentText() == "Jahr" and dialog.combos["source"].currentText() == "Quelle"
        qtbot.waitUntil(lambda: dialog.years.rowCount() == 2)
        seen["years"] = [(dialog.years.item(r, 0).text(), dialog.years.item(r, 2).text()) for r in range(2)]
        seen["details"] = dialog.details.toPlainText()
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    when_modal(qtbot, act)
    qtbot.mouseClick(statistics.import_button, Qt.MouseButton.LeftButton)
    assert seen["years"] == [("2023", "wird übernommen"), ("2024", "wird NICHT übernommen")]
    assert "(412) ist größer als" in seen["details"]
    assert "Übernommen für: 2023" in fake_dialogs.informed[-1]
    stored = current_submission(window.db, "stadt", "bevoelkerung", 2023)
    assert load_values(window.db, stored.id)[("bevoelkerung_bezirk", "bezirk_01", "insgesamt")].number == 5210
    assert current_submission(window.db, "stadt", "bevoelkerung", 2024) is None


def test_a_second_source_beside_the_main_one_and_compared(qtbot, tmp_path, fake_dialogs, officer_window, monkeypatch):
    from desktop import dialogs
    from forms.catalog import latest_form
    from forms.values import Value
    from intake.statistics_import import ensure_town
    from store.submissions import create_draft, set_state, set_values

    path = tmp_path / "rathaus.sqlite"
    db = open_database(path)
    init_officer(db, OFFICER_PASSPHRASE)
    ensure_town(db)
    main = create_draft(db, "stadt", latest_form("einbuergerung"), 2024)
    set_values(db, main.id, {("quelle", "", ""): Value(text="Einbürgerungsbehörde"),
                             ("einbuergerungen", "", ""): Value(number=212)})
    set_state(db, main.id, State.APPROVED)
    db.close()
    asked, tables = [], []
    monkeypatch.setattr(dialogs, "ask_text", lambda parent, title, label, text="": asked.append(label) or "IT.NRW")
    monkeypatch.setattr(dialogs, "show_table", lambda parent, title, intro, headers, rows: tables.append(
        (intro, headers, rows)))
    window = officer_window(path)
    statistics = window.statistics
    window.tabs.setCurrentWidget(statistics)
    statistics.year.setValue(2024)
    titles = [statistics.list.item(i).text().split("\n")[0] for i in range(statistics.list.count())]
    statistics.list.setCurrentRow(titles.index("Einbürgerungen"))
    assert not statistics.compare_button.isEnabled()  # one source: nothing to compare yet
    qtbot.mouseClick(statistics.second_source_button, Qt.MouseButton.LeftButton)
    view = window.entry
    assert window.tabs.currentWidget() is view
    assert window.tabs.tabText(window.tabs.currentIndex()).endswith("(IT.NRW)")
    view.boxes["quelle"].focus_editor()
    type_text("IT.NRW, Einbürgerungsstatistik")
    tab()
    type_text("205")
    tab()
    assert view.session.submission.figure_source == "IT.NRW"
    # The main source is untouched; both are in the list.
    assert load_values(window.db, main.id)[("einbuergerungen", "", "")].number == 212
    titles = [statistics.list.item(i).text().split("\n")[0] for i in range(statistics.list.count())]
    assert "Einbürgerungen – weitere Quelle: IT.NRW" in titles
    window.tabs.setCurrentWidget(statistics)
    statistics.list.setCurrentRow(titles.index("Einbürgerungen"))
    assert statistics.compare_button.isEnabled()
    qtbot.mouseClick(statistics.compare_button, Qt.MouseButton.LeftButton)
    intro, headers, rows = tables[-1]
    assert headers == ["Angabe", "Hauptquelle (freigegeben)", "IT.NRW (in Bearbeitung)", "Unterschied"]
    assert ["Einbürgerungen im Kalenderjahr", "212", "205", "-7"] in rows
    assert "2 Angaben weichen ab" in intro  # the source text and the count
    # A name already kept is refused with a message, not a second copy.
    qtbot.mouseClick(statistics.second_source_button, Qt.MouseButton.LeftButton)
    assert "gibt es für dieses Jahr schon" in fake_dialogs.errors[-1]
