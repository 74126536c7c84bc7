"""Where submission files come from: files the officer picked, a shared inbox folder, a WebDAV folder (sync.webdav).
Returned Excel forms (.xlsx) travel the same ways.

A source hands each candidate file to the importer once and then hears what became of it: taken files go to the
archive, refused ones to the quarantine with a reason file beside them. A source deletes nothing that is not kept
elsewhere, and no name that came from outside is used on the local disk before safe_name() has cleaned it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from common.errors import UserError
from common.file_names import INVISIBLE, numbered, safe_name
from common.i18n import _
from store.files import create_private, describe_write_error, make_private, private_folder, write_atomically
from sync.submission_file import MAX_FILE_BYTES, SUFFIX

REASON_SUFFIX = ".grund.txt"


@dataclass(frozen=True)
class Incoming:
    name: str  # the file's own name, never a path; see safe_name()
    data: bytes
    origin: str  # for messages and logs, e.g. "Eingangsordner: /x/y.imon"
    problem: str = ""  # set when the file was not read (too big, unreadable): the importer rejects it with this


class Source(Protocol):
    skipped: list[str]  # files the last fetch left where they are, each with a German sentence why

    def fetch(self) -> Iterator[Incoming]: ...
    def accepted(self, item: Incoming) -> None: ...
    def rejected(self, item: Incoming, reason: str) -> None: ...


class TransportError(UserError):
    """A folder or server cannot be reached or used; the message says what to check."""


# A returned Excel form (sync.excel_form) comes in beside the submission files; what a file is, the importer tells
# by its content, so a renamed file is still read as what it is.
EXCEL_SUFFIX = ".xlsx"


def looks_like_submission(name: str) -> bool:
    """A finished submission file or Excel form by its name: hidden files and the temporary files of Office and
    sync clients ("~$x.imon", "~$x.xlsx", ".~lock.x.xlsx#", "x.imon.tmp", "x.imon.partial") are not."""
    base = re.split(r"[\\/]", name)[-1]
    return base.lower().endswith((SUFFIX, EXCEL_SUFFIX)) and not base.startswith((".", "~"))


def too_big(name: str, size: int | None) -> str:
    limit = MAX_FILE_BYTES / 1e6
    if size is None:
        return _("{name} ist größer als {limit:.0f} MB und damit keine Meldungsdatei; sie wurde nicht gelesen.").format(
            name=safe_name(name), limit=limit)
    return _("{name} ist zu groß ({mb:.0f} MB) für eine Meldungsdatei (höchstens {limit:.0f} MB); sie wurde nicht "
             "gelesen.").format(name=safe_name(name), mb=size / 1e6, limit=limit)


def reason_text(item: Incoming, reason: str) -> str:
    return _("Die Datei {name} wurde am {when} nicht übernommen.\n\nHerkunft: {origin}\nGrund: {reason}\n").format(
        name=item.name, when=datetime.now().strftime("%d.%m.%Y um %H:%M Uhr"), origin=item.origin, reason=reason)


def free_path(folder: Path, name: str) -> Path:
    """A path in `folder` where neither the file nor its reason file exists yet: nothing is ever overwritten."""
    name = safe_name(name)
    for n in range(1, 10_000):
        candidate = folder / numbered(name, n)
        if not os.path.lexists(candidate) and not os.path.lexists(reason_path(candidate)):
            return candidate
    raise TransportError(_("Im Ordner {folder} gibt es zu viele Dateien namens {name}.").format(
        folder=folder, name=name))


def reason_path(path: Path) -> Path:
    return path.with_name(path.name + REASON_SUFFIX)


def keep_copy(folder: Path, item: Incoming, reason: str | None) -> Path:
    """Writes the item's bytes into `folder` (unless it was never read) and, for a rejection, the reason beside it."""
    target = None
    try:
        private_folder(folder)
        target = free_path(folder, item.name)
        if not item.problem:
            # The original stays where the officer picked it (or on the server until moved): a copy, not durable.
            write_atomically(target, item.data, durable=False)
        if reason is not None:
            write_atomically(reason_path(target), reason_text(item, reason).encode("utf-8"), durable=False)
    except OSError as exc:
        # The cleaned name is made here only when free_path did not get to make it: once per file is enough.
        shown = target or folder / safe_name(item.name)
        raise TransportError(describe_write_error(exc, shown, _("Die Kopie"))) from exc
    return target


def read_capped(path: Path, origin: str, follow_symlinks: bool = True
                ) -> tuple[Incoming, tuple[int, int, int]] | None:
    """The file and its (size, mtime, inode) as read; None if it vanished. Never reads past MAX_FILE_BYTES.

    follow_symlinks=False (the inbox, where others put files): a symbolic link is not opened (O_NOFOLLOW), so a
    link put in as the file was listed cannot make the import read a file from elsewhere."""
    name, data, signature = safe_name(path.name), b"", (0, 0, 0)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)  # Windows has none; there list_candidates leaves links out
    try:
        # O_NONBLOCK: a FIFO named like a submission file would otherwise hang the import in open().
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if not follow_symlinks and os.path.islink(path):
            return Incoming(name, b"", origin, _link(name)), signature
        return Incoming(name, b"", origin, _unreadable(name, exc)), signature
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fd)
            signature = (st.st_size, st.st_mtime_ns, st.st_ino)
            if not stat.S_ISREG(st.st_mode):
                problem = _("{name} ist keine gewöhnliche Datei.").format(name=name)
            elif st.st_size > MAX_FILE_BYTES:
                problem = too_big(name, st.st_size)
            else:
                # As much as fstat saw and one byte more, not the cap: a buffer of the cap's size for each of
                # thousands of small files costs more than reading them. One byte more means it grew: read on.
                data = fh.read(st.st_size + 1)
                if len(data) > st.st_size:
                    data += fh.read(MAX_FILE_BYTES + 1 - len(data))
                problem = too_big(name, len(data)) if len(data) > MAX_FILE_BYTES else ""  # grew after the check
        except OSError as exc:
            problem = _unreadable(name, exc)
    return Incoming(name, b"" if problem else data, origin, problem), signature


def _link(name: str) -> str:
    return _("{name} ist eine Verknüpfung (ein Verweis auf eine andere Datei) und wurde nicht gelesen. Bitte die "
             "Datei selbst in den Eingangsordner legen.").format(name=name)


def _unreadable(name: str, exc: OSError) -> str:
    return _("{name} kann nicht gelesen werden ({err}).").format(name=name, err=exc.strerror or exc)


def _folder_problem(folder: Path, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return _("Den Ordner {folder} gibt es nicht. Ist das Netzlaufwerk verbunden? Bitte den Ordner in den "
                 "Einstellungen prüfen.").format(folder=folder)
    if isinstance(exc, NotADirectoryError):
        return _("{folder} ist kein Ordner. Bitte einen Ordner wählen.").format(folder=folder)
    if isinstance(exc, PermissionError):
        return _("Der Ordner {folder} darf nicht gelesen werden. Bitte die Zugriffsrechte prüfen.").format(
            folder=folder)
    return _("Der Ordner {folder} kann nicht gelesen werden ({err}).").format(folder=folder, err=exc.strerror or exc)


def list_candidates(folder: Path, links: list[str] | None = None) -> list[Path]:
    """The submission files directly in `folder`, sorted; hidden and temporary files left out, and symbolic links
    too: they may point anywhere on the officer's computer. Links that look like submissions are added to `links`
    with a German sentence."""
    try:
        with os.scandir(folder) as entries:
            found = []
            for e in entries:
                if not looks_like_submission(e.name):
                    continue
                if e.is_symlink() or _reparse_point(e):
                    if links is not None:
                        links.append(_link(safe_name(e.name)))
                elif e.is_file(follow_symlinks=False) and not _hidden_on_windows(e):
                    found.append(Path(e.path))
    except OSError as exc:
        raise TransportError(_folder_problem(folder, exc)) from exc
    return sorted(found)


def _reparse_point(entry: os.DirEntry) -> bool:
    # Windows: junctions and other reparse points besides symbolic links redirect too.
    return os.name == "nt" and bool(entry.stat(follow_symlinks=False).st_file_attributes
                                    & getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400))


def _hidden_on_windows(entry: os.DirEntry) -> bool:
    return os.name == "nt" and bool(entry.stat().st_file_attributes & stat.FILE_ATTRIBUTE_HIDDEN)


def _shown(path: Path) -> str:
    """The path for messages and logs, with invisible characters spelled out so none can turn a name around."""
    text = str(path)
    if text.isascii() and text.isprintable():  # nothing invisible in it; most paths, once per imported file
        return text
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in INVISIBLE else ch for ch in text)


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


class FileSource:
    """Files the officer picked or dropped, or folders named on the command line. The originals stay untouched."""

    def __init__(self, paths: Iterable[Path], archive_dir: Path, quarantine_dir: Path):
        self.paths = [Path(p) for p in paths]
        self.archive_dir, self.quarantine_dir = Path(archive_dir), Path(quarantine_dir)
        self.skipped: list[str] = []

    def fetch(self) -> Iterator[Incoming]:
        for path in self._files():
            read = read_capped(path, _("Datei: {path}").format(path=_shown(path)))
            if read is None:
                self.skipped.append(_("{name} ist nicht mehr da.").format(name=safe_name(path.name)))
            else:
                yield read[0]

    def _files(self) -> list[Path]:
        # Every path is checked before the first file is handed out, so a typo stops the import before it starts.
        self.skipped = []
        files: dict[str, Path] = {}
        for path in self.paths:
            try:
                is_folder = stat.S_ISDIR(os.stat(path).st_mode)
            except FileNotFoundError as exc:
                raise TransportError(_("{path} gibt es nicht. Bitte den Namen prüfen.").format(path=path)) from exc
            except OSError as exc:
                raise TransportError(_unreadable(_shown(path), exc)) from exc
            for file in list_candidates(path, self.skipped) if is_folder else [path]:
                files.setdefault(os.path.normcase(os.path.abspath(file)), file)  # dropped twice, read once
        return list(files.values())

    def accepted(self, item: Incoming) -> None:
        keep_copy(self.archive_dir, item, None)

    def rejected(self, item: Incoming, reason: str) -> None:
        keep_copy(self.quarantine_dir, item, reason)


class FolderInbox:
    """A shared network folder or a cloud-synced folder that institutions drop their files into.

    Handled files are moved out into the archive or the quarantine, so the inbox only ever holds what is new.
    """

    def __init__(self, inbox: Path, archive_dir: Path, quarantine_dir: Path, settle_seconds: float = 0.5):
        self.inbox, self.archive_dir, self.quarantine_dir = Path(inbox), Path(archive_dir), Path(quarantine_dir)
        self.settle_seconds = settle_seconds
        self.skipped: list[str] = []
        self._pending: dict[str, tuple[Path, tuple[int, int, int]]] = {}

    def fetch(self) -> Iterator[Incoming]:
        self.skipped = []
        before = {path: _signature(path) for path in list_candidates(self.inbox, self.skipped)}
        if self.settle_seconds > 0 and before:
            time.sleep(self.settle_seconds)  # a sync client or a slow copy may still be writing
        for path, signature in before.items():
            if signature is None:
                continue  # taken by another program since the listing
            origin = _("Eingangsordner: {path}").format(path=_shown(path))
            read = read_capped(path, origin, follow_symlinks=False) if _signature(path) == signature else None
            if read is None or (not read[0].problem and read[1] != signature):
                self._still_writing(path)
                continue
            self._pending[read[0].origin] = (path, signature)
            yield read[0]

    def _still_writing(self, path: Path) -> None:
        if _signature(path) is not None:
            self.skipped.append(_("{name} wird gerade noch geschrieben und wird beim nächsten Mal übernommen.").format(
                name=safe_name(path.name)))

    def accepted(self, item: Incoming) -> None:
        self._file_away(item, self.archive_dir, None)

    def rejected(self, item: Incoming, reason: str) -> None:
        self._file_away(item, self.quarantine_dir, reason)

    def _file_away(self, item: Incoming, folder: Path, reason: str | None) -> None:
        """The archive and the quarantine get exactly the bytes that were read (and imported), never the file as
        it is now: the inbox is writable by others, and size, time and inode can all be kept while the content
        changes. The inbox file is removed only while it still holds those bytes; otherwise it stays for the next
        import. A file that was never read (too big, unreadable) is moved as it is."""
        path, signature = self._pending.pop(item.origin, (None, None))
        if path is None:
            return
        if item.problem and _signature(path) != signature:
            return  # replaced since it was looked at: the new file stays in the inbox for the next import
        target = folder / item.name
        try:
            private_folder(folder)
            target = free_path(folder, item.name)
            if item.problem:
                _move(path, target, item)
                make_private(target)
            else:
                _archive_read_bytes(path, target, item)
            if reason is not None:
                write_atomically(reason_path(target), reason_text(item, reason).encode("utf-8"))
        except OSError as exc:
            raise TransportError(describe_write_error(exc, target, _("Die Datei"))) from exc


def _digest_of(path: Path) -> str | None:
    """The SHA-256 of a regular file (never through a link); None if it is gone or is something else."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        digest = hashlib.sha256()
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _archive_read_bytes(path: Path, target: Path, item: Incoming) -> None:
    """Puts exactly `item.data` at `target` and takes the inbox file away only if it holds those bytes.

    The usual way is one rename (a crash leaves the file in the inbox or in the archive, never in both or
    neither), checked by hash before and after: a file changed in between goes back to the inbox for the next
    import, and the archive gets the bytes that were read instead."""
    expected = hashlib.sha256(item.data).hexdigest()
    if _digest_of(path) != expected:
        write_atomically(target, item.data)  # changed since it was read: it stays in the inbox for next time
        return
    try:
        os.rename(path, target)
    except FileNotFoundError:
        write_atomically(target, item.data)  # taken away by someone else meanwhile
        return
    except OSError:  # another drive, or a share that refuses renames: copy what was read, then remove
        write_atomically(target, item.data)
        _remove_from_inbox(path, target, item, expected)
        return
    if _digest_of(target) != expected:
        # Changed between the check and the rename: the new content goes back to the inbox.
        os.rename(target, path if not os.path.lexists(path) else free_path(path.parent, path.name))
        write_atomically(target, item.data)
    else:
        make_private(target)


def _remove_from_inbox(path: Path, kept: Path, item: Incoming, expected: str | None = None) -> None:
    """Removes the original once `kept` holds it; with `expected`, only while the file still holds those bytes."""
    try:
        if expected is None or _digest_of(path) == expected:
            os.remove(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        # The original stays and comes again next time; a copy per attempt would pile up in the archive.
        kept.unlink(missing_ok=True)
        raise TransportError(_("{name} kann nicht aus dem Eingangsordner {folder} entfernt werden ({err}). Bitte die "
                               "Schreibrechte für den Ordner prüfen.").format(
            name=item.name, folder=path.parent, err=exc.strerror or exc)) from exc


def _move(source: Path, target: Path, item: Incoming) -> None:
    try:
        os.rename(source, target)  # same drive: instant, and a 2 GB file is never read
        return
    except FileNotFoundError:
        return
    except OSError:
        pass  # another drive, or a share that refuses renames: copy, then remove the original
    if item.problem:
        _copy_in_chunks(source, target)
    else:
        write_atomically(target, item.data)
    _remove_from_inbox(source, target, item)


def _copy_in_chunks(source: Path, target: Path) -> None:
    tmp = target.with_name(".tmp-" + target.name)
    try:
        create_private(tmp)
        with open(source, "rb") as fin, open(tmp, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1024 * 1024)
            fout.flush()
            os.fsync(fout.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def __getattr__(name: str):
    # WebDavInbox lives in sync.webdav (which imports this module); offered here too without an import cycle.
    if name == "WebDavInbox":
        from sync.webdav import WebDavInbox

        return WebDavInbox
    raise AttributeError(name)
