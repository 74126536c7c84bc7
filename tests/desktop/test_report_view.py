"""The officer makes the report of the demo town in the report tab, looks through it and saves it."""

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableWidget

from demo.town import build_demo
from desktop import dialogs
from store.database import open_database
from tests.desktop.modal import wait_for_operations


@pytest.fixture
def report_tab(qtbot, tmp_path, officer_window):
    path = tmp_path / "demo.sqlite"
    db = open_database(path)
    build_demo(db, seed=1)
    db.close()
    window = officer_window(path)
    view = window.report_view
    window.tabs.setCurrentWidget(view)
    view.year.setValue(2024)
    view.first_year.setValue(2020)
    yield view
    window.close()  # also keeps the window alive while the test runs


def make(qtbot, view) -> None:
    qtbot.mouseClick(view.make_button, Qt.MouseButton.LeftButton)
    wait_for_operations(qtbot)
    assert view.chapters.count() > 0


def test_the_report_is_made_and_read_chapter_by_chapter(qtbot, report_tab):
    view = report_tab
    assert not view.pdf_button.isEnabled()  # nothing to save before a report exists
    make(qtbot, view)
    titles = [view.chapters.item(i).text() for i in range(view.chapters.count())]
    assert titles[0] == "Wichtige Kennzahlen" and titles[-1] == "Methoden" and "Schulen" in titles
    assert "SYNTHETISCHE DATEN" in view.status.text()
    view.chapters.setCurrentRow(titles.index("Schulen"))
    tables = view.content.findChildren(QTableWidget)
    charts = [w for w in view.content.findChildren(QLabel) if w.objectName() == "chart"]
    assert len(tables) >= 5 and len(charts) >= 3
    assert all(not c.pixmap().isNull() for c in charts)
    series = next(t for t in tables if t.objectName() == "table_schule_zwg_zeitreihe")
    assert [series.item(r, 0).text() for r in range(series.rowCount())] == [str(y) for y in range(2020, 2025)]
    # Changing an option makes the shown report stale: it cannot be saved until it is made again.
    view.variant.setCurrentIndex(1)
    assert "neu erstellen" in view.status.text() and not view.pdf_button.isEnabled()
    assert view.chapters.count() == 0


def test_the_publishable_report_is_saved_as_pdf_workbook_and_csv(qtbot, report_tab, fake_dialogs, tmp_path,
                                                                  monkeypatch):
    view = report_tab
    view.variant.setCurrentIndex(view.variant.findData("veroeffentlichbar"))
    make(qtbot, view)
    fake_dialogs.save_path = tmp_path / "Bericht"  # typed without an ending: the right one is added
    qtbot.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    wait_for_operations(qtbot)
    pdf = tmp_path / "Bericht.pdf"
    assert pdf.exists() and "Gespeichert" in fake_dialogs.informed[-1]
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages[:3])
    assert "Statistischer Integrationsbericht" in text and "veröffentlichbar" in text
    fake_dialogs.save_path = tmp_path / "Bericht.xlsx"
    qtbot.mouseClick(view.xlsx_button, Qt.MouseButton.LeftButton)
    wait_for_operations(qtbot)
    book = openpyxl.load_workbook(tmp_path / "Bericht.xlsx")
    assert "Schulen" in book.sheetnames and "Methoden" in book.sheetnames
    folder = tmp_path / "csv"
    monkeypatch.setattr(dialogs, "ask_folder", lambda parent, title, start: folder)
    qtbot.mouseClick(view.csv_button, Qt.MouseButton.LeftButton)
    wait_for_operations(qtbot)
    written = list(folder.glob("*.csv"))
    assert len(written) > 20 and all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in written)
