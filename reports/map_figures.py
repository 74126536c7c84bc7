"""The map of one group's share by area, from the stored outlines and the shares as the tables print them: what
the app shows, the `map` command writes and the report prints. An area whose share is withheld or missing is never
coloured."""

from __future__ import annotations

from common.i18n import N_, _
from reports.area_tables import AreaShare, shares
from reports.disclosure import Rules
from store.areas import Boundary, boundaries_of, outline_source
from store.orgunits import located_institutions

# Köln's open data names its licence; a town's own GIS shapes are the town's.
SOURCE = N_("GIS der Stadt")


def source_line(db, level: str) -> str:
    return _("Gebiete: {source}").format(source=outline_source(db, level) or _(SOURCE))


def map_areas(outlines: dict[str, Boundary], found: list[AreaShare]):
    from reports.maps import MapArea

    return [MapArea(s.key, s.name, outlines[s.key].rings, s.percent, withheld=s.percent is None,
                    representative_point=outlines[s.key].label_point) for s in found if s.key in outlines]


def share_map(db, level: str, year: int, group, public: bool, rules: Rules, title: str,
              figsize: tuple[float, float] = (16 / 2.54, 15 / 2.54)):
    """The Figure, or None where the level has no outlines."""
    from reports.maps import draw_map

    outlines = boundaries_of(db, level)
    if not outlines:
        return None
    found = shares(db, level, year, group, public, rules)
    return draw_map(map_areas(outlines, found), title, "%", source_line(db, level) + " · " + _(
        "Anteil {group} an den Einwohner/innen, {year}; grau mit „.“: keine Angabe oder gesperrt").format(
        group=group.label, year=year), figsize=figsize, points=institution_points(db, year))


def institution_points(db, year: int):
    """The institutions whose place the registry knows, as points on the map."""
    from reports.maps import MapPoint

    return [MapPoint(x, y, name) for name, x, y in located_institutions(db, year)]


def render_png(outlines: dict[str, Boundary], found: list[AreaShare], title: str, unit: str, source: str,
               width: int, height: int, points=()) -> bytes:
    from reports.maps import DPI, draw_map, png_bytes

    figure = draw_map(map_areas(outlines, found), title, unit, source,
                      figsize=(max(width, 360) / DPI, max(height, 300) / DPI), points=points)
    return png_bytes(figure)
