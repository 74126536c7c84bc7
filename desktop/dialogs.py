"""The one place that asks the user something or shows an error; tests replace these functions."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from forms.about import APP_NAME
from forms.errors import UserError
from forms.i18n import _

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    if isinstance(error, UserError):
        message = error.message
    else:
        log.exception("unexpected error", exc_info=error)
        message = _("Ein unerwarteter Fehler ist aufgetreten ({kind}). Alles bisher Eingegebene ist gespeichert. "
                    "Bitte versuchen Sie es noch einmal oder melden Sie den Fehler.").format(kind=type(error).__name__)
    QMessageBox.warning(parent, APP_NAME, message)


def inform(parent: QWidget | None, message: str) -> None:
    QMessageBox.information(parent, APP_NAME, message)


def confirm(parent: QWidget | None, message: str) -> bool:
    answer = QMessageBox.question(parent, APP_NAME, message)
    return answer == QMessageBox.StandardButton.Yes


def ask_save_path(parent: QWidget | None, title: str, suggested: Path, file_filter: str) -> Path | None:
    path, _selected = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    return Path(path) if path else None


def ask_open_path(parent: QWidget | None, title: str, folder: Path, file_filter: str) -> Path | None:
    path, _selected = QFileDialog.getOpenFileName(parent, title, str(folder), file_filter)
    return Path(path) if path else None


def ask_comment(parent: QWidget | None, title: str, label: str, text: str) -> str | None:
    value, ok = QInputDialog.getMultiLineText(parent, title, label, text)
    return value if ok else None


def ask_passphrase(parent: QWidget | None, label: str) -> str | None:
    value, ok = QInputDialog.getText(parent, _("Kennwort"), label, QLineEdit.EchoMode.Password)
    return value if ok else None
