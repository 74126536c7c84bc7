"""Text from data is shown as written. Qt guesses rich text in a QLabel, a message box and a tooltip by default
(Qt.AutoText): a name like `<img src="/etc/passwd">` would load a local file, a long `<a>` could push the rest of a
heading out of view. So every label is made here: plain text, unless the code writes the formatting itself and
escapes every piece of data in it (rich_label; tests/desktop/test_plain_labels.py keeps the list of those)."""

from __future__ import annotations

from PySide6.QtGui import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str = "", name: str = "", parent: QWidget | None = None, buddy: QWidget | None = None) -> QLabel:
    """A label that shows its text as written, whatever it contains; with a buddy, screen readers name the buddy
    after it (as QFormLayout.addRow(text, field) does)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if name:
        label.setObjectName(name)
    if buddy is not None:
        label.setBuddy(buddy)
    return label


def rich_label(html: str, name: str, label: QLabel | None = None) -> QLabel:
    """A label with formatting written by the code: every piece of data in `html` must go through escape(). The
    name is required: the tests allow rich text only for the names they list."""
    label = label if label is not None else QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setObjectName(name)
    label.setText(html)
    return label


def as_written(text: str) -> str:
    """For the places with no text format of their own (a tooltip, the message boxes Qt builds before a window
    exists): the text unchanged where Qt shows it as written anyway, else escaped as rich text that shows every
    character, line break and space as given."""
    if not Qt.mightBeRichText(text):
        return text
    from html import escape  # not at the top: its entity table costs start-up 2 ms, and few texts get here

    return '<p style="white-space:pre-wrap">' + escape(text, quote=False) + "</p>"
