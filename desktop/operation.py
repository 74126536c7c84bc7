"""Running what the user asked for: long work on a worker thread behind a window-modal progress dialog, short
actions right away; either way errors are shown in one place and the views hear what changed.

    Operation(self, _("Meldungen werden eingelesen …"), work, Changes(submissions=True)).success(show).run()

`work(progress, cancelled)` is a plain function (no Qt): `progress(n, text)` reports, `cancelled()` asks. run()
returns at once; the success callback runs on the GUI thread when the work is done. There is no nested event
loop: the modal dialog is what keeps the window from taking input meanwhile. That matters, because the work
shares the window's database connection, and a value saved during an import's dry run would join its
transaction and be rolled back with it."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget
from shiboken6 import isValid

from common.errors import UserError
from common.i18n import _
from desktop import dialogs
from desktop.changes import NOTHING, Changes, announce
from desktop.plain import plain_label

Work = Callable[[Callable[[int, str], None], Callable[[], bool]], Any]  # work(progress, cancelled) -> result

_running: set[Operation] = set()  # keeps each running operation alive until its callbacks have run


def running() -> bool:
    """Whether an operation is still at work; tests wait for this to turn False."""
    return bool(_running)


class _Job(QObject):
    progressed = Signal(int, str)
    done = Signal()

    def __init__(self, work: Callable[..., Any]):
        super().__init__()
        self.work, self.result, self.error, self.cancel = work, None, None, False

    @Slot()
    def run(self) -> None:
        try:
            self.result = self.work(self.progressed.emit, lambda: self.cancel)
        except Exception as exc:  # handed to the GUI thread, which shows it in the one place for errors
            self.error = exc
        self.done.emit()


class _ProgressDialog(QProgressDialog):
    """Stays open until the work has really stopped: Cancel, Escape and closing the dialog only ask it to stop.
    A dialog that closed at once would give the window back while the work still holds the database."""

    def __init__(self, title: str, total: int, parent: QWidget | None):
        super().__init__(title, _("Abbrechen"), 0, total, parent)
        self.setObjectName("operation_progress")
        # The progress names the file or institution at hand: data, shown as written.
        self.setLabel(plain_label(title, "operation_label"))
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.canceled.disconnect(self.cancel)
        self.canceled.connect(self._asked_to_stop)

    def _asked_to_stop(self) -> None:
        # The greyed button says the request was heard; the work stops at its next look at cancelled().
        for button in self.findChildren(QPushButton):
            button.setEnabled(False)

    def reject(self) -> None:
        self.canceled.emit()

    def closeEvent(self, event) -> None:
        event.ignore()
        self.canceled.emit()


class Operation(QObject):
    def __init__(self, parent: QWidget, title: str, work: Work,
                 changes: Changes | Callable[[Any], Changes] = NOTHING, total: int = 0):
        super().__init__()
        self.parent_widget, self.title, self.changes, self.total = parent, title, changes, total
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[Exception], None] | None = None
        self.job, self.thread = _Job(work), QThread()
        self.dialog: _ProgressDialog | None = None
        self.focus: QWidget | None = None

    def success(self, callback: Callable[[Any], None]) -> Operation:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[Exception], None]) -> Operation:
        """Instead of the error message: for a caller that shows the problem in place."""
        self._on_failure = callback
        return self

    def run(self) -> None:
        # A table cell still being edited is committed when its editor loses the focus. Losing it to the progress
        # dialog would commit it with the work already running in its transaction: commit it now, before.
        self.focus = QApplication.focusWidget()
        if self.focus is not None:
            self.focus.clearFocus()
        self.dialog = _ProgressDialog(self.title, self.total, self.parent_widget)
        self.job.moveToThread(self.thread)
        self.dialog.canceled.connect(self._cancel)
        self.job.progressed.connect(self._progress)  # queued: widgets may only be touched on the GUI thread
        self.job.done.connect(self._done)
        self.thread.started.connect(self.job.run)
        _running.add(self)
        self.dialog.show()
        self.thread.start()

    @Slot()
    def _cancel(self) -> None:
        self.job.cancel = True

    @Slot(int, str)
    def _progress(self, n: int, text: str) -> None:
        if self.job.cancel:
            return
        self.dialog.setValue(min(n, self.total) if self.total else 0)
        self.dialog.setLabelText(text)

    @Slot()
    def _done(self) -> None:
        self.thread.quit()
        self.thread.wait()
        self.dialog.hide()
        self.dialog.deleteLater()
        _running.discard(self)
        if self.focus is not None and isValid(self.focus) and self.focus.isVisible():
            self.focus.setFocus()  # where the user was, for the keyboard
        error, result = self.job.error, self.job.result
        if error is not None:
            if self._on_failure is not None:
                self._on_failure(error)
            else:
                dialogs.show_error(self.parent_widget, error)
            return
        announce(self.parent_widget, self.changes(result) if callable(self.changes) else self.changes)
        if self._on_success is not None:
            self._on_success(result)


def shows_errors(method: Callable[..., Any] | None = None, *, failed: Any = None,
                 show: Callable[[Any, UserError], None] | None = None):
    """For a short action, a widget's method: a UserError raised in it is shown in the one place for errors (or
    by `show(widget, error)`, for a view that says it in place) and the method returns `failed`. Extra arguments a
    Qt signal passes (clicked's `checked`) are dropped."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        params = list(inspect.signature(fn).parameters.values())[1:]
        takes_all = any(p.kind is p.VAR_POSITIONAL for p in params)
        positional = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)

        @functools.wraps(fn)
        def wrapper(self, *args, **kwargs):
            try:
                return fn(self, *(args if takes_all else args[:positional]), **kwargs)
            except UserError as exc:
                (show or dialogs.show_error)(self, exc)
                return failed

        return wrapper

    return wrap(method) if method is not None else wrap
