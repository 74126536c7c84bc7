"""Long work (an import, a report) on a worker thread, with a progress dialog that can cancel it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from common.i18n import _


class _Job(QObject):
    progressed = Signal(int, str)
    finished = Signal()

    def __init__(self, work: Callable[..., Any]):
        super().__init__()
        self.work, self.result, self.error, self.cancel = work, None, None, False

    def run(self) -> None:
        try:
            self.result = self.work(lambda n, text: self.progressed.emit(n, text), lambda: self.cancel)
        except BaseException as exc:  # handed to the GUI thread, which shows it in the one place for errors
            self.error = exc
        self.finished.emit()


class _Progress(QObject):
    """Lives on the GUI thread, so the progress signal from the worker is queued here: widgets may only be touched
    on the GUI thread, and a direct call from the worker (a plain lambda) crashes Qt sooner or later."""

    def __init__(self, dialog: QProgressDialog, total: int):
        super().__init__(dialog)
        self.dialog, self.total = dialog, total

    @Slot(int, str)
    def show(self, n: int, text: str) -> None:
        self.dialog.setValue(min(n, self.total) if self.total else 0)
        self.dialog.setLabelText(text)


def run_with_progress(parent: QWidget | None, title: str, work: Callable[..., Any], total: int = 0) -> Any:
    """Runs work(progress, cancelled) on a thread; returns its result or raises its exception here."""
    job, thread = _Job(work), QThread()
    job.moveToThread(thread)
    dialog = QProgressDialog(title, _("Abbrechen"), 0, total, parent)
    dialog.setMinimumDuration(400)
    dialog.setWindowTitle(title)
    dialog.canceled.connect(lambda: setattr(job, "cancel", True))
    job.progressed.connect(_Progress(dialog, total).show)
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    thread.started.connect(job.run)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    dialog.close()
    if job.error is not None:
        raise job.error
    return job.result
