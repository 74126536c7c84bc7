"""The officer's import through the inbox folder and a real WebDAV server, end to end with sealed files."""

import os
import shutil
import tempfile

from sync.importer import IMPORTED, REJECTED, UNCHANGED, import_from
from sync.transports import FolderInbox
from sync.webdav import WebDavInbox
from tests.sync.conftest import PASSWORD, USER
from tests.sync.exchange_helpers import export_revision, holder_db, kita_values, officer_db


def folders(tmp_path):
    archive, quarantine = tmp_path / "Archiv", tmp_path / "Quarantaene"
    return archive, quarantine


def test_inbox_folder_import_resend_and_tampered_copy(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    sent, _id = export_revision(holder, tmp_path, 2024, kita_values(40))
    inbox = tmp_path / "Eingang"
    inbox.mkdir()
    archive, quarantine = folders(tmp_path)
    shutil.copy(sent, inbox / sent.name)
    summary = import_from(officer, keys, FolderInbox(inbox, archive, quarantine, settle_seconds=0))
    assert summary.counts[IMPORTED] == 1 and list(inbox.iterdir()) == []
    assert [p.name for p in archive.iterdir()] == [sent.name]

    shutil.copy(sent, inbox / "nochmal.imon")  # the holder sent it twice
    tampered = bytearray(sent.read_bytes())
    tampered[-10] ^= 0xFF
    (inbox / "verändert.imon").write_bytes(bytes(tampered))
    summary = import_from(officer, keys, FolderInbox(inbox, archive, quarantine, settle_seconds=0))
    outcomes = {r.name: r.outcome for r in summary.results}
    assert outcomes == {"nochmal.imon": UNCHANGED, "verändert.imon": REJECTED}
    assert (quarantine / "verändert.imon").exists()
    assert "verändert" in (quarantine / "verändert.imon.grund.txt").read_text(encoding="utf-8")


def test_webdav_import_of_a_sealed_file(tmp_path, dav_server):
    root, url = dav_server
    folder = tempfile.mkdtemp(prefix="Rathaus-", dir=root)
    remote_url = url + os.path.basename(folder) + "/"
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    sent, _id = export_revision(holder, tmp_path, 2024, kita_values(40))
    shutil.copy(sent, os.path.join(folder, sent.name))
    archive, quarantine = folders(tmp_path)
    summary = import_from(officer, keys, WebDavInbox(remote_url, USER, PASSWORD, archive, quarantine))
    assert summary.counts[IMPORTED] == 1
    assert os.listdir(os.path.join(folder, "archiv")) == [sent.name]
    assert not os.path.exists(os.path.join(folder, sent.name))
    assert (archive / sent.name).exists()
