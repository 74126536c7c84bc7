"""The officer fetches submission files from the shared inbox folder and from a WebDAV folder on the "Austausch"
tab: a dry run first, then "Jetzt übernehmen", then the same fetch again. Real widgets, a real officer database,
real sealed files from a holder, and a real WebDAV server on 127.0.0.1 (the one the sync tests use)."""

import os
import shutil
import tempfile

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from desktop import dialogs
from desktop.holder_window import HolderWindow
from store.submissions import State, current_submission, revisions
from sync.officer import exchange_folders
from sync.transports import REASON_SUFFIX
from tests.desktop.conftest import officer_with_kita_file, opened
from tests.desktop.modal import wait_for_operations
from tests.sync import conftest as sync_conftest
from tests.sync.conftest import PASSWORD, USER
from tests.sync.exchange_helpers import KITA, OFFICER_PASSPHRASE

YEAR = 2024
SENT = "Kita_Loewenzahn_2024.imon"
RESENT = "Kita_Loewenzahn_2024_nochmal.imon"  # the Kita sent the same file twice
TAMPERED = "Kita_Loewenzahn_2024_veraendert.imon"  # a copy changed on its way
DRY_RUN = "Probelauf, noch nichts gespeichert: "
NOTHING = "0 importiert, 0 aktualisiert, 0 unverändert, 0 abgelehnt, 0 Konflikt"
BROKEN = "verändert oder beschädigt"


@pytest.fixture(scope="session")
def dav_server(tmp_path_factory):
    """The sync tests' wsgidav server, reused by import: its code stays in tests/sync/conftest.py."""
    yield from sync_conftest.dav_server.__wrapped__(tmp_path_factory)


@pytest.fixture
def town(tmp_path):
    """An officer workspace with the Kita in its directory, and the Kita's sealed file plus a tampered copy."""
    path, sent = officer_with_kita_file(tmp_path, SENT)
    tampered = bytearray(sent.read_bytes())
    tampered[-10] ^= 0xFF
    copy = sent.parent / TAMPERED
    copy.write_bytes(bytes(tampered))
    return path, sent, copy


def open_exchange_tab(qtbot, path):
    """Starts the app on the officer's database, types the passphrase and clicks the "Austausch" tab."""
    window = HolderWindow(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window = opened(qtbot, window)
    panel = window.officer
    assert panel.inbox_button.isEnabled() and panel.webdav_button.isEnabled()  # unlocked
    bar = window.tabs.tabBar()
    index = window.tabs.indexOf(panel)
    assert bar.tabText(index) == "&Austausch"
    qtbot.waitUntil(bar.isVisible)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    qtbot.waitUntil(panel.isVisible)
    assert panel.dry_run.isChecked()  # a dry run comes first unless the officer unticks it
    assert not panel.commit_button.isEnabled()
    return window, panel


def click(qtbot, button):
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_for_operations(qtbot)


def table(panel) -> dict[str, tuple[str, str]]:
    """The result table as the officer reads it: file name → (outcome, reason and changes)."""
    results = panel.results
    return {results.item(r, 0).text(): (results.item(r, 1).text(), results.item(r, 2).text())
            for r in range(results.rowCount())}


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_inbox_dry_run_commit_and_fetching_again(qtbot, town, fake_dialogs):
    path, sent, tampered = town
    folders = exchange_folders(path)
    folders.inbox.mkdir(parents=True)
    shutil.copy(sent, folders.inbox / SENT)
    shutil.copy(sent, folders.inbox / RESENT)
    shutil.copy(tampered, folders.inbox / TAMPERED)
    fake_dialogs.passphrase = OFFICER_PASSPHRASE
    window, panel = open_exchange_tab(qtbot, path)

    click(qtbot, panel.inbox_button)
    assert not fake_dialogs.errors
    assert panel.summary.text() == DRY_RUN + "1 importiert, 0 aktualisiert, 1 unverändert, 1 abgelehnt, 0 Konflikt"
    rows = table(panel)
    assert set(rows) == {SENT, RESENT, TAMPERED}
    assert rows[SENT][0] == "importiert" and "→ 10" in rows[SENT][1]  # the figures that would come in
    assert rows[RESENT] == ("unverändert", "bereits importiert")
    assert rows[TAMPERED][0] == "abgelehnt" and BROKEN in rows[TAMPERED][1]
    # Only a preview: nothing stored, nothing moved out of the inbox.
    assert current_submission(window.db, KITA.id, "kita", YEAR) is None
    assert names(folders.inbox) == sorted([SENT, RESENT, TAMPERED])
    assert names(folders.archive) == names(folders.quarantine) == []
    assert panel.commit_button.isEnabled()

    click(qtbot, panel.commit_button)
    assert not fake_dialogs.errors
    assert panel.summary.text() == "Eingelesen: 1 importiert, 0 aktualisiert, 1 unverändert, 1 abgelehnt, 0 Konflikt"
    assert not panel.commit_button.isEnabled()
    assert panel.dry_run.isChecked()  # the next fetch is a dry run again
    stored = current_submission(window.db, KITA.id, "kita", YEAR)
    assert stored is not None and stored.state is State.RECEIVED
    assert len(revisions(window.db, KITA.id, "kita", YEAR)) == 1  # the resend added nothing
    assert names(folders.inbox) == []
    assert names(folders.archive) == sorted([SENT, RESENT])
    assert (folders.archive / SENT).read_bytes() == sent.read_bytes()
    assert names(folders.quarantine) == [TAMPERED, TAMPERED + REASON_SUFFIX]
    assert (folders.quarantine / TAMPERED).read_bytes() == tampered.read_bytes()
    reason = (folders.quarantine / (TAMPERED + REASON_SUFFIX)).read_text(encoding="utf-8")
    assert BROKEN in reason and "Eingangsordner" in reason
    assert names(folders.outbox) == ["Quittung_kita-07_kita_2024_Fassung1.imquittung"]  # the Kita's receipt

    click(qtbot, panel.inbox_button)  # nothing new has arrived
    assert panel.summary.text() == DRY_RUN + NOTHING
    assert panel.results.rowCount() == 0
    assert not panel.commit_button.isEnabled()

    shutil.copy(sent, folders.inbox / SENT)  # the Kita sends the same file once more
    click(qtbot, panel.inbox_button)
    assert panel.summary.text() == DRY_RUN + "0 importiert, 0 aktualisiert, 1 unverändert, 0 abgelehnt, 0 Konflikt"
    assert table(panel) == {SENT: ("unverändert", "bereits importiert")}
    click(qtbot, panel.commit_button)
    assert panel.summary.text().startswith("Eingelesen: 0 importiert, 0 aktualisiert, 1 unverändert")
    assert names(folders.inbox) == []
    assert names(folders.archive) == sorted([SENT, "Kita_Loewenzahn_2024 (2).imon", RESENT])  # nothing overwritten
    assert len(revisions(window.db, KITA.id, "kita", YEAR)) == 1
    assert not fake_dialogs.errors


def test_inbox_without_dry_run_imports_at_once(qtbot, town, fake_dialogs):
    path, sent, _tampered = town
    folders = exchange_folders(path)
    fake_dialogs.passphrase = OFFICER_PASSPHRASE
    window, panel = open_exchange_tab(qtbot, path)
    assert not folders.inbox.exists()

    click(qtbot, panel.inbox_button)  # the first fetch creates the inbox folder the Kitas can then drop into
    assert folders.inbox.is_dir()
    assert panel.summary.text() == DRY_RUN + NOTHING

    shutil.copy(sent, folders.inbox / SENT)
    box = panel.dry_run  # the officer unticks "Erst Probelauf", clicking its box at the left
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not panel.dry_run.isChecked()
    click(qtbot, panel.inbox_button)
    assert panel.summary.text() == "Eingelesen: 1 importiert, 0 aktualisiert, 0 unverändert, 0 abgelehnt, 0 Konflikt"
    assert not panel.commit_button.isEnabled()  # nothing left to take over
    assert current_submission(window.db, KITA.id, "kita", YEAR).state is State.RECEIVED
    assert names(folders.inbox) == []
    assert names(folders.archive) == [SENT]


@pytest.fixture
def webdav_folder(dav_server):
    """A fresh folder on the WebDAV server that the institutions upload into, and its address."""
    root, url = dav_server
    folder = tempfile.mkdtemp(prefix="Eingang-", dir=root)
    return folder, url + os.path.basename(folder) + "/"


@pytest.fixture
def webdav_answers(monkeypatch):
    """The officer's answers to the WebDAV questions; records what the dialog offered them (URL, user)."""
    answers = {"answer": None, "offered": []}

    def ask_webdav(parent, url, user):
        answers["offered"].append((url, user))
        return answers["answer"]

    monkeypatch.setattr(dialogs, "ask_webdav", ask_webdav)
    return answers


def test_webdav_dry_run_commit_and_fetching_again(qtbot, town, fake_dialogs, webdav_folder, webdav_answers):
    path, sent, tampered = town
    folder, url = webdav_folder
    shutil.copy(sent, os.path.join(folder, SENT))
    shutil.copy(tampered, os.path.join(folder, TAMPERED))
    folders = exchange_folders(path)
    fake_dialogs.passphrase = OFFICER_PASSPHRASE
    window, panel = open_exchange_tab(qtbot, path)
    webdav_answers["answer"] = (url, USER, PASSWORD)

    click(qtbot, panel.webdav_button)
    assert webdav_answers["offered"] == [("", "")]  # nothing remembered yet
    assert not fake_dialogs.errors
    assert panel.summary.text() == DRY_RUN + "1 importiert, 0 aktualisiert, 0 unverändert, 1 abgelehnt, 0 Konflikt"
    rows = table(panel)
    assert rows[SENT][0] == "importiert"
    assert rows[TAMPERED][0] == "abgelehnt" and BROKEN in rows[TAMPERED][1]
    assert sorted(os.listdir(folder)) == sorted([SENT, TAMPERED])  # still on the server, untouched
    assert current_submission(window.db, KITA.id, "kita", YEAR) is None

    # The officer takes it over with the keyboard: Alt+Ü is "Jetzt &übernehmen"; a mnemonic clicks after a short
    # animation, so wait for the result.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_Udiaeresis, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.summary.text().startswith("Eingelesen: "))
    assert not fake_dialogs.errors
    assert panel.summary.text() == "Eingelesen: 1 importiert, 0 aktualisiert, 0 unverändert, 1 abgelehnt, 0 Konflikt"
    assert current_submission(window.db, KITA.id, "kita", YEAR).state is State.RECEIVED
    # On the server: moved beside the inbox, never deleted.
    assert sorted(os.listdir(folder)) == ["archiv", "quarantaene"]
    assert os.listdir(os.path.join(folder, "archiv")) == [SENT]
    assert os.listdir(os.path.join(folder, "quarantaene")) == [TAMPERED]
    # On the officer's computer: the original in the archive, the tampered copy in quarantine with its reason.
    assert names(folders.archive) == [SENT]
    assert (folders.archive / SENT).read_bytes() == sent.read_bytes()
    assert names(folders.quarantine) == [TAMPERED, TAMPERED + REASON_SUFFIX]
    reason = (folders.quarantine / (TAMPERED + REASON_SUFFIX)).read_text(encoding="utf-8")
    assert BROKEN in reason and "WebDAV: " in reason

    click(qtbot, panel.webdav_button)  # nothing new on the server
    assert webdav_answers["offered"][-1] == (url, USER)  # address and user are remembered, the password is not
    assert panel.summary.text() == DRY_RUN + NOTHING
    assert panel.results.rowCount() == 0
    assert not panel.commit_button.isEnabled()

    shutil.copy(sent, os.path.join(folder, SENT))  # the Kita uploads the same file again
    click(qtbot, panel.webdav_button)
    assert table(panel) == {SENT: ("unverändert", "bereits importiert")}
    click(qtbot, panel.commit_button)
    assert panel.summary.text() == "Eingelesen: 0 importiert, 0 aktualisiert, 1 unverändert, 0 abgelehnt, 0 Konflikt"
    assert sorted(os.listdir(os.path.join(folder, "archiv"))) == sorted([SENT, "Kita_Loewenzahn_2024 (2).imon"])
    assert len(revisions(window.db, KITA.id, "kita", YEAR)) == 1
    assert not fake_dialogs.errors


def test_webdav_cancelled_or_wrong_password_changes_nothing(qtbot, town, fake_dialogs, webdav_folder,
                                                           webdav_answers):
    path, sent, _tampered = town
    folder, url = webdav_folder
    shutil.copy(sent, os.path.join(folder, SENT))
    folders = exchange_folders(path)
    fake_dialogs.passphrase = OFFICER_PASSPHRASE
    window, panel = open_exchange_tab(qtbot, path)

    webdav_answers["answer"] = None  # the officer cancels the address question
    click(qtbot, panel.webdav_button)
    assert len(webdav_answers["offered"]) == 1
    assert panel.summary.text() == "" and not fake_dialogs.errors

    webdav_answers["answer"] = (url, USER, "falsches-Kennwort")
    click(qtbot, panel.webdav_button)
    assert len(fake_dialogs.errors) == 1
    assert "Benutzername oder Passwort für den WebDAV-Server 127.0.0.1 stimmen nicht" in fake_dialogs.errors[0]
    assert panel.summary.text() == "" and panel.results.rowCount() == 0
    assert not panel.commit_button.isEnabled()
    assert os.listdir(folder) == [SENT]
    assert names(folders.archive) == names(folders.quarantine) == []
    assert current_submission(window.db, KITA.id, "kita", YEAR) is None

    webdav_answers["answer"] = (url, USER, PASSWORD)  # second try with the right password
    click(qtbot, panel.webdav_button)
    assert webdav_answers["offered"][-1] == (url, USER)
    assert panel.summary.text() == DRY_RUN + "1 importiert, 0 aktualisiert, 0 unverändert, 0 abgelehnt, 0 Konflikt"
    assert len(fake_dialogs.errors) == 1


def test_a_file_arriving_after_the_preview_is_not_taken_over_unseen(qtbot, town, fake_dialogs):
    path, sent, tampered = town
    folders = exchange_folders(path)
    folders.inbox.mkdir(parents=True)
    shutil.copy(sent, folders.inbox / SENT)
    fake_dialogs.passphrase = OFFICER_PASSPHRASE
    window, panel = open_exchange_tab(qtbot, path)
    click(qtbot, panel.inbox_button)
    assert set(table(panel)) == {SENT}
    shutil.copy(tampered, folders.inbox / TAMPERED)  # lands while the officer reads the preview
    click(qtbot, panel.commit_button)
    assert panel.summary.text() == ("Eingelesen: 1 importiert, 0 aktualisiert, 0 unverändert, 0 abgelehnt, 0 Konflikt"
                                    " – 1 Datei kam nach dem Probelauf an und bleibt für den nächsten Abruf liegen.")
    assert names(folders.inbox) == [TAMPERED] and names(folders.quarantine) == []
    click(qtbot, panel.inbox_button)  # the next preview shows it
    assert table(panel)[TAMPERED][0] == "abgelehnt"


def test_a_plain_http_webdav_address_is_refused_with_a_message(qtbot, town, fake_dialogs, webdav_answers):
    """Security issue, finding 11b: the password would travel readable; the officer is told to use https://."""
    path, _sent, _tampered = town
    fake_dialogs.passphrase = OFFICER_PASSPHRASE
    window, panel = open_exchange_tab(qtbot, path)
    webdav_answers["answer"] = ("http://cloud.example.de/dav/Eingang/", USER, PASSWORD)
    click(qtbot, panel.webdav_button)
    assert len(fake_dialogs.errors) == 1 and "https://" in fake_dialogs.errors[0]
    assert "unverschlüsselt" in fake_dialogs.errors[0]
