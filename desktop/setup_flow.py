"""The first-start flow: welcome, then a setup file, a profile typed by hand, or the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from common.errors import UserError
from common.i18n import _
from desktop import dialogs
from desktop.profile_dialog import ProfileDialog
from desktop.welcome import BY_HAND, DEMO, OFFICER, SETUP_FILE, WelcomeDialog
from store.orgunits import OrgUnit


def run_first_setup(parent: QWidget, db) -> OrgUnit | None:
    """Loops until the institution is set up or the user closes the welcome dialog."""
    from desktop.ops.workspace import setup_demo, setup_institution

    while True:
        welcome = WelcomeDialog(parent)
        if welcome.exec() != QDialog.DialogCode.Accepted or welcome.choice is None:
            return None
        try:
            if welcome.choice == SETUP_FILE:
                path = dialogs.ask_open_path(parent, _("Einrichtungsdatei öffnen"), Path.home(),
                                             _("Einrichtungsdateien (*.imsetup *.improfil);;Alle Dateien (*)"))
                if path is not None:
                    return _from_file(parent, db, path)
            elif welcome.choice == BY_HAND:
                dialog = ProfileDialog(parent)
                if dialog.exec() == QDialog.DialogCode.Accepted:
                    return setup_institution(db, dialog.institution())
            elif welcome.choice == OFFICER:
                from sync.officer import LOSS_WARNING, init_officer

                passphrase = dialogs.ask_new_passphrase(parent)
                if passphrase is not None:
                    init_officer(db, passphrase)
                    dialogs.inform(parent, _("Die Schlüssel des Integrationsbüros sind erzeugt. Bitte gleich eine "
                                             "Sicherung anlegen („Schlüssel sichern…“).\n\n{w}").format(
                                                 w=_(LOSS_WARNING)))
                    return None
            elif welcome.choice == DEMO:
                # Building the made-up town takes a few seconds: say so with the cursor.
                QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
                try:
                    return setup_demo(db)
                finally:
                    QApplication.restoreOverrideCursor()
        except UserError as exc:
            dialogs.show_error(parent, exc)


def _from_file(parent: QWidget, db, path: Path) -> OrgUnit | None:
    from sync.holder import read_small, setup_from_file
    from sync.setup_file import is_setup_file, needs_passphrase, officer_fingerprint

    raw = read_small(path)
    passphrase = None
    if is_setup_file(raw) and needs_passphrase(raw):
        label = _("Bitte das Kennwort eingeben, das Ihnen die Stadt getrennt (per Telefon oder Brief) mitgeteilt hat:")
        fingerprint = officer_fingerprint(raw)
        if fingerprint:
            # Compared on the phone: a file from somebody else names another key, whatever it says inside.
            label = _("Fingerabdruck des Integrationsbüros: {fp}\nBitte mit dem Fingerabdruck vergleichen, den "
                      "Ihnen die Stadt am Telefon nennt. Stimmt er nicht, die Datei nicht verwenden und die Stadt "
                      "anrufen.").format(fp=fingerprint) + "\n\n" + label
        passphrase = dialogs.ask_passphrase(parent, label)
        if passphrase is None:
            return None
    return setup_from_file(db, path, passphrase)
