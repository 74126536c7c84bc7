"""Official statistics from a table (CSV or XLSX) into the town's forms, one submission per year.

The table is in long form, one figure a line: Jahr, Feld, Zeile, Spalte, Wert (and optionally Quelle). Which
column holds which is proposed from the headings and can be changed by the officer. Fields, rows and columns may
be given by their code or their German label, as an office exports them.

A table fills one source of the figures: the main source (what the report's series use) or a named second source
that is kept beside it, so that the register and IT.NRW can disagree without being mixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from common.errors import InputError
from common.i18n import N_, _, ngettext
from forms.changes import change_lines
from forms.model import Form, Severity
from forms.validation import validate
from forms.values import Address, Value, parse_input
from intake.tables import Table
from store.database import Database, write
from store.errors import StoreError
from store.orgunits import OrgUnit, get_org_unit, save_org_units
from store.review import set_review_state
from store.submissions import (
    State,
    create_correction,
    create_draft,
    current_submission,
    load_values,
    previous_values,
    set_values,
)
from store.value_origins import Origin, origins_of, set_origins

TOWN = "stadt"
# column: (label for the officer, headings recognised)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "year": (N_("Jahr"), ("jahr", "berichtsjahr", "year")),
    "field": (N_("Feld"), ("feld", "merkmal", "field")),
    "row": (N_("Zeile"), ("zeile", "row")),
    "column": (N_("Spalte"), ("spalte", "column")),
    "value": (N_("Wert"), ("wert", "anzahl", "value")),
    "source": (N_("Quelle"), ("quelle", "source")),
}
REQUIRED = ("year", "field", "value")


@dataclass
class YearResult:
    year: int
    values: int = 0
    written: bool = False
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # approved figures the table would change: "old → new"
    unchanged: bool = False  # the approved figures are already these: nothing written, nothing to confirm
    series: str = ""  # the series the figures go into: '' the main one, else one kept beside it


def ensure_town(db: Database) -> OrgUnit:
    """The town holds the official statistics; a registry imported from a list may not have it yet."""
    try:
        return get_org_unit(db, TOWN)
    except StoreError:
        unit = OrgUnit(id=TOWN, kind="stadt", name=_("Stadt (amtliche Statistik)"))
        save_org_units(db, [unit])
        return unit


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _lookup(form: Form) -> tuple[dict, dict]:
    fields = {}
    axes = {}
    for f in form.fields():
        fields[_key(f.code)] = fields[_key(f.label)] = f
        axes[f.code] = ({_key(a.code): a.code for a in f.rows} | {_key(a.label): a.code for a in f.rows},
                        {_key(a.code): a.code for a in f.columns} | {_key(a.label): a.code for a in f.columns})
    return fields, axes


def propose_columns(table: Table) -> dict[str, int]:
    """Which table column holds what, from the headings; the officer may change it before importing."""
    known = {heading: name for name, (_label, headings) in COLUMNS.items() for heading in headings}
    proposed: dict[str, int] = {}
    for index, heading in enumerate(table.header):
        name = known.get(_key(heading))
        if name is not None and name not in proposed:
            proposed[name] = index
    return proposed


def read_figures(form: Form, table: Table, default_source: str = "", columns: dict[str, int] | None = None,
                 ) -> tuple[dict[int, dict[Address, Value]], dict[int, YearResult]]:
    columns = propose_columns(table) if columns is None else columns
    missing = [_(COLUMNS[name][0]) for name in REQUIRED if name not in columns]
    if missing:
        raise StoreError(_("Für {cols} ist keine Spalte der Tabelle gewählt. Erwartet werden Jahr, Feld, Wert und, "
                           "bei Tabellenfeldern, Zeile und Spalte (gern auch Quelle).").format(cols=", ".join(missing)))
    taken = list(columns.values())
    if len(set(taken)) < len(taken):
        raise StoreError(_("Eine Spalte der Tabelle ist mehreren Angaben zugeordnet. Bitte jeder Angabe eine eigene "
                           "Spalte geben."))
    fields, axes = _lookup(form)
    figures: dict[int, dict[Address, Value]] = {}
    results: dict[int, YearResult] = {}
    lines: dict[int, dict[Address, int]] = {}  # where each cell was given, to name both lines of a duplicate

    def cell(row: tuple, name: str) -> str:
        return row[columns[name]].strip() if name in columns and columns[name] < len(row) else ""

    for number, row in enumerate(table.rows, start=table.first_row):
        try:
            year = int(cell(row, "year"))
        except ValueError:
            results.setdefault(0, YearResult(0)).problems.append(_("Zeile {n}: kein Jahr").format(n=number))
            continue
        result = results.setdefault(year, YearResult(year))
        f = fields.get(_key(cell(row, "field")))
        if f is None:
            result.problems.append(_("Zeile {n}: das Formular „{form}“ hat kein Feld „{f}“").format(
                n=number, form=form.title, f=cell(row, "field")))
            continue
        r = c = ""
        if not f.rows and (cell(row, "row") or cell(row, "column")):
            # A table split by Bezirk or category must not pour into a single figure, the last line winning.
            result.problems.append(_("Zeile {n}: „{f}“ ist eine einzelne Zahl ohne Zeilen und Spalten, die Tabelle "
                                     "nennt aber Zeile „{r}“ und Spalte „{c}“. Sie ist wohl anders aufgeteilt als "
                                     "dieses Feld; bitte die passende Tabelle wählen.").format(
                n=number, f=f.label, r=cell(row, "row"), c=cell(row, "column")))
            continue
        if f.rows:
            rows, cols = axes[f.code]
            r, c = rows.get(_key(cell(row, "row"))), cols.get(_key(cell(row, "column")))
            if r is None or c is None:
                result.problems.append(_("Zeile {n}: „{f}“ hat keine Zeile „{r}“ oder Spalte „{c}“").format(
                    n=number, f=f.label, r=cell(row, "row"), c=cell(row, "column")))
                continue
        try:
            value = parse_input(f, cell(row, "value"))
        except InputError as exc:
            result.problems.append(_("Zeile {n}: {msg}").format(n=number, msg=exc.message))
            continue
        year_figures = figures.setdefault(year, {})
        if (f.code, r, c) in lines.setdefault(year, {}):
            result.problems.append(_("Zeile {n}: {year}, „{f}“{cell} steht schon in Zeile {first}; welche Zahl gilt, "
                                     "lässt sich nicht entscheiden.").format(
                n=number, year=year, f=f.label, cell=f" ({cell(row, 'row')}, {cell(row, 'column')})" if f.rows else "",
                first=lines[year][(f.code, r, c)]))
            continue
        lines[year][(f.code, r, c)] = number
        year_figures[(f.code, r, c)] = value
        source = cell(row, "source") or default_source
        if source and ("quelle", "", "") not in year_figures and any(x.code == "quelle" for x in form.fields()):
            year_figures[("quelle", "", "")] = Value(text=source)
        result.values += 1
    return figures, results


def _replaced(form: Form, old: dict[Address, Value], new: dict[Address, Value]) -> list[str]:
    """The approved figures the table would change; the source line is not a figure."""
    kept = [a for a in new if a[0] != "quelle" and a in old and not old[a].is_blank]
    return change_lines(form, {a: old[a] for a in kept}, {a: new[a] for a in kept})


def _same_origins(db: Database, submission_id: int, origins: dict[str, Origin] | None) -> bool:
    known = origins_of(db, submission_id)
    return all(known.get(code) == origin for code, origin in (origins or {}).items())


def import_statistics(db: Database, form: Form, table: Table, source: str = "", dry_run: bool = False,
                      who: str = "", columns: dict[str, int] | None = None,
                      figure_source: str = "", replace: bool = False) -> list[YearResult]:
    """Each year is checked with the form's rules; a year with an error is not written at all. A year that was
    already approved becomes a new revision, so the earlier figures stay in the history. `figure_source` names a
    second source kept beside the main one ('' is the main source).

    Approved figures the table would change are listed (`replaced`, old → new); they are written only with
    `replace`, the officer's confirmation after seeing them, never silently."""
    figures, results = read_figures(form, table, source or figure_source, columns)
    for result in results.values():
        result.series = figure_source
    write_figures(db, form, figures, results, who=who, figure_source=figure_source, replace=replace,
                  dry_run=dry_run)
    return [results[y] for y in sorted(results)]


def write_figures(db: Database, form: Form, figures: dict[int, dict[Address, Value]], results: dict[int, YearResult],
                  *, who: str, figure_source: str = "", replace: bool = False, dry_run: bool = False,
                  keep_others: bool = False, origins: dict[str, Origin] | None = None,
                  where_blank: dict[Address, Value] | None = None) -> None:
    """Checks and writes each year's figures into one series of the town's form. `keep_others`: the figures are
    part of the form (an official table fills a few fields), so the form's other values stay as they are; else the
    table is the whole form and what it lacks is emptied. `origins` say where each field came from; `where_blank`
    fills cells only where the form has nothing yet (the source line beside one the officer wrote)."""
    try:
        town = get_org_unit(db, TOWN)
    except StoreError:
        # A dry run writes nothing at all, not even the town's entry in the registry.
        town = OrgUnit(id=TOWN, kind="stadt", name="") if dry_run else ensure_town(db)
    for year, values in sorted(figures.items()):
        result = results[year]
        if not form.applies_to_year(year):
            result.problems.append(_("Das Formular „{form}“ gilt für {first} bis {last}, nicht für {year}.").format(
                form=form.title, first=form.years[0], last=form.years[1], year=year))
            continue
        current = current_submission(db, town.id, form.id, year, figure_source)
        existing = load_values(db, current.id) if current is not None else {}
        brought = {a[0] for a in values}
        if keep_others:
            values = {a: v for a, v in existing.items() if a not in values and not v.is_blank} | values
        values = {a: v for a, v in (where_blank or {}).items() if values.get(a, Value()).is_blank} | values
        figures[year] = values
        previous = previous_values(db, town.id, form.id, year, figure_source)
        for check in validate(form, values, town.attributes, previous):
            if keep_others and check.code == "required" and check.field not in brought:
                continue  # an official table fills a few fields by design; the rest is not its business
            # A table may bring part of a form (only the Bezirke, say): what is still empty is said, not refused.
            serious = check.severity is Severity.ERROR and check.code != "required"
            (result.problems if serious else result.warnings).append(check.message)
        if current is not None and current.state is State.APPROVED:
            result.replaced = _replaced(form, existing, values)
        taken = {a: v for a, v in values.items() if not v.is_blank}
        if (current is not None and current.state is State.APPROVED and _same_origins(db, current.id, origins)
                and {a: v for a, v in existing.items() if not v.is_blank}.keys() == taken.keys()
                and all(existing[a].same_content(v) for a, v in taken.items())):
            result.unchanged = True  # the same table again: no new revision, nothing to confirm
            result.replaced = []
            continue
        if result.replaced and not replace and not dry_run and not result.problems:
            result.problems.append(ngettext(
                "{n} freigegebener Wert würde ersetzt (siehe alt → neu); nichts wurde übernommen. Bitte prüfen und "
                "mit --replace bestätigen.",
                "{n} freigegebene Werte würden ersetzt (siehe alt → neu); nichts wurde übernommen. Bitte prüfen und "
                "mit --replace bestätigen.", len(result.replaced)).format(n=len(result.replaced)))
        if result.problems or dry_run:
            continue
        with write(db):
            submission = current
            if submission is None:
                submission = create_draft(db, town.id, form, year, who=who, source="tabelle",
                                          figure_source=figure_source)
            elif submission.state is not State.DRAFT:
                submission = create_correction(db, submission.id, who=who)
            changes = {a: Value() for a in load_values(db, submission.id) if a not in values} | values
            set_values(db, submission.id, changes, who=who, why=_("Import aus Tabelle"))
            if origins:
                set_origins(db, submission.id, origins)
            comment = _("aus Tabelle übernommen") + (
                "; " + _("Hinweise: {w}").format(w=" ".join(result.warnings)) if result.warnings else "")
            set_review_state(db, submission.id, State.APPROVED, comment, who or _("Integrationsbüro"))
        result.written = True
