"""An institution's name is data: it comes from a registry list, a profile or a setup file. Markup in it must be
shown as written and never interpreted (an <img src> would load a local file, a long <a> could push the
submission's source out of view). Every window that shows the name is opened and its labels are checked."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from common.errors import UserError
from desktop import dialogs
from forms.catalog import form_for
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_draft, set_state
from tests.desktop.modal import when_modal

EVIL = '<img src="/etc/passwd"><a href="x">Kita</a> <b>fett</b>'


def labels_showing(window: QWidget, text: str) -> list[QLabel]:
    return [label for label in window.findChildren(QLabel) if text in label.text()]


def assert_markup_shown_as_written(window: QWidget) -> None:
    """Every label with the name's markup in it shows it as text; and the name is shown somewhere at all."""
    shown = labels_showing(window, "<img")
    interpreted = [label.text() for label in shown if label.textFormat() != Qt.TextFormat.PlainText]
    assert not interpreted, interpreted
    escaped = [label for label in labels_showing(window, "&lt;img") if label.textFormat() == Qt.TextFormat.RichText]
    assert shown or escaped, "the name is not shown at all"
    tips = [w.toolTip() for w in window.findChildren(QWidget) if "<img" in w.toolTip()]
    assert not tips, tips


def click_item(qtbot, form_list, row: int) -> None:
    item = form_list.item(row)
    form_list.scrollToItem(item)
    qtbot.mouseClick(form_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=form_list.visualItemRect(item).center())


def test_the_holders_window_entry_view_and_visitor_log_show_markup_as_written(qtbot, open_window):
    window = open_window(OrgUnit(id="jt-evil", kind="jugendtreff", name=EVIL))
    assert_markup_shown_as_written(window)  # the institution label
    assert window.form_list.count() > 1
    assert window.form_list.item(0).data(Qt.ItemDataRole.UserRole) == "visitor_log"

    click_item(qtbot, window.form_list, 1)
    assert window.entry is not None
    assert labels_showing(window.entry, "<img")  # the subheading names the institution
    assert_markup_shown_as_written(window.entry)

    click_item(qtbot, window.form_list, 0)
    assert window.page is not None and window.entry is None  # the visitor log
    assert labels_showing(window.page, "<img")  # the title names the institution
    assert_markup_shown_as_written(window.page)
    assert_markup_shown_as_written(window)


@pytest.fixture
def evil_officer(tmp_path, officer_window):
    from tests.sync.exchange_helpers import officer_db

    db, _keys = officer_db(tmp_path)
    evil = OrgUnit(id="kita-99", kind="kita", name=EVIL)
    save_org_units(db, [evil])
    set_state(db, create_draft(db, evil.id, form_for("kita", 2024), 2024).id, State.RECEIVED)
    db.close()
    return officer_window(tmp_path / "rathaus.sqlite")


def open_review(qtbot, window, unit_id: str, name: str = EVIL) -> None:
    overview = window.overview
    window.tabs.setCurrentWidget(overview)
    overview.year.setValue(2024)
    overview.summary.setCurrentCell(next(r for r in range(overview.summary.rowCount())
                                         if overview.summary.item(r, 0).text() == "Kindertageseinrichtung"), 0)
    overview.entries.setCurrentCell(next(r for r in range(overview.entries.rowCount())
                                         if overview.entries.item(r, 1).text() == unit_id), 0)
    assert overview.entries.item(overview.entries.currentRow(), 0).text() == name  # a table item is plain
    qtbot.mouseClick(overview.open_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.review


def test_the_officers_review_and_registry_show_markup_as_written(qtbot, evil_officer):
    window = evil_officer
    open_review(qtbot, window, "kita-99")
    assert_markup_shown_as_written(window.review)
    window.tabs.setCurrentWidget(window.registry)
    assert_markup_shown_as_written(window)
    model = window.registry.table.model()  # a cell's tooltip repeats its text: Qt guesses rich text there
    tips = [model.index(r, c).data(Qt.ItemDataRole.ToolTipRole) for r in range(model.rowCount())
            for c in range(model.columnCount())]
    assert any(tip and "&lt;img" in tip for tip in tips)
    assert not [tip for tip in tips if tip and "<img" in tip]


@pytest.mark.parametrize("show", [
    lambda: dialogs.inform(None, EVIL),
    lambda: dialogs.show_error(None, UserError(EVIL)),
    lambda: dialogs.confirm(None, EVIL),
], ids=["inform", "show_error", "confirm"])
def test_message_boxes_show_markup_as_written(qtbot, show):
    seen = []

    def act(box):
        assert isinstance(box, QMessageBox)
        seen.append((box.text(), box.textFormat()))
        box.reject()

    when_modal(qtbot, act)
    show()
    assert seen == [(EVIL, Qt.TextFormat.PlainText)]


@pytest.mark.parametrize(("button", "answer"), [(QMessageBox.StandardButton.Yes, True),
                                                (QMessageBox.StandardButton.No, False)])
def test_confirm_answers_what_was_clicked(qtbot, button, answer):
    when_modal(qtbot, lambda box: qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton))
    assert dialogs.confirm(None, EVIL) is answer


def test_an_input_dialog_shows_a_label_with_markup_as_written(qtbot):
    seen = []

    def act(dialog):
        seen.extend((label.text(), label.textFormat()) for label in dialog.findChildren(QLabel) if label.text())
        dialog.accept()

    when_modal(qtbot, act)
    assert dialogs.ask_text(None, "Titel", EVIL, "Wert") == "Wert"
    assert seen == [(EVIL, Qt.TextFormat.PlainText)]


def test_the_progress_of_an_operation_shows_a_name_with_markup_as_written(qtbot):
    """An import names each file as it goes: a file name is data too."""
    import threading

    from PySide6.QtWidgets import QProgressDialog

    from desktop.operation import Operation
    from tests.desktop.modal import wait_for_operations

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    qtbot.waitExposed(parent)
    release = threading.Event()

    def work(progress, cancelled):
        progress(1, EVIL)
        release.wait(10)

    Operation(parent, "Dateien werden eingelesen …", work, total=2).run()
    try:
        dialog = parent.findChild(QProgressDialog)
        qtbot.waitUntil(lambda: bool(labels_showing(dialog, "<img")))
        assert [label.textFormat() for label in labels_showing(dialog, "<img")] == [Qt.TextFormat.PlainText]
    finally:
        release.set()
        wait_for_operations(qtbot)


def test_an_import_of_a_file_named_with_markup_shows_only_plain_labels(qtbot, tmp_path, fake_dialogs):
    """The file name comes from whoever sent the file. The inbox cleans it already; after the import every label
    of the officer's window (the summary, the progress that named the file) is plain or listed."""
    import shutil

    from sync.officer import exchange_folders
    from tests.desktop.conftest import officer_with_kita_file
    from tests.desktop.test_officer_inbox import click, open_exchange_tab, table
    from tests.desktop.test_plain_labels import assert_all_plain
    from tests.sync.exchange_helpers import OFFICER_PASSPHRASE

    path, sent = officer_with_kita_file(tmp_path, "Kita.imon")
    inbox = exchange_folders(path).inbox
    inbox.mkdir(parents=True)
    shutil.copy(sent, inbox / '<img src="passwd.png"><b>Kita.imon')  # a file name holds no "/"
    fake_dialogs.passphrase = OFFICER_PASSPHRASE
    window, panel = open_exchange_tab(qtbot, path)
    click(qtbot, panel.inbox_button)
    assert not fake_dialogs.errors
    assert [outcome for outcome, _details in table(panel).values()] == ["importiert"]
    assert_all_plain(window)
