"""A choropleth map of the town's areas with matplotlib's Agg canvas (no Qt, no pyplot), for the app and the report.

Coordinates are metres in an equal-area projection (EPSG:3035 from intake.gis), drawn with equal aspect. Speed
comes from drawing all areas as one PathCollection, simplifying the rings to about a pixel first, and a fixed
layout instead of tight or constrained layout, which measure every text twice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from common.i18n import N_, _
from common.numbers import MINUS, format_number
from reports.charts import FONT

DPI = 200
NO_DATA_COLOUR = "#bdbdbd"
# ColorBrewer YlGnBu: sequential, safe for the common colour-vision deficiencies and ordered in greyscale print;
# the grey of "no value" is not one of its shades.
_COLOURS = {3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
            4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
            5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
            6: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
            7: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"]}
_TEXT, _LIGHT = "#222222", "#6f6f6f"
_LABEL_SIZE = 5.0  # points: the smallest size still read comfortably in print
# The legend is narrow: the long name of Jenks' method ("natürliche Unterbrechungen") belongs in the report's text.
_METHODS = {"quantile": N_("Klassen (Quantile)"), "jenks": N_("Klassen (Jenks)")}


@dataclass
class MapArea:
    key: str
    label: str
    rings: list[list[tuple[float, float]]]
    value: float | None
    withheld: bool = False
    representative_point: tuple[float, float] | None = None


@dataclass
class MapPoint:
    x: float
    y: float
    label: str


def colours(classes: int) -> list[str]:
    return _COLOURS[min(max(classes, 3), 7)][:classes] if classes >= 3 else _COLOURS[3][:classes]


def shown(area: MapArea) -> bool:
    """Whether the area gets a class colour: a withheld value is never shown, whatever number it carries."""
    return not area.withheld and area.value is not None and math.isfinite(area.value)


def draw_map(areas: Sequence[MapArea], title: str, unit: str, source: str, out: Path | None = None,
             classes: int = 5, method: str = "quantile", points: Sequence[MapPoint] = (),
             figsize: tuple[float, float] = (16 / 2.54, 15 / 2.54)):
    """The map as a matplotlib Figure (Agg canvas); also written to `out` as PNG or PDF by its suffix."""
    import numpy as np

    from reports.map_classes import class_breaks, class_of

    if out is not None and Path(out).suffix.lower() not in (".png", ".pdf"):
        raise ValueError(f"map output must be .png or .pdf, not {out}")
    values = [a.value for a in areas if shown(a)]
    breaks = class_breaks(values, classes, method)
    palette = colours(len(breaks) - 1)
    faces = [palette[class_of(a.value, breaks)] if shown(a) else NO_DATA_COLOUR for a in areas]

    # A fixed layout: map on the left, legend on the right, title above and the source line below.
    fig, ax, rings, bounds = _canvas(areas, figsize, (0.01, 0.09, 0.69, 0.82), pad=0.01)
    if len(areas) and not np.isnan(bounds).all():
        metres_per_pixel = _metres_per_pixel(fig, ax)
        shapes = ax.add_collection(_collection(rings, faces, metres_per_pixel), autolim=False)
        _labels(fig, ax, areas, faces, bounds, shapes.get_paths())
    if points:
        ax.scatter([p.x for p in points], [p.y for p in points], s=9, c=_TEXT, edgecolors="white", linewidths=0.4,
                   zorder=3)
    fig.text(0.02, 0.965, _plain(title), ha="left", va="top", fontsize=11, fontweight="bold", fontfamily=FONT,
             color=_TEXT, wrap=True)
    _legend(fig, areas, values, breaks, palette, unit, method, bool(points))
    fig.text(0.02, 0.015, _plain(source), ha="left", va="bottom", fontsize=6.5, fontfamily=FONT, color=_LIGHT,
             wrap=True)
    if out is not None:
        out = Path(out)
        if out.suffix.lower() == ".png":
            _write_png(fig, out)
        else:
            fig.savefig(out, format="pdf", dpi=DPI, facecolor="white")
    return fig


def png_bytes(fig) -> bytes:
    """The figure as PNG in memory, the same way as a file: for the app's map view and the report's pages."""
    import io

    buffer = io.BytesIO()
    _write_png(fig, buffer)
    return buffer.getvalue()


def _canvas(areas: Sequence[MapArea], figsize: tuple[float, float], box: tuple[float, float, float, float],
            pad: float):
    """A figure with one axes in equal metres, framed on the areas with `pad` of their extent around them."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(box)
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="box", anchor="C")
    rings = _rings(areas)
    bounds = _bounds(rings)
    if len(areas) and not np.isnan(bounds).all():
        x0, y0 = np.nanmin(bounds[:, :2], axis=0)
        x1, y1 = np.nanmax(bounds[:, 2:], axis=0)
        margin = pad * max(x1 - x0, y1 - y0)
        ax.set_xlim(x0 - margin, x1 + margin)
        ax.set_ylim(y0 - margin, y1 + margin)
    return fig, ax, rings, bounds


def _write_png(fig, out) -> None:
    """PNG through Pillow with fast settings: encoding took as long as drawing with savefig's defaults. Without the
    alpha channel (the map is opaque) and with zlib's run-length strategy, which suits the large flat areas of a
    map: about half the time, and the file is smaller, not larger."""
    from PIL import Image

    fig.set_facecolor("white")
    fig.canvas.draw()
    image = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image.convert("RGB").save(out, format="png", compress_level=1, compress_type=3, dpi=(fig.dpi, fig.dpi))


def _plain(text: str) -> str:
    return str(text).replace("$", r"\$")  # a "$" would switch matplotlib to mathtext


def _rings(areas: Sequence[MapArea]):
    """Each area's rings as arrays, converted once: the conversion from lists of tuples is the costliest step."""
    import numpy as np

    return [[np.asarray(ring, dtype=float).reshape(-1, 2) for ring in area.rings if len(ring)] for area in areas]


def _bounds(rings):
    """(xmin, ymin, xmax, ymax) of each area, NaN for an area without rings."""
    import numpy as np

    bounds = np.full((len(rings), 4), np.nan)
    for number, arrays in enumerate(rings):
        if arrays:
            coords = np.concatenate(arrays)
            bounds[number] = (*coords.min(axis=0), *coords.max(axis=0))
    return bounds


def _metres_per_pixel(fig, ax) -> float:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    box = ax.get_position()
    width, height = box.width * fig.get_figwidth() * DPI, box.height * fig.get_figheight() * DPI
    return max((x1 - x0) / width, (y1 - y0) / height)


def _collection(area_rings, faces: list[str], tolerance: float):
    """All areas as one PathCollection, each area one compound path (holes run the other way round, so the nonzero
    fill leaves them open), each ring simplified to the output's pixel first."""
    import numpy as np
    import shapely
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MplPath

    ring_coords, ring_area = [], []
    for number, arrays in enumerate(area_rings):
        for ring in arrays:
            if len(ring) >= 4:
                ring_coords.append(ring)
                ring_area.append(number)
    rings = shapely.linearrings(np.concatenate(ring_coords), indices=np.repeat(
        np.arange(len(ring_coords)), [len(c) for c in ring_coords])) if ring_coords else []
    simple = shapely.simplify(rings, tolerance, preserve_topology=False) if len(ring_coords) else []
    vertices: list[list] = [[] for _ in area_rings]
    codes: list[list] = [[] for _ in area_rings]
    for number, ring in zip(ring_area, simple, strict=True):
        coords = shapely.get_coordinates(ring)
        if len(coords) < 4:
            continue  # smaller than a pixel: nothing to see
        vertices[number].append(coords)
        ring_codes = np.full(len(coords), MplPath.LINETO, dtype=np.uint8)
        ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
        codes[number].append(ring_codes)
    paths = [MplPath(np.concatenate(v), np.concatenate(c)) if v else MplPath(np.zeros((0, 2)))
             for v, c in zip(vertices, codes, strict=True)]
    return PathCollection(paths, facecolors=faces, edgecolors="white", linewidths=0.35, zorder=1)


def _labels(fig, ax, areas: Sequence[MapArea], faces: list[str], bounds, paths) -> None:
    """An area's name where it fits inside the area's bounding box at the figure's scale and both ends of the text
    lie inside the area itself (a long name in a thin or bent area would run over its neighbours); a grey area
    gets its "." below the name, or alone where the name does not fit."""
    from reports.map_labels import Label, collection, text_size

    to_pixels = ax.transData.transform
    pixels_per_point = fig.dpi / 72
    labels = []
    corners = to_pixels(bounds.reshape(-1, 2)).reshape(-1, 4)
    to_data = ax.transData.inverted().transform
    for area, face, (left, bottom, right, top), path in zip(areas, faces, corners, paths, strict=True):
        if area.representative_point is None or not area.rings:
            continue
        px, py = to_pixels(area.representative_point)
        text = visible_label(area.label) if shown(area) else visible_label(area.label) + "\n."
        width, height = (v * pixels_per_point for v in text_size(text, FONT, _LABEL_SIZE))
        # The ends of the text's middle line: a label that dips into a neighbour by its ascenders is still read as
        # this area's, one that runs across a border is not.
        box = [(px - width / 2, py), (px + width / 2, py)]
        if not (left <= px - width / 2 and px + width / 2 <= right and bottom <= py - height / 2
                and py + height / 2 <= top and path.contains_points(to_data(box)).all()):
            if shown(area):
                continue
            text = "."
        labels.append(Label(text, *area.representative_point, "white" if _dark(face) else _TEXT))
    if labels:
        drawn = ax.add_collection(collection(labels, FONT, _LABEL_SIZE, fig, ax), autolim=False)
        drawn.set_gid("area-labels")
        drawn.label_texts = [label.text for label in labels]  # what the glyph paths spell, for the app and tests


def visible_label(text: str) -> str:
    # One line: a line break inside a name from a file would break the fit test and the "." below it.
    return " ".join(str(text).split())


def _dark(colour: str) -> bool:
    # Relative luminance (sRGB weights, without linearising: close enough to pick black or white text).
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45


def _legend(fig, areas, values, breaks, palette, unit: str, method: str, with_points: bool) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from reports.map_classes import class_of

    handles, labels = [], []
    decimals = _decimals(values)
    for number, colour in enumerate(palette):
        members = [v for v in values if class_of(v, breaks) == number]
        if not members:
            continue
        # The lowest and highest value in the class: no two classes print the same limit.
        low, high = format_number(min(members), decimals, minus=MINUS), format_number(max(members), decimals,
                                                                                      minus=MINUS)
        text = f"{low} – {high}" if low != high else low
        handles.append(Patch(facecolor=colour, edgecolor="white"))
        labels.append(f"{text} {unit}".strip())
    if any(not shown(a) for a in areas):
        handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor="white"))
        labels.append(_(".  keine Angabe oder gesperrt"))
    if with_points:
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=3, color=_TEXT))
        labels.append(_("Einrichtung"))
    title = _(_METHODS[method]) if values else ""
    fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.71, 0.9), frameon=False, title=title,
               prop={"family": FONT, "size": 7}, title_fontproperties={"family": FONT, "size": 7},
               alignment="left", handlelength=1.6, handleheight=1.1)


def _decimals(values: list[float]) -> int:
    """Whole numbers stay whole; shares get one decimal, small spans two, so neighbouring classes stay apart."""
    if all(float(v).is_integer() for v in values):
        return 0
    span = max(values) - min(values) if values else 0
    return 1 if span >= 1 else 2


def draw_locator(areas: Sequence[MapArea], highlight: str, figsize: tuple[float, float] = (5 / 2.54, 5 / 2.54)):
    """A small map that shows where one area lies: the others light grey, this one dark; no legend, no labels."""
    fig, ax, rings, _frame = _canvas(areas, figsize, (0.02, 0.02, 0.96, 0.96), pad=0.0)
    faces = ["#1f4e79" if a.key == highlight else "#e3e3e3" for a in areas]
    ax.add_collection(_collection(rings, faces, _metres_per_pixel(fig, ax)))
    return fig
