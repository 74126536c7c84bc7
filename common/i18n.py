"""Marks user-visible strings for translation. German is the source language; English is the one translation.

The language follows the system (German on a German system, English otherwise) unless the user chose one in the
settings; IMON_LANGUAGE overrides both (for scripts and tests). It is fixed when the program starts: forms and
their labels are loaded once, so a change takes effect at the next start.
"""

import gettext
import os
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "integrationsmonitor"
LANGUAGES = {"de": "Deutsch", "en": "English"}
_SETTING_FILE = "sprache.txt"


def settings_dir() -> Path:
    """Where the user's choice of language is kept: per user, not per database (a holder and the officer may share a
    machine, but a person reads one language)."""
    override = os.environ.get("IMON_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("Integrationsmonitor", appauthor=False))


def system_language() -> str:
    """German on a German system or one that names no language (the C locale of a bare machine), else English."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value and value.split(".")[0] not in ("C", "POSIX"):
            return "de" if value.lower().startswith("de") else "en"
    if sys.platform != "win32":
        return "de"
    import locale  # only here: the import costs 2 ms of every start, and only Windows needs it

    try:
        code = locale.getlocale()[0] or ""  # Windows sets no variables; its locale says "German_Germany" or "de_DE"
    except ValueError:
        code = ""
    return "en" if code and not code.lower().startswith(("de", "german")) else "de"


def chosen_language() -> str | None:
    try:
        code = (settings_dir() / _SETTING_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return code if code in LANGUAGES else None


def choose_language(code: str) -> None:
    """Saves the choice for the next start."""
    if code not in LANGUAGES:
        raise ValueError(code)
    folder = settings_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / _SETTING_FILE).write_text(code, encoding="utf-8")


def current_language() -> str:
    code = os.environ.get("IMON_LANGUAGE", "")
    return code if code in LANGUAGES else (chosen_language() or system_language())


def _load(code: str) -> gettext.NullTranslations:
    if code == "de":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)


LANGUAGE = current_language()
_translation = _load(LANGUAGE)


def _(message: str) -> str:
    # Callers format after translating: `_("… {n} …").format(n=…)`, so the catalogue lookup sees the template.
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext name for it
    """Marks a text for translation where it is defined (a constant); it is translated with _() where it is used,
    once the language is known."""
    return message
