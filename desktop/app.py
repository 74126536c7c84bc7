"""Starts the Qt application: the window first, the database after, so the first paint is not kept waiting."""

from __future__ import annotations

import sys
from pathlib import Path


def run(db_path: Path) -> int:
    from PySide6.QtCore import QLockFile, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.main_window import MainWindow
    from forms.about import APP_NAME
    from forms.i18n import _

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        QMessageBox.warning(None, APP_NAME, _("Der Ordner {folder} kann nicht angelegt werden ({err}). Bitte mit "
                                              "--db einen anderen Ort angeben.").format(folder=db_path.parent,
                                                                                        err=exc.strerror))
        return 1
    # One writer per database: a second window on the same data would let two people overwrite each other.
    lock = QLockFile(str(db_path) + ".lock")
    lock.setStaleLockTime(0)
    if not lock.tryLock(100):
        QMessageBox.warning(None, APP_NAME, _("Der Integrationsmonitor ist mit diesen Daten schon geöffnet "
                                              "(vielleicht in einem anderen Fenster). Bitte dort weiterarbeiten."))
        return 1
    window = MainWindow(db_path)
    window.show()
    QTimer.singleShot(0, window.open_workspace)
    try:
        return app.exec()
    finally:
        lock.unlock()
