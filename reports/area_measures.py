"""Measures over the areas of one level: the shares of each group and the segregation measures, from the figures by
area (the office's own for the level, else the sums of the level below)."""

from __future__ import annotations

from common.i18n import _
from forms.area_characteristics import Characteristic, characteristics
from reports.errors import ReportError
from reports.segregation import Segregation, Unit, measure
from store.areas import areas_of, figures_at, find_level


def group_named(name: str) -> Characteristic:
    wanted = " ".join(name.split()).casefold()
    for c in characteristics().values():
        if wanted in (c.code.casefold(), c.label.casefold()):
            if not c.part_of:
                raise ReportError(_("„{name}“ ist keine Gruppe mit einer Gesamtzahl; Gruppen sind: {groups}.").format(
                    name=c.label, groups=", ".join(g.code for g in characteristics().values() if g.part_of)))
            return c
    raise ReportError(_("Die Gruppe „{name}“ gibt es nicht. Gruppen sind: {groups}.").format(
        name=name, groups=", ".join(g.code for g in characteristics().values() if g.part_of)))


def level_named(db, name: str):
    level = find_level(db, name)
    if level is None:
        raise ReportError(_("Die Ebene „{name}“ gibt es nicht. Bitte zuerst Gebiete übernehmen (integrationsmonitor "
                            "areas import).").format(name=name))
    return level


def units_of(db, level: str, year: int, group: Characteristic) -> tuple[list[Unit], list[str]]:
    """The areas with both figures, and the names of those left out for lack of one."""
    parts = figures_at(db, level, year, group.code)
    totals = figures_at(db, level, year, group.part_of)
    units, missing = [], []
    for area in areas_of(db, level, year):
        a, t = parts.get(area.key), totals.get(area.key)
        if a is None or t is None:
            missing.append(area.name)
        else:
            units.append(Unit(area.name, a, t))
    return units, missing


def area_segregation(db, level: str, year: int, group: Characteristic) -> tuple[Segregation, list[str]]:
    units, missing = units_of(db, level, year, group)
    return measure(units), missing
