"""Starts the Qt application: the window first, the database after, so the first paint is not kept waiting."""

from __future__ import annotations

import sys
from pathlib import Path


def run(db_path: Path) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from forms.about import APP_NAME
    from forms.i18n import _

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    window = QMainWindow()
    window.setWindowTitle(APP_NAME)
    window.setCentralWidget(QLabel(_("Integrationsmonitor – Datenbank: {path}").format(path=db_path)))
    window.resize(1280, 800)
    window.show()
    return app.exec()
