"""The demo schools' figures per year: pupils by grade, class 4's recommendations and transitions, and leavers by
qualification."""

from __future__ import annotations

import random
from collections import Counter

from demo.registry import (
    FIRST_YEAR,
    HAUPTSCHULE,
    MERGER_START,
    MERGER_YEAR,
    SEKUNDARSCHULE,
    TOWN_ZWG,
    ZWG_TREND,
    Institution,
)
from demo.sampling import apportion, number, part
from forms.model import Form
from forms.values import Address, Value

_PRIMAR = ("k1", "k2", "k3", "k4")
_SEK = ("j05", "j06", "j07", "j08", "j09", "j10", "j11", "j12", "j13")
# Size of each grade relative to the cohort size; a grade missing here is taught nowhere in that type (0).
_GRADES = {
    "Grundschule": {"k1": 1, "k2": 1, "k3": 1, "k4": 1},
    "Förderschule": {"k1": 0.3, "k2": 0.4, "k3": 0.5, "k4": 0.6, "j05": 0.9, "j06": 1, "j07": 1, "j08": 1,
                     "j09": 1, "j10": 0.9},
    "Hauptschule": dict.fromkeys(_SEK[:6], 1),
    "Realschule": dict.fromkeys(_SEK[:6], 1),
    "Sekundarschule": dict.fromkeys(_SEK[:6], 1),
    "Gesamtschule": {**dict.fromkeys(_SEK[:6], 1), "j11": 0.5, "j12": 0.46, "j13": 0.43},
    "Gymnasium": {**dict.fromkeys(_SEK[:6], 1), "j11": 0.88, "j12": 0.82, "j13": 0.78},
    "Berufskolleg": {},
}

# Class 4: recommendation by group (no ZWG / ZWG with German citizenship / Ausländer), then the actual
# transition given the recommendation. Calibrated to about 40 % to Gymnasium overall and 20–25 % for Ausländer.
_RECOMMENDATIONS = ("hauptschule", "haupt_eingeschr_real", "realschule", "real_eingeschr_gym", "gymnasium", "keine")
_RECOMMENDATION_WEIGHTS = {
    "deutsch": (7, 7, 24, 13, 46, 3),
    "zwg": (11, 10, 28, 12, 36, 3),
    "auslaender": (19, 13, 30, 10, 21, 7),
}
_TRANSITIONS = ("hauptschule", "realschule", "sekundarschule", "gesamtschule", "primus", "gymnasium",
                "foerderschule", "sonstige")
_TRANSITION_WEIGHTS = {
    "hauptschule": (30, 12, 22, 30, 0, 2, 2, 2),
    "haupt_eingeschr_real": (15, 30, 20, 28, 0, 5, 0, 2),
    "realschule": (3, 50, 12, 22, 0, 11, 0, 2),
    "real_eingeschr_gym": (0, 30, 5, 18, 0, 45, 0, 2),
    "gymnasium": (0, 4, 1, 7, 0, 86, 0, 2),
    "keine": (5, 0, 5, 20, 0, 0, 68, 2),
}

# Leavers by qualification and nationality: Ausländer leave more often without a qualification or with the ESA
# and reach the Abitur less often.
_QUALIFICATIONS = ("ohne", "esa", "eesa", "msa", "msa_q", "fhr", "ahr")
_LEAVER_WEIGHTS = {
    "Gymnasium": {"deutsche": (0.5, 1, 1, 3, 6, 5, 83.5), "auslaender": (2, 3, 4, 8, 10, 8, 65)},
    "Realschule": {"deutsche": (1, 3, 6, 45, 45, 0, 0), "auslaender": (4, 8, 12, 48, 28, 0, 0)},
    "Hauptschule": {"deutsche": (6, 20, 40, 30, 4, 0, 0), "auslaender": (12, 28, 35, 22, 3, 0, 0)},
    "Sekundarschule": {"deutsche": (3, 8, 17, 42, 30, 0, 0), "auslaender": (7, 15, 20, 40, 18, 0, 0)},
    "Gesamtschule": {"deutsche": (2, 5, 10, 25, 20, 6, 32), "auslaender": (5, 10, 15, 30, 15, 6, 19)},
    "Förderschule": {"deutsche": (55, 35, 10, 0, 0, 0, 0), "auslaender": (65, 30, 5, 0, 0, 0, 0)},
    "Berufskolleg": {"deutsche": (5, 8, 7, 20, 10, 35, 15), "auslaender": (12, 14, 10, 24, 8, 24, 8)},
}

_SCHOOL_OFFERS = (
    "Deutschförderklasse für Seiteneinsteiger/innen.",
    "Herkunftssprachlicher Unterricht in Türkisch und Arabisch.",
    "Sprachförderung in Kleingruppen, Lesepaten aus dem Stadtteil.",
)


def _grade_taught(inst: Institution, grade: str, year: int) -> bool:
    entered = year - (int(grade[1:]) - 5)  # the year this cohort started grade 5
    if inst.unit.id == HAUPTSCHULE:
        return entered < MERGER_START
    if inst.unit.id == SEKUNDARSCHULE:
        return entered >= MERGER_START or year >= MERGER_YEAR
    return True


def school_figures(rng: random.Random, inst: Institution, form: Form, year: int) -> dict[Address, Value]:
    schulform = inst.unit.attributes["schulform"]
    # The form decides which sections a school type fills in (Section.only_for).
    visible = {f.code for f in form.visible_fields(inst.unit.attributes)}
    t = year - FIRST_YEAR
    # A secondary school's share grows in proportion to it, so that the gaps between school types persist.
    relative = inst.share / TOWN_ZWG if schulform != "Grundschule" else 1
    share = min(0.9, inst.share + ZWG_TREND * t * relative)
    cohort = inst.size * (1 + inst.growth) ** t
    cells: dict[Address, Value] = {}
    total = zwg = aus = 0
    class4 = (0, 0, 0)
    grids = [(code, rows) for code, rows in (("schueler_klasse_primar", _PRIMAR), ("schueler_jahrgang_sek", _SEK))
             if code in visible]
    for code, rows in grids:
        for row in rows:
            factor = _GRADES[schulform].get(row, 0)
            if row.startswith("j") and not _grade_taught(inst, row, year):
                factor = 0
            n = round(cohort * factor * rng.uniform(0.93, 1.07))
            z = part(rng, n, share, 0.07)
            a = part(rng, z, inst.aus_ratio, 0.12)
            cells |= {(code, row, "anzahl"): number(n), (code, row, "zwg"): number(z),
                      (code, row, "auslaender"): number(a)}
            total, zwg, aus = total + n, zwg + z, aus + a
            if row == "k4":
                class4 = (n, z, a)
    if not grids:
        total = round(cohort * rng.uniform(0.96, 1.04))
        zwg = part(rng, total, share, 0.04)
        aus = part(rng, zwg, inst.aus_ratio, 0.06)
    cells |= {("schueler_gesamt", "", ""): number(total), ("zwg_gesamt", "", ""): number(zwg),
              ("auslaender", "", ""): number(aus)}
    # The three criteria overlap; "selbst zugewandert" peaks with the arrivals of 2015–2016.
    arrivals = 0.2 + 0.05 * max(0, 3 - abs(t - 2)) / 3
    if inst.extra["criteria"]:
        for code, ratio in (("zwg_selbst_zugewandert", arrivals), ("zwg_eltern_zugewandert", 0.78),
                            ("zwg_sprache", 0.52)):
            cells[(code, "", "")] = number(part(rng, zwg, ratio, 0.06))
    if inst.extra["aussiedler"]:
        cells[("aussiedler", "", "")] = number(part(rng, total, max(0.004, 0.02 - 0.0012 * t), 0.1))
    if "empfehlung" in visible:
        cells |= _transitions(rng, inst, year, class4)
        inst.last_class4 = class4
    if "abgaenger_abschluss" in visible:
        cells |= _leavers(rng, inst, year, cells, total, aus)
    if inst.voluntary:
        staff = round(total / (14 if schulform != "Berufskolleg" else 22) * rng.uniform(0.95, 1.05))
        cells[("personal_gesamt", "", "")] = number(staff)
        if rng.random() < 0.8:
            cells[("personal_mh", "", "")] = number(part(rng, staff, 0.08 + 0.004 * t, 0.3))
        cells[("sprachfoerderung_schueler", "", "")] = number(part(rng, zwg, 0.18, 0.08))
        cells[("sprachfoerderung_angebote", "", "")] = Value(text=_SCHOOL_OFFERS[int(inst.unit.id) % 3])
    return cells


def _transitions(rng: random.Random, inst: Institution, year: int,
                 class4: tuple[int, int, int]) -> dict[Address, Value]:
    """Class 4 of last year left for secondary schools; a few repeat the year or move away first."""
    n, z, a = inst.last_class4 or class4
    n = max(z, n - rng.randint(0, 2))
    groups = {"deutsch": n - z, "zwg": z - a, "auslaender": a}
    cells = {("abgaenger_klasse4", "anzahl", "alle"): number(n), ("abgaenger_klasse4", "anzahl", "zwg"): number(z),
             ("abgaenger_klasse4", "anzahl", "auslaender"): number(a)}
    recommended = {g: Counter() for g in groups}
    moved = {g: Counter() for g in groups}
    for group, count in groups.items():
        # Apportioned rather than drawn child by child: binomial noise on cells of 20 to 40 children would
        # trip the previous-year check far more often than real schools do.
        joint = {}
        for rec, rec_weight in zip(_RECOMMENDATIONS, _RECOMMENDATION_WEIGHTS[group], strict=True):
            if rec == "gymnasium":
                rec_weight *= inst.extra["gymnasium"]
            weights = _transition_weights(rec, group, year)
            total = sum(weights.values())
            joint |= {(rec, school): rec_weight * w / total for school, w in weights.items()}
        for (rec, school), k in apportion(rng, count, joint).items():
            recommended[group][rec] += k
            moved[group][school] += k
    for code, rows, counts in (("empfehlung", _RECOMMENDATIONS, recommended),
                               ("uebergang_schulform", _TRANSITIONS, moved)):
        for row in rows:
            everyone = sum(counts[g][row] for g in groups)
            with_zwg = counts["zwg"][row] + counts["auslaender"][row]
            cells |= {(code, row, "alle"): number(everyone), (code, row, "zwg"): number(with_zwg),
                      (code, row, "auslaender"): number(counts["auslaender"][row])}
    return cells


def _transition_weights(recommendation: str, group: str, year: int) -> dict[str, float]:
    weights = dict(zip(_TRANSITIONS, _TRANSITION_WEIGHTS[recommendation], strict=True))
    if group == "auslaender":  # a Gymnasium recommendation is followed less often
        weights["gesamtschule"] += weights["gymnasium"] * 0.15
        weights["gymnasium"] *= 0.85
    # Before 2018 the town had no Sekundarschule; after 2020 no Hauptschule (a few go to a neighbour town).
    if year < MERGER_START:
        weights["hauptschule"] += weights.pop("sekundarschule")
    elif year >= MERGER_YEAR:
        weights["sekundarschule"] += weights["hauptschule"] * 0.8
        weights["hauptschule"] *= 0.2
    return weights


def _leavers(rng: random.Random, inst: Institution, year: int, cells: dict[Address, Value], total: int,
             aus: int) -> dict[Address, Value]:
    """Leavers at the end of last school year; this year's final grades stand in for last year's."""
    schulform = inst.unit.attributes["schulform"]

    def grade(row: str) -> int:
        return cells[("schueler_jahrgang_sek", row, "anzahl")].number

    if schulform == "Berufskolleg":
        leavers = round(total * 0.35)
    elif schulform in ("Gymnasium", "Gesamtschule"):
        leavers = grade("j13") + round(grade("j10") * (0.08 if schulform == "Gymnasium" else 0.55))
    else:
        leavers = round(grade("j10") * rng.uniform(1.0, 1.1))
    if inst.unit.id == SEKUNDARSCHULE and year < MERGER_YEAR:
        leavers = 0
    foreign = part(rng, leavers, aus / total if total else 0, 0.1)
    result = {}
    for column, count in (("deutsche", leavers - foreign), ("auslaender", foreign)):
        weights = dict(zip(_QUALIFICATIONS, _LEAVER_WEIGHTS[schulform][column], strict=True))
        counts = apportion(rng, count, weights)
        result |= {("abgaenger_abschluss", row, column): number(counts[row]) for row in _QUALIFICATIONS}
    return result

