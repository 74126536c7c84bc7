"""While an import runs, nothing typed into the window may be lost: the dry run rolls back its transaction, and a
value saved meanwhile on the same database would vanish with it. The officer's clicks and keys go through the
window system here (QTest on the QWindow), the path that honours a modal dialog, as a person's would."""

import shutil
import threading

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest

import sync.transports
from store.submissions import current_submission, load_values
from sync.officer import exchange_folders
from tests.desktop.keyboard import enter
from tests.sync.exchange_helpers import KITA, OFFICER_PASSPHRASE, export_revision, holder_db, kita_values, officer_db

YEAR = 2024


def town(tmp_path):
    """The officer's database and one sealed Kita file waiting in the inbox."""
    officer_dir, kita_dir = tmp_path / "rathaus", tmp_path / "kita"
    officer_dir.mkdir()
    kita_dir.mkdir()
    officer, keys = officer_db(officer_dir)
    holder = holder_db(kita_dir, officer, keys)
    officer.close()
    sent, _id = export_revision(holder, kita_dir, YEAR, kita_values(40), name="Kita.imon")
    holder.close()
    path = officer_dir / "rathaus.sqlite"
    inbox = exchange_folders(path).inbox
    inbox.mkdir(parents=True)
    shutil.copy(sent, inbox / sent.name)
    return path


class HeldInbox(sync.transports.FolderInbox):
    """Stops inside the import's transaction, after its first file, until the test lets it go on."""

    inside = threading.Event()
    release = threading.Event()

    def fetch(self):
        for item in super().fetch():
            yield item
            HeldInbox.inside.set()
            HeldInbox.release.wait(20)


def click_and_type(window, widget, text: str) -> None:
    handle = window.windowHandle()
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     widget.mapTo(window, QPoint(5, widget.height() // 2)))
    for char in text:
        QTest.keyClick(handle, ord(char))


def test_a_value_typed_during_the_dry_run_is_refused_or_kept(qtbot, tmp_path, fake_dialogs, officer_window,
                                                            monkeypatch):
    HeldInbox.inside.clear()
    HeldInbox.release.clear()
    monkeypatch.setattr(sync.transports, "FolderInbox", HeldInbox)
    fake_dialogs.passphrase = OFFICER_PASSPHRASE
    window = officer_window(town(tmp_path))
    window.resize(1280, 800)
    statistics = window.statistics
    statistics.year.setValue(YEAR)
    titles = [statistics.list.item(i).text().split("\n")[0] for i in range(statistics.list.count())]
    statistics.list.setCurrentRow(titles.index("Einbürgerungen"))
    statistics.list.setFocus()
    qtbot.waitUntil(statistics.list.hasFocus)
    enter()
    view = window.entry
    field = view.boxes["einbuergerungen"].edit
    panel = window.officer
    assert panel.dry_run.isChecked()
    typed = {}

    def type_while_held():
        if not HeldInbox.inside.is_set():
            QTimer.singleShot(10, type_while_held)
            return
        try:
            click_and_type(window, field, "77")
            QTest.qWait(50)
            typed["text"] = field.text()
        finally:
            HeldInbox.release.set()

    QTimer.singleShot(0, type_while_held)
    panel.inbox_button.click()  # the user's click on the button in the other tab: the result is the same
    qtbot.waitUntil(lambda: panel.summary.text() != "", timeout=20000)
    qtbot.waitUntil(lambda: "text" in typed)
    assert panel.summary.text().startswith("Probelauf")
    stored = current_submission(window.db, "stadt", "einbuergerung", YEAR)
    kept = load_values(window.db, stored.id).get(("einbuergerungen", "", "")) if stored else None
    # Either the window refused the keys, or what it took is still there after the rollback.
    assert typed["text"] != "77" or (kept is not None and kept.number == 77), \
        f"the field shows {typed['text']!r}, the database holds {kept}"
    assert current_submission(window.db, KITA.id, "kita", YEAR) is None  # the dry run stored nothing
