"""Alt+letter reaches exactly one control on every page of the officer's window: with two controls on one letter,
Qt only moves the focus between them and a keyboard user never gets the button pressed."""

import re

from PySide6.QtWidgets import QAbstractButton, QLabel

from store.database import open_database
from sync.officer import init_officer
from tests.desktop.conftest import OFFICER_PASSPHRASE

_MNEMONIC = re.compile(r"&([^&\s])")


def letters(texts: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for text in texts:
        match = _MNEMONIC.search(text.replace("&&", ""))
        if match:
            found.setdefault(match.group(1).lower(), []).append(text)
    return found


def test_no_two_controls_share_a_letter_on_any_tab(qtbot, tmp_path, fake_dialogs, officer_window):
    path = tmp_path / "rathaus.sqlite"
    db = open_database(path)
    init_officer(db, OFFICER_PASSPHRASE)
    db.close()
    window = officer_window(path)
    always = [a.text() for a in window.menuBar().actions()]
    always += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    clashes = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        page = window.tabs.widget(index)
        texts = [w.text() for w in page.findChildren(QAbstractButton) if w.isVisibleTo(page)]
        texts += [w.text() for w in page.findChildren(QLabel) if w.isVisibleTo(page) and w.buddy() is not None]
        doubled = {k: v for k, v in letters(always + texts).items() if len(v) > 1}
        if doubled:
            clashes[window.tabs.tabText(index)] = doubled
    assert clashes == {}
