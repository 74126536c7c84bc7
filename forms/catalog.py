"""The shipped form definitions, and which form an institution fills in for a year."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from forms.errors import UserError
from forms.i18n import _
from forms.loader import load_form
from forms.model import Form

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


def definition_files() -> list[Path]:
    return sorted(DEFINITIONS_DIR.glob("*.toml"))


@cache
def shipped_forms() -> tuple[Form, ...]:
    return tuple(load_form(p) for p in definition_files())


def get_form(form_id: str, version: int) -> Form:
    for form in shipped_forms():
        if form.id == form_id and form.version == version:
            return form
    raise UserError(_("Das Formular „{id}“ in Version {v} ist dieser Programmversion nicht bekannt. "
                      "Bitte das Programm aktualisieren.").format(id=form_id, v=version))


def form_for(kind: str, year: int) -> Form | None:
    """The newest form version for an institution kind that applies to the year."""
    candidates = [f for f in shipped_forms() if f.kind == kind and f.applies_to_year(year)]
    return max(candidates, key=lambda f: f.version, default=None)


def latest_form(form_id: str) -> Form:
    candidates = [f for f in shipped_forms() if f.id == form_id]
    if not candidates:
        raise UserError(_("Ein Formular „{id}“ gibt es nicht.").format(id=form_id))
    return max(candidates, key=lambda f: f.version)
