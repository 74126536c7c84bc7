"""Area labels of a map as one PathCollection of glyph outlines instead of a Text artist each.

Each Text artist lays out and rasterises its string through FreeType twice per drawing (measure, then draw); for
86 labels that was two thirds of a map's time. Glyph outlines are cached per character, a label is its glyphs
side by side (without kerning, invisible at label size), and all labels are filled in one call. Widths for the
"does it fit" test come from the same advances, so measuring costs nothing either.
"""

from __future__ import annotations

from dataclasses import dataclass

_SCALE = 100.0  # matplotlib's text-to-path works at 100 pt
_glyphs: dict[tuple[str, str], tuple] = {}


@dataclass
class Label:
    text: str
    x: float  # data coordinates of the label's centre
    y: float
    colour: str


def text_size(text: str, family: str, size: float) -> tuple[float, float]:
    """(width, height) in points of the text's lines set at `size` points."""
    lines = text.split("\n")
    return (max(sum(_glyph(ch, family)[2] for ch in line) for line in lines) * size / _SCALE,
            len(lines) * size * _LINE)


_LINE = 1.15  # line pitch in font sizes


def collection(labels: list[Label], family: str, size: float, fig, ax):
    """All labels as one PathCollection, placed at their data coordinates and sized in points."""
    import numpy as np
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path
    from matplotlib.transforms import Affine2D

    paths = []
    for label in labels:
        lines = label.text.split("\n")
        vertices, codes = [], []
        for row, line in enumerate(lines):
            width = sum(_glyph(ch, family)[2] for ch in line)
            # Centred on the point: each line centred, the block of lines centred on its middle; the 0.35 lifts the
            # baseline by about half an x-height so that the letters, not the baseline, sit on the point.
            x = -width / 2
            y = ((len(lines) - 1) / 2 - row) * _LINE * _SCALE - 0.35 * _SCALE
            for ch in line:
                glyph_vertices, glyph_codes, advance = _glyph(ch, family)
                if len(glyph_vertices):
                    vertices.append(glyph_vertices + (x, y))
                    codes.append(glyph_codes)
                x += advance
        if vertices:
            paths.append(Path(np.concatenate(vertices) * (size / _SCALE), np.concatenate(codes)))
        else:
            paths.append(Path(np.zeros((0, 2))))
    # Paths in points: scaled to inches and then by the figure's dpi, which PDF output changes while saving.
    return PathCollection(paths, offsets=[(label.x, label.y) for label in labels], offset_transform=ax.transData,
                          transform=Affine2D().scale(1 / 72) + fig.dpi_scale_trans,
                          facecolors=[label.colour for label in labels], edgecolors="none", zorder=4)


def _glyph(ch: str, family: str):
    key = (ch, family)
    if key not in _glyphs:
        import numpy as np
        from matplotlib.font_manager import FontProperties, findfont, get_font
        from matplotlib.ft2font import LoadFlags
        from matplotlib.textpath import text_to_path

        prop = FontProperties(family=family, size=_SCALE)
        vertices, codes = text_to_path.get_text_path(prop, ch) if not ch.isspace() else ([], [])
        font = get_font(findfont(prop))
        font.set_size(_SCALE, 72)
        advance = font.load_char(ord(ch), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536
        _glyphs[key] = (np.asarray(vertices, dtype=float).reshape(-1, 2), np.asarray(codes, dtype=np.uint8), advance)
    return _glyphs[key]
