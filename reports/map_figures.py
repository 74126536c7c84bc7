"""The map of one group's share by area, from the stored outlines and the shares as the tables print them: what
the app shows and the report prints. An area whose share is withheld or missing is never coloured."""

from __future__ import annotations

import io

from reports.area_tables import AreaShare
from store.areas import Boundary


def map_areas(outlines: dict[str, Boundary], found: list[AreaShare]):
    from reports.maps import MapArea

    return [MapArea(s.key, s.name, outlines[s.key].rings, s.percent, withheld=s.percent is None,
                    representative_point=outlines[s.key].label_point) for s in found if s.key in outlines]


def render_png(outlines: dict[str, Boundary], found: list[AreaShare], title: str, unit: str, source: str,
               width: int, height: int) -> bytes:
    import matplotlib.pyplot as plt

    from reports.maps import draw_map

    figure = draw_map(map_areas(outlines, found), title, unit, source, figsize=(max(width, 360) / 100,
                                                                               max(height, 300) / 100))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return buffer.getvalue()
