"""The indicator catalogue (reports/indicators.toml) read into frozen dataclasses and checked against the forms.

A broken catalogue names the indicator and what is wrong, like a broken form definition does.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from common.errors import DefinitionError
from common.i18n import _
from forms.catalog import all_forms
from forms.model import FieldType

CATALOG_FILE = Path(__file__).with_name("indicators.toml")
LEVELS = ("stadt", "bezirk", "schulform", "einrichtung")
UNITS = ("prozent", "anzahl")
_TERM = re.compile(r"^(?P<form>[a-z0-9_]+)\.(?P<field>[a-z0-9_]+)(\[(?P<rows>[^;\]]+);(?P<cols>[^\]]+)\])?$")
_KEYS = {"code", "category", "title", "numerator", "denominator", "unit", "definition", "source", "reference_date",
         "levels", "bezirk_from", "only", "compare_with", "compare_year", "key", "key_row"}
BREAKDOWN_ROW, BREAKDOWN_COL = "{row}", "{col}"


@dataclass(frozen=True)
class Term:
    """Cells of one field of one form, added (sign 1) or subtracted (sign -1). rows/cols: None means all."""

    form: str
    field: str
    rows: tuple[str, ...] | None
    cols: tuple[str, ...] | None
    sign: int = 1
    by_row: bool = False
    by_col: bool = False


@dataclass(frozen=True)
class Indicator:
    code: str
    category: str
    title: str
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...]
    unit: str
    definition: str
    source: str
    reference_date: str
    levels: tuple[str, ...]
    bezirk_from_row: bool = False
    only: tuple[tuple[str, tuple[str, ...]], ...] = ()
    compare_with: str = ""
    compare_year: int = 0
    key: bool = False
    key_row: str = ""

    @property
    def form(self) -> str:
        return self.numerator[0].form

    @property
    def breakdown(self) -> str:
        """"row" or "column" when the indicator has one value per row or column of a grid, else ""."""
        term = self.numerator[0]
        return "row" if term.by_row else "column" if term.by_col else ""


@dataclass(frozen=True)
class Category:
    code: str
    title: str
    no_data: str = ""


@dataclass(frozen=True)
class Catalog:
    categories: tuple[Category, ...]
    indicators: tuple[Indicator, ...]

    def get(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    def of(self, category: str) -> list[Indicator]:
        return [i for i in self.indicators if i.category == category]


def _error(message: str, key: str = "") -> DefinitionError:
    """A DefinitionError worded for the catalogue (its constructor words the message for a form file)."""
    error = DefinitionError(CATALOG_FILE.name, key, message)
    error.message, error.args = message, (message,)
    return error


def _fail(code: str, problem: str) -> DefinitionError:
    return _error(_("Indikatorenkatalog, Indikator „{code}“: {problem}").format(code=code, problem=problem), code)


def _codes(text: str) -> tuple[str, ...] | None:
    return None if text.strip() == "*" else tuple(c.strip() for c in text.split("|"))


def parse_terms(code: str, text: str) -> tuple[Term, ...]:
    parts = re.split(r"\s+([+-])\s+", text.strip())
    terms = []
    for sign, part in zip(["+", *parts[1::2]], parts[::2], strict=True):
        match = _TERM.match(part.strip())
        if match is None:
            raise _fail(code, _("„{term}“ ist kein gültiger Ausdruck (erwartet: formular.feld oder "
                                "formular.feld[zeilen;spalten])").format(term=part))
        rows, cols = match["rows"], match["cols"]
        terms.append(Term(match["form"], match["field"],
                          None if rows is None or rows == BREAKDOWN_ROW else _codes(rows),
                          None if cols is None or cols == BREAKDOWN_COL else _codes(cols),
                          1 if sign == "+" else -1, rows == BREAKDOWN_ROW, cols == BREAKDOWN_COL))
    return tuple(terms)


def _check_term(code: str, term: Term) -> None:
    forms = [f for f in all_forms() if f.id == term.form]
    if not forms:
        raise _fail(code, _("das Formular „{form}“ gibt es nicht").format(form=term.form))
    # A field a later version added (the official population in version 2) is simply absent from older ones.
    having = [form for form in forms if any(f.code == term.field for f in form.fields())]
    if not having:
        raise _fail(code, _("das Formular „{form}“ hat kein Feld „{field}“").format(form=term.form, field=term.field))
    for form in having:
        field = form.field(term.field)
        is_grid = field.type is FieldType.GRID
        if not is_grid and (term.rows or term.cols or term.by_row or term.by_col):
            raise _fail(code, _("„{field}“ ist keine Tabelle").format(field=term.field))
        if field.type not in (FieldType.GRID, FieldType.COUNT):
            raise _fail(code, _("„{field}“ ist keine Anzahl").format(field=term.field))
        for wanted, axes in ((term.rows, field.rows), (term.cols, field.columns)):
            unknown = set(wanted or ()) - {a.code for a in axes}
            if unknown:
                raise _fail(code, _("„{field}“ hat keine Zeile oder Spalte „{codes}“").format(
                    field=term.field, codes=", ".join(sorted(unknown))))


def _indicator(raw: dict) -> Indicator:
    code = str(raw.get("code", "?"))
    unknown = set(raw) - _KEYS
    if unknown:
        raise _fail(code, _("unbekannter Schlüssel „{key}“").format(key=sorted(unknown)[0]))
    for key in ("category", "title", "numerator", "unit", "definition", "source", "reference_date", "levels"):
        if key not in raw:
            raise _fail(code, _("der Schlüssel „{key}“ fehlt").format(key=key))
    if raw["unit"] not in UNITS:
        raise _fail(code, _("unit muss „prozent“ oder „anzahl“ sein"))
    if raw["unit"] == "prozent" and "denominator" not in raw:
        raise _fail(code, _("ein Anteil braucht einen Nenner (denominator)"))
    if not set(raw["levels"]) <= set(LEVELS):
        raise _fail(code, _("levels darf nur {levels} enthalten").format(levels=", ".join(LEVELS)))
    numerator = parse_terms(code, raw["numerator"])
    denominator = parse_terms(code, raw["denominator"]) if "denominator" in raw else ()
    for term in numerator + denominator:
        _check_term(code, term)
    if len({t.form for t in numerator + denominator}) > 1:
        raise _fail(code, _("Zähler und Nenner müssen aus demselben Formular stammen"))
    shapes = {(t.by_row, t.by_col) for t in numerator}
    if len(shapes) > 1 or any((t.by_row, t.by_col) not in shapes | {(False, False)} for t in denominator):
        raise _fail(code, _("eine Aufgliederung ({row} oder {col}) muss im ganzen Zähler gleich sein"))
    only = tuple((k, tuple(v)) for k, v in raw.get("only", {}).items())
    # Texts of the catalogue file, translated like the forms' texts (tools/translations.py collects them).
    title, definition, source, date = (_(str(raw[k])) for k in ("title", "definition", "source", "reference_date"))
    return Indicator(code, raw["category"], title, numerator, denominator, raw["unit"], definition, source, date,
                     tuple(raw["levels"]), raw.get("bezirk_from") == "zeile",
                     only, raw.get("compare_with", ""), int(raw.get("compare_year", 0)), bool(raw.get("key")),
                     raw.get("key_row", ""))


def _category(raw: dict) -> Category:
    title, no_data = raw["title"], raw.get("no_data", "")
    return Category(raw["code"], _(title), _(no_data) if no_data else "")


def parse_catalog(text: str) -> Catalog:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _error(_("Indikatorenkatalog: {problem}").format(problem=exc)) from None
    categories = tuple(_category(c) for c in data.get("categories", []))
    indicators = tuple(_indicator(raw) for raw in data.get("indicators", []))
    known = {c.code for c in categories}
    codes = [i.code for i in indicators]
    for indicator in indicators:
        if indicator.category not in known:
            raise _fail(indicator.code, _("die Kategorie „{c}“ gibt es nicht").format(c=indicator.category))
        if codes.count(indicator.code) > 1:
            raise _fail(indicator.code, _("der Code kommt zweimal vor"))
        if indicator.compare_with and indicator.compare_with not in codes:
            raise _fail(indicator.code, _("compare_with nennt den unbekannten Indikator „{c}“").format(
                c=indicator.compare_with))
    return Catalog(categories, indicators)


@cache
def catalog() -> Catalog:
    return parse_catalog(CATALOG_FILE.read_text(encoding="utf-8"))
