"""The town's official statistics in the demo (population, labour market, elections, …), which the officer enters
for the town itself (org unit "stadt"). Every figure derives from one synthetic population per year
(demo.population), so that the forms agree with each other and with the institutions.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator

from demo.population import BEZIRK_ROWS, Population, draw_nationalities, draw_population
from demo.registry import FIRST_YEAR, LAST_YEAR
from demo.sampling import apportion, number, part
from forms.values import Address, Value

_SOURCES = {
    "bevoelkerung": "Einwohnermelderegister der Stadt, Stand 31.12.{year} (synthetisch)",
    "auslaender_staatsangehoerigkeit": "Einwohnermelderegister der Stadt, Stand 31.12.{year} (synthetisch)",
    "arbeitsmarkt": "Statistik der Bundesagentur für Arbeit, Jahresdurchschnitt {year} (synthetisch)",
    "einbuergerung": "Einbürgerungsbehörde des Kreises, Kalenderjahr {year}; Melderegister der Stadt, Stand "
                     "31.12.{previous} (synthetisch)",
    "kriminalitaet": "Polizeiliche Kriminalstatistik {year} der Kreispolizeibehörde, Tatort Stadt (synthetisch)",
    "wahlen": "Wahlamt der Stadt, endgültige Ergebnisse {year} (synthetisch)",
    "religion": "Einwohnermelderegister der Stadt, Stand 31.12.{year} (synthetisch)",
    "verwaltung": "Personalamt der Stadt, Personalstand 30.06.{year}, Beschäftigtenbefragung (synthetisch)",
    "integrationskurse": "Integrationskursträger in der Stadt, Meldungen für {year} (synthetisch)",
}
OFFICIAL_NOTES = dict.fromkeys(_SOURCES, "Demo: Abweichung zum Vorjahr mit der Quelle geprüft, der Wert stimmt.") | {
    "auslaender_staatsangehoerigkeit": "Demo: Zuzug Geflüchteter, 2015/16 aus Syrien, Afghanistan und dem Irak, "
                                       "2022 aus der Ukraine.",
    "einbuergerung": "Demo: mehr Einbürgerungen, seit 2022 von 2015/16 Zugewanderten, seit Juni 2024 nach der "
                     "Reform des Staatsangehörigkeitsrechts.",
    "kriminalitaet": "Demo: mit der Kreispolizeibehörde abgeglichen; nichtdeutsche Tatverdächtige folgen dem Zuzug, "
                     "ausländerrechtliche Verstöße den unerlaubten Einreisen.",
    "integrationskurse": "Demo: die Kurse folgen dem Zuzug; 2020 fielen viele Kurse wegen der Pandemie aus.",
}

# Age groups from 10 years on: share of the population, EMR and Ausländer share relative to the average.
# The groups under 10 follow from the Kita and school figures.
_AGES = {
    "a10_14": (4.6, 1.45, 0.8), "a15_19": (4.9, 1.35, 0.9), "a20_24": (5.5, 1.35, 1.5), "a25_29": (6.0, 1.45, 1.9),
    "a30_34": (6.4, 1.45, 1.9), "a35_39": (6.3, 1.35, 1.7), "a40_44": (6.0, 1.2, 1.4), "a45_49": (6.1, 1.0, 1.1),
    "a50_54": (7.6, 0.85, 0.9), "a55_59": (8.1, 0.75, 0.75), "a60_64": (7.3, 0.65, 0.6), "a65_69": (6.1, 0.55, 0.5),
    "a70_74": (4.9, 0.45, 0.4), "a75_79": (4.3, 0.4, 0.3), "a80_84": (4.2, 0.3, 0.25), "a85_plus": (2.9, 0.25, 0.2),
}

# Labour market, annual averages: unemployed, Ausländer share of them, SGB II recipients (ELB), Ausländer share.
_LABOUR = {
    2015: (1620, 0.13, 2520, 0.18), 2016: (1570, 0.15, 2600, 0.22), 2017: (1510, 0.18, 2700, 0.27),
    2018: (1420, 0.19, 2650, 0.28), 2019: (1350, 0.19, 2560, 0.28), 2020: (1570, 0.19, 2590, 0.28),
    2021: (1500, 0.19, 2510, 0.28), 2022: (1380, 0.20, 2660, 0.31), 2023: (1480, 0.22, 2780, 0.34),
    2024: (1570, 0.22, 2760, 0.34), 2025: (1650, 0.22, 2720, 0.33),
}
# Naturalisations, and the share of last year's Ausländer living in Germany for at least 8 years.
_NATURALISATIONS = {2015: 62, 2016: 64, 2017: 66, 2018: 70, 2019: 78, 2020: 66, 2021: 84, 2022: 104, 2023: 130,
                    2024: 175, 2025: 205}
_EIGHT_YEARS = {2015: 0.58, 2016: 0.57, 2017: 0.52, 2018: 0.47, 2019: 0.46, 2020: 0.46, 2021: 0.47, 2022: 0.47,
                2023: 0.45, 2024: 0.5, 2025: 0.53}
# Suspects: all, non-German share, non-German suspects of immigration offences.
_CRIME = {2015: (1180, 0.22, 85), 2016: (1210, 0.24, 70), 2017: (1150, 0.22, 38), 2018: (1120, 0.21, 31),
          2019: (1090, 0.21, 28), 2020: (1060, 0.2, 25), 2021: (1020, 0.2, 26), 2022: (1110, 0.22, 36),
          2023: (1160, 0.24, 44), 2024: (1140, 0.24, 38), 2025: (1120, 0.23, 32)}
# Elections held (NRW): row, Wahltag, turnout, share of postal votes, Ausländer (EU citizens) allowed to vote.
_ELECTIONS = {
    2017: (("landtagswahl", "14.05.2017", 0.65, 0.22, False), ("bundestagswahl", "24.09.2017", 0.76, 0.28, False)),
    2019: (("europawahl", "26.05.2019", 0.61, 0.30, True),),
    2020: (("kommunalwahl", "13.09.2020", 0.52, 0.40, True),),
    2021: (("bundestagswahl", "26.09.2021", 0.77, 0.47, False),),
    2022: (("landtagswahl", "15.05.2022", 0.56, 0.40, False),),
    2024: (("europawahl", "09.06.2024", 0.64, 0.38, True),),
    2025: (("bundestagswahl", "23.02.2025", 0.82, 0.37, False), ("kommunalwahl", "14.09.2025", 0.56, 0.40, True)),
}
_ELECTION_NAMES = {"kommunalwahl": ("kw", "Kommunalwahl"), "landtagswahl": ("lw", "Landtagswahl"),
                   "bundestagswahl": ("bw", "Bundestagswahl"), "europawahl": ("ew", "Europawahl")}
# Integration course entrants relative to 2016, following arrivals; course types' shares; B1 among graduates.
_COURSES = {2014: 0.42, 2015: 0.55, 2016: 1.0, 2017: 0.86, 2018: 0.62, 2019: 0.52, 2020: 0.3, 2021: 0.38,
            2022: 0.55, 2023: 1.05, 2024: 0.8, 2025: 0.62}
_COURSE_TYPES = {"allgemein": (0.58, 0.58), "jugend": (0.04, 0.6), "eltern_frauen": (0.07, 0.45),
                 "alphabetisierung": (0.19, 0.22), "sonstige": (0.12, 0.5)}


def official_figures(rng: random.Random, children: dict[int, Counter]) -> Iterator[tuple[int, dict]]:
    """(year, {form id: cells}) for every demo year."""
    auslaender_before = sum(draw_nationalities(rng, FIRST_YEAR - 1).values())
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        population = draw_population(rng, year, children[year])
        figures = {
            "bevoelkerung": _bevoelkerung(rng, population),
            "auslaender_staatsangehoerigkeit": _staatsangehoerigkeit(population),
            "arbeitsmarkt": _arbeitsmarkt(rng, year),
            "einbuergerung": _einbuergerung(rng, year, auslaender_before),
            "kriminalitaet": _kriminalitaet(rng, year),
            "wahlen": _wahlen(rng, year, population),
            "religion": _religion(rng, year, population),
            "verwaltung": _verwaltung(rng, year),
            "integrationskurse": _integrationskurse(rng, year),
        }
        for form_id, cells in figures.items():
            cells[("quelle", "", "")] = Value(text=_SOURCES[form_id].format(year=year, previous=year - 1))
        auslaender_before = sum(population.auslaender)
        yield year, figures


def _bevoelkerung(rng: random.Random, pop: Population) -> dict[Address, Value]:
    cells: dict[Address, Value] = {}
    for row, n, a, e in zip(BEZIRK_ROWS, pop.inhabitants, pop.auslaender, pop.emr, strict=True):
        cells |= {("bevoelkerung_bezirk", row, "insgesamt"): number(n),
                  ("bevoelkerung_bezirk", row, "auslaender"): number(a),
                  ("bevoelkerung_bezirk", row, "emr"): number(e)}
    for row, kids in zip(BEZIRK_ROWS, pop.children, strict=True):
        cells |= {("kinder_bezirk", row, col): number(n)
                  for col, n in zip(("a3_6_mit", "a3_6_ohne", "a6_10_mit", "a6_10_ohne"), kids, strict=True)}
    # Under 10: three cohorts of 3- to 6-year-olds make up the cohort size of the under-fives.
    cohort = sum(k[0] + k[1] for k in pop.children) / 3
    mh_cohort = sum(k[0] for k in pop.children) / 3
    age6_10, mh6_10 = sum(k[2] + k[3] for k in pop.children), sum(k[2] for k in pop.children)
    young = {"a00_04": (round(5 * cohort), round(5 * mh_cohort), 0.2),
             "a05_09": (round(cohort + age6_10), round(mh_cohort + mh6_10), 0.24)}
    young = {row: (n, e, round(e * foreign)) for row, (n, e, foreign) in young.items()}
    rest = [sum(pop.inhabitants), sum(pop.emr), sum(pop.auslaender)]
    for n, e, a in young.values():
        rest = [rest[0] - n, rest[1] - e, rest[2] - a]
    counts = [apportion(rng, total, {row: weights[0] * (weights[i] if i else 1) for row, weights in _AGES.items()},
                        0.01) for i, total in enumerate(rest)]
    for row, (n, e, a) in young.items():
        cells |= {("bevoelkerung_alter", row, "insgesamt"): number(n),
                  ("bevoelkerung_alter", row, "auslaender"): number(a),
                  ("bevoelkerung_alter", row, "emr"): number(e)}
    for row in _AGES:
        cells |= {("bevoelkerung_alter", row, "insgesamt"): number(counts[0][row]),
                  ("bevoelkerung_alter", row, "emr"): number(counts[1][row]),
                  ("bevoelkerung_alter", row, "auslaender"): number(counts[2][row])}
    return cells


def _staatsangehoerigkeit(pop: Population) -> dict[Address, Value]:
    cells = {("staatsangehoerigkeit", code, "anzahl"): number(n) for code, n in pop.nationalities.items()}
    return cells | {("auslaender_gesamt", "", ""): number(sum(pop.nationalities.values()))}


def _arbeitsmarkt(rng: random.Random, year: int) -> dict[Address, Value]:
    unemployed, foreign_unemployed, recipients, foreign_recipients = _LABOUR[year]
    cells: dict[Address, Value] = {}
    rows = {}
    for row, total, share in (("arbeitslose", unemployed, foreign_unemployed), ("elb", recipients, foreign_recipients)):
        total = round(total * rng.uniform(0.98, 1.02))
        foreign = round(total * share * rng.uniform(0.97, 1.03))
        unknown = rng.randint(0, 3) if row == "arbeitslose" else 0  # nationality not known
        rows[row] = (total, total - foreign - unknown, foreign)
    # Most unemployed Ausländer, and about 55 % of the German unemployed, draw SGB II benefits.
    total, german, foreign = rows["arbeitslose"]
    german_sgb2, foreign_sgb2 = round(german * rng.uniform(0.53, 0.57)), round(foreign * rng.uniform(0.76, 0.82))
    rows["arbeitslose_sgb2"] = (german_sgb2 + foreign_sgb2 + (total - german - foreign) // 2, german_sgb2, foreign_sgb2)
    for row, numbers in rows.items():
        cells |= {("arbeitsmarkt", row, col): number(n)
                  for col, n in zip(("insgesamt", "deutsche", "auslaender"), numbers, strict=True)}
    return cells


def _einbuergerung(rng: random.Random, year: int, auslaender_before: int) -> dict[Address, Value]:
    eight_years = round(auslaender_before * _EIGHT_YEARS[year] * rng.uniform(0.99, 1.01))
    cells = {("einbuergerungen", "", ""): number(round(_NATURALISATIONS[year] * rng.uniform(0.95, 1.05))),
             ("auslaender_8_jahre", "", ""): number(eight_years),
             ("auslaender_gesamt", "", ""): number(auslaender_before)}
    if year >= 2024:  # asked for since the reform of June 2024
        cells[("auslaender_5_jahre", "", "")] = number(round(eight_years + (auslaender_before - eight_years) * 0.4))
    return cells


def _kriminalitaet(rng: random.Random, year: int) -> dict[Address, Value]:
    total, share, immigration = _CRIME[year]
    total = round(total * rng.uniform(0.97, 1.03))
    non_german = round(total * share * rng.uniform(0.97, 1.03))
    immigration = round(immigration * rng.uniform(0.93, 1.07))
    # A few suspected of an immigration offence are suspected of something else too and stay in.
    return {("gebiet", "", ""): Value(text="stadt"), ("tatverdaechtige_gesamt", "", ""): number(total),
            ("tatverdaechtige_nichtdeutsch", "", ""): number(non_german),
            ("tatverdaechtige_nd_auslaenderrecht", "", ""): number(immigration),
            ("tatverdaechtige_nd_ohne_ar", "", ""): number(non_german - immigration + round(immigration * 0.1))}


def _wahlen(rng: random.Random, year: int, pop: Population) -> dict[Address, Value]:
    elections = _ELECTIONS.get(year, ())
    cells: dict[Address, Value] = {("wahltage", "", ""): Value(text="; ".join(
        f"{_ELECTION_NAMES[row][1]} {day}" for row, day, *_rest in elections) or "keine Wahl")}
    town_emr = sum(pop.emr) / sum(pop.inhabitants)
    eu = pop.nationalities["eu"] / sum(pop.nationalities.values())
    for row, _day, turnout, postal, eu_votes in elections:
        prefix = _ELECTION_NAMES[row][0]
        eligible_all = voters_all = postal_all = 0
        for b, (n, a, e) in enumerate(zip(pop.inhabitants, pop.auslaender, pop.emr, strict=True)):
            # Adults with the right to vote; turnout is lower where more people have a migration background.
            eligible = round(((n - a) + (a * eu * (0.8 if row == "kommunalwahl" else 0.25) if eu_votes else 0))
                             * 0.83 * rng.uniform(0.99, 1.01))
            voters = round(eligible * max(0.25, turnout - 0.9 * (e / n - town_emr)) * rng.uniform(0.98, 1.02))
            by_post = round(voters * postal * rng.uniform(0.9, 1.1))
            cells |= {("wahl_bezirk", BEZIRK_ROWS[b], f"{prefix}_wahlberechtigte"): number(eligible),
                      ("wahl_bezirk", BEZIRK_ROWS[b], f"{prefix}_waehler"): number(voters - by_post)}
            eligible_all, voters_all, postal_all = eligible_all + eligible, voters_all + voters, postal_all + by_post
        cells |= {("wahl_stadt", row, "wahlberechtigte"): number(eligible_all),
                  ("wahl_stadt", row, "waehler"): number(voters_all),
                  ("wahl_stadt", row, "briefwaehler"): number(postal_all)}
    return cells


def _religion(rng: random.Random, year: int, pop: Population) -> dict[Address, Value]:
    """The churches lose members every year; where more people have a migration background, fewer belong."""
    t = year - FIRST_YEAR
    cells: dict[Address, Value] = {}
    town = Counter()
    for row, n, e in zip(BEZIRK_ROWS, pop.inhabitants, pop.emr, strict=True):
        diverse = e / n - 0.22
        evangelisch = round(n * (0.28 - 0.007 * t - 0.35 * diverse) * rng.uniform(0.99, 1.01))
        katholisch = round(n * (0.42 - 0.009 * t - 0.45 * diverse) * rng.uniform(0.99, 1.01))
        counts = {"evangelisch": evangelisch, "katholisch": katholisch, "sonstige_keine": n - evangelisch - katholisch}
        cells |= {("religion_bezirk", row, col): number(count) for col, count in counts.items()}
        town.update(counts)
    return cells | {("religion_stadt", "stadt", col): number(count) for col, count in town.items()}


def _verwaltung(rng: random.Random, year: int) -> dict[Address, Value]:
    """The staff survey started in 2016; about six in ten take part."""
    t = year - FIRST_YEAR
    staff = round((640 + 6 * t) * rng.uniform(0.99, 1.01))
    cells = {("personal_gesamt", "", ""): number(staff)}
    if year >= 2016:
        answered = round(staff * rng.uniform(0.56, 0.66))
        cells |= {("befragung_teilnehmende", "", ""): number(answered),
                  ("personal_mh", "", ""): number(round(answered * (0.075 + 0.005 * t) * rng.uniform(0.95, 1.05)))}
    return cells


def _integrationskurse(rng: random.Random, year: int) -> dict[Address, Value]:
    """Graduates take the final test about a year after they started: half of last year's and a quarter of this
    year's entrants."""
    cells: dict[Address, Value] = {}
    for row, (share, b1) in _COURSE_TYPES.items():
        entrants = round(190 * _COURSES[year] * share * rng.uniform(0.93, 1.07))
        graduates = round(190 * (0.5 * _COURSES[year - 1] + 0.25 * _COURSES[year]) * share * rng.uniform(0.93, 1.07))
        cells |= {("integrationskurse", row, "eintritte"): number(entrants),
                  ("integrationskurse", row, "absolventen"): number(graduates),
                  ("integrationskurse", row, "b1"): number(part(rng, graduates, b1, 0.1))}
    return cells
