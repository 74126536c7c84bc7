"""The demo Kitas', youth centres' and clubs' figures per year, and the value generator for every kind of
institution (the schools' live in demo.schools)."""

from __future__ import annotations

import random
from collections.abc import Callable

from demo.registry import CLUB_KINDS, FIRST_YEAR, KITA_TREND, Institution
from demo.sampling import number, part
from demo.schools import school_figures
from forms.model import Form
from forms.values import Address, Value

_YOUTH_AGES = (("a06_09", 0.15), ("a10_13", 0.33), ("a14_17", 0.36), ("a18_26", 0.16))
_SEASON = (1.05, 1.05, 1.0, 0.95, 0.95, 0.85, 0.55, 0.5, 0.95, 1.0, 1.05, 0.8)  # the summer holidays dip
_CLUB_AGES = ("bis06", "a07_14", "a15_18", "a19_26", "a27_40", "a41_60", "ue60")
_CLUB_AGE_MH = (1.5, 1.4, 1.3, 1.1, 1.0, 0.7, 0.4)  # the young are more diverse than the old


def _kita(rng: random.Random, inst: Institution, form: Form, year: int) -> dict[Address, Value]:
    t = year - FIRST_YEAR
    children = round(inst.size * (1 + inst.growth) ** t * rng.uniform(0.96, 1.04))
    u3 = round(children * min(0.31, 0.24 + 0.006 * t) * rng.uniform(0.92, 1.08))
    share = min(0.9, inst.share + KITA_TREND * t)
    cells: dict[Address, Value] = {}
    # Children with a migration background are under-represented among the under-threes.
    for row, n, row_share in (("u3", u3, share * 0.8), ("ue3", children - u3, share)):
        cells |= {("kinder", row, "insgesamt"): number(n),
                  ("kinder", row, "eltern_ausl"): number(part(rng, n, row_share)),
                  ("kinder", row, "sprache"): number(part(rng, n, row_share * inst.extra["language"])),
                  ("kinder", row, "auslaender"): number(part(rng, n, row_share * inst.aus_ratio))}
    staff = max(4, round(children / 6.5 * rng.uniform(0.95, 1.05)))
    cells[("personal_gesamt", "", "")] = number(staff)
    if inst.voluntary:
        talkers = cells[("kinder", "ue3", "sprache")].number + cells[("kinder", "u3", "sprache")].number
        cells[("sprachfoerderung", "", "")] = number(min(children, round(talkers * 0.7) + rng.randint(0, 4)))
        cells[("personal_mh", "", "")] = number(part(rng, staff, 0.12 + 0.005 * t, 0.3))
        cells[("personal_mehrsprachig", "", "")] = number(part(rng, staff, 0.1 + 0.005 * t, 0.3))
    return cells


def _gendered(rng: random.Random, code: str, row: str, n: float, male: float, share: float,
              divers: bool, estimate: bool = False) -> dict[Address, Value]:
    """One row of a grid split into male / female / divers, each with its 'davon mit MH' column."""
    m = round(n * male * rng.uniform(0.93, 1.07))
    w = round(n * (1 - male) * rng.uniform(0.93, 1.07))
    d = 1 if divers and rng.random() < 0.3 else 0
    cells = {}
    for column, count in (("maennlich", m), ("weiblich", w), ("divers", d)):
        mh = part(rng, count, share, 0.1)
        if estimate and mh > 10:  # an estimate comes in round numbers
            mh = min(count, 5 * round(mh / 5))
        cells |= {(code, row, column): number(count), (code, row, f"mh_{column}"): number(mh, estimate)}
    return cells


def _youth_centre(rng: random.Random, inst: Institution, form: Form, year: int) -> dict[Address, Value]:
    t = year - FIRST_YEAR
    regulars = inst.size * (1 + inst.growth) ** t
    share = min(0.9, inst.share + 0.005 * t)
    cells: dict[Address, Value] = {}
    for row, age_share in _YOUTH_AGES:
        cells |= _gendered(rng, "stammbesucher", row, regulars * age_share, 0.6, share, row != "a06_09")
    if inst.voluntary:  # one centre keeps no visitor log
        for month, season in enumerate(_SEASON, 1):
            visits = round(regulars * inst.extra["visits"] * season * rng.uniform(0.93, 1.07))
            cells[("besuche_monat", f"m{month:02d}", "insgesamt")] = number(visits)
            cells[("besuche_monat", f"m{month:02d}", "mh")] = number(part(rng, visits, share, 0.05))
    if inst.extra["offer"]:
        cells[("angebote", "", "")] = Value(text=inst.extra["offer"])
    return cells


def _club(rng: random.Random, inst: Institution, form: Form, year: int) -> dict[Address, Value]:
    t = year - FIRST_YEAR
    art, estimated = inst.extra["art"], inst.extra["estimated"]
    ages, male, _sizes, _shares = CLUB_KINDS[art]
    members = inst.size * (1 + inst.growth) ** t
    cells: dict[Address, Value] = {
        ("vereinsart", "", ""): Value(text=art),
        ("geschaetzt", "", ""): Value(text="geschaetzt" if estimated else "gezaehlt"),
    }
    for row, age_share, age_mh in zip(_CLUB_AGES, ages, _CLUB_AGE_MH, strict=True):
        share = min(0.95, inst.share * (1 if inst.share > 0.5 else age_mh))
        cells |= _gendered(rng, "mitglieder", row, members * age_share, male, share,
                           members > 200 and row in ("a15_18", "a19_26"), estimated)
    board, board_mh = inst.extra["board"]
    cells |= {("vorstand_gesamt", "", ""): number(board), ("vorstand_mh", "", ""): number(board_mh)}
    if inst.voluntary:
        cells[("bemerkungen", "", "")] = Value(text="Mitgliederzahlen aus der Beitragsliste zum 31.12."
                                               + (" Migrationshintergrund geschätzt." if estimated else ""))
    return cells


GENERATORS: dict[str, Callable[[random.Random, Institution, Form, int], dict[Address, Value]]] = {
    "schule": school_figures, "kita": _kita, "jugendtreff": _youth_centre, "verein": _club,
}

