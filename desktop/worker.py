"""Long work (an import, a report) on a worker thread, with a progress dialog that can cancel it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from forms.i18n import _


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


def run_with_progress(parent: QWidget | None, title: str, work: Callable[..., Any], total: int = 0) -> Any:
    """Runs work(progress, cancelled) on a thread; returns its result or raises its exception here."""
    job, thread = _Job(work), QThread()
    job.moveToThread(thread)
    dialog = QProgressDialog(title, _("Abbrechen"), 0, total, parent)
    dialog.setMinimumDuration(400)
    dialog.setWindowTitle(title)
    dialog.canceled.connect(lambda: setattr(job, "cancel", True))
    job.progressed.connect(lambda n, text: (dialog.setValue(min(n, total) if total else 0), dialog.setLabelText(text)))
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
