"""Where submission files come from: picked files, the inbox folder and a real WebDAV server on 127.0.0.1."""

import contextlib
import http.server
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date

import pytest

from common.file_names import safe_name
from sync.submission_file import MAX_FILE_BYTES
from sync.transports import FileSource, FolderInbox, TransportError
from sync.webdav import WebDavInbox, parse_listing
from tests.sync.conftest import PASSWORD, USER

TWO_GB = 2 * 1024**3


def files_under(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def put(folder, name, data=b"Meldung"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


@pytest.fixture
def office(tmp_path):
    """The officer's own archive and quarantine folders."""
    return tmp_path / "Archiv", tmp_path / "Quarantaene"


# --- the inbox folder ----------------------------------------------------------------------------------------------

def test_inbox_offers_finished_submission_files_only(tmp_path, office):
    inbox = tmp_path / "Eingang"
    put(inbox, "schule-1.imon", b"eins")
    put(inbox, "KITA-2.IMON", b"zwei")
    for name in (".versteckt.imon", "~$schule-1.imon", ".~lock.schule-1.imon#", "schule-3.imon.tmp",
                 "schule-4.imon.partial", "Anschreiben.docx"):
        put(inbox, name)
    put(inbox / "Unterordner", "schule-5.imon")
    source = FolderInbox(inbox, *office, settle_seconds=0)
    items = list(source.fetch())
    assert [(i.name, i.data) for i in items] == [("KITA-2.IMON", b"zwei"), ("schule-1.imon", b"eins")]
    assert items[1].origin == f"Eingangsordner: {inbox / 'schule-1.imon'}" and not items[1].problem


def test_inbox_moves_accepted_files_to_the_archive_and_rejected_ones_to_quarantine(tmp_path, office):
    inbox, (archive, quarantine) = tmp_path / "Eingang", office
    put(inbox, "gut.imon", b"gut")
    put(inbox, "kaputt.imon", b"kaputt")
    source = FolderInbox(inbox, archive, quarantine, settle_seconds=0)
    for item in source.fetch():
        if item.name == "gut.imon":
            source.accepted(item)
        else:
            source.rejected(item, "Die Prüfsumme stimmt nicht.")
    assert files_under(inbox) == []
    assert (archive / "gut.imon").read_bytes() == b"gut"
    assert (quarantine / "kaputt.imon").read_bytes() == b"kaputt"
    reason = (quarantine / "kaputt.imon.grund.txt").read_text(encoding="utf-8")
    assert "Die Prüfsumme stimmt nicht." in reason and date.today().strftime("%d.%m.%Y") in reason
    assert f"Eingangsordner: {inbox / 'kaputt.imon'}" in reason
    assert list(source.fetch()) == []


def test_nothing_is_overwritten_on_a_name_clash(tmp_path, office):
    inbox, (archive, quarantine) = tmp_path / "Eingang", office
    put(archive, "a.imon", b"alt 1")
    put(archive, "a (2).imon", b"alt 2")
    put(quarantine, "b.imon.grund.txt", b"alter Grund")  # a reason whose file was too big to copy
    put(inbox, "a.imon", b"neu a")
    put(inbox, "b.imon", b"neu b")
    source = FolderInbox(inbox, archive, quarantine, settle_seconds=0)
    a, b = source.fetch()
    source.accepted(a)
    source.rejected(b, "abgelehnt")
    names = ("a.imon", "a (2).imon", "a (3).imon")
    assert [(archive / n).read_bytes() for n in names] == [b"alt 1", b"alt 2", b"neu a"]
    assert (quarantine / "b.imon.grund.txt").read_bytes() == b"alter Grund"
    assert (quarantine / "b (2).imon").read_bytes() == b"neu b"
    assert "abgelehnt" in (quarantine / "b (2).imon.grund.txt").read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes in names")
def test_hostile_local_names_stay_inside_the_officers_folders(tmp_path, office):
    inbox = tmp_path / "Eingang"
    put(inbox, "..\\..\\boot.imon", b"backslashes")
    put(inbox, "\u202egnp.imon", b"rechts-nach-links")
    put(inbox, "a..b.imon", b"punkte")
    put(inbox, os.fsdecode(b"\xff.imon"), b"kein UTF-8")
    source = FolderInbox(inbox, *office, settle_seconds=0)
    items = {i.name: i for i in source.fetch()}
    assert sorted(items) == ["_.imon", "a..b.imon", "boot.imon", "gnp.imon"]
    assert items["gnp.imon"].origin == f"Eingangsordner: {inbox}/\\u202egnp.imon"  # shown, not obeyed
    for name in ("a..b.imon", "boot.imon", "gnp.imon"):
        source.accepted(items[name])
    source.rejected(items["_.imon"], "abgelehnt")
    assert files_under(tmp_path) == ["Archiv/a..b.imon", "Archiv/boot.imon", "Archiv/gnp.imon",
                                     "Quarantaene/_.imon", "Quarantaene/_.imon.grund.txt"]
    assert "\\udcff.imon" in (office[1] / "_.imon.grund.txt").read_text(encoding="utf-8")


def test_a_file_still_being_written_is_left_for_next_time(tmp_path, office):
    inbox = tmp_path / "Eingang"
    put(inbox, "fertig.imon", b"fertig")
    growing, stop = put(inbox, "kommt-noch.imon", b"x"), threading.Event()

    def sync_client_writes():
        with open(growing, "ab") as fh:
            while not stop.is_set():
                fh.write(b"x")
                fh.flush()
                time.sleep(0.005)

    writer = threading.Thread(target=sync_client_writes)
    writer.start()
    try:
        source = FolderInbox(inbox, *office, settle_seconds=0.2)
        assert [i.name for i in source.fetch()] == ["fertig.imon"]
        assert "kommt-noch.imon wird gerade noch geschrieben" in source.skipped[0]
    finally:
        stop.set()
        writer.join()
    assert [i.name for i in FolderInbox(inbox, *office, settle_seconds=0).fetch()] == ["fertig.imon", "kommt-noch.imon"]


def test_a_file_replaced_after_reading_stays_in_the_inbox(tmp_path, office):
    inbox = tmp_path / "Eingang"
    path = put(inbox, "a.imon", b"Fassung 1")
    source = FolderInbox(inbox, *office, settle_seconds=0)
    (item,) = source.fetch()
    path.write_bytes(b"Fassung 2, von der Einrichtung nachgeschickt")
    source.accepted(item)
    assert path.read_bytes() == b"Fassung 2, von der Einrichtung nachgeschickt"
    # The archive keeps what was imported, the new file waits for the next import.
    assert files_under(office[0].parent) == ["Archiv/a.imon", "Eingang/a.imon"]
    assert (office[0] / "a.imon").read_bytes() == b"Fassung 1"


@pytest.mark.parametrize("outcome", ["accepted", "rejected"])
def test_a_swap_of_the_same_size_and_time_does_not_put_other_bytes_in_the_archive(tmp_path, office, outcome):
    """Same size, same inode, the old modification time put back: the bytes that were read go to the archive or
    the quarantine, and the swapped file stays in the inbox (security issue, finding 10)."""
    inbox = tmp_path / "Eingang"
    path = put(inbox, "a.imon", b"echte Meldung")
    source = FolderInbox(inbox, *office, settle_seconds=0)
    (item,) = source.fetch()
    before = os.stat(path)
    with open(path, "r+b") as fh:  # in place: the inode stays
        fh.write(b"andere Bytes!")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    if outcome == "accepted":
        source.accepted(item)
    else:
        source.rejected(item, "Grund")
    kept = office[0] if outcome == "accepted" else office[1]
    assert (kept / "a.imon").read_bytes() == b"echte Meldung"
    assert path.read_bytes() == b"andere Bytes!"
    assert b"andere Bytes!" not in b"".join(p.read_bytes() for p in kept.iterdir())


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name != "posix", reason=(
    "symbolic links need administrator rights on Windows, where the inbox skips reparse points; runs on Linux, macOS "
    "and CI"))
def test_a_symlink_in_the_inbox_is_neither_read_nor_moved(tmp_path, office):
    inbox, outside = tmp_path / "Eingang", tmp_path / "woanders"
    secret = put(outside, "geheim.imon", b"Datei ausserhalb des Eingangs")
    put(inbox, "echt.imon", b"echt")
    (inbox / "link.imon").symlink_to(secret)
    source = FolderInbox(inbox, *office, settle_seconds=0)
    items = list(source.fetch())
    assert [i.name for i in items] == ["echt.imon"]
    assert any("link.imon" in s and "Verknüpfung" in s for s in source.skipped)
    for item in items:
        source.accepted(item)
    assert secret.read_bytes() == b"Datei ausserhalb des Eingangs"
    assert (inbox / "link.imon").is_symlink()
    assert all(b"ausserhalb" not in p.read_bytes() for p in office[0].iterdir())


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason=(
    "Windows has no O_NOFOLLOW; the inbox skips links there before opening; runs on Linux, macOS and CI"))
def test_a_file_turned_into_a_symlink_after_listing_is_not_followed(tmp_path, office):
    inbox, outside = tmp_path / "Eingang", tmp_path / "woanders"
    secret = put(outside, "geheim.imon", b"Datei ausserhalb des Eingangs")
    path = put(inbox, "a.imon", b"x")
    source = FolderInbox(inbox, *office, settle_seconds=0)
    from sync.transports import read_capped

    path.unlink()
    path.symlink_to(secret)
    read = read_capped(path, "Eingangsordner", follow_symlinks=False)
    assert read is None or read[0].data == b""
    assert [i.data for i in source.fetch()] == []


def test_a_2_gb_file_is_reported_too_big_without_being_read(tmp_path, office):
    inbox, (archive, quarantine) = tmp_path / "Eingang", office
    with open(put(inbox, "riesig.imon", b""), "wb") as fh:
        fh.truncate(TWO_GB)  # sparse: takes no disk space, but reading it would take 2 GB of memory
    started = time.perf_counter()
    source = FolderInbox(inbox, archive, quarantine, settle_seconds=0)
    (item,) = source.fetch()
    (picked,) = FileSource([inbox / "riesig.imon"], archive, quarantine).fetch()
    assert time.perf_counter() - started < 0.5
    for found in (item, picked):
        assert found.data == b"" and "riesig.imon ist zu groß (2147 MB)" in found.problem
    source.rejected(item, item.problem)
    assert (quarantine / "riesig.imon").stat().st_size == TWO_GB and files_under(inbox) == []
    assert "zu groß" in (quarantine / "riesig.imon.grund.txt").read_text(encoding="utf-8")


def test_a_file_just_over_the_limit_is_too_big(tmp_path, office):
    put(tmp_path / "Eingang", "knapp.imon", b"x" * (MAX_FILE_BYTES + 1))
    (item,) = FolderInbox(tmp_path / "Eingang", *office, settle_seconds=0).fetch()
    assert item.data == b"" and "zu groß" in item.problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_never_hangs_the_import(tmp_path, office):
    os.mkfifo(tmp_path / "rohr.imon")
    assert list(FolderInbox(tmp_path, *office, settle_seconds=0).fetch()) == []
    (item,) = FileSource([tmp_path / "rohr.imon"], *office).fetch()
    assert "keine gewöhnliche Datei" in item.problem


def test_a_missing_inbox_folder_is_explained(tmp_path, office):
    with pytest.raises(TransportError, match="Den Ordner .*Netzlaufwerk gibt es nicht. Ist das Netzlaufwerk verbunden"):
        list(FolderInbox(tmp_path / "Netzlaufwerk", *office, settle_seconds=0).fetch())


# --- picked and dropped files --------------------------------------------------------------------------------------

def test_picked_files_and_folders_are_read_once_and_never_touched(tmp_path, office):
    archive, quarantine = office
    picked = put(tmp_path / "Downloads", "von-der-kita.imon", b"kita")
    folder = tmp_path / "Stick"
    put(folder, "schule.imon", b"schule")
    put(folder, ".versteckt.imon")
    put(folder, "liesmich.txt")
    put(folder / "alt", "2019.imon")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    source = FileSource([picked, folder, picked], archive, quarantine)
    items = list(source.fetch())
    assert [(i.name, i.data) for i in items] == [("von-der-kita.imon", b"kita"), ("schule.imon", b"schule")]
    assert items[0].origin == f"Datei: {picked}"
    source.accepted(items[0])
    source.rejected(items[1], "Unbekannte Einrichtung")
    assert all(p.read_bytes() == data for p, data in before.items())
    assert (archive / "von-der-kita.imon").read_bytes() == b"kita"
    assert (quarantine / "schule.imon").read_bytes() == b"schule"
    assert "Unbekannte Einrichtung" in (quarantine / "schule.imon.grund.txt").read_text(encoding="utf-8")


def test_a_missing_picked_file_stops_before_anything_is_read(tmp_path, office):
    put(tmp_path, "da.imon")
    with pytest.raises(TransportError, match="weg.imon gibt es nicht"):
        list(FileSource([tmp_path / "da.imon", tmp_path / "weg.imon"], *office).fetch())


# --- WebDAV --------------------------------------------------------------------------------------------------------

@pytest.fixture
def dav(dav_server):
    """A fresh folder on the server and its URL."""
    root, url = dav_server
    folder = tempfile.mkdtemp(prefix="Eingang-", dir=root)
    return root / os.path.basename(folder), url + os.path.basename(folder) + "/"


def test_webdav_offers_the_submission_files_of_its_folder(dav, office):
    folder, url = dav
    put(folder, "schule-1.imon", b"eins")
    put(folder, "kita-2.imon", b"zwei")
    for name in (".versteckt.imon", "~$schule-1.imon", "schule-3.imon.part", "Anschreiben.pdf"):
        put(folder, name)
    put(folder / "Unterordner", "schule-5.imon")
    items = list(WebDavInbox(url, USER, PASSWORD, *office).fetch())
    assert [(i.name, i.data) for i in items] == [("kita-2.imon", b"zwei"), ("schule-1.imon", b"eins")]
    assert items[1].origin == f"WebDAV: {url}schule-1.imon"


def test_webdav_moves_handled_files_on_the_server_and_keeps_local_copies(dav, office):
    (folder, url), (archive, quarantine) = dav, office
    put(folder, "gut.imon", b"gut")
    put(folder, "kaputt.imon", b"kaputt")
    source = WebDavInbox(url, USER, PASSWORD, archive, quarantine)
    for item in source.fetch():
        if item.name == "gut.imon":
            source.accepted(item)
        else:
            source.rejected(item, "Die Signatur stimmt nicht.")
    assert files_under(folder) == ["archiv/gut.imon", "quarantaene/kaputt.imon"]
    assert (folder / "archiv" / "gut.imon").read_bytes() == (archive / "gut.imon").read_bytes() == b"gut"
    assert (quarantine / "kaputt.imon").read_bytes() == b"kaputt"
    reason = (quarantine / "kaputt.imon.grund.txt").read_text(encoding="utf-8")
    assert "Die Signatur stimmt nicht." in reason and f"WebDAV: {url}kaputt.imon" in reason
    assert list(source.fetch()) == []


def test_webdav_never_overwrites_on_the_server_or_locally(dav, office):
    (folder, url), (archive, _quarantine) = dav, office
    put(folder / "archiv", "a.imon", b"alt auf dem Server")
    put(archive, "a.imon", b"alt im Archiv")
    put(folder, "a.imon", b"neu")
    source = WebDavInbox(url, USER, PASSWORD, *office)
    (item,) = source.fetch()
    source.accepted(item)
    assert (folder / "archiv" / "a.imon").read_bytes() == b"alt auf dem Server"
    assert (folder / "archiv" / "a (2).imon").read_bytes() == b"neu"
    assert (archive / "a.imon").read_bytes() == b"alt im Archiv"
    assert (archive / "a (2).imon").read_bytes() == b"neu"


def test_hostile_remote_names_stay_inside_the_officers_folders(dav, office, tmp_path):
    (folder, url), (archive, quarantine) = dav, office
    put(folder, "..\\..\\boot.imon", b"backslashes")  # a plain name on Linux, a path on Windows
    put(folder, "a..b.imon", b"punkte")
    put(folder, "\u202egnp.imon", b"rechts-nach-links")
    source = WebDavInbox(url, USER, PASSWORD, archive, quarantine)
    items = {i.name: i for i in source.fetch()}
    assert sorted(items) == ["a..b.imon", "boot.imon", "gnp.imon"]
    source.accepted(items["boot.imon"])
    source.accepted(items["a..b.imon"])
    source.rejected(items["gnp.imon"], "abgelehnt")
    assert files_under(tmp_path) == ["Archiv/a..b.imon", "Archiv/boot.imon",
                                     "Quarantaene/gnp.imon", "Quarantaene/gnp.imon.grund.txt"]
    assert files_under(folder) == ["archiv/a..b.imon", "archiv/boot.imon", "quarantaene/gnp.imon"]


def test_listing_keeps_only_plain_files_directly_in_the_folder():
    xml = b"""<?xml version="1.0" encoding="utf-8"?>
    <d:multistatus xmlns:d="DAV:">
      <d:response><d:href>/dav/Eingang/</d:href>
        <d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop></d:propstat></d:response>
      <d:response><d:href>/dav/Eingang/..%2F..%2Fetc%2Fcron.imon</d:href>
        <d:propstat><d:prop><d:resourcetype/><d:getcontentlength>12</d:getcontentlength></d:prop></d:propstat>
      </d:response>
      <d:response><d:href>https://example.invalid/dav/Eingang/Sch%C3%BCle%201.imon</d:href></d:response>
      <d:response><d:href>/dav/Eingang/archiv/</d:href>
        <d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop></d:propstat></d:response>
      <d:response><d:href>/dav/anderswo/fremd.imon</d:href></d:response>
      <d:response><d:href>/dav/Eingang/archiv/alt.imon</d:href></d:response>
    </d:multistatus>"""
    files = parse_listing(xml, "/dav/Eingang/")
    assert [(f.name, f.path, f.size) for f in files] == [
        ("../../etc/cron.imon", "/dav/Eingang/..%2F..%2Fetc%2Fcron.imon", 12),
        ("Schüle 1.imon", "/dav/Eingang/Sch%C3%BCle%201.imon", None),
    ]
    assert safe_name(files[0].name) == "cron.imon"


def test_listing_refuses_xml_bombs():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<d:multistatus xmlns:d="DAV:"><d:response><d:href>&b;</d:href></d:response></d:multistatus>')
    with pytest.raises(TransportError, match="unverständliche Ordnerliste"):
        parse_listing(bomb, "/dav/")


def test_webdav_does_not_download_a_2_gb_file(dav, office):
    (folder, url), (_archive, quarantine) = dav, office
    with open(put(folder, "riesig.imon", b""), "wb") as fh:
        fh.truncate(TWO_GB)
    started = time.perf_counter()
    source = WebDavInbox(url, USER, PASSWORD, *office)
    (item,) = source.fetch()
    assert time.perf_counter() - started < 0.5
    assert item.data == b"" and "riesig.imon ist zu groß (2147 MB)" in item.problem
    source.rejected(item, item.problem)
    assert (folder / "quarantaene" / "riesig.imon").stat().st_size == TWO_GB
    assert files_under(quarantine) == ["riesig.imon.grund.txt"]


def test_wrong_password(dav, office):
    _folder, url = dav
    with pytest.raises(TransportError, match="Benutzername oder Passwort für den WebDAV-Server 127.0.0.1 stimmen"):
        list(WebDavInbox(url, USER, "falsch", *office).fetch())


def test_missing_remote_folder(dav_server, office):
    _root, url = dav_server
    with pytest.raises(TransportError, match="/dav/gibt-es-nicht/ gibt es auf dem Server nicht"):
        list(WebDavInbox(url + "gibt-es-nicht", USER, PASSWORD, *office).fetch())


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_server_is_reported_quickly(office):
    started = time.perf_counter()
    with pytest.raises(TransportError, match="127.0.0.1 ist nicht erreichbar: die Verbindung wurde abgelehnt"):
        list(WebDavInbox(f"http://127.0.0.1:{free_port()}/dav/", USER, PASSWORD, *office, timeout=1).fetch())
    assert time.perf_counter() - started < 1


def test_a_server_that_never_answers_times_out(office):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/dav/"
        with pytest.raises(TransportError, match=r"antwortet nicht \(nach 0.2 Sekunden\)"):
            list(WebDavInbox(url, USER, PASSWORD, *office, timeout=0.2).fetch())


def test_https_to_a_plain_http_server_is_a_tls_error(dav, office):
    _folder, url = dav
    with pytest.raises(TransportError, match="verschlüsselte Verbindung zu 127.0.0.1 ist gescheitert"):
        list(WebDavInbox(url.replace("http:", "https:"), USER, PASSWORD, *office, timeout=2).fetch())


# Needs the openssl command; .ci/run installs it, so this runs wherever the suite is meant to pass.
def test_a_self_signed_certificate_is_refused(tmp_path, office):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-subj", "/CN=127.0.0.1", "-days", "1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(5)

        def serve_one_handshake():
            conn, _addr = listener.accept()
            with conn, context.wrap_socket(conn, server_side=True, do_handshake_on_connect=False) as tls:
                tls.settimeout(5)
                with contextlib.suppress(ssl.SSLError, OSError):  # the client hangs up on the certificate
                    tls.do_handshake()

        server = threading.Thread(target=serve_one_handshake)
        server.start()
        url = f"https://127.0.0.1:{listener.getsockname()[1]}/dav/"
        with pytest.raises(TransportError, match="Das Zertifikat des Servers 127.0.0.1 ist nicht gültig"):
            list(WebDavInbox(url, USER, PASSWORD, *office, timeout=2).fetch())
        server.join(timeout=5)


class Redirecting(http.server.BaseHTTPRequestHandler):
    location = ""
    seen: list[str] = []

    def do_PROPFIND(self):  # noqa: N802 (the method name is the HTTP verb)
        self.seen.append(self.path)
        self.send_response(301)
        self.send_header("Location", self.location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_redirect_to_another_host_is_not_followed(office):
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirecting) as server:
        port = server.server_address[1]
        Redirecting.location, Redirecting.seen = f"http://localhost:{port}/anderswo/", []
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        try:
            with pytest.raises(TransportError, match=r"leitet auf eine andere Adresse um \(http://localhost:\d+\)"):
                list(WebDavInbox(f"http://127.0.0.1:{port}/dav/", USER, PASSWORD, *office, timeout=2).fetch())
        finally:
            server.shutdown()
            thread.join()
    assert Redirecting.seen == ["/dav/"]  # the password went nowhere else


def test_a_redirect_on_the_same_server_is_followed(dav, office):
    (folder, url), (archive, _quarantine) = dav, office
    put(folder, "a.imon", b"a")
    source = WebDavInbox(url.replace("/dav/", "/umgezogen/"), USER, PASSWORD, *office)
    (item,) = source.fetch()
    source.accepted(item)
    assert files_under(folder) == ["archiv/a.imon"] and files_under(archive) == ["a.imon"]


@pytest.mark.parametrize("url", ["ftp://server/Eingang/", "file:///etc/", "server/Eingang", "", "https://:443/",
                                 "http://server:99999/"])
def test_only_http_and_https_addresses(url, office):
    with pytest.raises(TransportError, match="keine WebDAV-Adresse"):
        WebDavInbox(url, USER, PASSWORD, *office)


@pytest.mark.parametrize("url", ["http://cloud.example.de/remote.php/dav/files/integration/Eingang/",
                                 "http://192.168.1.20/dav/", "HTTP://intranet/dav/", "http://127.0.0.1.example.de/"])
def test_plain_http_to_another_computer_is_refused_before_the_password_is_sent(url, office):
    """Basic authentication sends the password readable to everyone on the way (security issue, finding 11b)."""
    with pytest.raises(TransportError, match=r"unverschlüsselt.*https://"):
        WebDavInbox(url, USER, PASSWORD, *office)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/dav/", "http://localhost/dav/", "http://[::1]:8080/dav/",
                                 "https://cloud.example.de/dav/"])
def test_https_and_this_computer_itself_are_allowed(url, office):
    WebDavInbox(url, USER, PASSWORD, *office)
