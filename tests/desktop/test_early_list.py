"""The holder's forms are listed from a read-only look before the data is fully open; the list is the real one,
and Enter on it right away opens the form."""

from PySide6.QtCore import Qt

from tests.desktop.conftest import VEREIN


def test_enter_on_the_early_list_opens_the_form(qtbot, open_window):
    window = open_window(VEREIN, opened=False)
    assert window.list_early()
    assert window.db is None  # nothing is open for writing yet
    first = window.form_list.item(0).text()
    assert VEREIN.name in window.institution_label.text() and "leer" in first
    qtbot.waitUntil(window.form_list.hasFocus)
    qtbot.keyClick(window.form_list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entry is not None)
    assert window.db is not None
    assert window.entry.session.form.period_label(window.entry.session.submission.year) in first
    assert window.open_workspace() is window and window.form_list.item(0).text() == first  # the timer's turn


def test_a_new_workspace_is_not_listed_early(open_window):
    window = open_window(None, opened=False)
    assert not window.list_early()
    assert window.form_list.count() == 0
