"""The town's areas in the report: at every level, the population and the share of each group by area, and the
segregation measures for every group the figures have. A higher level's figures are its own or the sums of its
areas below (store.areas.figures_at), so a Stadtbezirk is always the sum of its Stadtteile.

In the publishable variant a small count is withheld ("."), and a share only stands on a base of at least
`rules.min_denominator` persons with neither the group nor the rest below the threshold: an area of few persons
would otherwise tell on individuals."""

from __future__ import annotations

from dataclasses import dataclass

from common.i18n import _
from common.numbers import format_number
from forms.area_characteristics import Characteristic, characteristics
from reports.disclosure import HIDDEN, ZERO, Rules
from reports.report_model import COUNT, PERCENT, RATIO, Cell, Table
from reports.segregation import Unit, measure
from store.areas import Level, areas_of, child_level, figures_at, levels


@dataclass(frozen=True)
class AreaShare:
    """One area's share of a group, as the table prints it; `withheld` where it must not be shown (a map greys
    such an area instead of colouring it)."""

    key: str
    name: str
    group: int | None
    total: int | None
    withheld: bool

    @property
    def percent(self) -> float | None:
        if self.withheld or self.group is None or not self.total:
            return None
        return 100 * self.group / self.total


def _count(value: int | None, public: bool, rules: Rules) -> Cell:
    if value is None:
        return Cell(HIDDEN)
    if public and rules.is_primary(value):
        return Cell(HIDDEN)
    return Cell(ZERO if value == 0 else format_number(value), value)


def shares(db, level: str, year: int, group: Characteristic, public: bool, rules: Rules) -> list[AreaShare]:
    parts = figures_at(db, level, year, group.code)
    totals = figures_at(db, level, year, group.part_of)
    out = []
    for area in areas_of(db, level, year):
        a, t = parts.get(area.key), totals.get(area.key)
        small = a is not None and t is not None and (rules.is_primary(a) or rules.is_primary(t - a)
                                                     or t < rules.min_denominator)
        out.append(AreaShare(area.key, area.name, a, t, withheld=a is None or t is None or (public and small)))
    return out


def _groups_with_data(db, level: str, year: int) -> list[Characteristic]:
    return [c for c in characteristics().values() if c.part_of == "einwohner"
            and any(v is not None for v in figures_at(db, level, year, c.code).values())]


def _population_table(db, level: Level, year: int, public: bool, rules: Rules) -> Table | None:
    areas = areas_of(db, level.code, year)
    totals = figures_at(db, level.code, year, "einwohner")
    groups = _groups_with_data(db, level.code, year)
    if not areas or all(v is None for v in totals.values()):
        return None
    by_group = {g.code: {s.key: s for s in shares(db, level.code, year, g, public, rules)} for g in groups}
    rows, cells = [], []
    for area in areas:
        rows.append(area.name)
        line = [_count(totals.get(area.key), public, rules)]
        for g in groups:
            share = by_group[g.code][area.key]
            line.append(Cell(format_number(share.percent, 1), round(share.percent, 1)) if share.percent is not None
                        else Cell(HIDDEN))
        cells.append(line)
    total_rows = set()
    if level.parent is None and all(totals.get(a.key) is not None for a in areas):
        whole = sum(totals[a.key] for a in areas)
        line = [_count(whole, public, rules)]
        for g in groups:
            parts = [by_group[g.code][a.key].group for a in areas]
            line.append(Cell(format_number(100 * sum(parts) / whole, 1), round(100 * sum(parts) / whole, 1))
                        if None not in parts and whole else Cell(HIDDEN))
        rows.append(_("Stadt insgesamt"))
        cells.append(line)
        total_rows.add(len(rows) - 1)
    definitions = "; ".join(dict.fromkeys([characteristics()["einwohner"].definition,
                                           *(g.definition for g in groups)]))
    below = child_level(db, level.code)
    notes = [_("Die Zahlen der Ebene „{level}“ sind die der Statistikstelle oder, wo es keine gibt, die Summe der "
               "Gebiete der Ebene „{below}“ darunter, wenn alle Zahlen haben.").format(level=level.name,
                                                                                   below=below.name)
             ] if below else []
    notes.append(_("„.“: keine Angabe oder zum Schutz kleiner Zahlen gesperrt."))
    return Table(f"gebiete_{level.code}_{year}", _("Bevölkerung nach {level} {year}").format(level=level.name,
                                                                                           year=year),
                 definitions, _("Statistikstelle der Stadt (Zahlen nach Gebieten)"), _("31. Dezember"), level.name,
                 [_("Einwohner/innen"), *(_("{group} in %").format(group=g.label) for g in groups)],
                 [COUNT, *([PERCENT] * len(groups))], rows, cells, total_rows=total_rows, notes=notes)


def _ratio(value: float | None) -> Cell:
    return Cell("x") if value is None else Cell(format_number(value, 4), round(value, 4))


def _segregation_table(db, level: Level, first: int, year: int) -> Table | None:
    groups = _groups_with_data(db, level.code, year)
    rows, cells = [], []
    for group in groups:
        for y in range(first, year + 1):
            units = []
            parts, totals = figures_at(db, level.code, y, group.code), figures_at(db, level.code, y, group.part_of)
            for area in areas_of(db, level.code, y):
                a, t = parts.get(area.key), totals.get(area.key)
                if a is not None and t is not None:
                    units.append(Unit(area.name, a, t))
            if not units:
                continue
            result = measure(units)
            rows.append(f"{group.label}, {y}")
            share = Cell(format_number(result.share * 100, 1), round(result.share * 100, 1)) \
                if result.share is not None else Cell("x")
            cells.append([Cell(str(result.units), result.units), share, _ratio(result.dissimilarity),
                          _ratio(result.isolation), _ratio(result.exposure)])
    if not rows:
        return None
    return Table(f"segregation_{level.code}", _("Segregation nach {level}").format(level=level.name),
                 "; ".join(dict.fromkeys(g.definition for g in groups)),
                 _("Statistikstelle der Stadt (Zahlen nach Gebieten)"), _("31. Dezember"), _("Gruppe, Jahr"),
                 [_("Gebiete"), _("Anteil insgesamt in %"), "D", "xPx", "xPy"],
                 [COUNT, PERCENT, RATIO, RATIO, RATIO], rows, cells,
                 notes=[_("D = ½ Σ |a/A − b/B| (Dissimilarität: der Anteil der Gruppe, der umziehen müsste, damit sie "
                          "wie die übrigen verteilt wäre); xPx = Σ (a/A)(a/t) (Isolation: der Gruppenanteil im Gebiet "
                          "eines durchschnittlichen Gruppenmitglieds, zu lesen gegen den Anteil insgesamt); xPy = "
                          "Σ (a/A)(b/t) (Kontakt mit den übrigen). Kleine Gebiete überzeichnen D.")])


def area_maps(db, year: int, public: bool, rules: Rules):
    """A map of each group's share at every level that has outlines, for the report year."""
    from reports.map_figures import share_map
    from reports.maps import png_bytes
    from reports.report_model import MapPicture

    pictures = []
    width, height = 16 / 2.54, 15 / 2.54
    for level in levels(db):
        for group in _groups_with_data(db, level.code, year):
            title = _("Anteil {group} nach {level}, {year}").format(group=group.label, level=level.name, year=year)
            figure = share_map(db, level.code, year, group, public, rules, "", figsize=(width, height))
            if figure is not None:
                pictures.append(MapPicture(title, png_bytes(figure), height / width))
    return pictures


def area_tables(db, first: int, year: int, public: bool, rules: Rules) -> list[Table]:
    tables = []
    for level in levels(db):
        for table in (_population_table(db, level, year, public, rules), _segregation_table(db, level, first, year)):
            if table is not None:
                tables.append(table)
    return tables
