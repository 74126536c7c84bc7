"""What the holder's and the officer's window share: the file menu's backup, language and quit, the about box, the
change bus their views listen to, and closing with the last unsaved input and the weekly backup in mind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu

from common.about import APP_NAME
from common.errors import UserError
from common.i18n import _
from desktop import dialogs, operation
from desktop.changes import EVERYTHING, ChangeBus, announce
from desktop.operation import shows_errors


class AppWindow(QMainWindow):
    def __init__(self, db_path: Path, db=None):
        super().__init__()
        self.db_path = Path(db_path)
        self.db = db
        self.bus = ChangeBus(self)
        self.entry = None  # the open entry view, if any
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)
        self.file_menu = self.menuBar().addMenu(_("&Datei"))
        self.help_menu = self.menuBar().addMenu(_("&Hilfe"))

    def add_action(self, menu: QMenu, text: str, slot) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def add_common_actions(self) -> None:
        """After the window's own items: backup, language and quit close the file menu, the about box the help."""
        self.add_action(self.file_menu, _("&Sicherung anlegen…"), self.make_backup)
        self.add_action(self.file_menu, _("Sicherung &wiederherstellen…"), self.restore_backup)
        self.add_action(self.file_menu, _("Sprache / &Language…"), self.choose_language)
        self.add_action(self.file_menu, _("&Beenden"), self.close).setShortcut(QKeySequence.StandardKey.Quit)
        self.add_action(self.help_menu, _("Ü&ber den Integrationsmonitor"), self._about)

    def choose_language(self) -> None:
        """Saved for the next start: the forms and their labels are loaded in one language per run."""
        from common.i18n import LANGUAGE, LANGUAGES, choose_language, current_language

        codes = list(LANGUAGES)
        index = dialogs.ask_choice(self, _("Sprache / Language"), _("Sprache des Programms / Program language:"),
                                   [LANGUAGES[c] for c in codes], codes.index(current_language()))
        if index is None:
            return
        try:
            choose_language(codes[index])
        except OSError as exc:
            dialogs.show_error(self, UserError(_("Die Einstellung konnte nicht gespeichert werden: {err}").format(
                err=exc.strerror or exc)))
            return
        if codes[index] != LANGUAGE:
            dialogs.inform(self, "Die Sprache wechselt beim nächsten Start.\n"
                                 "The language changes when you next start the program.")

    def _about(self) -> None:
        from common.about import APP_VERSION

        dialogs.inform(self, _(
            "{app} {version}\n\nJährliche Erhebung für das Integrationsmonitoring der Stadt.\n"
            "Datenbank: {path}").format(app=APP_NAME, version=APP_VERSION, path=self.db_path))

    @shows_errors(failed=False)
    def make_backup(self, target: Path | None = None) -> bool:
        from store.backup import default_backup_path, make_backup

        if self.db is None:
            return False
        target = target or dialogs.ask_save_path(self, _("Sicherung anlegen"), default_backup_path(self.db_path),
                                                 _("Sicherungen (*.sqlite)"))
        if target is None:
            return False
        make_backup(self.db, target)
        self.statusBar().showMessage(_("Sicherung gespeichert: {path}").format(path=target))
        return True

    @shows_errors
    def restore_backup(self) -> None:
        from store.backup import backup_folder, restore_backup

        if self.db is None:
            return
        path = dialogs.ask_open_path(self, _("Sicherung wiederherstellen"), backup_folder(self.db_path),
                                     _("Sicherungen (*.sqlite);;Alle Dateien (*)"))
        if path is None or not dialogs.confirm(self, _(
                "Alle Daten werden durch den Stand der Sicherung {name} ersetzt. Der jetzige Stand wird vorher "
                "selbst gesichert. Fortfahren?").format(name=path.name)):
            return
        before = restore_backup(self.db, self.db_path, path)
        dialogs.inform(self, _("Die Sicherung wurde eingespielt. Der Stand davor liegt in {path}.").format(
            path=before))
        announce(self, EVERYTHING)

    def closeEvent(self, event) -> None:
        if operation.running():
            event.ignore()  # the work still holds the database; its progress dialog is where it can be stopped
            return
        # A table cell still being edited is committed when its editor loses the focus: do that first.
        focus = QApplication.focusWidget()
        if focus is not None and focus.window() is self:
            focus.clearFocus()
        # Every valid keystroke is already committed; only text that is no value yet could be lost, so ask.
        if self.entry is not None and self.entry.session.invalid:
            address, error = next(iter(self.entry.session.invalid.items()))
            if not dialogs.confirm(self, _("{msg}\n\nDiese Eingabe ist nicht gespeichert. Trotzdem beenden? Alle "
                                           "anderen Angaben sind gespeichert.").format(msg=error.message)):
                event.ignore()
                if focus is not None:
                    focus.setFocus()  # back to the field, to correct it
                return
        if self.db is not None:
            from store.backup import backup_due, default_backup_path

            if backup_due(self.db) and dialogs.confirm(self, _(
                    "Seit über einer Woche wurde keine Sicherung angelegt. Jetzt eine Sicherung anlegen?\n({path})"
            ).format(path=default_backup_path(self.db_path).parent)):
                self.make_backup(default_backup_path(self.db_path))
            self.db.close()
            self.db = None
        super().closeEvent(event)
