"""Reads a form definition file (TOML) into a Form, and says exactly what is wrong with a broken one."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from common.errors import DefinitionError
from common.i18n import _
from forms.model import (
    Axis,
    CellRef,
    Choice,
    Field,
    FieldType,
    Form,
    Plausibility,
    Rule,
    Section,
    Severity,
)

_CODE = re.compile(r"^[a-z0-9_]+$")
_REF = re.compile(r"^(?P<code>[a-z0-9_]+)(\[(?P<row>[a-z0-9_*{}]+),(?P<col>[a-z0-9_*{}]+)\])?$")

_FORM_KEYS = {
    "id", "version", "title", "kind", "years", "reference_date", "description", "sections", "rules",
    "plausibility", "period",
}
_SECTION_KEYS = {"code", "title", "help", "fields", "only_for"}
_FIELD_KEYS = {
    "code", "label", "type", "help", "required", "definition", "reference", "plausibility", "rows", "columns",
    "choices", "max_length",
}
_RULE_KEYS = {"kind", "parts", "whole", "severity", "message"}


class _Reader:
    def __init__(self, file: str):
        self.file = file

    def fail(self, key: str, problem: str) -> DefinitionError:
        return DefinitionError(self.file, key, problem)

    def table(self, data: Any, key: str, allowed: set[str]) -> dict:
        if not isinstance(data, dict):
            raise self.fail(key, _("erwartet eine Tabelle"))
        for name in data:
            if name not in allowed:
                raise self.fail(f"{key}.{name}" if key else name, _("unbekannter Schlüssel"))
        return data

    def get(self, data: dict, key: str, name: str, kind: type, default: Any = ...) -> Any:
        full = f"{key}.{name}" if key else name
        if name not in data:
            if default is ...:
                raise self.fail(full, _("fehlt"))
            return default
        value = data[name]
        # bool is a subclass of int; a count limit of `true` is a mistake, not a 1.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(full, _("falscher Typ: erwartet {expected}, gefunden {found}").format(
                expected=_TYPE_NAMES.get(kind, kind.__name__), found=_TYPE_NAMES.get(type(value), type(value).__name__)
            ))
        return value

    def code(self, data: dict, key: str) -> str:
        code = self.get(data, key, "code", str)
        if not _CODE.match(code):
            raise self.fail(f"{key}.code", _("„{code}“ ist kein gültiger Code (nur a–z, 0–9 und _)").format(code=code))
        return code


_TYPE_NAMES = {str: "Text", int: "ganze Zahl", bool: "true/false", list: "Liste", dict: "Tabelle",
               float: "Kommazahl"}


def load_form(path: str | Path) -> Form:
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except OSError as exc:
        problem = _("Datei kann nicht gelesen werden ({err})").format(err=exc.strerror)
        raise DefinitionError(path.name, "", problem) from exc
    except UnicodeDecodeError as exc:
        raise DefinitionError(path.name, "", _("Datei ist nicht in UTF-8 gespeichert")) from exc
    return parse_form(raw, path.name)


def parse_form(text: str, file: str = "<Text>") -> Form:
    reader = _Reader(file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise reader.fail("", _("Syntaxfehler: {err}").format(err=exc)) from exc
    reader.table(data, "", _FORM_KEYS)

    years = reader.get(data, "", "years", list)
    if len(years) != 2 or not all(isinstance(y, int) for y in years) or years[0] > years[1]:
        raise reader.fail("years", _("erwartet [erstes Jahr, letztes Jahr]"))

    sections, fields = _sections(reader, reader.get(data, "", "sections", list))
    rules = tuple(
        rule
        for i, raw_rule in enumerate(reader.get(data, "", "rules", list, []))
        for rule in _rules(reader, raw_rule, f"rules[{i}]", fields)
    )
    plaus = reader.table(reader.get(data, "", "plausibility", dict, {}), "plausibility",
                         {"max_change_percent", "min_abs_change"})
    form = Form(
        id=reader.code({"code": reader.get(data, "", "id", str)}, ""),
        version=reader.get(data, "", "version", int),
        title=_(reader.get(data, "", "title", str)),
        kind=reader.get(data, "", "kind", str),
        years=(years[0], years[1]),
        reference_date=_(reader.get(data, "", "reference_date", str)),
        description=_text(reader.get(data, "", "description", str, "")),
        sections=sections,
        rules=rules,
        plausibility=Plausibility(
            max_change_percent=float(reader.get(plaus, "plausibility", "max_change_percent", int, 30)),
            min_abs_change=reader.get(plaus, "plausibility", "min_abs_change", int, 10),
        ),
        period=_period(reader, data),
        source_file=file,
    )
    return form


def _text(text: str) -> str:
    """A text of the definition file in the user's language; an empty one stays empty (gettext would return its
    catalogue header)."""
    return _(text) if text else text


def _period(reader: _Reader, data: dict) -> str:
    period = reader.get(data, "", "period", str, "jahr")
    if period not in ("jahr", "schuljahr"):
        raise reader.fail("period", _("erwartet „jahr“ oder „schuljahr“"))
    return period


def _sections(reader: _Reader, raw_sections: list) -> tuple[tuple[Section, ...], dict[str, Field]]:
    fields: dict[str, Field] = {}
    sections: list[Section] = []
    seen_sections: set[str] = set()
    for i, raw in enumerate(raw_sections):
        key = f"sections[{i}]"
        reader.table(raw, key, _SECTION_KEYS)
        code = reader.code(raw, key)
        if code in seen_sections:
            raise reader.fail(f"{key}.code", _("Abschnitt „{code}“ ist doppelt").format(code=code))
        seen_sections.add(code)
        only_for = reader.get(raw, key, "only_for", dict, {})
        conditions = []
        for attr, allowed in only_for.items():
            if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
                raise reader.fail(f"{key}.only_for.{attr}", _("erwartet eine Liste von Texten"))
            conditions.append((attr, tuple(allowed)))
        section_fields = []
        for j, raw_field in enumerate(reader.get(raw, key, "fields", list)):
            field = _field(reader, raw_field, f"{key}.fields[{j}]")
            if field.code in fields:
                raise reader.fail(f"{key}.fields[{j}].code",
                                  _("Feldcode „{code}“ ist doppelt").format(code=field.code))
            fields[field.code] = field
            section_fields.append(field)
        sections.append(Section(code=code, title=_(reader.get(raw, key, "title", str)),
                                help=_text(reader.get(raw, key, "help", str, "")), fields=tuple(section_fields),
                                only_for=tuple(conditions)))
    if not fields:
        raise reader.fail("sections", _("das Formular hat keine Felder"))
    return tuple(sections), fields


def _axes(reader: _Reader, raw: dict, key: str, name: str) -> tuple[Axis, ...]:
    axes = []
    seen: set[str] = set()
    for i, item in enumerate(reader.get(raw, key, name, list)):
        item_key = f"{key}.{name}[{i}]"
        reader.table(item, item_key, {"code", "label"})
        code = reader.code(item, item_key)
        if code in seen:
            raise reader.fail(f"{item_key}.code", _("„{code}“ ist doppelt").format(code=code))
        seen.add(code)
        axes.append(Axis(code=code, label=_(reader.get(item, item_key, "label", str))))
    if not axes:
        raise reader.fail(f"{key}.{name}", _("darf nicht leer sein"))
    return tuple(axes)


def _field(reader: _Reader, raw: Any, key: str) -> Field:
    reader.table(raw, key, _FIELD_KEYS)
    type_name = reader.get(raw, key, "type", str)
    try:
        ftype = FieldType(type_name)
    except ValueError:
        raise reader.fail(f"{key}.type", _("unbekannter Feldtyp „{t}“ (erlaubt: {allowed})").format(
            t=type_name, allowed=", ".join(t.value for t in FieldType))) from None
    rows = columns = choices = ()
    if ftype is FieldType.GRID:
        rows = _axes(reader, raw, key, "rows")
        columns = _axes(reader, raw, key, "columns")
    elif "rows" in raw or "columns" in raw:
        raise reader.fail(f"{key}.rows", _("Zeilen und Spalten gibt es nur beim Typ „grid“"))
    if ftype is FieldType.CHOICE:
        choices = tuple(Choice(a.code, a.label) for a in _axes(reader, raw, key, "choices"))
    return Field(
        code=reader.code(raw, key),
        label=_(reader.get(raw, key, "label", str)),
        type=ftype,
        help=_text(reader.get(raw, key, "help", str, "")),
        required=reader.get(raw, key, "required", bool, False),
        definition=_text(reader.get(raw, key, "definition", str, "")),
        reference=reader.get(raw, key, "reference", str, ""),
        plausibility=reader.get(raw, key, "plausibility", bool, True),
        rows=rows,
        columns=columns,
        choices=choices,
        max_length=reader.get(raw, key, "max_length", int, 2000),
    )


def _rules(reader: _Reader, raw: Any, key: str, fields: dict[str, Field]) -> list[Rule]:
    """One rule, or one per grid row/column when a reference says `{row}` or `{col}`."""
    reader.table(raw, key, _RULE_KEYS)
    kind = reader.get(raw, key, "kind", str)
    if kind not in ("le", "sum"):
        raise reader.fail(f"{key}.kind", _("unbekannte Regelart „{k}“ (erlaubt: le, sum)").format(k=kind))
    severity_name = reader.get(raw, key, "severity", str, "error")
    try:
        severity = Severity(severity_name)
    except ValueError:
        raise reader.fail(f"{key}.severity", _("erwartet „error“ oder „warning“")) from None
    parts_raw = reader.get(raw, key, "parts", list)
    whole_raw = reader.get(raw, key, "whole", str)
    if not parts_raw or not all(isinstance(p, str) for p in parts_raw):
        raise reader.fail(f"{key}.parts", _("erwartet eine Liste von Feldverweisen"))
    message = _text(reader.get(raw, key, "message", str, ""))

    all_refs = [*parts_raw, whole_raw]
    expansions: list[dict[str, str]] = [{}]
    for placeholder, axis_name in (("{row}", "rows"), ("{col}", "columns")):
        if any(placeholder in r for r in all_refs):
            grid = _grid_of_placeholder(reader, all_refs, placeholder, key, fields)
            axis = getattr(grid, axis_name)
            expansions = [{**e, placeholder: a.code} for e in expansions for a in axis]

    rules = []
    for expansion in expansions:
        def resolve(ref: str, ref_key: str, expansion=expansion) -> CellRef:
            for placeholder, code in expansion.items():
                ref = ref.replace(placeholder, code)
            return _cell_ref(reader, ref, ref_key, fields)

        parts = tuple(resolve(p, f"{key}.parts[{i}]") for i, p in enumerate(parts_raw))
        rules.append(Rule(kind=kind, parts=parts, whole=resolve(whole_raw, f"{key}.whole"), severity=severity,
                          message=message))
    return rules


def _grid_of_placeholder(reader, refs, placeholder, key, fields) -> Field:
    codes = {_REF.match(r).group("code") for r in refs if placeholder in r and _REF.match(r)}
    grids = [fields[c] for c in codes if c in fields and fields[c].type is FieldType.GRID]
    if not grids:
        raise reader.fail(key, _("„{p}“ steht nicht in einem Verweis auf ein Tabellenfeld").format(p=placeholder))
    axis = "rows" if placeholder == "{row}" else "columns"
    if any([a.code for a in getattr(g, axis)] != [a.code for a in getattr(grids[0], axis)] for g in grids):
        raise reader.fail(key, _("„{p}“ verbindet Tabellen mit verschiedenen Zeilen oder Spalten").format(
            p=placeholder))
    return grids[0]


def _cell_ref(reader: _Reader, ref: str, key: str, fields: dict[str, Field]) -> CellRef:
    match = _REF.match(ref)
    if not match:
        raise reader.fail(key, _("„{ref}“ ist kein gültiger Feldverweis (Form: code oder code[zeile,spalte])").format(
            ref=ref))
    code, row, col = match.group("code"), match.group("row") or "", match.group("col") or ""
    field = fields.get(code)
    if field is None:
        raise reader.fail(key, _("unbekanntes Feld „{code}“").format(code=code))
    if field.type not in (FieldType.COUNT, FieldType.GRID):
        raise reader.fail(key, _("Feld „{code}“ ist keine Anzahl und kann nicht verglichen werden").format(code=code))
    if field.type is FieldType.GRID:
        if not row:
            raise reader.fail(key, _("„{code}“ ist eine Tabelle: bitte Zeile und Spalte angeben, z. B. {code}[*,*]")
                              .format(code=code))
        if row != "*" and row not in {r.code for r in field.rows}:
            raise reader.fail(key, _("Tabelle „{code}“ hat keine Zeile „{row}“").format(code=code, row=row))
        if col != "*" and col not in {c.code for c in field.columns}:
            raise reader.fail(key, _("Tabelle „{code}“ hat keine Spalte „{col}“").format(code=code, col=col))
    elif row:
        raise reader.fail(key, _("„{code}“ ist keine Tabelle und hat keine Zeilen").format(code=code))
    return CellRef(code, row, col)
