"""Long work as an operation: behind a window-modal progress dialog, with cancel, errors in the one place, and the
views refreshing themselves from what the operation says it changed.

While an import runs, nothing typed into the window may be lost: the dry run rolls back its transaction, and a
value saved meanwhile on the same database would vanish with it. The officer's clicks and keys go through the
window system here (QTest on the QWindow), the path that honours a modal dialog, as a person's would."""

import shutil
import threading

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

import sync.transports
from desktop import dialogs
from store.submissions import current_submission, load_values
from sync.officer import exchange_folders
from tests.desktop.conftest import officer_with_kita_file
from tests.desktop.keyboard import click_and_type_through_window, enter, type_text
from tests.desktop.modal import wait_for_operations
from tests.sync.exchange_helpers import KITA, OFFICER_PASSPHRASE

YEAR = 2024
SHOW_ERROR = dialogs.show_error  # taken before the tests' stand-in replaces it


def town(tmp_path):
    """The officer's database and one sealed Kita file waiting in the inbox."""
    path, sent = officer_with_kita_file(tmp_path, "Kita.imon")
    inbox = exchange_folders(path).inbox
    inbox.mkdir(parents=True)
    shutil.copy(sent, inbox / sent.name)
    return path


class HeldInbox(sync.transports.FolderInbox):
    """Stops inside the import's transaction, after its first file, until the test lets it go on."""

    inside = threading.Event()
    release = threading.Event()

    def fetch(self):
        for item in super().fetch():
            yield item
            HeldInbox.inside.set()
            HeldInbox.release.wait(20)


def open_town_form(qtbot, window, title: str):
    """The town's form of the year, opened from the statistics list with Enter."""
    statistics = window.statistics
    statistics.year.setValue(YEAR)
    titles = [statistics.list.item(i).text().split("\n")[0] for i in range(statistics.list.count())]
    statistics.list.setCurrentRow(titles.index(title))
    statistics.list.setFocus()
    qtbot.waitUntil(statistics.list.hasFocus)
    enter()
    return window.entry


def test_a_value_typed_during_the_dry_run_is_refused_or_kept(qtbot, tmp_path, fake_dialogs, officer_window,
                                                            monkeypatch):
    HeldInbox.inside.clear()
    HeldInbox.release.clear()
    monkeypatch.setattr(sync.transports, "FolderInbox", HeldInbox)
    fake_dialogs.passphrase = OFFICER_PASSPHRASE
    window = officer_window(town(tmp_path))
    window.resize(1280, 800)
    view = open_town_form(qtbot, window, "Einbürgerungen")
    field = view.boxes["einbuergerungen"].edit
    panel = window.officer
    assert panel.dry_run.isChecked()
    typed = {}

    def type_while_held():
        if not HeldInbox.inside.is_set():
            QTimer.singleShot(10, type_while_held)
            return
        try:
            click_and_type_through_window(window, field, "77")
            QTest.qWait(50)
            typed["text"] = field.text()
        finally:
            HeldInbox.release.set()

    QTimer.singleShot(0, type_while_held)
    panel.inbox_button.click()  # the user's click on the button in the other tab: the result is the same
    qtbot.waitUntil(lambda: panel.summary.text() != "", timeout=20000)
    qtbot.waitUntil(lambda: "text" in typed)
    assert panel.summary.text().startswith("Probelauf")
    stored = current_submission(window.db, "stadt", "einbuergerung", YEAR)
    kept = load_values(window.db, stored.id).get(("einbuergerungen", "", "")) if stored else None
    # Either the window refused the keys, or what it took is still there after the rollback.
    assert typed["text"] != "77" or (kept is not None and kept.number == 77), \
        f"the field shows {typed['text']!r}, the database holds {kept}"
    assert current_submission(window.db, KITA.id, "kita", YEAR) is None  # the dry run stored nothing


def test_an_operation_failing_with_a_user_error_says_so_and_gives_the_window_back(qtbot, tmp_path, fake_dialogs,
                                                                                  officer_window, monkeypatch):
    import reports.report_builder
    import reports.report_files  # noqa: F401  (imported first: it takes build_report by name, and would keep the stand-in)
    from common.errors import UserError

    def refused(*args):
        raise UserError("Für 2024 gibt es noch keine freigegebenen Meldungen.")

    monkeypatch.setattr(reports.report_builder, "build_report", refused)
    window = officer_window(town(tmp_path))
    report = window.report_view
    window.tabs.setCurrentWidget(report)
    qtbot.mouseClick(report.make_button, Qt.MouseButton.LeftButton)
    wait_for_operations(qtbot)
    assert fake_dialogs.errors == ["Für 2024 gibt es noch keine freigegebenen Meldungen."]
    assert report.chapters.count() == 0 and not report.pdf_button.isEnabled()
    assert QApplication.activeModalWidget() is None
    click_and_type_through_window(window, report.year, "")  # the window takes clicks and keys again
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    for char in "2023":
        QTest.keyClick(window.windowHandle(), ord(char))
    assert report.year.value() == 2023


def test_an_unexpected_error_is_shown_in_german_and_nothing_crashes(qtbot, tmp_path, fake_dialogs, officer_window,
                                                                    monkeypatch):
    import reports.report_builder
    import reports.report_files  # noqa: F401  (imported first: it takes build_report by name, and would keep the stand-in)

    shown = []
    monkeypatch.setattr(reports.report_builder, "build_report", lambda *args: 1 / 0)
    monkeypatch.setattr(dialogs, "show_error", SHOW_ERROR)  # the real one place for errors, not the test's stand-in
    monkeypatch.setattr(dialogs, "warn", lambda parent, message: shown.append(message))
    window = officer_window(town(tmp_path))
    qtbot.mouseClick(window.report_view.make_button, Qt.MouseButton.LeftButton)
    wait_for_operations(qtbot)
    assert len(shown) == 1 and shown[0].startswith("Ein unerwarteter Fehler ist aufgetreten (ZeroDivisionError)")


def test_cancel_stops_a_long_operation(qtbot, tmp_path, fake_dialogs, officer_window, monkeypatch):
    import time

    import sync.excel_form
    from tests.desktop.test_excel_forms_gui import YEAR as EXCEL_YEAR
    from tests.desktop.test_excel_forms_gui import town as excel_town

    real = sync.excel_form.write_excel_form

    def slow(*args, **kwargs):
        time.sleep(0.3)  # a workbook on a slow network drive
        return real(*args, **kwargs)

    monkeypatch.setattr(sync.excel_form, "write_excel_form", slow)
    target = tmp_path / "Excel-Formulare"
    monkeypatch.setattr(dialogs, "ask_folder", lambda parent, title, folder: target)
    window = officer_window(excel_town(tmp_path))
    overview = window.overview
    window.tabs.setCurrentWidget(overview)
    overview.year.setValue(EXCEL_YEAR)
    qtbot.mouseClick(overview.excel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists() and any(target.iterdir()))  # the first workbook is written
    progress = QApplication.activeModalWidget()
    assert isinstance(progress, QProgressDialog)
    assert progress.windowModality() is Qt.WindowModality.WindowModal and progress.window() is not window
    cancel = next(b for b in progress.findChildren(QPushButton) if b.text() == "Abbrechen")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert progress.isVisible()  # until the work has really stopped: the window stays blocked meanwhile
    wait_for_operations(qtbot)
    assert QApplication.activeModalWidget() is None
    written = list(target.iterdir())
    assert 1 <= len(written) < 3
    assert "Abgebrochen: für" in fake_dialogs.informed[-1]


def test_the_year_overview_shows_an_import_without_being_told(qtbot, tmp_path, fake_dialogs, officer_window):
    window = officer_window(town(tmp_path))
    overview, panel = window.overview, window.officer
    overview.year.setValue(YEAR)

    def kita_received() -> str:
        row = next(r for r in range(overview.summary.rowCount()) if "Kinder" in overview.summary.item(r, 0).text())
        return overview.summary.item(row, 2).text()

    assert kita_received() == "0"
    window.tabs.setCurrentWidget(panel)
    panel.dry_run.setChecked(False)
    qtbot.mouseClick(panel.inbox_button, Qt.MouseButton.LeftButton)
    wait_for_operations(qtbot)
    assert panel.summary.text().startswith("Eingelesen: 1 importiert")
    assert kita_received() == "1"  # nobody called overview.refresh(): the import said what it changed


def test_a_cell_still_being_edited_when_the_import_starts_is_kept(qtbot, tmp_path, fake_dialogs, officer_window,
                                                                  monkeypatch):
    HeldInbox.inside.clear()
    HeldInbox.release.clear()
    monkeypatch.setattr(sync.transports, "FolderInbox", HeldInbox)
    window = officer_window(town(tmp_path))
    grid = open_town_form(qtbot, window, "Bevölkerung (Einwohnermelderegister)").boxes["bevoelkerung_alter"].table
    grid.setFocus()
    qtbot.waitUntil(grid.hasFocus)
    grid.setCurrentCell(0, 0)
    type_text("512")  # the cell's editor is open; no Enter yet
    assert grid.state() is grid.State.EditingState
    window.officer.inbox_button.click()  # by its shortcut, say: the focus stays in the cell
    qtbot.waitUntil(HeldInbox.inside.is_set)
    QTest.qWait(200)  # the window hands the focus to the progress dialog meanwhile
    HeldInbox.release.set()
    wait_for_operations(qtbot)
    stored = current_submission(window.db, "stadt", "bevoelkerung", YEAR)
    assert 512 in [v.number for v in load_values(window.db, stored.id).values()]
