"""Class limits for a choropleth map: quantiles, or Jenks' natural breaks (Fisher's exact dynamic programme).

Jenks is written out here: the libraries that offer it are either heavy (mapclassify pulls in scikit-learn and
networkx) or a compiled extension without wheels for every platform the app runs on (jenkspy), and for the few
hundred areas of a town the exact programme takes milliseconds.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

# Above this many values the programme (quadratic in them) runs on evenly spaced quantiles of the sorted values.
JENKS_SAMPLE = 1500


def class_breaks(values: Sequence[float], classes: int, method: str = "quantile") -> list[float]:
    """Ascending limits [min, b1, …, max]; class i holds the values in (limit i, limit i+1], the first also its
    minimum. Fewer classes come back when there are fewer distinct values; none (an empty list) without values."""
    if method not in ("quantile", "jenks"):
        raise ValueError(f"unknown classification method {method!r}")
    data = sorted(float(v) for v in values if v is not None and math.isfinite(v))
    if not data:
        return []
    distinct = sorted(set(data))
    classes = max(1, min(classes, len(distinct)))
    if classes == 1 or len(distinct) <= classes:
        inner = distinct[:-1][:classes - 1] if len(distinct) <= classes else []
        return [data[0], *inner, data[-1]]
    inner = _quantile_breaks(data, classes) if method == "quantile" else _jenks_breaks(data, classes)
    limits = [data[0]]
    for limit in inner:
        if limits[-1] < limit < data[-1]:
            limits.append(limit)
    return limits + [data[-1]]


def class_of(value: float, limits: Sequence[float]) -> int:
    """The class a value falls in: its index among the limits, the minimum joining the first class."""
    return min(max(bisect.bisect_left(limits, value) - 1, 0), len(limits) - 2)


def _quantile_breaks(data: list[float], classes: int) -> list[float]:
    # Limits are data values (the inverted empirical distribution), so every legend limit is a real value.
    n = len(data)
    return [data[max(0, math.ceil(n * k / classes) - 1)] for k in range(1, classes)]


def _jenks_breaks(data: list[float], classes: int) -> list[float]:
    """Minimises the sum of squared deviations within the classes (Fisher 1958, as Jenks 1977 used it)."""
    import numpy as np

    if len(data) > JENKS_SAMPLE:
        data = list(np.quantile(data, np.linspace(0, 1, JENKS_SAMPLE)))
    x = np.asarray(data)
    n = len(x)
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])

    def cost(start, end):  # squared deviations of x[start:end], vectorised over start
        count = end - start
        total = s1[end] - s1[start]
        return (s2[end] - s2[start]) - total * total / count

    # best[k][j]: least cost of putting x[:j] into k+1 classes; first[k][j]: where the last of them starts.
    best = np.full((classes, n + 1), np.inf)
    first = np.zeros((classes, n + 1), dtype=int)
    ends = np.arange(1, n + 1)
    best[0, 1:] = cost(np.zeros(n, dtype=int), ends)
    for k in range(1, classes):
        for j in range(k + 1, n + 1):
            starts = np.arange(k, j)
            candidates = best[k - 1, starts] + cost(starts, j)
            pick = int(np.argmin(candidates))
            best[k, j], first[k, j] = candidates[pick], starts[pick]
    limits, end = [], n
    for k in range(classes - 1, 0, -1):
        start = first[k, end]
        limits.append(float(x[start - 1]))  # the upper value of the class before
        end = start
    return sorted(limits)
