"""Every input has a name a screen reader can say: its own accessible name or the label it belongs to."""

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from demo.town import build_demo
from desktop.ops.workspace import open_workspace, setup_demo
from store.database import open_database
from sync.officer import init_officer
from tests.desktop.conftest import GRUNDSCHULE, JUGENDTREFF, KITA, OFFICER_PASSPHRASE, VEREIN

INPUTS = (QLineEdit, QAbstractSpinBox, QComboBox, QCheckBox, QListWidget, QTableView, QPlainTextEdit)


def unnamed(root: QWidget) -> list[str]:
    found = []
    for kind in INPUTS:
        for widget in root.findChildren(kind):
            if not widget.isVisibleTo(root) or widget.objectName() == "qt_spinbox_lineedit":
                continue  # a spin box's own line edit is read out as part of the spin box
            interface = QAccessible.queryAccessibleInterface(widget)
            if not (interface and interface.text(QAccessible.Text.Name).strip()):
                found.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return found


def test_the_holders_forms_name_every_input(open_window):
    for unit in (GRUNDSCHULE, KITA, JUGENDTREFF, VEREIN):
        window = open_window(unit)
        window.form_list.setCurrentRow(0)
        window._open_item(window.form_list.item(0))
        assert window.page is not None  # a form, or the youth centre's visitor log
        assert unnamed(window) == [], unit.kind
        window.close()


def test_the_officers_tabs_name_every_input(tmp_path, officer_window):
    path = tmp_path / "rathaus.sqlite"
    db = open_database(path)
    build_demo(db, seed=1)
    init_officer(db, OFFICER_PASSPHRASE)
    db.close()
    window = officer_window(path)
    missing = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        names = unnamed(window.tabs.widget(index))
        if names:
            missing[window.tabs.tabText(index)] = names
    assert missing == {}


def test_the_demo_holder_too(tmp_path, qtbot, fake_dialogs):
    from desktop.holder_window import HolderWindow

    db, _unit = open_workspace(tmp_path / "demo.sqlite")
    setup_demo(db)
    db.close()
    window = HolderWindow(tmp_path / "demo.sqlite")
    qtbot.addWidget(window)
    window.show()
    window.open_workspace()
    assert unnamed(window) == []


SCALED = r"""
import json, sys
from PySide6.QtWidgets import QApplication
from desktop import dialogs
from desktop.holder_window import HolderWindow

dialogs.ask_passphrase = lambda parent, label: None
dialogs.confirm = lambda parent, message: False
app = QApplication([])

def needed(window):
    # The smallest size the window's layout allows: more than the screen, and controls end up out of reach.
    hint = window.minimumSizeHint().expandedTo(window.minimumSize())
    return [hint.width(), hint.height()]

result = {}
for name, path in (("holder", sys.argv[1]), ("officer", sys.argv[2])):
    window = HolderWindow(path)
    window.resize(1280, 720)  # a 1920x1080 screen at 150 %
    window.show()
    window = window.open_workspace()  # the officer's data comes back in the officer's window
    if name == "holder":
        window.form_list.setCurrentRow(0)
        window._open_item(window.form_list.item(0))
        app.processEvents()
        result[name] = [needed(window)]
    else:
        result[name] = []
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            app.processEvents()
            result[name].append(needed(window))
    window.close()
print(json.dumps(result))
"""


def test_the_layout_holds_at_150_percent(demo_workspaces):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    holder, officer = demo_workspaces
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5", "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", SCALED, str(holder), str(officer)], env=env, capture_output=True,
                         text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 0, run.stderr[-2000:]
    # A 1920x1080 screen at 150 % leaves 1280x720 (less the task bar): every view must fit into it, so no control
    # is pushed off the screen.
    sizes = json.loads(run.stdout.splitlines()[-1])
    too_big = {name: [s for s in found if s[0] > 1280 or s[1] > 680] for name, found in sizes.items()}
    assert too_big == {"holder": [], "officer": []}, sizes
