"""Writing a file so that it is either complete or not there, and saying in German why a write failed."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from common.i18n import _


class WriteFailed(OSError):
    """An OSError from write_atomically; `replacing` means the data was written and only the final rename failed."""

    def __init__(self, cause: OSError, replacing: bool):
        super().__init__(cause.errno, cause.strerror)
        self.replacing = replacing


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
