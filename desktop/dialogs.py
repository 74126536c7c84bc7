"""The one place that asks the user something or shows an error; tests replace these functions."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from common.about import APP_NAME
from common.errors import UserError
from common.i18n import _
from desktop.plain import plain_label

# The dialog classes are imported where they are used: PySide builds each class with its enums on first import,
# together about 1.5 ms that the window's start-up would pay before any dialog can be needed.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

log = logging.getLogger(__name__)


def _message_box(parent: QWidget | None, icon: QMessageBox.Icon, message: str,
                 buttons: QMessageBox.StandardButton | None = None) -> QMessageBox.StandardButton:
    """Every message box is built here: its text is plain, since it names files, institutions and values."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(icon, APP_NAME, message, QMessageBox.StandardButton.Ok if buttons is None else buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return QMessageBox.StandardButton(box.exec())


def show_error(parent: QWidget | None, error: BaseException) -> None:
    if isinstance(error, UserError):
        message = error.message
    else:
        log.exception("unexpected error", exc_info=error)
        message = _("Ein unerwarteter Fehler ist aufgetreten ({kind}). Alles bisher Eingegebene ist gespeichert. "
                    "Bitte versuchen Sie es noch einmal oder melden Sie den Fehler.").format(kind=type(error).__name__)
    warn(parent, message)


def warn(parent: QWidget | None, message: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    _message_box(parent, QMessageBox.Icon.Warning, message)


def inform(parent: QWidget | None, message: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    _message_box(parent, QMessageBox.Icon.Information, message)


def confirm(parent: QWidget | None, message: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    answer = _message_box(parent, QMessageBox.Icon.Question, message,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_save_path(parent: QWidget | None, title: str, suggested: Path, file_filter: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    path, _selected = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    return Path(path) if path else None


def ask_open_path(parent: QWidget | None, title: str, folder: Path, file_filter: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    path, _selected = QFileDialog.getOpenFileName(parent, title, str(folder), file_filter)
    return Path(path) if path else None


def _input(parent: QWidget | None, title: str, label: str) -> QInputDialog:
    """Every input dialog is built here: its label is plain, since it may name a field or an institution."""
    from PySide6.QtWidgets import QInputDialog

    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    for child in dialog.findChildren(QLabel):
        child.setTextFormat(Qt.TextFormat.PlainText)
    return dialog


def _text(parent: QWidget | None, title: str, label: str, text: str = "",
          echo: QLineEdit.EchoMode | None = None) -> str | None:
    dialog = _input(parent, title, label)
    if echo is not None:  # else the dialog's own default, normal echo
        dialog.setTextEchoMode(echo)
    dialog.setTextValue(text)
    return dialog.textValue() if dialog.exec() else None


def ask_comment(parent: QWidget | None, title: str, label: str, text: str) -> str | None:
    from PySide6.QtWidgets import QInputDialog

    dialog = _input(parent, title, label)
    dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    dialog.setTextValue(text)
    return dialog.textValue() if dialog.exec() else None


def ask_passphrase(parent: QWidget | None, label: str) -> str | None:
    from PySide6.QtWidgets import QLineEdit

    return _text(parent, _("Kennwort"), label, echo=QLineEdit.EchoMode.Password)


def ask_folder(parent: QWidget | None, title: str, folder: Path) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    path = QFileDialog.getExistingDirectory(parent, title, str(folder))
    return Path(path) if path else None


def ask_open_paths(parent: QWidget | None, title: str, folder: Path, file_filter: str) -> list[Path]:
    from PySide6.QtWidgets import QFileDialog

    paths, _selected = QFileDialog.getOpenFileNames(parent, title, str(folder), file_filter)
    return [Path(p) for p in paths]


def ask_new_passphrase(parent: QWidget | None) -> str | None:
    first = ask_passphrase(parent, _("Neues Kennwort des Integrationsbüros (mindestens 12 Zeichen, z. B. vier "
                                     "zufällige Wörter). Es schützt die Schlüssel, mit denen die Meldungen geöffnet "
                                     "werden:"))
    if first is None:
        return None
    if ask_passphrase(parent, _("Bitte das Kennwort wiederholen:")) != first:
        warn(parent, _("Die beiden Eingaben stimmen nicht überein. Bitte noch einmal."))
        return None
    return first


def ask_webdav(parent: QWidget | None, url: str, user: str) -> tuple[str, str, str] | None:
    url = _text(parent, _("WebDAV"), _("Adresse des WebDAV-Ordners (https://…):"), url)
    if url is None or not url.strip():
        return None
    user = _text(parent, _("WebDAV"), _("Benutzername:"), user)
    if user is None:
        return None
    password = ask_passphrase(parent, _("Kennwort für WebDAV:"))
    return None if password is None else (url.strip(), user.strip(), password)


def show_text(parent: QWidget | None, title: str, text: str) -> None:
    """A longer text (a letter, a history) to read, select and copy."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.resize(640, 480)
    layout = QVBoxLayout(dialog)
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    layout.addWidget(view)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Schließen"))
    copy = buttons.addButton(_("In die Zwischenablage"), QDialogButtonBox.ButtonRole.ActionRole)
    copy.clicked.connect(lambda: QApplication.clipboard().setText(text))
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.exec()


def show_markdown(parent: QWidget | None, title: str, text: str) -> None:
    """A guide to read while working: markdown with headings, lists and links that open in the browser."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.resize(760, 620)
    layout = QVBoxLayout(dialog)
    view = QTextBrowser()
    view.setObjectName("guide")
    view.setAccessibleName(title)
    view.setOpenExternalLinks(True)
    view.setMarkdown(text)
    layout.addWidget(view)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Schließen"))
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.exec()


def ask_choice(parent: QWidget | None, title: str, label: str, items: list[str], current: int = 0) -> int | None:
    dialog = _input(parent, title, label)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    dialog.setTextValue(items[current] if 0 <= current < len(items) else "")
    return items.index(dialog.textValue()) if dialog.exec() and dialog.textValue() in items else None


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    return _text(parent, title, label, text)


def show_table(parent: QWidget | None, title: str, intro: str, headers: list[str], rows: list[list[str]]) -> None:
    """A comparison to read and copy: the rows as a table, copied as tab-separated text for a spreadsheet."""
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QDialog,
        QDialogButtonBox,
        QTableWidget,
        QTableWidgetItem,
        QVBoxLayout,
    )

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.resize(1000, 600)
    layout = QVBoxLayout(dialog)
    label = plain_label(intro)
    label.setWordWrap(True)
    layout.addWidget(label)
    table = QTableWidget(len(rows), len(headers))
    table.setObjectName("table")
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.setWordWrap(True)
    table.resizeColumnsToContents()
    for column in range(len(headers)):  # long texts wrap instead of pushing the numbers out of view
        table.setColumnWidth(column, min(table.columnWidth(column), 360 if column == 0 else 200))
    table.resizeRowsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    layout.addWidget(table, 1)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Schließen"))
    copy = buttons.addButton(_("In die Zwischenablage"), QDialogButtonBox.ButtonRole.ActionRole)
    text = "\n".join("\t".join(line) for line in [headers, *rows])
    copy.clicked.connect(lambda: QApplication.clipboard().setText(text))
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.exec()


def ask_correction(parent: QWidget | None, label: str, current: str) -> tuple[str, str] | None:
    value = _text(parent, _("Wert korrigieren"), _("Neuer Wert für „{label}“:").format(label=label), current)
    if value is None:
        return None
    why = _text(parent, _("Wert korrigieren"), _("Grund (z. B. „telefonisch bestätigt“):"))
    return None if why is None else (value, why)
