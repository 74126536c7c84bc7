"""A GENESIS table as downloaded, into the town's forms: the lines of the town's own regional key, through a mapping,
with the table's reference date and source on every value. A value counted on another day than the field's (30.06.
instead of 31.12.) goes into a series of its own beside the report's, never into it."""

from __future__ import annotations

from dataclasses import dataclass

from common.i18n import _
from forms.model import Form
from forms.values import Address, Value
from intake.genesis import GenesisError, GenesisTable, period_of
from intake.genesis_mapping import Mapping, check_mapping, column_headings, columns_of, heading_matches
from intake.statistics_import import YearResult, write_figures
from store.database import Database
from store.value_origins import Origin

# A Landesdatenbank download without its © line (cut off, or saved as XLSX) is still an official table.
PUBLISHER = "IT.NRW"


@dataclass(frozen=True)
class Taken:
    """One value the table gives to the form, with where it stands in the file."""

    year: int
    address: Address
    value: Value
    symbol: str  # the official symbol as written ("-", "."), "" for a number
    reference: str  # "31.12.", "Jahresdurchschnitt", …
    series: str  # '' the report's series; else the name of the series of its own
    line: int
    column: str  # the column's headings, " / " between them


def source_line(table: GenesisTable) -> str:
    text = _("{publisher}, Tabelle {code}").format(publisher=table.publisher or PUBLISHER, code=table.code)
    return text + (", " + _("Stand {day}").format(day=table.stand) if table.stand else "")


def series_for(field_reference: str, reference: str) -> str:
    """'' where the value was counted as the field counts; else the name of the series of its own."""
    if not field_reference or not reference or reference == field_reference:
        return ""
    return _("Stichtag {day}").format(day=reference) if reference[:2].isdigit() else reference


def _line_matches(wanted: str, category: str) -> bool:
    return heading_matches(wanted, category) if wanted else not category


def take(table: GenesisTable, mapping: Mapping, form: Form, ags: str) -> list[Taken]:
    """What the table gives for the region `ags`. Refused, naming file, line and column, where the region is not
    in the table, where the mapping fits no column, or where two lines give the same cell."""
    check_mapping(mapping, form)
    lines = table.of(ags)
    if not lines:
        raise GenesisError(_("Die Tabelle {code} hat keine Zeile für den Gemeindeschlüssel {ags} (regionale Tiefe: "
                             "{depth}). Für eine Gemeinde bitte die Tabelle auf Gemeindeebene (Code endet auf -5) "
                             "herunterladen, für einen Kreis die auf Kreisebene (-4).").format(
            code=table.code, ags=ags, depth=table.depth or "?"))
    taken: list[Taken] = []
    seen: dict[tuple[int, str, Address], Taken] = {}
    for cell in mapping.cells:
        f = form.field(cell.field)
        address = (cell.field, cell.row, cell.col)
        for index in columns_of(table, cell):
            heading = " / ".join(column_headings(table, index))
            from_column = next((p for h in table.columns[index] if (p := period_of(h))), None)
            for line in lines:
                if not _line_matches(cell.line, line.category):
                    continue
                period = period_of(line.period) if line.period else from_column
                if period is None:
                    raise GenesisError(_("{name}, Zeile {n}: kein Jahr, weder auf der Zeile noch über der Spalte "
                                         "„{col}“.").format(name=line.file, n=line.number, col=heading))
                day, year = period
                reference = day or mapping.reference or table.reference
                found = line.cells[index]
                item = Taken(year, address, found.value, found.symbol, reference, series_for(f.reference, reference),
                             line.number, heading)
                key = (year, item.series, address)
                if key in seen:
                    raise GenesisError(_("{name}, Zeile {n}, Spalte „{col}“: {year}, „{f}“ steht schon in Zeile "
                                         "{first}; welche Zahl gilt, lässt sich nicht entscheiden.").format(
                        name=line.file, n=line.number, col=heading, year=year, f=f.label, first=seen[key].line))
                seen[key] = item
                taken.append(item)
    if not taken:
        raise GenesisError(_("Die Tabelle {code} hat für {ags} keine Spalte, die die Zuordnung „{title}“ kennt; "
                             "bitte die Spalten in der App zuordnen.").format(
            code=table.code, ags=ags, title=mapping.title or mapping.key))
    return sorted(taken, key=lambda t: (t.series, t.year, t.address))


def import_genesis(db: Database, form: Form, table: GenesisTable, taken: list[Taken], *, who: str,
                   dry_run: bool = False, replace: bool = False, figure_source: str = "") -> list[YearResult]:
    """Each series and year is written as one approved revision of the town's form, keeping the form's other
    fields; the same table again changes nothing. `figure_source` puts everything into a named second source."""
    results: list[YearResult] = []
    source = source_line(table)
    series = sorted({t.series for t in taken})
    for name in series:
        chosen = [t for t in taken if t.series == name]
        target = figure_source or name
        figures: dict[int, dict[Address, Value]] = {}
        by_year: dict[int, YearResult] = {}
        origins: dict[int, dict[str, Origin]] = {}
        for t in chosen:
            figures.setdefault(t.year, {})[t.address] = t.value
            origins.setdefault(t.year, {})[t.address[0]] = Origin(source, t.reference)
            by_year.setdefault(t.year, YearResult(t.year, series=target)).values += 1
        blank_only = {("quelle", "", ""): Value(text=source)} if any(f.code == "quelle" for f in form.fields()) else {}
        for year in sorted(figures):
            write_figures(db, form, {year: figures[year]}, by_year, who=who, figure_source=target, replace=replace,
                          dry_run=dry_run, keep_others=True, origins=origins[year], where_blank=blank_only)
        results += [by_year[y] for y in sorted(by_year)]
    return results


# The official figures a Kreis keeps per Gemeinde when it takes its Gemeinden as areas.
AREA_CHARACTERISTICS = {
    ("einwohner_amtlich", "insgesamt", "insgesamt"): "einwohner",
    ("einwohner_amtlich", "auslaender", "insgesamt"): "auslaender",
    ("arbeitsmarkt", "arbeitslose", "insgesamt"): "arbeitslose",
}
# A German administrative level, stored as the level's name: the same in every language of the program.
GEMEINDE_LEVEL = "Gemeinde"


@dataclass
class GemeindePlan:
    areas: list[tuple[str, str]]  # (AGS, name) of each Gemeinde of the Kreis
    figures: dict[tuple[str, int, str], Value]  # (AGS, year, characteristic) → value


def gemeinden_of(table: GenesisTable, mapping: Mapping, form: Form, kreis: str) -> GemeindePlan:
    """A Kreis-level office takes its Gemeinden (the 8-digit keys that begin with the Kreis's five) as areas of the
    level "Gemeinde", with the figures the table gives for each; only the figures areas are kept by."""
    if len(kreis) != 5:
        raise GenesisError(_("Gemeinden als Gebiete kann nur ein Kreis übernehmen (Gemeindeschlüssel mit 5 Ziffern, "
                             "z. B. 05974 für den Kreis Soest), nicht {ags}.").format(ags=kreis))
    keys = sorted({line.key for line in table.lines if len(line.key) == 8 and line.key.startswith(kreis)})
    if not keys:
        raise GenesisError(_("Die Tabelle {code} hat keine Gemeinden des Kreises {ags} (regionale Tiefe: {depth}). "
                             "Bitte die Tabelle auf Gemeindeebene (Code endet auf -5) herunterladen.").format(
            code=table.code, ags=kreis, depth=table.depth or "?"))
    names: dict[str, str] = {}
    figures: dict[tuple[str, int, str], Value] = {}
    for key in keys:
        for item in take(table, mapping, form, key):
            names.setdefault(key, next(line.name for line in table.of(key)))
            characteristic = AREA_CHARACTERISTICS.get(item.address)
            if characteristic is not None and not item.series:
                figures[(key, item.year, characteristic)] = item.value
    return GemeindePlan([(key, names.get(key, key)) for key in keys], figures)


def keep_gemeinden(db: Database, plan: GemeindePlan, source: str, *, replace: bool = False,
                   dry_run: bool = False) -> tuple[list[str], bool]:
    """Saves the Gemeinden as areas and their figures. A different figure kept already is listed old → new and
    replaced only with `replace`; returns those lines and whether anything was written."""
    from store.areas import Area, ensure_level, find_level, save_areas, save_figures, stored_figures

    level = find_level(db, GEMEINDE_LEVEL)
    old = stored_figures(db, level.code) if level is not None else {}
    replaced = [f"{key} {year} {c}: {old[k].display()} → {v.display()}"
                for k, v in plan.figures.items() for key, year, c in [k]
                if k in old and not old[k].is_empty and not old[k].same_content(v)]
    if dry_run or (replaced and not replace):
        return replaced, False
    level = ensure_level(db, GEMEINDE_LEVEL)
    save_areas(db, level.code, [Area(level.code, key, name) for key, name in plan.areas])
    save_figures(db, level.code, plan.figures, source)
    return replaced, True
