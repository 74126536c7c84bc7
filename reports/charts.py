"""Draws a report's charts with matplotlib, as PNG at print resolution, in German number format.

Only matplotlib.figure.Figure with the Agg canvas is used, never pyplot: pyplot keeps global state and picks a GUI
backend, while reports are made on a worker thread beside the Qt window.
"""

from __future__ import annotations

import io
import math
import textwrap

from common.numbers import MINUS, format_number
from reports.report_model import Chart

FONT = "DejaVu Sans"
DPI = 200
# Okabe-Ito: distinguishable with the common colour-vision deficiencies and still apart in greyscale print.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
_GRID, _TEXT, _LIGHT = "#d9d9d9", "#222222", "#8c8c8c"
_TICK, _LABEL = 8, 8.5
_NO_VALUE = "k. A."


def decimals_for(values) -> int:
    """The fewest decimals (at most two) that show every value exactly, so one axis never mixes "5" and "7,5"."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    for places in (0, 1):
        if all(abs(round(v, places) - v) < 1e-9 * max(1.0, abs(v)) for v in finite):
            return places
    return 2


def height_cm(chart: Chart, width_cm: float) -> float:
    """A print height that gives bars and dots room for their labels; time series get a fixed landscape shape."""
    if chart.kind == "zeitreihe" or not _has_data(chart):
        return round(width_cm * 0.45, 2)
    labels = [label for label, _ in next(iter(chart.series.values()))]
    # Rows are evenly spaced, so the tallest label sets the pitch for all of them.
    lines = max(len(_wrap(label).splitlines()) for label in labels)
    legend = 0.8 if chart.kind == "punkte" else 0.0
    return round(max(4.0, 1.2 + legend + len(labels) * (0.2 + 0.32 * lines)), 2)


def render(chart: Chart, width_cm: float, height_cm: float, *, title: bool = True) -> bytes:
    """PNG of the chart at the given print size. title=False when the document prints the title as text."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(h_pad=0.04, w_pad=0.04)
    ax = fig.add_subplot()
    if title and chart.title:
        ax.set_title(_plain(chart.title), loc="left", fontsize=10, fontweight="bold", fontfamily=FONT, color=_TEXT)
    if not _has_data(chart):
        ax.set_axis_off()
        ax.text(0.5, 0.5, "keine Daten", ha="center", va="center", fontsize=11, color=_LIGHT, fontfamily=FONT,
                transform=ax.transAxes)
    else:
        _style_axes(ax)
        {"zeitreihe": _time_series, "balken": _bars, "punkte": _dots}[chart.kind](fig, ax, chart)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def _has_data(chart: Chart) -> bool:
    return any(_number(v) is not None for points in chart.series.values() for _, v in points)


def _number(value) -> float | None:
    if value is None or isinstance(value, str):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _plain(text: str) -> str:
    # A "$" would switch matplotlib to mathtext and print institution names as formulas.
    return str(text).replace("$", r"\$")


def _wrap(label: str) -> str:
    # At most two lines: a long institution name is shortened here, the table beside the chart prints it in full.
    return "\n".join(textwrap.wrap(str(label), 38, max_lines=2, placeholder=" …")) or " "


def _style_axes(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(_LIGHT)
        ax.spines[side].set_linewidth(0.6)
    ax.tick_params(labelsize=_TICK, labelfontfamily=FONT, colors=_TEXT, length=2.5, width=0.6)
    ax.set_axisbelow(True)


def _value_axis(axis, label: str) -> None:
    from matplotlib.ticker import Formatter, MaxNLocator

    class GermanFormatter(Formatter):
        ticks: list[float] = []

        def set_locs(self, locs):
            self.ticks = list(locs)

        def __call__(self, x, pos=None):
            return format_number(x, decimals_for(self.ticks or [x]), minus=MINUS)

    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(GermanFormatter())
    axis.grid(True, color=_GRID, linewidth=0.6)
    if label:
        axis.set_label_text(_plain(label), fontsize=_LABEL, fontfamily=FONT, color=_TEXT)


def _include_zero(set_limits, values: list[float]) -> None:
    # Value axes start at zero: a share rising from 6 to 9 % must not look like a tripling to a council member.
    # A stable population then shows as a flat line, which is what it is; the table gives the exact figures.
    if values and min(values) >= 0:
        set_limits(0, None)
    elif values and max(values) <= 0:
        set_limits(None, 0)


def _legend(fig, ax, columns: int) -> None:
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(columns, 4), frameon=False,
               prop={"family": FONT, "size": _TICK}, handlelength=1.8, columnspacing=1.6)


def _time_series(fig, ax, chart: Chart) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    years = sorted({int(year) for points in chart.series.values() for year, _ in points})
    # Every year of the span is on the axis; a year without a value leaves a gap instead of a bridging line.
    years = list(range(years[0], years[-1] + 1))
    values = []
    for i, (name, points) in enumerate(chart.series.items()):
        known = {int(year): _number(v) for year, v in points}
        ys = [math.nan if known.get(year) is None else known[year] for year in years]
        values += [v for v in ys if not math.isnan(v)]
        ax.plot(years, ys, color=PALETTE[i % len(PALETTE)], marker=MARKERS[i % len(MARKERS)], markersize=4,
                linewidth=1.6, label=_plain(name) or " ", clip_on=False)
    if len(years) <= 12:
        ax.set_xticks(years)
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    # Years are labels, not quantities: no thousands separator.
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: str(int(round(x)))))
    ax.set_xmargin(0.03)
    _value_axis(ax.yaxis, chart.y_label)
    _include_zero(ax.set_ylim, values)
    if len(chart.series) > 1:
        _legend(fig, ax, len(chart.series))


def _bars(fig, ax, chart: Chart) -> None:
    points = [(label, _number(v)) for label, v in next(iter(chart.series.values()))]
    values = [v for _, v in points if v is not None]
    places = decimals_for(values)
    positions = range(len(points))
    bars = ax.barh(positions, [v or 0 for _, v in points], height=0.62, color=PALETTE[0])
    ax.bar_label(bars, labels=[_NO_VALUE if v is None else format_number(v, places, minus=MINUS)
                               for _, v in points], padding=3,
                 fontsize=_TICK, fontfamily=FONT, color=_TEXT)
    ax.set_yticks(list(positions), [_plain(_wrap(label)) for label, _ in points])
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    # The bars carry their values, so the value axis would only repeat them.
    ax.tick_params(axis="x", bottom=False, labelbottom=False)
    ax.spines["bottom"].set_visible(False)
    low, high = min(0.0, *values), max(0.0, *values)
    room = (high - low) * 0.16 or 1.0
    ax.set_xlim(low - (room if low < 0 else 0), high + room)
    if chart.y_label:
        ax.set_xlabel(_plain(chart.y_label), fontsize=_LABEL, fontfamily=FONT, color=_TEXT)


def _dots(fig, ax, chart: Chart) -> None:
    (own_name, own), *rest = chart.series.items()
    other_name, other = rest[0] if rest else ("", [])
    others = {label: _number(v) for label, v in other}
    points = [(label, _number(v), others.get(label)) for label, v in own]
    positions = list(range(len(points)))
    for y, (_, a, b) in zip(positions, points, strict=True):
        if a is not None and b is not None:
            ax.plot([a, b], [y, y], color=_LIGHT, linewidth=0.9, zorder=1)
    own_xy = [(a, y) for y, (_, a, _b) in zip(positions, points, strict=True) if a is not None]
    other_xy = [(b, y) for y, (_, _a, b) in zip(positions, points, strict=True) if b is not None]
    if own_xy:
        ax.scatter(*zip(*own_xy, strict=True), s=30, color=PALETTE[0], zorder=3, clip_on=False,
                   label=_plain(own_name) or " ")
    if other_xy:
        ax.scatter(*zip(*other_xy, strict=True), s=30, facecolors="white", edgecolors=PALETTE[3], linewidths=1.3,
                   zorder=3, clip_on=False, label=_plain(other_name) or " ")
    ax.set_yticks(positions, [_plain(_wrap(label)) for label, _, _ in points])
    ax.set_ylim(len(points) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0, pad=8)
    ax.spines["left"].set_visible(False)
    _value_axis(ax.xaxis, chart.y_label)
    _include_zero(ax.set_xlim, [v for _, a, b in points for v in (a, b) if v is not None])
    ax.grid(False, axis="y")
    _legend(fig, ax, 2)
