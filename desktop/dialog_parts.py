"""Small parts the import dialogs share: the red line that says what stops the import, the read-only dry run, and
the row of buttons whose first one saves."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton

from common.i18n import _
from desktop.plain import plain_label

RED = "#a40000"


def problem_label(name: str) -> QLabel:
    label = plain_label("", name)
    label.setStyleSheet(f"color:{RED}")
    label.setWordWrap(True)
    return label


def dry_run_text(name: str) -> QPlainTextEdit:
    """Read-only and still reachable by Tab, so that a long message can be read with the arrow keys."""
    text = QPlainTextEdit()
    text.setObjectName(name)
    text.setReadOnly(True)
    text.setTabChangesFocus(True)
    return text


def save_buttons(dialog: QDialog, text: str, on_save=None,
                 kind=QDialogButtonBox.StandardButton.Ok) -> tuple[QDialogButtonBox, QPushButton]:
    """The dialog's buttons: `text` on the one that saves (it calls `on_save`, else accepts) and „Abbrechen"."""
    buttons = QDialogButtonBox(kind | QDialogButtonBox.StandardButton.Cancel)
    save = buttons.button(kind)
    save.setText(text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
    buttons.accepted.connect(on_save or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, save
