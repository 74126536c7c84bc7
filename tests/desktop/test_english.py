"""The app in English shows no German leftovers and keeps one Alt+letter per control: checked in a process of its
own, since the language is fixed when the program starts."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, re, sys
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QTabBar
from desktop import dialogs
from desktop.holder_window import HolderWindow

dialogs.ask_passphrase = lambda parent, label: None
dialogs.confirm = lambda parent, message: False  # the weekly backup offered at closing
dialogs.inform = lambda parent, message: None
app = QApplication([])

def texts_of(widget):
    found = [w.text() for w in widget.findChildren(QAbstractButton) if w.isVisibleTo(widget)]
    found += [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget)]
    found += [w.title() for w in widget.findChildren(QGroupBox) if w.isVisibleTo(widget)]
    for bar in widget.findChildren(QTabBar):
        found += [bar.tabText(i) for i in range(bar.count())]
    return found

def clashes(texts):
    letters = {}
    for text in texts:
        match = re.search(r"&([^&\s])", text.replace("&&", ""))
        if match:
            letters.setdefault(match.group(1).lower(), []).append(text)
    return {k: v for k, v in letters.items() if len(v) > 1}

result = {"clashes": {}}
for name, path in (("holder", sys.argv[1]), ("officer", sys.argv[2])):
    window = HolderWindow(path)
    window.resize(1280, 800)
    window.show()
    window = window.open_workspace()  # the officer's data comes back in the officer's window
    app.processEvents()
    texts = [a.text() for menu in window.menuBar().actions() for a in [menu, *menu.menu().actions()]]
    pages = [window.centralWidget()]
    if name == "officer":
        pages = [window.tabs.widget(i) for i in range(window.tabs.count())]
        always = [a.text() for a in window.menuBar().actions()]
        always += [window.tabs.tabText(i) for i in range(window.tabs.count())]
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            app.processEvents()
            page = window.tabs.widget(i)
            texts += texts_of(page)
            controls = [w.text() for w in page.findChildren(QAbstractButton) if w.isVisibleTo(page)]
            controls += [w.text() for w in page.findChildren(QLabel) if w.isVisibleTo(page) and w.buddy()]
            doubled = clashes(always + controls)
            if doubled:
                result["clashes"][window.tabs.tabText(i)] = doubled
    else:
        window.form_list.setCurrentRow(0)
        window._open_item(window.form_list.item(0))  # as a click on the newest form does
        app.processEvents()
        texts += texts_of(window)
    result[name] = texts
    window.close()
print(json.dumps(result))
"""


def german_with_translation() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from tools.translations import read_catalog

    return {m.id: m.string for m in read_catalog() if isinstance(m.id, str) and m.id and m.string != m.id}


def test_the_english_app_shows_no_german_source_texts(demo_workspaces):
    holder, officer = demo_workspaces
    env = {**os.environ, "IMON_LANGUAGE": "en", "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", PROBE, str(holder), str(officer)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    shown = json.loads(run.stdout.splitlines()[-1])
    german = german_with_translation()
    assert shown.pop("clashes") == {}  # one Alt+letter per control on every tab, in English too
    for window, texts in shown.items():
        assert len(texts) > 20, window
        leftovers = sorted({t for t in texts if t in german})
        assert leftovers == [], f"{window}: {leftovers}"
        assert "&File" in texts or any(t.replace("&", "") == "File" for t in texts), texts[:10]
