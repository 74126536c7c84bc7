"""Typing as a person does: every key goes to whatever widget has the focus at that moment."""

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def focused():
    return QApplication.focusWidget()


def type_text(text: str) -> None:
    for char in text:
        if char.isascii():
            QTest.keyClicks(focused(), char)
        else:
            # QTest only maps ASCII to keys; an umlaut arrives from a German keyboard as a key event with text.
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(focused(), QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier,
                                                            char))
        # A person's keys arrive one by one with the event loop running in between; queued commits happen there.
        QApplication.processEvents()


def press(key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)
    QApplication.processEvents()


def tab() -> None:
    press(Qt.Key.Key_Tab)


def enter() -> None:
    press(Qt.Key.Key_Return)


def fill_grid(rows: list[tuple[int, ...]]) -> None:
    """Types every cell of a grid row by row, each value followed by Enter, as on a paper form."""
    for row in rows:
        for value in row:
            type_text(str(value))
            enter()


def click_and_type_through_window(window, widget, text: str) -> None:
    """A click into the widget and keys typed, sent to the window as the window system delivers a person's: unlike
    keys sent to the widget itself, these are refused while a modal dialog blocks the window."""
    from PySide6.QtCore import QPoint

    handle = window.windowHandle()
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     widget.mapTo(window, QPoint(5, widget.height() // 2)))
    for char in text:
        QTest.keyClick(handle, ord(char))
