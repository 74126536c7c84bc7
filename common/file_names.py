"""The one file-name cleaner. Every name the program writes or files away passes through safe_name(): a name that
came from outside (an inbox, a WebDAV listing, a picked file) as well as one composed from an institution's name or
id, which is outside text too."""

from __future__ import annotations

import re
import unicodedata

from common.i18n import _

MAX_NAME_CHARS = 120
# A counter and a suffix such as ".grund.txt" are appended later; 200 bytes keeps even that under the usual
# 255-byte name limit.
MAX_NAME_BYTES = 200
INVISIBLE = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # controls, bidi overrides, zero-width marks, undecodable bytes
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_name(name: str) -> str:
    """The bare file name, safe to create in any folder on Windows, macOS and Linux; never empty."""
    if not (name.isascii() and name.isprintable()):  # printable ASCII (most names) has nothing of this
        name = unicodedata.normalize("NFC", name)
        # A surrogate stands for a byte of a name that was not UTF-8, a real character: it keeps its place as "_".
        name = "".join("_" if unicodedata.category(ch) == "Cs" else "" if unicodedata.category(ch) in INVISIBLE
                       else ch for ch in name)
    name = re.split(r"[\\/]", name)[-1]
    # Leading dots would hide the file (or leave ".."); Windows drops trailing dots and spaces silently.
    name = re.sub(r'[<>:"|?*]', "_", name).strip(" .")
    stem, suffix = _split(name)
    stem = stem[: MAX_NAME_CHARS - len(suffix)]
    while stem and len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    name = stem.rstrip(" .") + suffix
    if name.split(".")[0].upper() in _WINDOWS_DEVICES:
        name = "_" + name  # "CON.imon" would open the console device on Windows
    return name or _("Datei")


def file_name_for(title: str, suffix: str) -> str:
    """The file name for a document with a title ("Kita Sonne/Mond – Kita 2024"): a slash in a title is part of
    the text, not a folder, so it becomes "-" where safe_name() would keep only what follows it; line breaks and
    tabs become spaces instead of vanishing between two words."""
    title = re.sub(r"\s+", " ", re.sub(r"[\\/]+", "-", title))
    # Cleaned alone first, so that a title with nothing usable in it still gives a name before the suffix.
    return safe_name(safe_name(title) + suffix)


def _split(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    return (stem, dot + ext) if stem and len(ext) <= 10 else (name, "")


def numbered(name: str, n: int) -> str:
    """The n-th name to try when `name` is taken: "x.imon", "x (2).imon", "x (3).imon", …"""
    if n == 1:
        return name
    stem, suffix = _split(name)
    return f"{stem} ({n}){suffix}"
