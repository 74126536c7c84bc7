"""Acting on a modal dialog from a test: exec() blocks until the dialog closes."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def when_modal(qtbot, act, kind=None):
    """Runs `act(dialog)` once a modal dialog is open (of `kind`, where given: a dialog may open another one over
    itself): exec() blocks the test until the dialog closes. A failing check closes the dialog, so that the test
    fails instead of waiting for ever."""

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None or (kind is not None and not isinstance(dialog, kind)):
            QTimer.singleShot(20, poll)
            return
        try:
            act(dialog)
        except BaseException:
            dialog.reject()
            raise

    QTimer.singleShot(0, poll)


def wait_for_operations(qtbot, timeout: int = 60000) -> None:
    """Waits until the operations started by the last click have finished and their callbacks have run: an
    operation's click returns at once, its work goes on behind the modal progress dialog."""
    from desktop import operation

    qtbot.waitUntil(lambda: not operation.running(), timeout=timeout)
