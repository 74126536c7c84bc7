"""The rules, as pure functions that return results as data. The same checks run at entry, finalise and import."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from common.i18n import _
from common.numbers import MINUS, format_number
from forms.model import MAX_COUNT, CellRef, Field, FieldType, Form, Rule, Severity
from forms.values import Address, Value

Values = Mapping[Address, Value]


@dataclass(frozen=True)
class Result:
    field: str
    row: str
    column: str
    severity: Severity
    code: str
    message: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def address(self) -> Address:
        return (self.field, self.row, self.column)


def cell_label(form: Form, code: str, row: str = "", column: str = "") -> str:
    f = form.field(code)
    parts = [f.label]
    if f.type is FieldType.GRID:
        parts.append(_("alle Zeilen") if row == "*" else f.row(row).label)
        if len(f.columns) > 1 or column == "*":
            parts.append(_("alle Spalten") if column == "*" else f.column(column).label)
    return " – ".join(parts)


def _ref_label(form: Form, ref: CellRef) -> str:
    return cell_label(form, ref.code, ref.row, ref.column)


def _cells(form: Form, ref: CellRef) -> list[Address]:
    f = form.field(ref.code)
    if f.type is not FieldType.GRID:
        return [(ref.code, "", "")]
    return [
        (ref.code, r, c)
        for r, c in f.cells()
        if ref.row in ("*", r) and ref.column in ("*", c)
    ]


def _sum(form: Form, ref: CellRef, values: Values) -> tuple[int, bool, bool]:
    """(sum of the numbers present, every cell has a number, any cell has a number)."""
    total, complete, known = 0, True, False
    for address in _cells(form, ref):
        number = values.get(address, Value()).number
        if number is None:
            complete = False
        else:
            total += number
            known = True
    return total, complete, known


def _first_cell(form: Form, ref: CellRef) -> Address:
    cells = _cells(form, ref)
    return cells[0] if len(cells) == 1 else (ref.code, "", "")


def check_cell(form: Form, address: Address, value: Value) -> Result | None:
    """Type and range of one stored value (values from an import may not have passed the entry check)."""
    code, row, column = address
    f = form.field(code)
    if f.type not in (FieldType.COUNT, FieldType.GRID):
        return None
    # The label only for a problem: this runs for every value of every imported file.
    if value.text is not None:
        return Result(code, row, column, Severity.ERROR, "type",
                      _("{label}: „{text}“ ist keine Zahl.").format(label=cell_label(form, code, row, column),
                                                                     text=value.text))
    if value.number is not None and not 0 <= value.number <= MAX_COUNT:
        return Result(code, row, column, Severity.ERROR, "range",
                      _("{label}: {n} liegt nicht zwischen 0 und {max}.").format(
                          label=cell_label(form, code, row, column), n=format_number(value.number),
                          max=format_number(MAX_COUNT)),
                      {"value": value.number})
    return None


def _required(form: Form, f: Field, values: Values) -> Result | None:
    if not f.required:
        return None
    empty = [(r, c) for r, c in f.cells() if values.get((f.code, r, c), Value()).is_empty]
    if not empty:
        return None
    if f.type is FieldType.GRID:
        message = _("{label}: {n} von {total} Zellen sind noch leer. Bitte eine Zahl eintragen "
                    "(0, wenn es keine gibt) oder „unbekannt“.").format(
                        label=f.label, n=len(empty), total=len(f.cells()))
    else:
        message = _("{label} ist ein Pflichtfeld. Bitte eine Zahl eintragen (0, wenn es keine gibt) "
                    "oder „unbekannt“.").format(label=f.label)
    return Result(f.code, "", "", Severity.ERROR, "required", message, {"empty": len(empty)})


def _check_le(form: Form, rule: Rule, values: Values) -> list[Result]:
    whole, whole_complete, _known = _sum(form, rule.whole, values)
    if not whole_complete:
        return []
    results = []
    for part_ref in rule.parts:
        part, _complete, known = _sum(form, part_ref, values)
        if known and part > whole:
            params = {"part": _ref_label(form, part_ref), "p": format_number(part),
                      "whole": _ref_label(form, rule.whole), "w": format_number(whole)}
            template = rule.message or _("{part} ({p}) ist größer als {whole} ({w}).")
            code, row, column = _first_cell(form, part_ref)
            results.append(Result(code, row, column, rule.severity, "part_le_whole",
                                  _(template).format(**params), params))
    return results


def _check_sum(form: Form, rule: Rule, values: Values) -> list[Result]:
    whole, whole_complete, _known = _sum(form, rule.whole, values)
    if not whole_complete:
        return []
    total, complete, known = 0, True, False
    for ref in rule.parts:
        s, c, k = _sum(form, ref, values)
        total, complete, known = total + s, complete and c, known or k
    if not known or (complete and total == whole) or (not complete and total <= whole):
        return []
    params = {"parts": " + ".join(_ref_label(form, r) for r in rule.parts), "s": format_number(total),
              "whole": _ref_label(form, rule.whole), "w": format_number(whole)}
    if complete:
        template = rule.message or _("Die Summe von {parts} ({s}) stimmt nicht mit {whole} ({w}) überein.")
    else:
        template = _("Die bisher eingetragenen Werte von {parts} ({s}) sind schon größer als {whole} ({w}).")
    code, row, column = _first_cell(form, rule.whole)
    return [Result(code, row, column, rule.severity, "breakdown_sum", _(template).format(**params), params)]


def _plausibility(form: Form, f: Field, values: Values, previous: Values) -> list[Result]:
    limits = form.plausibility
    results = []
    for row, column in f.cells():
        address = (f.code, row, column)
        now, before = values.get(address, Value()).number, previous.get(address, Value()).number
        if now is None or before is None:
            continue
        change = abs(now - before)
        if change <= limits.min_abs_change or (before and change * 100 <= limits.max_change_percent * before):
            continue
        params = {"label": cell_label(form, *address), "now": format_number(now), "before": format_number(before)}
        if before:
            params["pct"] = format_number((now - before) * 100 / before, signed=True, minus=MINUS)
            message = _("{label}: {now} weicht stark vom Vorjahr ab ({before}, {pct} %). "
                        "Bitte prüfen und die Änderung kurz begründen.").format(**params)
        else:
            message = _("{label}: {now}, im Vorjahr 0. Bitte prüfen und die Änderung kurz begründen.").format(
                **params)
        results.append(Result(f.code, row, column, Severity.WARNING, "plausibility", message, params))
    return results


def validate(form: Form, values: Values, attributes: Mapping[str, str] | None = None,
             previous: Values | None = None) -> list[Result]:
    """Every problem of a form's values, in form order. Fields of sections that do not apply are ignored."""
    visible = {f.code: f for f in form.visible_fields(dict(attributes or {}))}
    results: list[Result] = []
    for f in visible.values():
        for row, column in f.cells():
            value = values.get((f.code, row, column))
            if value is not None and (bad := check_cell(form, (f.code, row, column), value)):
                results.append(bad)
        if required := _required(form, f, values):
            results.append(required)
        if previous and f.plausibility and f.type in (FieldType.COUNT, FieldType.GRID):
            results.extend(_plausibility(form, f, values, previous))
    for rule in form.rules:
        # A part in a section that does not apply to this institution drops out; e.g. a Grundschule has no
        # grades 5–13, while a PRIMUS-Schule adds both grade tables up to its total.
        parts = tuple(ref for ref in rule.parts if ref.code in visible)
        if parts and rule.whole.code in visible:
            check = _check_le if rule.kind == "le" else _check_sum
            results.extend(check(form, rule if parts == rule.parts else replace(rule, parts=parts), values))
    order = {code: i for i, code in enumerate(visible)}
    return sorted(results, key=lambda r: order[r.field])


def finalise_blockers(results: list[Result], values: Values) -> list[Result]:
    """What stops a form from being finalised: every error, and every warning without a comment at its cell."""
    return [
        r for r in results
        if r.severity is Severity.ERROR or not values.get(r.address, Value()).comment.strip()
    ]
