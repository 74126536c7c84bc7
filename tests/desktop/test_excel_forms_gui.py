"""The officer makes Excel forms for every missing institution from the year overview, takes a filled one in on the
"Austausch" tab, and sees it in the review marked "Excel, nicht signiert". Real widgets on a real officer database;
only the modal dialogs are answered by the test."""

import argparse

import openpyxl
from PySide6.QtCore import Qt

from cli import excel_forms as cli_excel
from desktop import dialogs
from forms.catalog import form_for
from store.database import open_database
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_draft, current_submission, load_values, set_state
from sync.excel_form import SHEET_ID, write_excel_form
from sync.officer import exchange_folders
from tests.desktop.modal import wait_for_operations
from tests.sync.exchange_helpers import KITA, SCHOOL, officer_db
from tests.sync.test_excel_form import KITA_INPUT, KITA_NOTES, KITA_VALUES, fill

YEAR = 2024
JUGENDTREFF = OrgUnit(id="jt-sued", kind="jugendtreff", name="Jugendtreff Süd")
GYMNASIUM = OrgUnit(id="100002", kind="schule", name="Städtisches Gymnasium", attributes={"schulform": "Gymnasium"})


def town(tmp_path):
    """The officer's database: a Kita, a Grundschule and a youth centre missing, the Gymnasium has sent."""
    db, _keys = officer_db(tmp_path)
    save_org_units(db, [JUGENDTREFF, GYMNASIUM])
    sent = create_draft(db, GYMNASIUM.id, form_for("schule", YEAR), YEAR)
    set_state(db, sent.id, State.RECEIVED)
    db.close()
    return tmp_path / "rathaus.sqlite"


def show_tab(qtbot, window, page):
    bar = window.tabs.tabBar()
    qtbot.waitUntil(bar.isVisible)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(window.tabs.indexOf(page)).center())
    qtbot.waitUntil(page.isVisible)


def click(qtbot, button):
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_for_operations(qtbot)


def test_excel_forms_for_all_missing_institutions(qtbot, tmp_path, fake_dialogs, officer_window, monkeypatch):
    window = officer_window(town(tmp_path))
    overview = window.overview
    show_tab(qtbot, window, overview)
    overview.year.setValue(YEAR)
    asked = []
    target = tmp_path / "Excel-Formulare"

    def ask_folder(parent, title, folder):
        asked.append(title)
        return target

    monkeypatch.setattr(dialogs, "ask_folder", ask_folder)
    assert overview.excel_button.text() == "E&xcel-Formulare für alle fehlenden erstellen…"
    click(qtbot, overview.excel_button)
    assert not fake_dialogs.errors
    assert asked == ["Ordner für die Excel-Formulare wählen"]
    assert sorted(p.name for p in target.iterdir()) == [
        "Grundschule Am Bach (100001) – Schule Schuljahr 2024-25.xlsx",
        "Jugendtreff Süd (jt-sued) – Jugendtreff - Jugendzentrum 2024.xlsx",
        "Kita Löwenzahn (kita-07) – Kindertageseinrichtung 2024.xlsx"]
    assert fake_dialogs.informed[-1].startswith(f"3 Excel-Formulare für 2024 gespeichert in:\n{target}")
    for path in target.iterdir():
        ids = {r[0].value: r[1].value for r in openpyxl.load_workbook(path)[SHEET_ID].iter_rows(max_col=2)}
        assert ids["jahr"] == "2024" and ids["einrichtung"] in path.name

    monkeypatch.setattr(dialogs, "ask_folder", lambda parent, title, folder: None)  # the officer cancels
    informed = len(fake_dialogs.informed)
    click(qtbot, overview.excel_button)
    assert len(fake_dialogs.informed) == informed and len(list(target.iterdir())) == 3


def test_a_filled_excel_form_is_imported_and_reviewed_as_unsigned(qtbot, tmp_path, fake_dialogs, officer_window,
                                                                  monkeypatch):
    path = town(tmp_path)
    db = open_database(path)
    blank = write_excel_form(db, KITA.id, form_for("kita", YEAR), YEAR, tmp_path / "Formulare")
    db.close()
    filled = fill(blank, tmp_path / "Kita Löwenzahn 2024.xlsx", KITA_INPUT, KITA_NOTES)
    monkeypatch.setattr(dialogs, "ask_open_paths", lambda parent, title, folder, flt: [filled])
    window = officer_window(path)
    panel = window.officer
    show_tab(qtbot, window, panel)
    assert panel.dry_run.isChecked()

    click(qtbot, panel.choose_button)
    assert panel.summary.text().startswith("Probelauf, noch nichts gespeichert: 1 importiert")
    details = panel.results.item(0, 2).text()
    assert panel.results.item(0, 1).text() == "importiert"
    assert "⚠ Excel, nicht signiert: bitte die Angaben vor der Freigabe besonders prüfen" in details
    assert "Pädagogisches Personal insgesamt: – → 9" in details
    assert current_submission(window.db, KITA.id, "kita", YEAR) is None

    click(qtbot, panel.commit_button)
    assert panel.summary.text().startswith("Eingelesen: 1 importiert")
    stored = current_submission(window.db, KITA.id, "kita", YEAR)
    assert (stored.state, stored.source) == (State.RECEIVED, "excel")  # waits for the officer, never approved
    assert load_values(window.db, stored.id) == KITA_VALUES
    assert (exchange_folders(path).archive / filled.name).exists()
    assert not exchange_folders(path).outbox.exists()  # no receipt: there is no app on the other side to read it

    overview = window.overview
    show_tab(qtbot, window, overview)
    overview.year.setValue(YEAR)
    titles = [overview.summary.item(r, 0).text() for r in range(overview.summary.rowCount())]
    overview.summary.setCurrentCell(titles.index("Kindertageseinrichtung"), 0)
    names = [overview.entries.item(r, 0).text() for r in range(overview.entries.rowCount())]
    overview.entries.setCurrentCell(names.index(KITA.name), 0)
    click(qtbot, overview.open_button)
    review = window.review
    assert window.tabs.currentWidget() is review
    heading = review.heading.text()
    assert review.name_label.text() == "Kita Löwenzahn" and "Fassung 1" in heading
    assert "Stand: eingegangen" in heading
    assert review.source_badge.isVisible() and review.source_badge.text() == "Excel, nicht signiert"
    rows = {review.values.item(r, 0).text(): (review.values.item(r, 1).text(), review.values.item(r, 3).text())
            for r in range(review.values.rowCount())}
    assert rows["Pädagogisches Personal insgesamt"] == ("9", "eine Stelle ist seit Januar unbesetzt")
    assert review.approve_button.isEnabled()
    assert not fake_dialogs.errors


def test_command_line_writes_the_missing_forms(tmp_path, capsys):
    path = town(tmp_path)
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command")
    cli_excel.add_parsers(commands)
    out = tmp_path / "Formulare"
    args = parser.parse_args(["excel-forms", "--db", str(path), "--year", "2024", "--form", "kita", "--out", str(out)])
    assert cli_excel.run(args) == 0
    assert [p.name for p in out.iterdir()] == ["Kita Löwenzahn (kita-07) – Kindertageseinrichtung 2024.xlsx"]
    assert capsys.readouterr().out.endswith("1 Excel-Formular erstellt.\n")
    args = parser.parse_args(["excel-forms", "--db", str(path), "--year", "2024", "--institution", SCHOOL.id,
                              "--out", str(out)])
    assert cli_excel.run(args) == 0
    assert len(list(out.iterdir())) == 2
    assert cli_excel.run(argparse.Namespace(command="report")) is None


def test_an_institution_with_a_key_gets_no_workbook_and_the_officer_is_told(qtbot, tmp_path, fake_dialogs,
                                                                           officer_window, monkeypatch):
    from store.keys import replace_key

    path = town(tmp_path)
    db = open_database(path)
    replace_key(db, KITA.id, "ab" * 32)  # the Kita opened its setup file: it reports signed
    db.close()
    window = officer_window(path)
    show_tab(qtbot, window, window.overview)
    window.overview.year.setValue(YEAR)
    target = tmp_path / "Excel-Formulare"
    monkeypatch.setattr(dialogs, "ask_folder", lambda parent, title, folder: target)
    click(qtbot, window.overview.excel_button)
    assert not any(KITA.id in p.name for p in target.iterdir())
    assert len(list(target.iterdir())) == 2
    assert "weil sie mit dem Programm unterschrieben melden (bitte an die Meldung erinnern): Kita Löwenzahn" in (
        fake_dialogs.informed[-1])
