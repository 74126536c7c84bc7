"""District profiles: one page per area of a chosen level, its key figures beside the town's, a small trend per
figure and a map that shows where the area lies. In the publishable variant an area's withheld share stays "."
there too."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.i18n import _
from common.numbers import format_number
from forms.area_characteristics import characteristics
from reports.area_tables import shares
from reports.disclosure import HIDDEN, Rules
from store.areas import Level, areas_of, boundaries_of, figures_at, levels


@dataclass(frozen=True)
class ProfileRow:
    label: str
    unit: str  # "%" or "" for a count
    area: str  # printed
    town: str
    trend: tuple[tuple[int, float | None], ...]  # the area's value by year, None where not shown


@dataclass
class AreaProfile:
    level: str
    key: str
    name: str
    rows: list[ProfileRow] = field(default_factory=list)
    locator: bytes | None = None  # PNG


def _town_totals(db, year: int, code: str) -> int | None:
    top = next((lv for lv in levels(db) if lv.parent is None), None)
    if top is None:
        return None
    values = list(figures_at(db, top.code, year, code).values())
    return sum(values) if values and None not in values else None


def area_profiles(db, level: Level, first: int, year: int, public: bool, rules: Rules) -> list[AreaProfile]:
    from reports.maps import MapArea, draw_locator, png_bytes

    years = list(range(first, year + 1))
    groups = [c for c in characteristics().values() if c.part_of == "einwohner"
              and any(v is not None for v in figures_at(db, level.code, year, c.code).values())]
    counts = {y: figures_at(db, level.code, y, "einwohner") for y in years}
    by_group = {(g.code, y): {s.key: s for s in shares(db, level.code, y, g, public, rules)} for g in groups
                for y in years}
    outlines = boundaries_of(db, level.code)
    outline_areas = [MapArea(k, "", b.rings, None) for k, b in outlines.items()]
    town_people = _town_totals(db, year, "einwohner")
    town_parts = {g.code: _town_totals(db, year, g.code) for g in groups}
    profiles = []
    for area in areas_of(db, level.code, year):
        profile = AreaProfile(level.name, area.key, area.name)
        people = counts[year].get(area.key)
        small = public and people is not None and rules.is_primary(people)
        profile.rows.append(ProfileRow(
            _("Einwohner/innen"), "", HIDDEN if people is None or small else format_number(people),
            HIDDEN if town_people is None else format_number(town_people),
            tuple((y, None if public and counts[y].get(area.key) is not None and rules.is_primary(counts[y][area.key])
                   else counts[y].get(area.key)) for y in years)))
        for group in groups:
            share = by_group[(group.code, year)][area.key]
            part, whole = town_parts[group.code], town_people
            profile.rows.append(ProfileRow(
                group.label, "%", HIDDEN if share.percent is None else format_number(share.percent, 1),
                HIDDEN if part is None or not whole else format_number(100 * part / whole, 1),
                tuple((y, by_group[(group.code, y)][area.key].percent) for y in years)))
        if area.key in outlines:
            profile.locator = png_bytes(draw_locator(outline_areas, area.key))
        profiles.append(profile)
    return profiles


def profiles_table(profiles: list[AreaProfile]):
    """The profiles as one table for the workbook and the CSV: a line per area and figure, the area's value, the
    town's, and the area's value in each year."""
    from reports.report_model import TEXT, Cell, Table

    years = [y for y, _v in profiles[0].rows[0].trend] if profiles and profiles[0].rows else []
    rows, cells = [], []
    for profile in profiles:
        for row in profile.rows:
            rows.append(f"{profile.name}: {row.label}")
            trend = [Cell(HIDDEN) if v is None else Cell(format_number(v, 1 if row.unit else 0), round(v, 1))
                     for _y, v in row.trend]
            cells.append([Cell(row.area + (f" {row.unit}" if row.unit and row.area != HIDDEN else "")),
                          Cell(row.town + (f" {row.unit}" if row.unit and row.town != HIDDEN else "")), *trend])
    level = profiles[0].level if profiles else ""
    return Table("gebietsprofile", _("Gebietsprofile {level}").format(level=level), "", "", "", _("Gebiet: Kennzahl"),
                 [_("Gebiet"), _("Stadt"), *(str(y) for y in years)], [TEXT] * (2 + len(years)), rows, cells)
