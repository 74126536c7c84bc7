"""The demo town's synthetic population on 31 December of each year, which the official statistics derive from.

It follows the institutions so that the town's figures agree with theirs: the 3- to 6-year-olds from the Kitas' Ü3
children, the 6- to 10-year-olds from the primary classes, their shares with a migration background per Bezirk
from the same district shares that drive the Kitas and Grundschulen.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from demo.registry import DISTRICTS, FIRST_YEAR, KITA_TREND, TOWN_ZWG, ZWG_TREND
from demo.sampling import apportion
from forms.values import Address, Value

# Inhabitants of each Bezirk in the first year (in the order of DISTRICTS; 48,000 in all), before arrivals.
_INHABITANTS = (5200, 5600, 6400, 4700, 6000, 4800, 3900, 3300, 3700, 4400)
_EMR_OF_CHILDREN = 0.63  # a Bezirk's EMR share over all ages, relative to its children's share
BEZIRK_ROWS = tuple(f"bezirk_{b:02d}" for b in range(1, len(DISTRICTS) + 1))

# Ausländer by nationality group: (first year, change per year), plus the refugees of 2015/16 and of 2022.
_NATIONALITIES = {
    "eu": (1080, 35), "tuerkei": (640, -12), "europa_sonst": (400, 6), "syrien_afghanistan_irak": (230, 0),
    "afrika": (140, 9), "asien_sonst": (250, 8), "amerika": (60, 1), "sonstige": (120, 4),
}
_ARRIVALS = {
    "syrien_afghanistan_irak": {2015: 40, 2016: 300, 2017: 380, 2018: 400, 2019: 390, 2020: 370, 2021: 360,
                                2022: 390, 2023: 420, 2024: 410, 2025: 390},
    "europa_sonst": {2022: 480, 2023: 560, 2024: 590, 2025: 600},
}


@dataclass(frozen=True)
class Population:
    """The town on 31 December of one year, per Bezirk in the order of DISTRICTS."""

    inhabitants: tuple[int, ...]
    auslaender: tuple[int, ...]
    emr: tuple[int, ...]
    children: tuple[tuple[int, int, int, int], ...]  # 3–6 with / without, 6–10 with / without MH
    nationalities: dict[str, int]


def count_children(cells: dict[Address, Value]) -> Counter:
    """Kita children from 3 years and pupils of classes 1–4 in one submission."""
    count = Counter()
    for (code, row, col), value in cells.items():
        if (code, row, col) == ("kinder", "ue3", "insgesamt"):
            count["kita_ue3"] += value.number
        elif code == "schueler_klasse_primar" and col == "anzahl":
            count["primar"] += value.number
    return count


def draw_nationalities(rng: random.Random, year: int) -> dict[str, int]:
    t = year - FIRST_YEAR
    return {code: round((first + change * t + _ARRIVALS.get(code, {}).get(year, 0)) * rng.uniform(0.99, 1.01))
            for code, (first, change) in _NATIONALITIES.items()}


def _child_share(district: int, year: int, grundschule: bool = False) -> float:
    """The MH share of a Bezirk's children, as the Kitas (3–6) and Grundschulen (6–10) there see it."""
    return DISTRICTS[district][2] + (ZWG_TREND if grundschule else KITA_TREND) * (year - FIRST_YEAR)


def draw_population(rng: random.Random, year: int, children: Counter) -> Population:
    t = year - FIRST_YEAR
    districts = range(len(DISTRICTS))
    nationalities = draw_nationalities(rng, year)
    # Arrivals since the first year settle mostly in the diverse Bezirke; the settled population shrinks a little.
    arrived = sum(nationalities.values()) - sum(first for first, _change in _NATIONALITIES.values())
    pull = {d: _INHABITANTS[d] * DISTRICTS[d][2] ** 2 for d in districts}
    inhabitants = [round(_INHABITANTS[d] * (1 - 0.0025 * t) + 0.8 * arrived * pull[d] / sum(pull.values()))
                   for d in districts]
    emr = [round(inhabitants[d] * _EMR_OF_CHILDREN * _child_share(d, year) * rng.uniform(0.995, 1.005))
           for d in districts]
    auslaender = apportion(rng, sum(nationalities.values()), dict(enumerate(emr)), 0.03)
    # The children the Kitas and schools report, with the few who go elsewhere; more of them in diverse Bezirke.
    young = {d: inhabitants[d] * (1 + DISTRICTS[d][2] - TOWN_ZWG) for d in districts}
    age3_6 = apportion(rng, round(children["kita_ue3"] / (0.93 + 0.003 * t)), young, 0.02)
    age6_10 = apportion(rng, round(children["primar"] / 0.98), young, 0.02)
    kids = []
    for d in districts:
        mh3 = round(age3_6[d] * _child_share(d, year) * rng.uniform(0.98, 1.02))
        mh6 = round(age6_10[d] * _child_share(d, year, grundschule=True) * rng.uniform(0.98, 1.02))
        kids.append((mh3, age3_6[d] - mh3, mh6, age6_10[d] - mh6))
    return Population(tuple(inhabitants), tuple(auslaender[d] for d in districts), tuple(emr), tuple(kids),
                      nationalities)
