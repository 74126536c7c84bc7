"""Writing a file so that it is either complete or not there, and saying in German why a write failed."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from common.i18n import _


class WriteFailed(OSError):
    """An OSError from write_atomically; `replacing` means the data was written and only the final rename failed."""

    def __init__(self, cause: OSError, replacing: bool):
        super().__init__(cause.errno, cause.strerror)
        self.replacing = replacing


# Databases, backups, keys and the files the program keeps for itself are the user's alone: on POSIX the files get
# mode 0600 and the folders the program creates 0700. On Windows the mode bits only switch "read-only"; there the
# files rely on the user profile's inherited ACL (owner, SYSTEM, Administrators). Restricting them further would
# need an explicit DACL (SetNamedSecurityInfo via pywin32 or icacls), which is not done here.
PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700
POSIX = os.name == "posix"


def private_folder(folder: Path) -> None:
    """Creates `folder` and every missing parent with mode 0700; folders that were there already keep theirs."""
    folder = Path(folder)
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue
        if POSIX:
            os.chmod(part, PRIVATE_FOLDER)  # mkdir's mode passes through the umask; say it once more, exactly


def create_private(path: Path) -> None:
    """Creates an empty file that only its owner may read (0600), or tightens the one that is there."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE_FILE))
    make_private(path)


def make_private(path: Path) -> None:
    """Takes group and others' rights away from a file (0644 → 0600). A file of another user, which may not be
    changed, stays as it is: it is that user's to protect."""
    if not POSIX:
        return
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    except (FileNotFoundError, PermissionError):
        pass


def write_atomically(path: Path, data: bytes, prefix: str = ".tmp-", durable: bool = True) -> None:
    """Temporary file in the same folder, fsync, rename: a crash or a full disk never leaves half a file.

    durable=False skips the fsyncs for copies that can be made again (archive copies, receipts): the rename
    still means a reader sees the whole file or none, and an import of thousands of files is not held up."""
    tmp_name, replacing = None, False
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        replacing = True
        os.replace(tmp_name, path)
        tmp_name = None
        if durable and os.name == "posix":
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
    except OSError as exc:
        raise WriteFailed(exc, replacing) from exc
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


def describe_write_error(exc: OSError, path: Path, what: str) -> str:
    """A message the user can act on; `what` names the file for the user, e.g. "Die Meldungsdatei"."""
    replacing = getattr(exc, "replacing", False)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("Der Datenträger ist voll: {what} {path} wurde nicht gespeichert. Bitte Platz schaffen oder einen "
                 "anderen Ort wählen.").format(what=what, path=path)
    if exc.errno == errno.EISDIR or path.is_dir():
        return _("{path} ist ein Ordner. Bitte einen Dateinamen wählen.").format(path=path)
    if replacing and exc.errno in (errno.EACCES, errno.EPERM):
        # On Windows a file that is open in another program cannot be replaced; the folder itself is writable.
        return _("Die Datei {path} kann nicht ersetzt werden. Ist sie in einem anderen Programm geöffnet? Bitte dort "
                 "schließen oder einen anderen Dateinamen wählen.").format(path=path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("Im Ordner {folder} darf nicht gespeichert werden. Bitte einen anderen Ordner wählen, z. B. "
                 "„Dokumente“.").format(folder=path.parent)
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return _("Den Ordner {folder} gibt es nicht. Bitte einen anderen Ordner wählen.").format(folder=path.parent)
    return _("{what} {path} konnte nicht gespeichert werden ({err}). Bitte einen anderen Ort wählen.").format(
        what=what, path=path, err=exc.strerror or exc)
