"""The shipped form definitions, and which form an institution fills in for a year."""

from __future__ import annotations

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
    return tuple(load_form(p) for p in definition_files())


# Definitions the officer sent with a setup file (a newer year's form); registered when a workspace opens.
_registered: dict[tuple[str, int], Form] = {}


def register_definition(text: str, file_name: str) -> Form:
    """Adds a form definition from the officer. The same id and version must mean the same form everywhere."""
    form = parse_form(text, file_name)
    known = next((f for f in all_forms() if (f.id, f.version) == (form.id, form.version)), None)
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
    for form in all_forms():
        if form.id == form_id and form.version == version:
            return form
    raise UserError(_("Das Formular „{id}“ in Version {v} ist dieser Programmversion nicht bekannt. "
                      "Bitte das Programm aktualisieren.").format(id=form_id, v=version))


def form_for(kind: str, year: int) -> Form | None:
    """The newest form version for an institution kind that applies to the year."""
    candidates = [f for f in all_forms() if f.kind == kind and f.applies_to_year(year)]
    return max(candidates, key=lambda f: f.version, default=None)


def forms_for(kind: str, year: int) -> list[Form]:
    """Every form (its newest version) an org unit kind fills in for a year; the town has several."""
    newest: dict[str, Form] = {}
    for form in all_forms():
        if form.kind == kind and form.applies_to_year(year) and (
                form.id not in newest or form.version > newest[form.id].version):
            newest[form.id] = form
    return sorted(newest.values(), key=lambda f: f.title)


def latest_form(form_id: str) -> Form:
    candidates = [f for f in all_forms() if f.id == form_id]
    if not candidates:
        raise UserError(_("Ein Formular „{id}“ gibt es nicht.").format(id=form_id))
    return max(candidates, key=lambda f: f.version)
