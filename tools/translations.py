"""Keeps the English translation in step with the German source texts.

    .venv/bin/python tools/translations.py update   # collect every text, add new ones to the .po, compile the .mo

German is the source language: every user-visible text is written in German in the code (marked with _() or
ngettext()) and in the definition files (forms/definitions/*.toml, reports/indicators.toml). The English catalogue
is locale/en/LC_MESSAGES/integrationsmonitor.po; the app reads the compiled .mo beside it.
"""

from __future__ import annotations

import io
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "integrationsmonitor"
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")
CODE_DIRS = ("common", "forms", "store", "sync", "intake", "reports", "demo", "cli", "desktop", "launcher")
DEFINITIONS = (*sorted((ROOT / "forms" / "definitions").glob("*.toml")), ROOT / "forms" / "area_characteristics.toml",
               ROOT / "reports" / "indicators.toml", ROOT / "intake" / "genesis_mappings.toml")
# The keys of definition files whose values the user reads; the loaders pass exactly these through _().
TEXT_KEYS = {"title", "label", "help", "description", "reference_date", "definition", "message", "no_data",
             "source"}


def _toml_texts(value, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in TEXT_KEYS and isinstance(item, str) and item.strip():
                found.add(item)
            else:
                _toml_texts(item, found)
    elif isinstance(value, list):
        for item in value:
            _toml_texts(item, found)


def source_messages() -> dict[str | tuple[str, str], list[str]]:
    """Every text to translate (a string, or (singular, plural) for ngettext), with where it comes from."""
    from babel.messages.extract import extract_from_file

    messages: dict[str | tuple[str, str], list[str]] = {}
    for folder in CODE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, message, _comments, _context in extract_from_file(
                    "python", str(path), keywords={"_": None, "N_": None, "ngettext": (1, 2)}):
                key = message if isinstance(message, str) else tuple(message[:2])
                messages.setdefault(key, []).append(f"{path.relative_to(ROOT)}:{line}")
    for path in DEFINITIONS:
        found: set[str] = set()
        _toml_texts(tomllib.loads(path.read_text(encoding="utf-8")), found)
        for text in sorted(found):
            messages.setdefault(text, []).append(str(path.relative_to(ROOT)))
    return messages


def read_catalog():
    from babel.messages.pofile import read_po

    with PO.open("rb") as fh:
        return read_po(fh, locale="en", domain=DOMAIN)


def missing() -> list[str | tuple[str, str]]:
    """The source texts without an English translation."""
    catalog = read_catalog() if PO.exists() else None
    gaps = []
    for key in source_messages():
        message = catalog.get(key if isinstance(key, str) else key[0]) if catalog is not None else None
        translated = message is not None and (all(message.string) if isinstance(message.string, (list, tuple))
                                              else bool(message.string))
        if not translated:
            gaps.append(key)
    return gaps


def update() -> int:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    old = read_catalog() if PO.exists() else Catalog(locale="en", domain=DOMAIN)
    catalog = Catalog(locale="en", domain=DOMAIN, project="Integrationsmonitor", charset="utf-8", fuzzy=False)
    for key, places in source_messages().items():
        msgid = key if isinstance(key, str) else key
        previous = old.get(key if isinstance(key, str) else key[0])
        string = previous.string if previous is not None else ("" if isinstance(key, str) else ("", ""))
        catalog.add(msgid, string, locations=[(p.split(":")[0], int(p.split(":")[1]) if ":" in p else None)
                                              for p in places[:3]])
    PO.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=120, sort_output=False, omit_header=False)
    PO.write_bytes(buffer.getvalue())
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    MO.write_bytes(compiled.getvalue())
    gaps = missing()
    print(f"{len(catalog)} texts, {len(gaps)} without English translation: {PO.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["update"]:
        raise SystemExit(__doc__)
    sys.exit(update())
