"""The WebDAV inbox: a folder on a file server (Nextcloud, ownCloud, IIS, Apache …) that institutions upload into.

Four verbs are enough (PROPFIND Depth 1, GET, MKCOL, MOVE), so this speaks them with http.client instead of
pulling in a client library. Handled files are moved on the server into "archiv/" or "quarantaene/" beside the
inbox, never deleted, and a local copy goes into the officer's archive or quarantine folder.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from common.file_names import numbered, safe_name
from common.i18n import _
from sync.submission_file import MAX_FILE_BYTES
from sync.transports import Incoming, TransportError, keep_copy, looks_like_submission, too_big

ARCHIVE, QUARANTINE = "archiv/", "quarantaene/"
MAX_LISTING_BYTES = 16 * 1024 * 1024
MAX_ANSWER_BYTES = 64 * 1024
_DAV = "{DAV:}"
_PROPFIND = (b'<?xml version="1.0" encoding="utf-8"?>\n<d:propfind xmlns:d="DAV:"><d:prop>'
             b"<d:resourcetype/><d:getcontentlength/></d:prop></d:propfind>")
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class RemoteFile:
    path: str  # percent-encoded path on the server, as sent in requests
    name: str  # the name as the server lists it, decoded; it may hold separators until safe_name() cleans it
    size: int | None


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    path: str  # where the request ended up after same-server redirects
    too_big: bool = False


def parse_listing(xml: bytes, folder: str) -> list[RemoteFile]:
    """The plain files directly inside `folder` (a percent-encoded path ending in "/") from a PROPFIND answer."""
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise TransportError(_("Der Server hat eine unverständliche Ordnerliste geschickt. Ist die Adresse ein "
                               "WebDAV-Ordner?")) from exc
    files = []
    for response in root.iter(_DAV + "response"):
        path = urlsplit((response.findtext(_DAV + "href") or "").strip()).path
        parent, _sep, leaf = path.rpartition("/")
        # Only direct children: the folder itself, subfolders and anything the server lists elsewhere are not ours.
        if not leaf or unquote(parent + "/").casefold() != unquote(folder).casefold():
            continue
        if response.find(f".//{_DAV}resourcetype/{_DAV}collection") is not None:
            continue
        name = unquote(leaf)
        size = _number(response.findtext(f".//{_DAV}getcontentlength"))
        files.append(RemoteFile(folder + quote(name, safe=""), name, size))
    return sorted(files, key=lambda f: f.name)


def _number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 20 else None


def _this_computer(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1: a connection that never leaves this computer."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebDavInbox:
    """A WebDAV folder as inbox; credentials go by HTTP Basic auth, so only https:// (plain http:// is refused
    unless the server is this computer itself)."""

    def __init__(self, url: str, user: str, password: str, archive_dir: Path, quarantine_dir: Path,
                 timeout: float = 30):
        parts = urlsplit(url.strip())
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname or port == -1:
            raise TransportError(_("„{url}“ ist keine WebDAV-Adresse. Sie beginnt mit https:// (oder http://), z. B. "
                                   "https://cloud.example.de/remote.php/dav/files/integration/Eingang/").format(url=url))
        self._scheme, self._host = parts.scheme.lower(), parts.hostname
        if self._scheme == "http" and not _this_computer(self._host):
            # Basic authentication over plain HTTP: user name, password and every submission file readable to
            # anyone on the way (Wi-Fi, the town's network, the provider). Only this computer itself may go without.
            raise TransportError(_("Die Adresse {url} ist unverschlüsselt (http://): Passwort und Meldungen wären "
                                   "für jeden im Netz mitlesbar. Bitte die Adresse mit https:// angeben; bietet der "
                                   "Server das nicht an, bitte die IT fragen.").format(url=url.strip()))
        self._port = port or (443 if self._scheme == "https" else 80)
        host = f"[{self._host}]" if ":" in self._host else self._host
        self._site = f"{self._scheme}://{host}" + (f":{port}" if port else "")
        # Typed folder names may hold spaces or umlauts; http.client sends only an encoded path.
        self._folder = quote(unquote(parts.path).rstrip("/"), safe="/") + "/"
        self._auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._tls = ssl.create_default_context() if self._scheme == "https" else None
        self.archive_dir, self.quarantine_dir, self.timeout = Path(archive_dir), Path(quarantine_dir), timeout
        self.skipped: list[str] = []
        self._pending: dict[str, str] = {}
        self._made: set[str] = set()

    @property
    def url(self) -> str:
        return self._site + self._folder

    def fetch(self) -> Iterator[Incoming]:
        self.skipped = []
        answer = self._request("PROPFIND", self._folder, {"Depth": "1", "Content-Type": "application/xml"},
                               _PROPFIND, MAX_LISTING_BYTES)
        if answer.status != 207:
            raise TransportError(self._status_problem(answer.status, self._folder))
        if answer.too_big:
            raise TransportError(_("Im WebDAV-Ordner {url} liegen zu viele Dateien. Bitte dort aufräumen.").format(
                url=self.url))
        self._folder = answer.path.split("?")[0].rstrip("/") + "/"
        for remote in parse_listing(answer.body, self._folder):
            if not looks_like_submission(remote.name):
                continue
            origin = "WebDAV: " + self._site + remote.path
            if remote.size is not None and remote.size > MAX_FILE_BYTES:
                item = Incoming(safe_name(remote.name), b"", origin, too_big(remote.name, remote.size))
            else:
                got = self._request("GET", remote.path, limit=MAX_FILE_BYTES)
                if got.status != 200:
                    if got.status != 404:  # 404: another program took it since the listing
                        self.skipped.append(self._status_problem(got.status, remote.path))
                    continue
                problem = too_big(remote.name, None) if got.too_big else ""
                item = Incoming(safe_name(remote.name), b"" if problem else got.body, origin, problem)
            self._pending[origin] = remote.path
            yield item

    def accepted(self, item: Incoming) -> None:
        self._file_away(item, ARCHIVE, self.archive_dir, None)

    def rejected(self, item: Incoming, reason: str) -> None:
        self._file_away(item, QUARANTINE, self.quarantine_dir, reason)

    def _file_away(self, item: Incoming, remote_folder: str, local_folder: Path, reason: str | None) -> None:
        path = self._pending.pop(item.origin, None)
        if path is None:
            return
        # The local copy first: if the server fails now, the officer still has the file, and it comes again.
        keep_copy(local_folder, item, reason)
        self._make_folder(remote_folder)
        for n in range(1, 1000):
            target = self._site + self._folder + remote_folder + quote(numbered(item.name, n), safe="")
            answer = self._request("MOVE", path, {"Destination": target, "Overwrite": "F"})
            if answer.status in (200, 201, 204, 404):
                return
            if answer.status != 412:  # 412: that name is taken; never overwrite, try the next number
                raise TransportError(self._status_problem(answer.status, path))
        raise TransportError(_("Im Ordner {folder} auf dem Server gibt es zu viele Dateien namens {name}.").format(
            folder=remote_folder, name=item.name))

    def _make_folder(self, sub: str) -> None:
        if sub not in self._made:
            answer = self._request("MKCOL", self._folder + sub)
            if answer.status not in (200, 201, 405):  # 405: it exists already
                raise TransportError(self._status_problem(answer.status, self._folder + sub))
            self._made.add(sub)

    def _request(self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None,
                 limit: int = MAX_ANSWER_BYTES) -> _Answer:
        for _hop in range(5):
            if self._tls is not None:
                conn = http.client.HTTPSConnection(self._host, self._port, timeout=self.timeout, context=self._tls)
            else:
                conn = http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
            try:
                conn.request(method, path, body, {"Authorization": self._auth, "User-Agent": "Integrationsmonitor",
                                                  **(headers or {})})
                response = conn.getresponse()
                if response.status in _REDIRECTS:
                    path = self._same_server(response.getheader("Location") or "", path)
                    continue
                declared = _number(response.getheader("Content-Length"))
                if declared is not None and declared > limit:
                    return _Answer(response.status, b"", path, too_big=True)  # not even started on
                data = response.read(limit + 1)
                return _Answer(response.status, data[:limit], path, too_big=len(data) > limit)
            except (OSError, http.client.HTTPException, ValueError) as exc:  # ValueError: a garbled redirect
                raise TransportError(self._unreachable(exc)) from exc
            finally:
                conn.close()
        raise TransportError(_("Der Server {host} leitet immer wieder um. Bitte die Adresse prüfen.").format(
            host=self._host))

    def _same_server(self, location: str, path: str) -> str:
        """The redirect's path if it stays on this server; the password is never sent anywhere else."""
        target = urlsplit(urljoin(self._site + path, location))
        try:
            same = (target.scheme, target.hostname, target.port or self._port) == (self._scheme, self._host, self._port)
        except ValueError:
            same = False
        if not same:
            elsewhere = f"{target.scheme}://{target.netloc.rpartition('@')[2]}"
            raise TransportError(_("Der Server {host} leitet auf eine andere Adresse um ({target}). Der Umleitung "
                                   "wird aus Sicherheitsgründen nicht gefolgt; bitte die WebDAV-Adresse "
                                   "prüfen.").format(host=self._host, target=elsewhere))
        return target.path + (f"?{target.query}" if target.query else "")

    def _unreachable(self, exc: Exception) -> str:
        host, detail = self._host, getattr(exc, "verify_message", None) or getattr(exc, "reason", None) or exc
        if isinstance(exc, ssl.SSLCertVerificationError):
            return _("Das Zertifikat des Servers {host} ist nicht gültig ({detail}). Die Verbindung wurde nicht "
                     "aufgebaut, damit Passwort und Meldungen nicht in falsche Hände geraten. Bitte die Adresse prüfen "
                     "oder die IT fragen.").format(host=host, detail=detail)
        if isinstance(exc, ssl.SSLError):
            return _("Die verschlüsselte Verbindung zu {host} ist gescheitert ({detail}). Bitte prüfen, ob die Adresse "
                     "mit https:// oder mit http:// beginnen muss.").format(host=host, detail=detail)
        if isinstance(exc, socket.gaierror):
            return _("Den Server {host} gibt es nicht, oder der Rechner ist nicht mit dem Netz verbunden. Bitte die "
                     "Adresse und die Internetverbindung prüfen.").format(host=host)
        if isinstance(exc, TimeoutError):
            return _("Der Server {host} antwortet nicht (nach {seconds:g} Sekunden). Bitte später erneut versuchen "
                     "oder die Internetverbindung prüfen.").format(host=host, seconds=self.timeout)
        if isinstance(exc, ConnectionRefusedError):
            return _("Der Server {host} ist nicht erreichbar: die Verbindung wurde abgelehnt. Bitte Adresse und Port "
                     "prüfen oder später erneut versuchen.").format(host=host)
        if isinstance(exc, (http.client.HTTPException, ValueError)):
            return _("Der Server {host} hat unverständlich geantwortet ({detail}). Ist die Adresse ein "
                     "WebDAV-Ordner?").format(host=host, detail=type(exc).__name__)
        return _("Der Server {host} ist nicht erreichbar ({detail}). Bitte die Internetverbindung prüfen.").format(
            host=host, detail=getattr(exc, "strerror", None) or exc)

    def _status_problem(self, status: int, path: str) -> str:
        # Decoded for umlauts and spaces, but kept encoded if a name holds characters that could fool the eye.
        url = self._site + (unquote(path) if unquote(path).isprintable() else path)
        if status == 401:
            return _("Benutzername oder Passwort für den WebDAV-Server {host} stimmen nicht. Bitte in den "
                     "Einstellungen prüfen.").format(host=self._host)
        if status == 403:
            return _("Der Zugriff auf {url} ist diesem Benutzer nicht erlaubt. Bitte die Freigabe prüfen.").format(
                url=url)
        if status == 404:
            return _("{url} gibt es auf dem Server nicht. Bitte die Adresse prüfen.").format(url=url)
        if status in (200, 405, 501):  # 200 to PROPFIND: a plain web server that ignored the verb
            return _("{url} ist kein WebDAV-Ordner. Bitte die Adresse prüfen.").format(url=url)
        if status == 507:
            return _("Auf dem WebDAV-Server {host} ist kein Platz mehr.").format(host=self._host)
        return _("Der WebDAV-Server {host} hat mit dem Fehler {status} geantwortet ({url}). Bitte später erneut "
                 "versuchen oder die IT fragen.").format(host=self._host, status=status, url=url)
