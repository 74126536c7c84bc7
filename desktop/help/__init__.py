"""Guides the program shows, as Markdown: desktop/help/<name>.<language>.md in the program's language, else German.

The German guides are pages of the handbook too (docs/handbuch); tests/test_help.py keeps the two the same. The
files lie beside this module in the source tree, in the wheel (pyproject.toml, package-data) and in the PyInstaller
bundle (installer/integrationsmonitor.spec, DATA), so a path relative to this file finds them everywhere. No Qt here:
the caller decides how to show the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from common import i18n

HELP_DIR = Path(__file__).resolve().parent
SOURCE_LANGUAGE = "de"
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def guide_path(name: str, language: str | None = None) -> Path:
    """The file of guide `name` in `language` (default: the program's language), or the German one."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a guide name: {name!r}")
    for code in (language or i18n.LANGUAGE, SOURCE_LANGUAGE):
        path = HELP_DIR / f"{name}.{code}.md"
        if path.is_file():
            return path
    raise FileNotFoundError(HELP_DIR / f"{name}.{SOURCE_LANGUAGE}.md")


def guide(name: str, language: str | None = None) -> str:
    """The Markdown of guide `name`, e.g. guide("schild_export"), in the program's language, falling back to German."""
    return guide_path(name, language).read_text(encoding="utf-8")
