"""Starts the Qt application: the window first, the database after, so the first paint is not kept waiting."""

from __future__ import annotations

import sys
from pathlib import Path


def run(db_path: Path) -> int:
    from PySide6.QtCore import QLockFile
    from PySide6.QtWidgets import QApplication

    from common.about import APP_NAME
    from common.i18n import _
    from desktop.plain import as_written

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    _qt_translation(app)
    try:
        from store.files import private_folder

        private_folder(db_path.parent)  # 0700 on POSIX: the database holds the institution's signing key
    except OSError as exc:
        from PySide6.QtWidgets import QMessageBox  # only here and below: like the dialogs, built when needed

        QMessageBox.warning(None, APP_NAME, as_written(_(
            "Der Ordner {folder} kann nicht angelegt werden ({err}). Bitte mit --db einen anderen Ort angeben.").format(
                folder=db_path.parent, err=exc.strerror)))
        return 1
    # One writer per database: a second window on the same data would let two people overwrite each other.
    lock = QLockFile(str(db_path) + ".lock")
    lock.setStaleLockTime(0)
    if not lock.tryLock(100):
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, APP_NAME, _("Der Integrationsmonitor ist mit diesen Daten schon geöffnet "
                                              "(vielleicht in einem anderen Fenster). Bitte dort weiterarbeiten."))
        return 1
    _window = show_main_window(db_path)  # a reference keeps the window alive while the loop runs
    try:
        return app.exec()
    finally:
        lock.unlock()


def show_main_window(db_path: Path):
    """Shows the holder's window at once and opens the data only after its first paint: opening the store imports
    sqlite-utils, which pulls in pandas (about 0.4 s), and a zero timer alone would run before the paint. The
    officer's data is known as such only then: the holder's window hands over to the officer's (its `successor`)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    from desktop.holder_window import HolderWindow

    class AfterFirstPaint(QObject):
        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                # The holder's list from a read-only look first, the full opening in the next round of the
                # event loop: the list shows while sqlite-utils is still loading.
                QTimer.singleShot(0, lambda: (watched.list_early(), QTimer.singleShot(0, watched.open_workspace)))
            return False

    window = HolderWindow(db_path)
    window.installEventFilter(AfterFirstPaint(window))  # its parent, the window, keeps it
    window.show()
    return window


def _qt_translation(app) -> None:
    """Qt's own texts (Yes, Cancel, the file dialog) in the program's language; English needs none."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from common.i18n import LANGUAGE

    if LANGUAGE == "en":
        return
    translator = QTranslator(app)
    if translator.load(f"qtbase_{LANGUAGE}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
