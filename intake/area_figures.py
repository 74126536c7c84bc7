"""Figures by area from the long tables town statistics offices publish: one row per year, area, characteristic and
value. Köln's open data (id;tab_id;tabelle;jahr;raum_id;raum;zei_id;zeile;zahl) is read as it comes; the program's
own layout is Jahr, Merkmal (or Feld), Gebiet, Wert and optionally Quelle. Strict: an unknown area, an unknown
characteristic, a duplicate row or a value that is no count refuses the whole table, naming the row, and nothing
changes; a figure that would replace a different one is listed old → new and needs confirmation."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.errors import InputError
from common.i18n import _
from common.numbers import format_number
from forms.area_characteristics import characteristics, known_code
from forms.model import ValueState
from forms.values import Value, parse_count
from intake.tables import Table
from store.areas import Area, areas_of, find_level, levels, save_figure_rows, stored_figures

MAX_PROBLEMS = 20
MAPPING_KEY = "gebiete:merkmale"  # the officer's characteristic names, kept like a table's column mapping
# column role → headings recognised (Köln's open data first, then the program's own long layout)
HEADINGS = {
    "year": ("jahr", "berichtsjahr", "year"),
    "area_key": ("raum_id", "gebiet_id", "gebietsschlüssel", "gebietsschluessel", "schlüssel", "schluessel"),
    "area": ("gebiet", "raum", "area"),
    "characteristic": ("merkmal", "feld", "zeile", "characteristic"),
    "value": ("zahl", "wert", "anzahl", "value"),
    "source": ("quelle", "tabelle", "source"),
}


@dataclass
class AreaFiguresResult:
    rows: int = 0
    # level → (key, year, characteristic) → a count or a state: kept bare, a Köln-size table has 17,200 of them
    figures: dict[str, dict[tuple[str, int, str], int | ValueState]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)  # characteristic texts the program does not know
    unchanged: int = 0
    written: bool = False


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def layout(table: Table) -> dict[str, int]:
    found: dict[str, int] = {}
    header = [_fold(h) for h in table.header]
    for role, names in HEADINGS.items():
        index = next((header.index(n) for n in names if n in header and header.index(n) not in found.values()),
                     None)
        if index is not None:
            found[role] = index
    return found


def as_value(raw: int | ValueState) -> Value:
    return Value(number=raw) if isinstance(raw, int) else Value(state=raw)


def is_area_table(table: Table) -> bool:
    """A long table by area (it names an area and a characteristic on every row), not one of the forms' layout."""
    found = layout(table)
    return ("area" in found or "area_key" in found) and "characteristic" in found


def known_characteristic(text: str, mapping: dict[str, str]) -> str | None:
    folded = _fold(text)
    mapped = next((code for k, code in mapping.items() if _fold(k) == folded), None)
    if mapped is not None:
        return mapped if mapped in characteristics() else None
    return known_code(text)


def _resolver(db, level: str | None):
    """Area text → (level code, key): by key at the given level, else by key or name at any level where that is
    unambiguous."""
    chosen = [find_level(db, level)] if level else levels(db)
    if level and chosen[0] is None:
        raise InputError(_("Die Ebene „{level}“ gibt es nicht. Vorhanden: {levels}.").format(
            level=level, levels=", ".join(lv.name for lv in levels(db)) or _("keine")))
    by_key: dict[str, list[Area]] = {}
    by_name: dict[str, list[Area]] = {}
    for lv in chosen:
        for area in areas_of(db, lv.code):
            by_key.setdefault(area.key, []).append(area)
            by_name.setdefault(_fold(area.name), []).append(area)

    def resolve(text: str) -> list[Area]:
        return by_key.get(text.strip()) or by_name.get(_fold(text)) or []
    return resolve


def read_area_figures(db, table: Table, level: str | None = None,
                      mapping: dict[str, str] | None = None) -> AreaFiguresResult:
    mapping = mapping or {}
    result = AreaFiguresResult()
    columns = layout(table)
    missing = [name for role, name in (("year", _("Jahr")), ("characteristic", _("Merkmal")), ("value", _("Wert")))
               if role not in columns]
    if "area" not in columns and "area_key" not in columns:
        missing.append(_("Gebiet"))
    if missing:
        raise InputError(_("In der Tabelle fehlt eine Spalte für: {cols}. Erwartet werden Jahr, Gebiet, Merkmal und "
                           "Wert (oder Kölns Spalten jahr, raum_id, zeile, zahl).").format(cols=", ".join(missing)))
    if not levels(db):
        raise InputError(_("Es gibt noch keine Gebiete. Bitte zuerst die Gebiete übernehmen (Reiter „Gebiete“ oder "
                           "„integrationsmonitor areas import“), dann ihre Zahlen."))
    resolve = _resolver(db, level)
    first_row: dict[tuple[str, str, int, str], int] = {}

    def problem(text: str) -> None:
        if len(result.problems) < MAX_PROBLEMS:
            result.problems.append(text)

    # A table names a few characteristics and areas thousands of times: each is looked up once.
    codes: dict[str, str | None] = {}
    places: dict[str, Area | str] = {}
    width = max(columns.values()) + 1
    at_year, at_code, at_value = columns["year"], columns["characteristic"], columns["value"]
    at_area = columns.get("area_key", columns.get("area"))
    for number, row in enumerate(table.rows, start=table.first_row):
        result.rows += 1
        if len(row) < width:
            row = (*row, *([""] * (width - len(row))))
        year_text = row[at_year]  # a Table's cells come stripped
        if not year_text.isdigit():
            problem(_("Zeile {n}: kein Jahr („{text}“)").format(n=number, text=year_text[:20]))
            continue
        year = int(year_text)
        text = row[at_code]
        code = codes[text] if text in codes else codes.setdefault(text, known_characteristic(text, mapping))
        if code is None:
            if text not in result.unmapped:
                result.unmapped.append(text)
            continue
        area_text = row[at_area]
        area = places.get(area_text)
        if area is None:
            found = resolve(area_text)
            area = places[area_text] = (found[0] if len({a.level for a in found}) == 1 else
                                        _("das Gebiet „{area}“ gibt es nicht") if not found else
                                        _("„{area}“ gibt es auf mehreren Ebenen; bitte die Ebene angeben (--level)"))
        if isinstance(area, str):
            problem(_("Zeile {n}: {what}").format(n=number, what=area.format(area=area_text[:60])))
            continue
        raw = row[at_value]
        try:
            parsed = int(raw) if raw.isascii() and raw.isdigit() else parse_count(raw, characteristics()[code].label)
        except InputError as exc:
            problem(_("Zeile {n}: {msg}").format(n=number, msg=exc.message))
            continue
        if parsed is None:
            problem(_("Zeile {n}: kein Wert").format(n=number))
            continue
        key = (area.level, area.key, year, code)
        if key in first_row:
            problem(_("Zeile {n}: {year}, {area}, „{c}“ steht schon in Zeile {first}; welche Zahl gilt, lässt sich "
                      "nicht entscheiden").format(n=number, year=year, area=area.name, c=text, first=first_row[key]))
            continue
        first_row[key] = number
        result.figures.setdefault(area.level, {})[(area.key, year, code)] = parsed
    if result.unmapped:
        problem(_("Diese Merkmale kennt das Programm nicht: {texts}. Bitte jedem ein Merkmal zuordnen (in der App oder "
                  "mit --map „Text=Merkmal“); bekannt sind: {codes}.").format(
            texts="; ".join(f"„{t}“" for t in result.unmapped[:10]),
            codes=", ".join(characteristics())))
    for lvl, figures in result.figures.items():
        old = stored_figures(db, lvl)
        if not old:
            continue
        for (key, year, code), raw in figures.items():
            before = old.get((key, year, code))
            if before is None or before.is_empty:
                continue
            value = as_value(raw)
            if before.same_content(value):
                result.unchanged += 1
            else:
                result.replaced.append(_("{year}, {area}, {c}: {old} → {new}").format(
                    year=year, area=key, c=characteristics()[code].label, old=before.display(), new=value.display()))
    return result


def import_area_figures(db, table: Table, level: str | None = None, mapping: dict[str, str] | None = None,
                        source: str = "", dry_run: bool = False, replace: bool = False) -> AreaFiguresResult:
    result = read_area_figures(db, table, level, mapping)
    if result.replaced and not replace and not dry_run and not result.problems:
        result.problems.append(_("{n} vorhandene Zahlen würden ersetzt (siehe alt → neu); nichts wurde übernommen. "
                                 "Bitte prüfen und mit --replace bestätigen.").format(
            n=format_number(len(result.replaced))))
    if result.problems or dry_run:
        return result
    for lvl, figures in result.figures.items():
        save_figure_rows(db, lvl, [(key, year, code, raw if isinstance(raw, int) else None,
                                    None if isinstance(raw, int) else raw.value)
                                   for (key, year, code), raw in figures.items()], source or _("Tabelle nach Gebieten"))
    result.written = True
    return result
