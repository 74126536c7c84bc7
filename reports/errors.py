"""The errors of the reports package, each with a German message that says what is wrong and what to do."""

from __future__ import annotations

import errno
from pathlib import Path

from forms.errors import UserError
from forms.i18n import _


class ReportError(UserError):
    """A report or receipt cannot be produced."""


class FontMissingError(ReportError):
    """A font that PDFs embed is missing from this installation."""


class ReceiptError(ReportError):
    """The receipt could not be written."""


def receipt_write_error(exc: OSError, path: Path, replacing: bool) -> ReceiptError:
    """Turns a failed write into advice the holder can act on; `replacing` means only the final rename failed."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        message = _("Der Datenträger ist voll: der Beleg {path} wurde nicht gespeichert. Bitte Platz schaffen oder "
                    "einen anderen Ort wählen.").format(path=path)
    elif exc.errno == errno.EISDIR or path.is_dir():
        message = _("{path} ist ein Ordner. Bitte einen Dateinamen für den Beleg wählen.").format(path=path)
    elif replacing and exc.errno in (errno.EACCES, errno.EPERM):
        # On Windows a PDF that is open in a viewer cannot be replaced; the folder itself is writable.
        message = _("Die Datei {path} kann nicht ersetzt werden. Ist sie in einem anderen Programm geöffnet? Bitte "
                    "dort schließen oder einen anderen Dateinamen wählen.").format(path=path)
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        message = _("Im Ordner {folder} darf nicht gespeichert werden. Bitte einen anderen Ordner wählen, z. B. "
                    "„Dokumente“.").format(folder=path.parent)
    elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
        message = _("Den Ordner {folder} gibt es nicht. Bitte einen anderen Ordner für den Beleg wählen.").format(
            folder=path.parent)
    else:
        message = _("Der Beleg {path} konnte nicht gespeichert werden ({err}). Bitte einen anderen Ort "
                    "wählen.").format(path=path, err=exc.strerror or exc)
    return ReceiptError(message)
