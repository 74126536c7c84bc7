"""The English translation is complete and fits the German source: a new text without translation fails here."""

import gettext
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.translations import MO, read_catalog, source_messages  # noqa: E402

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def strings(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def test_every_text_has_an_english_translation():
    catalog = read_catalog()
    missing = []
    for key in source_messages():
        message = catalog.get(key if isinstance(key, str) else key[0])
        if message is None or not all(strings(message)):
            missing.append(key if isinstance(key, str) else key[0])
    assert missing == [], f"{len(missing)} Texte ohne Übersetzung (tools/translations.py update): {missing[:5]}"


def test_translations_keep_placeholders_and_one_shortcut_letter():
    problems = []
    for message in read_catalog():
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        for text in strings(message):
            if sorted(_PLACEHOLDER.findall(text)) != sorted(_PLACEHOLDER.findall(source)):
                problems.append(("Platzhalter", source, text))
            shortcut = source.replace("&&", "").count("&")
            if shortcut and text.replace("&&", "").count("&") != shortcut:
                problems.append(("Tastenkürzel", source, text))
    assert problems == []


def test_the_compiled_catalogue_is_current():
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [m.id for m in read_catalog() if m.id and isinstance(m.id, str) and compiled.gettext(m.id) != m.string]
    assert stale == [], "locale/en/…/integrationsmonitor.mo ist veraltet: tools/translations.py update"


@pytest.mark.parametrize("code, translated", [("de", False), ("en", True)])
def test_the_language_can_be_chosen_and_is_kept(tmp_path, code, translated):
    import subprocess

    env = {"IMON_CONFIG_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "de_DE.UTF-8"}
    choose = f"from common.i18n import choose_language; choose_language({code!r})"
    subprocess.run([sys.executable, "-c", choose], cwd=ROOT, env=env, check=True)
    shown = subprocess.run([sys.executable, "-c", "from common.i18n import _; print(_('&Datei'))"], cwd=ROOT,
                           env=env, capture_output=True, text=True, check=True)
    assert (shown.stdout.strip() != "&Datei") is translated


def test_the_system_language_decides_without_a_choice(tmp_path):
    import subprocess

    for lang, expected in (("en_GB.UTF-8", "en"), ("de_DE.UTF-8", "de"), ("C.UTF-8", "de")):
        env = {"IMON_CONFIG_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": lang}
        shown = subprocess.run([sys.executable, "-c", "from common.i18n import LANGUAGE; print(LANGUAGE)"], cwd=ROOT,
                               env=env, capture_output=True, text=True, check=True)
        assert shown.stdout.strip() == expected
