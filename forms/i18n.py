"""Marks user-visible strings for translation. German is the source language."""

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
_translation = gettext.translation("integrationsmonitor", LOCALE_DIR, fallback=True)


def _(message: str) -> str:
    # Callers format after translating: `_("… {n} …").format(n=…)`, so the catalogue lookup sees the template.
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext name for it
    """Marks a text for translation where it is defined (a constant); it is translated with _() where it is used,
    once the language is known."""
    return message
