"""The pinned Qt bindings must not corrupt Python's reference counts (PySide6 6.12.0 on Python 3.11 did: every
void call dropped a reference to None until the interpreter aborted in the middle of typing)."""

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("Schüler/innen insgesamt")
    assert abs(sys.getrefcount(None) - before) < 100
