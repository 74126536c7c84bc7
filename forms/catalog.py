"""The shipped form definitions, and which form an institution fills in for a year."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from functools import cache
from pathlib import Path

from common.errors import UserError
from common.i18n import _
from forms.loader import load_form, parse_form
from forms.model import Form

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


def definition_files() -> list[Path]:
    return sorted(DEFINITIONS_DIR.glob("*.toml"))


@cache
def shipped_forms() -> tuple[Form, ...]:
    return tuple(_shipped_form(p) for p in definition_files())


@cache
def _shipped_form(path: Path) -> Form:
    return load_form(path)


@cache
def _shipped_headers() -> tuple[tuple[Path, dict], ...]:
    """Each shipped file with its id, version and kind: enough to pick the files worth parsing in full, so that a
    holder's start-up parses the form of its own kind only (with today's 13 files, 8 ms less). They are read from
    their own lines above the first table, where TOML keeps the top-level keys. Where that reading could be wrong
    (a key written another way, such a line inside a multi-line text, where the key then comes twice) the header
    lacks the key, and the file is parsed in full."""
    headers = []
    for path in definition_files():
        lines = []
        try:
            for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
                if line.lstrip().startswith("["):
                    break
                if line.split("=", 1)[0].strip() in ("id", "version", "kind"):
                    lines.append(line)
            header = tomllib.loads("".join(lines))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            header = {}
        headers.append((path, header))
    return tuple(headers)


def _forms_where(**wanted) -> list[Form]:
    """The known forms with the wanted id, version or kind. Of the shipped ones only the files whose header allows
    it are parsed; a header that lacks a key cannot rule its file out."""
    shipped = (_shipped_form(path) for path, header in _shipped_headers()
               if all(header.get(key, value) == value for key, value in wanted.items()))
    return [f for f in (*shipped, *_registered.values()) if all(getattr(f, k) == v for k, v in wanted.items())]


# Definitions the officer sent with a setup file (a newer year's form); registered when a workspace opens.
_registered: dict[tuple[str, int], Form] = {}


def register_definition(text: str, file_name: str) -> Form:
    """Adds a form definition from the officer. The same id and version must mean the same form everywhere."""
    form = parse_form(text, file_name)
    known = next(iter(_forms_where(id=form.id, version=form.version)), None)
    if known is not None:
        if replace(known, source_file="") != replace(form, source_file=""):
            raise UserError(_("Das Formular „{id}“ Version {v} aus {file} weicht vom bekannten Formular gleicher "
                              "Version ab und wurde nicht übernommen.").format(id=form.id, v=form.version,
                                                                               file=file_name))
        return known
    _registered[(form.id, form.version)] = form
    return form


def all_forms() -> tuple[Form, ...]:
    return shipped_forms() + tuple(_registered.values())


def get_form(form_id: str, version: int) -> Form:
    found = _forms_where(id=form_id, version=version)
    if found:
        return found[0]
    raise UserError(_("Das Formular „{id}“ in Version {v} ist dieser Programmversion nicht bekannt. "
                      "Bitte das Programm aktualisieren.").format(id=form_id, v=version))


def form_for(kind: str, year: int) -> Form | None:
    """The newest form version for an institution kind that applies to the year."""
    candidates = [f for f in _forms_where(kind=kind) if f.applies_to_year(year)]
    return max(candidates, key=lambda f: f.version, default=None)


def forms_for(kind: str, year: int) -> list[Form]:
    """Every form (its newest version) an org unit kind fills in for a year; the town has several."""
    newest: dict[str, Form] = {}
    for form in _forms_where(kind=kind):
        if form.applies_to_year(year) and (
                form.id not in newest or form.version > newest[form.id].version):
            newest[form.id] = form
    return sorted(newest.values(), key=lambda f: f.title)


def latest_form(form_id: str) -> Form:
    candidates = [f for f in all_forms() if f.id == form_id]
    if not candidates:
        raise UserError(_("Ein Formular „{id}“ gibt es nicht.").format(id=form_id))
    return max(candidates, key=lambda f: f.version)
