"""A demo workspace: "Musterstadt", a Soest-sized town with eleven years of approved submissions, and the
official statistics the officer enters for the town itself (population, labour market, elections, …).

Every figure is invented. The units are marked synthetic, every institution name ends with "(Demo)", school
numbers start with 9 (real NRW Schulnummern start with 1) and the setting "demo" says "synthetisch", so that
nothing from here can pass for real data. The shares and trends follow DOMAIN.md so that indicators, segregation
measures and charts have something to show.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from forms.catalog import all_forms, form_for
from forms.i18n import _
from forms.model import Form, Severity
from forms.validation import validate
from forms.values import Address, Value
from store.database import set_setting, write
from store.errors import StoreError
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_draft, set_state, set_values

if TYPE_CHECKING:
    from sqlite_utils import Database

FIRST_YEAR, LAST_YEAR = 2015, 2025
TOWN_ID = "stadt"
TOWN_NAME = "Musterstadt (Demo, synthetische Daten)"
POSTCODE, CITY = "59494", "Musterstadt"
WHO = "demo"

# Name, Unterbezirke, ZWG share of its Grundschule pupils in the first year. Bahnhofsviertel and Nordstadt are
# the clearly more diverse districts, so that segregation indices computed from the demo are not trivial.
_DISTRICTS = (
    ("Altstadt", ("Markt", "Domviertel", "Wallring"), 0.36),
    ("Bahnhofsviertel", ("Bahnhof", "Gleisdreieck", "Hafenstraße"), 0.47),
    ("Nordstadt", ("Nordring", "Brunnenfeld", "Am Wasserturm"), 0.44),
    ("Ostviertel", ("Osttor", "Lindenhof"), 0.33),
    ("Südstadt", ("Südwall", "Rosengarten", "Schützenplatz"), 0.32),
    ("Westfeld", ("Westtor", "Ziegelei"), 0.35),
    ("Bergheide", ("Heide", "Am Steinbruch"), 0.29),
    ("Mühlenbach", ("Mühlenweg", "Bachaue"), 0.28),
    ("Kirchdorf", ("Kirchdorf-Ort", "Hofstellen"), 0.28),
    ("Eichenhain", ("Eichenhain-Ort", "Waldsiedlung", "Gut Eichen"), 0.30),
)
_TOWN_ZWG = 0.36  # town-wide ZWG share of pupils in the first year; secondary schools draw on the whole town
_ZWG_TREND = 0.01  # about one point a year

_STREETS = (
    "Hauptstraße", "Bahnhofstraße", "Kirchplatz", "Schulstraße", "Lindenweg", "Am Markt", "Gartenstraße",
    "Mühlenweg", "Ringstraße", "Birkenallee", "Feldstraße", "Wiesenweg", "Brunnenstraße", "Am Stadtpark",
    "Burgstraße", "Kastanienallee", "Poststraße", "Eichenweg", "Jahnstraße", "Rosenstraße",
)

# Schools: id, name, schulform, Bezirk index, Träger, cohort size (pupils per grade; Berufskolleg: all pupils).
_SCHOOLS = (
    ("990001", "Grundschule am Markt", "Grundschule", 0, "Stadt Musterstadt", 62),
    ("990002", "Gemeinschaftsgrundschule Bahnhofstraße", "Grundschule", 1, "Stadt Musterstadt", 78),
    ("990003", "Brüder-Grimm-Schule, Gemeinschaftsgrundschule", "Grundschule", 2, "Stadt Musterstadt", 72),
    ("990004", "Kath. Grundschule St. Georg", "Grundschule", 3, "Stadt Musterstadt", 50),
    ("990005", "Astrid-Lindgren-Grundschule", "Grundschule", 4, "Stadt Musterstadt", 66),
    ("990006", "Grundschule Westtor", "Grundschule", 5, "Stadt Musterstadt", 55),
    ("990007", "Heideschule, Gemeinschaftsgrundschule", "Grundschule", 6, "Stadt Musterstadt", 44),
    ("990008", "Grundschule Kirchdorf", "Grundschule", 8, "Stadt Musterstadt", 40),
    ("990009", "Sekundarschule Musterstadt", "Sekundarschule", 2, "Stadt Musterstadt", 80),
    ("990010", "Hauptschule am Wallring", "Hauptschule", 0, "Stadt Musterstadt", 48),
    ("990011", "Realschule am Stadtpark", "Realschule", 4, "Stadt Musterstadt", 95),
    ("990012", "Anne-Frank-Realschule", "Realschule", 5, "Stadt Musterstadt", 88),
    ("990013", "Gesamtschule Nordstadt", "Gesamtschule", 2, "Stadt Musterstadt", 130),
    ("990014", "Gymnasium am Dom", "Gymnasium", 0, "Stadt Musterstadt", 112),
    ("990015", "Goethe-Gymnasium", "Gymnasium", 4, "Stadt Musterstadt", 100),
    ("990016", "Erzbischöfliches Gymnasium St. Ursula", "Gymnasium", 3, "Erzbistum (Demo)", 90),
    ("990017", "Pestalozzischule, Förderschule Lernen", "Förderschule", 1, "Kreis Musterkreis", 22),
    ("990018", "Berufskolleg Musterstadt", "Berufskolleg", 1, "Kreis Musterkreis", 1900),
)
# The merger: the Hauptschule takes no new grade 5 from 2018 and closes after 2020; the Sekundarschule opens in
# 2018 with grade 5, grows a grade a year and takes over the remaining Hauptschule pupils in 2021.
_MERGER_START, _MERGER_YEAR = 2018, 2021
_HAUPTSCHULE, _SEKUNDARSCHULE = "990010", "990009"

# ZWG share of a school type relative to the town's pupils, and Ausländer among those with ZWG.
_TYPE_ZWG = {"Hauptschule": 1.55, "Sekundarschule": 1.3, "Realschule": 0.95, "Gesamtschule": 1.15,
             "Gymnasium": 0.64, "Förderschule": 1.35, "Berufskolleg": 0.9}
_TYPE_AUSLAENDER = {"Grundschule": 0.36, "Hauptschule": 0.45, "Sekundarschule": 0.42, "Realschule": 0.34,
                    "Gesamtschule": 0.38, "Gymnasium": 0.26, "Förderschule": 0.44, "Berufskolleg": 0.4}

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

_KITA_NAMES = (
    "Regenbogen", "Sonnenschein", "Pusteblume", "Löwenzahn", "Villa Kunterbunt", "Arche Noah", "Sterntaler",
    "Wirbelwind", "Schatzkiste", "Spatzennest", "Kleine Strolche", "Zwergenland", "Sonnenblume", "Abenteuerland",
    "Purzelbaum", "Marienkäfer", "Kinderinsel", "Traumland", "Wichtelhaus", "Bärenhöhle", "Am Stadtpark",
    "Lummerland", "Rappelkiste", "Schneckenhaus", "Mäuseburg", "Sausewind", "Weltentdecker", "Glühwürmchen",
    "Kastanienhof", "Die Brücke",
)
_KITA_TRAEGER = (
    ("Städt. Kita", "Stadt Musterstadt"), ("Ev. Kita", "Ev. Kirchengemeinde Musterstadt"),
    ("Kath. Kita", "Kath. Kirchengemeinde St. Martin"), ("AWO-Kita", "AWO Kreisverband Musterkreis"),
    ("DRK-Kita", "DRK-Kreisverband Musterkreis"), ("Kita", "Elterninitiative Kinderhaus e. V."),
)
_KITA_NEW, _KITA_NEW_FROM = 30, 2019
_KITA_TREND = 0.009  # MH share of Kita children, a year
# Kitas whose share far exceeds their district's, as the report suspected; one of them in a quiet district.
_KITA_SEGREGATED = {2: 1.5, 5: 2.3, 13: 1.7}

# Youth centres: name, Bezirk index, Träger, regular visitors, MH share of them.
_YOUTH_CENTRES = (
    ("Jugendzentrum Bahnhof", 1, "Stadt Musterstadt", 80, 0.70),
    ("Jugendtreff Nordstadt", 2, "AWO Kreisverband Musterkreis", 60, 0.66),
    ("Offene Tür St. Georg", 3, "Kath. Kirchengemeinde St. Martin", 45, 0.55),
    ("Ev. Jugendhaus Südstadt", 4, "Ev. Kirchengemeinde Musterstadt", 50, 0.52),
    ("Jugendcafé Altstadt", 0, "Jugendhilfe Musterstadt e. V.", 40, 0.58),
    ("Jugendtreff Kirchdorf", 8, "Stadt Musterstadt", 30, 0.50),
)
_YOUTH_AGES = (("a06_09", 0.15), ("a10_13", 0.33), ("a14_17", 0.36), ("a18_26", 0.16))
_SEASON = (1.05, 1.05, 1.0, 0.95, 0.95, 0.85, 0.55, 0.5, 0.95, 1.0, 1.05, 0.8)  # the summer holidays dip
_YOUTH_OFFERS = (
    "Hausaufgabenhilfe mit Sprachförderung, zweimal pro Woche.",
    "Mädchentreff mit Übersetzung in Arabisch und Türkisch.",
    "Bewerbungstraining und Begleitung zu Ausbildungsbetrieben.",
    "",
)

# Clubs: name, kind, MH share of members (None: drawn for the kind), Bezirk index.
_CLUBS = (
    ("TuS Musterstadt 1889 e. V.", "sport", None, 0), ("SV Blau-Weiß Nordstadt e. V.", "sport", 0.24, 2),
    ("FC Bahnhofsviertel 1921 e. V.", "sport", 0.3, 1), ("TV Kirchdorf 1900 e. V.", "sport", 0.08, 8),
    ("SC Eichenhain e. V.", "sport", 0.09, 9), ("Schwimmverein Musterstadt e. V.", "sport", None, 4),
    ("Tennisclub Rot-Weiß Musterstadt e. V.", "sport", 0.07, 4),
    ("Reit- und Fahrverein Mühlenbach e. V.", "sport", 0.04, 7),
    ("Tischtennisclub Westfeld e. V.", "sport", None, 5), ("Handballverein Musterstadt e. V.", "sport", None, 0),
    ("Basketballclub Musterstadt e. V.", "sport", 0.26, 1), ("Judo-Club Musterstadt e. V.", "sport", None, 3),
    ("Boxsportverein Nordstadt e. V.", "sport", 0.32, 2), ("Kanu-Club Musterstadt e. V.", "sport", None, 7),
    ("LG Musterstadt (Leichtathletik) e. V.", "sport", None, 4),
    ("Radsportverein Bergheide e. V.", "sport", 0.08, 6), ("Badmintonclub Ostviertel e. V.", "sport", None, 3),
    ("Volleyballverein Südstadt e. V.", "sport", None, 4), ("Turnverein Jahn Musterstadt e. V.", "sport", None, 0),
    ("DJK Sportgemeinschaft Altstadt e. V.", "sport", None, 0),
    ("Kickbox- und Fitnessverein Bahnhofsviertel e. V.", "sport", 0.3, 1),
    ("Golfclub Gut Eichen e. V.", "sport", 0.04, 9),
    ("Schützenbruderschaft St. Hubertus Kirchdorf e. V.", "kultur", 0.03, 8),
    ("Männergesangverein Liederkranz 1872 e. V.", "kultur", 0.04, 0),
    ("Musikverein Musterstadt e. V.", "kultur", None, 3), ("Heimatverein Musterstadt e. V.", "kultur", 0.04, 0),
    ("Theatergruppe Rampenlicht e. V.", "kultur", None, 5),
    ("Karnevalsgesellschaft Blau-Gold e. V.", "kultur", None, 4), ("Kunstverein Musterstadt e. V.", "kultur", None, 0),
    ("Deutsch-Türkischer Kulturverein e. V.", "migranten", 0.9, 1),
    ("Internationaler Frauentreff Nordstadt e. V.", "migranten", 0.8, 2),
    ("Syrisch-Deutscher Kultur- und Bildungsverein e. V.", "migranten", 0.88, 1),
    ("Förderverein Jugendarbeit Musterstadt e. V.", "sozial", None, 0), ("Tafel Musterstadt e. V.", "sozial", None, 1),
    ("Flüchtlingshilfe Musterstadt e. V.", "sozial", 0.3, 2),
    ("Kinderschutzbund Ortsverband Musterstadt e. V.", "sozial", None, 4),
    ("Islamische Gemeinde Musterstadt e. V.", "religion", 0.92, 1),
    ("Freie evangelische Gemeinde Musterstadt e. V.", "religion", 0.22, 5),
    ("Schachfreunde Ostviertel e. V.", "sonstige", None, 3),
    ("Kleingartenverein Am Wasserturm e. V.", "sonstige", None, 2),
)
_CLUB_DISSOLVED, _CLUB_DISSOLVED_AFTER = "verein-39", 2021
_CLUB_KINDS = {
    # age shares (bis06 … ue60), male share, members range, MH share range
    "sport": ((0.06, 0.28, 0.14, 0.12, 0.14, 0.17, 0.09), 0.62, (150, 900), (0.12, 0.22)),
    "kultur": ((0.02, 0.08, 0.06, 0.08, 0.16, 0.32, 0.28), 0.45, (40, 250), (0.05, 0.12)),
    "migranten": ((0.08, 0.18, 0.10, 0.14, 0.24, 0.20, 0.06), 0.5, (30, 120), (0.8, 0.9)),
    "sozial": ((0.0, 0.02, 0.04, 0.10, 0.22, 0.36, 0.26), 0.35, (25, 150), (0.1, 0.2)),
    "religion": ((0.10, 0.15, 0.10, 0.12, 0.22, 0.20, 0.11), 0.5, (80, 300), (0.2, 0.3)),
    "sonstige": ((0.0, 0.05, 0.05, 0.10, 0.20, 0.35, 0.25), 0.6, (25, 120), (0.05, 0.12)),
}
_CLUB_AGES = ("bis06", "a07_14", "a15_18", "a19_26", "a27_40", "a41_60", "ue60")
_CLUB_AGE_MH = (1.5, 1.4, 1.3, 1.1, 1.0, 0.7, 0.4)  # the young are more diverse than the old

_SCHOOL_OFFERS = (
    "Deutschförderklasse für Seiteneinsteiger/innen.",
    "Herkunftssprachlicher Unterricht in Türkisch und Arabisch.",
    "Sprachförderung in Kleingruppen, Lesepaten aus dem Stadtteil.",
)
_DEFAULT_NOTE = "Demo: Veränderung gegenüber dem Vorjahr geprüft, der Wert stimmt."


@dataclass(frozen=True)
class DemoSummary:
    bezirke: int
    unterbezirke: int
    schools: int
    kitas: int
    youth_centres: int
    clubs: int
    submissions: int
    values: int
    first_year: int
    last_year: int
    warnings: int  # plausibility warnings against the previous year; each carries a comment


@dataclass
class _Institution:
    unit: OrgUnit
    size: float  # per grade (schools), children (Kitas), regular visitors, members
    share: float  # ZWG / MH share in the first year
    aus_ratio: float = 0.0  # Ausländer among those with ZWG / MH
    growth: float = 0.0  # per year
    voluntary: bool = True  # fills the optional fields
    note: str = _DEFAULT_NOTE  # comment on plausibility warnings, as a holder would have to give
    extra: dict = field(default_factory=dict)
    last_class4: tuple[int, int, int] | None = None  # (pupils, ZWG, Ausländer) of class 4 a year before


def build_demo(db: Database, seed: int = 1, progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Fills an empty database with the demo town; the same seed gives the same figures."""
    if db["org_units"].count or db["submissions"].count:
        raise StoreError(_("Die Datenbank enthält schon Daten. Der Demo-Arbeitsbereich wird nur in eine leere "
                           "Datenbank geschrieben, damit er sich nicht mit echten Daten vermischt."))
    rng = random.Random(seed)
    areas = _areas()
    institutions = _institutions(rng)
    submissions = values = warnings = 0
    # Children in Kitas (Ü3) and in primary classes, per year: the town's age groups are derived from them.
    children: dict[int, Counter] = {year: Counter() for year in range(FIRST_YEAR, LAST_YEAR + 1)}
    with write(db):
        set_setting(db, "demo", "synthetisch")
        set_setting(db, "role", "officer")
        # A successor must exist before the unit that names it (foreign key).
        units = areas + [i.unit for i in institutions]
        save_org_units(db, sorted(units, key=lambda u: u.successor_id is not None))
        for done, inst in enumerate(institutions, 1):
            previous: dict[Address, Value] = {}
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                form = form_for(inst.unit.kind, year)
                if form is None or not inst.unit.active_in(year):
                    continue
                cells = _GENERATORS[inst.unit.kind](rng, inst, form, year)
                cells, warned = _comment_warnings(form, inst.unit, inst.note, year, cells, previous)
                _submit(db, inst.unit.id, form, year, cells)
                submissions, values, warnings = submissions + 1, values + len(cells), warnings + warned
                previous = cells
                children[year] += _children(cells)
            if progress is not None:
                progress(done, len(institutions))
        town = areas[0]
        previous_by_form: dict[str, dict[Address, Value]] = {}
        official_forms = [f for f in all_forms() if f.kind == town.kind]
        for year, figures in _official_figures(rng, children):
            for form_id, cells in figures.items():
                form = max((f for f in official_forms if f.id == form_id and f.applies_to_year(year)),
                           key=lambda f: f.version)
                cells, warned = _comment_warnings(form, town, _OFFICIAL_NOTES[form_id], year, cells,
                                                  previous_by_form.get(form_id, {}))
                _submit(db, town.id, form, year, cells)
                submissions, values, warnings = submissions + 1, values + len(cells), warnings + warned
                previous_by_form[form_id] = cells
    kinds = Counter(u.kind for u in areas + [i.unit for i in institutions])
    return DemoSummary(
        bezirke=kinds["bezirk"], unterbezirke=kinds["unterbezirk"], schools=kinds["schule"], kitas=kinds["kita"],
        youth_centres=kinds["jugendtreff"], clubs=kinds["verein"], submissions=submissions, values=values,
        first_year=FIRST_YEAR, last_year=LAST_YEAR, warnings=warnings,
    )


def _comment_warnings(form: Form, unit: OrgUnit, note: str, year: int, cells: dict[Address, Value],
                      previous: dict[Address, Value]) -> tuple[dict[Address, Value], int]:
    """Approved submissions were finalised, and finalising needs a comment on every warning."""
    results = validate(form, cells, unit.attributes, previous)
    errors = [r for r in results if r.severity is Severity.ERROR]
    if errors:
        # A bug in this generator, not a user's mistake.
        raise RuntimeError(f"demo data for {unit.id} {form.id} {year} break the form's rules: "
                           + "; ".join(r.message for r in errors))
    warned = {r.address for r in results}
    for address in warned:
        cells[address] = cells[address].with_comment(note)
    return cells, len(warned)


def _submit(db: Database, unit_id: str, form: Form, year: int, cells: dict[Address, Value]) -> None:
    submission = create_draft(db, unit_id, form, year, who=WHO, source="demo")
    set_values(db, submission.id, cells, who=WHO)
    set_state(db, submission.id, State.FINALISED)
    set_state(db, submission.id, State.APPROVED)


# --- the registry --------------------------------------------------------------------------------------------

def _areas() -> list[OrgUnit]:
    units = [OrgUnit(TOWN_ID, "stadt", TOWN_NAME, city=CITY, postcode=POSTCODE, synthetic=True)]
    for b, (name, subs, _share) in enumerate(_DISTRICTS, 1):
        bezirk = f"bz{b:02d}"
        units.append(OrgUnit(bezirk, "bezirk", name, parent_id=TOWN_ID, city=CITY, synthetic=True))
        units += [OrgUnit(f"{bezirk}-{u}", "unterbezirk", sub, parent_id=bezirk, city=CITY, synthetic=True)
                  for u, sub in enumerate(subs, 1)]
    return units


def _unterbezirk(rng: random.Random, district: int) -> str:
    return f"bz{district + 1:02d}-{rng.randint(1, len(_DISTRICTS[district][1]))}"


def _street(rng: random.Random) -> str:
    return f"{rng.choice(_STREETS)} {rng.randint(1, 120)}"


def _institution(rng: random.Random, unit_id: str, kind: str, name: str, district: int, traeger: str,
                 **kwargs) -> OrgUnit:
    return OrgUnit(unit_id, kind, f"{name} (Demo)", parent_id=_unterbezirk(rng, district), traeger=traeger,
                   street=_street(rng), postcode=POSTCODE, city=CITY, synthetic=True, **kwargs)


def _institutions(rng: random.Random) -> list[_Institution]:
    result = []
    for sid, name, schulform, district, traeger, size in _SCHOOLS:
        lifetime: dict = {}
        note = _DEFAULT_NOTE
        if sid == _HAUPTSCHULE:
            lifetime = {"valid_to": _MERGER_YEAR - 1, "successor_id": _SEKUNDARSCHULE}
            note = "Demo: auslaufende Hauptschule, seit 2018 keine neuen 5. Klassen."
        elif sid == _SEKUNDARSCHULE:
            lifetime = {"valid_from": _MERGER_START}
            note = "Demo: Sekundarschule im Aufbau; 2021 Fusion mit der Hauptschule am Wallring."
        unit = _institution(rng, sid, "schule", name, district, traeger, official_number=sid,
                            attributes={"schulform": schulform}, **lifetime)
        zwg = _DISTRICTS[district][2] + rng.uniform(-0.02, 0.02) if schulform == "Grundschule" else \
            _TOWN_ZWG * _TYPE_ZWG[schulform] * rng.uniform(0.93, 1.07)
        result.append(_Institution(unit, size, zwg, _TYPE_AUSLAENDER[schulform] * rng.uniform(0.9, 1.1),
                                   rng.uniform(-0.012, 0.012), rng.random() < 0.7, note,
                                   {"criteria": rng.random() < 0.85, "aussiedler": rng.random() < 0.75,
                                    "gymnasium": rng.uniform(0.85, 1.15)}))
    for k, word in enumerate(_KITA_NAMES, 1):
        prefix, traeger = _KITA_TRAEGER[(k - 1) % len(_KITA_TRAEGER)]
        district = (k - 1) % len(_DISTRICTS) if k <= 20 else (0, 1, 2, 4, 5, 9, 1, 2, 3, 0)[k - 21]
        lifetime = {"valid_from": _KITA_NEW_FROM} if k == _KITA_NEW else {}
        unit = _institution(rng, f"kita-{k:02d}", "kita", f"{prefix} {word}", district, traeger, **lifetime)
        share = min(0.85, _DISTRICTS[district][2] * rng.uniform(0.85, 1.15) * _KITA_SEGREGATED.get(k, 1))
        result.append(_Institution(unit, rng.randint(40, 110), share, rng.uniform(0.22, 0.32),
                                   rng.uniform(-0.015, 0.02), rng.random() < 0.6,
                                   extra={"language": rng.uniform(0.55, 0.75)}))
    for j, (name, district, traeger, size, share) in enumerate(_YOUTH_CENTRES, 1):
        unit = _institution(rng, f"jt-{j:02d}", "jugendtreff", name, district, traeger)
        result.append(_Institution(unit, size, share, growth=rng.uniform(-0.01, 0.02), voluntary=j != 6,
                                   extra={"visits": rng.uniform(9, 14), "offer": _YOUTH_OFFERS[j % 4]}))
    for v, (name, art, share, district) in enumerate(_CLUBS, 1):
        lifetime = {"valid_to": _CLUB_DISSOLVED_AFTER} if f"verein-{v:02d}" == _CLUB_DISSOLVED else {}
        unit = _institution(rng, f"verein-{v:02d}", "verein", name, district, "Verein (eigene Trägerschaft)",
                            **lifetime)
        ages, male, (low, high), (mh_low, mh_high) = _CLUB_KINDS[art]
        board = rng.randint(5, 11)
        board_mh = board - rng.randint(0, 1) if (share or 0) > 0.5 else int(rng.random() < 0.3)
        result.append(_Institution(unit, rng.randint(low, high), share or rng.uniform(mh_low, mh_high),
                                   growth=rng.uniform(-0.02, 0.02), voluntary=rng.random() < 0.3,
                                   extra={"art": art, "estimated": rng.random() < 0.75, "board": (board, board_mh)}))
    return result


# --- the figures ---------------------------------------------------------------------------------------------

def _part(rng: random.Random, whole: int, share: float, spread: float = 0.08) -> int:
    """A share of a count with some noise, never more than the count."""
    return max(0, min(whole, round(whole * share * rng.uniform(1 - spread, 1 + spread))))


def _number(n: int, estimate: bool = False) -> Value:
    return Value(number=n, estimate=estimate)


def _grade_taught(inst: _Institution, grade: str, year: int) -> bool:
    entered = year - (int(grade[1:]) - 5)  # the year this cohort started grade 5
    if inst.unit.id == _HAUPTSCHULE:
        return entered < _MERGER_START
    if inst.unit.id == _SEKUNDARSCHULE:
        return entered >= _MERGER_START or year >= _MERGER_YEAR
    return True


def _school(rng: random.Random, inst: _Institution, form: Form, year: int) -> dict[Address, Value]:
    schulform = inst.unit.attributes["schulform"]
    # The form decides which sections a school type fills in (Section.only_for).
    visible = {f.code for f in form.visible_fields(inst.unit.attributes)}
    t = year - FIRST_YEAR
    # A secondary school's share grows in proportion to it, so that the gaps between school types persist.
    relative = inst.share / _TOWN_ZWG if schulform != "Grundschule" else 1
    share = min(0.9, inst.share + _ZWG_TREND * t * relative)
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
            z = _part(rng, n, share, 0.07)
            a = _part(rng, z, inst.aus_ratio, 0.12)
            cells |= {(code, row, "anzahl"): _number(n), (code, row, "zwg"): _number(z),
                      (code, row, "auslaender"): _number(a)}
            total, zwg, aus = total + n, zwg + z, aus + a
            if row == "k4":
                class4 = (n, z, a)
    if not grids:
        total = round(cohort * rng.uniform(0.96, 1.04))
        zwg = _part(rng, total, share, 0.04)
        aus = _part(rng, zwg, inst.aus_ratio, 0.06)
    cells |= {("schueler_gesamt", "", ""): _number(total), ("zwg_gesamt", "", ""): _number(zwg),
              ("auslaender", "", ""): _number(aus)}
    # The three criteria overlap; "selbst zugewandert" peaks with the arrivals of 2015–2016.
    arrivals = 0.2 + 0.05 * max(0, 3 - abs(t - 2)) / 3
    if inst.extra["criteria"]:
        for code, ratio in (("zwg_selbst_zugewandert", arrivals), ("zwg_eltern_zugewandert", 0.78),
                            ("zwg_sprache", 0.52)):
            cells[(code, "", "")] = _number(_part(rng, zwg, ratio, 0.06))
    if inst.extra["aussiedler"]:
        cells[("aussiedler", "", "")] = _number(_part(rng, total, max(0.004, 0.02 - 0.0012 * t), 0.1))
    if "empfehlung" in visible:
        cells |= _transitions(rng, inst, year, class4)
        inst.last_class4 = class4
    if "abgaenger_abschluss" in visible:
        cells |= _leavers(rng, inst, year, cells, total, aus)
    if inst.voluntary:
        staff = round(total / (14 if schulform != "Berufskolleg" else 22) * rng.uniform(0.95, 1.05))
        cells[("personal_gesamt", "", "")] = _number(staff)
        if rng.random() < 0.8:
            cells[("personal_mh", "", "")] = _number(_part(rng, staff, 0.08 + 0.004 * t, 0.3))
        cells[("sprachfoerderung_schueler", "", "")] = _number(_part(rng, zwg, 0.18, 0.08))
        cells[("sprachfoerderung_angebote", "", "")] = Value(text=_SCHOOL_OFFERS[int(inst.unit.id) % 3])
    return cells


def _transitions(rng: random.Random, inst: _Institution, year: int,
                 class4: tuple[int, int, int]) -> dict[Address, Value]:
    """Class 4 of last year left for secondary schools; a few repeat the year or move away first."""
    n, z, a = inst.last_class4 or class4
    n = max(z, n - rng.randint(0, 2))
    groups = {"deutsch": n - z, "zwg": z - a, "auslaender": a}
    cells = {("abgaenger_klasse4", "anzahl", "alle"): _number(n), ("abgaenger_klasse4", "anzahl", "zwg"): _number(z),
             ("abgaenger_klasse4", "anzahl", "auslaender"): _number(a)}
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
        for (rec, school), k in _apportion(rng, count, joint).items():
            recommended[group][rec] += k
            moved[group][school] += k
    for code, rows, counts in (("empfehlung", _RECOMMENDATIONS, recommended),
                               ("uebergang_schulform", _TRANSITIONS, moved)):
        for row in rows:
            everyone = sum(counts[g][row] for g in groups)
            with_zwg = counts["zwg"][row] + counts["auslaender"][row]
            cells |= {(code, row, "alle"): _number(everyone), (code, row, "zwg"): _number(with_zwg),
                      (code, row, "auslaender"): _number(counts["auslaender"][row])}
    return cells


def _transition_weights(recommendation: str, group: str, year: int) -> dict[str, float]:
    weights = dict(zip(_TRANSITIONS, _TRANSITION_WEIGHTS[recommendation], strict=True))
    if group == "auslaender":  # a Gymnasium recommendation is followed less often
        weights["gesamtschule"] += weights["gymnasium"] * 0.15
        weights["gymnasium"] *= 0.85
    # Before 2018 the town had no Sekundarschule; after 2020 no Hauptschule (a few go to a neighbour town).
    if year < _MERGER_START:
        weights["hauptschule"] += weights.pop("sekundarschule")
    elif year >= _MERGER_YEAR:
        weights["sekundarschule"] += weights["hauptschule"] * 0.8
        weights["hauptschule"] *= 0.2
    return weights


def _apportion(rng: random.Random, n: int, weights: dict, spread: float = 0.06) -> Counter:
    """n split in proportion to slightly perturbed weights; the parts add up to n."""
    jittered = {key: w * rng.uniform(1 - spread, 1 + spread) for key, w in weights.items() if w > 0}
    total = sum(jittered.values())
    if not n or not total:
        return Counter()
    exact = {key: n * w / total for key, w in jittered.items()}
    result = Counter({key: int(x) for key, x in exact.items()})
    remainders = {key: exact[key] - result[key] for key in exact}
    # The leftover units go to cells drawn by their remainders: always giving them to the largest remainders
    # would favour the big cells of small groups (eight Ausländer children in a class 4) systematically.
    for _unit in range(n - sum(result.values())):
        key = rng.choices(list(remainders), list(remainders.values()))[0]
        result[key] += 1
        remainders[key] = 0
    return result


def _leavers(rng: random.Random, inst: _Institution, year: int, cells: dict[Address, Value], total: int,
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
    if inst.unit.id == _SEKUNDARSCHULE and year < _MERGER_YEAR:
        leavers = 0
    foreign = _part(rng, leavers, aus / total if total else 0, 0.1)
    result = {}
    for column, count in (("deutsche", leavers - foreign), ("auslaender", foreign)):
        weights = dict(zip(_QUALIFICATIONS, _LEAVER_WEIGHTS[schulform][column], strict=True))
        counts = _apportion(rng, count, weights)
        result |= {("abgaenger_abschluss", row, column): _number(counts[row]) for row in _QUALIFICATIONS}
    return result


def _kita(rng: random.Random, inst: _Institution, form: Form, year: int) -> dict[Address, Value]:
    t = year - FIRST_YEAR
    children = round(inst.size * (1 + inst.growth) ** t * rng.uniform(0.96, 1.04))
    u3 = round(children * min(0.31, 0.24 + 0.006 * t) * rng.uniform(0.92, 1.08))
    share = min(0.9, inst.share + _KITA_TREND * t)
    cells: dict[Address, Value] = {}
    # Children with a migration background are under-represented among the under-threes.
    for row, n, row_share in (("u3", u3, share * 0.8), ("ue3", children - u3, share)):
        cells |= {("kinder", row, "insgesamt"): _number(n),
                  ("kinder", row, "eltern_ausl"): _number(_part(rng, n, row_share)),
                  ("kinder", row, "sprache"): _number(_part(rng, n, row_share * inst.extra["language"])),
                  ("kinder", row, "auslaender"): _number(_part(rng, n, row_share * inst.aus_ratio))}
    staff = max(4, round(children / 6.5 * rng.uniform(0.95, 1.05)))
    cells[("personal_gesamt", "", "")] = _number(staff)
    if inst.voluntary:
        talkers = cells[("kinder", "ue3", "sprache")].number + cells[("kinder", "u3", "sprache")].number
        cells[("sprachfoerderung", "", "")] = _number(min(children, round(talkers * 0.7) + rng.randint(0, 4)))
        cells[("personal_mh", "", "")] = _number(_part(rng, staff, 0.12 + 0.005 * t, 0.3))
        cells[("personal_mehrsprachig", "", "")] = _number(_part(rng, staff, 0.1 + 0.005 * t, 0.3))
    return cells


def _gendered(rng: random.Random, code: str, row: str, n: float, male: float, share: float,
              divers: bool, estimate: bool = False) -> dict[Address, Value]:
    """One row of a grid split into male / female / divers, each with its 'davon mit MH' column."""
    m = round(n * male * rng.uniform(0.93, 1.07))
    w = round(n * (1 - male) * rng.uniform(0.93, 1.07))
    d = 1 if divers and rng.random() < 0.3 else 0
    cells = {}
    for column, count in (("maennlich", m), ("weiblich", w), ("divers", d)):
        mh = _part(rng, count, share, 0.1)
        if estimate and mh > 10:  # an estimate comes in round numbers
            mh = min(count, 5 * round(mh / 5))
        cells |= {(code, row, column): _number(count), (code, row, f"mh_{column}"): _number(mh, estimate)}
    return cells


def _youth_centre(rng: random.Random, inst: _Institution, form: Form, year: int) -> dict[Address, Value]:
    t = year - FIRST_YEAR
    regulars = inst.size * (1 + inst.growth) ** t
    share = min(0.9, inst.share + 0.005 * t)
    cells: dict[Address, Value] = {}
    for row, age_share in _YOUTH_AGES:
        cells |= _gendered(rng, "stammbesucher", row, regulars * age_share, 0.6, share, row != "a06_09")
    if inst.voluntary:  # one centre keeps no visitor log
        for month, season in enumerate(_SEASON, 1):
            visits = round(regulars * inst.extra["visits"] * season * rng.uniform(0.93, 1.07))
            cells[("besuche_monat", f"m{month:02d}", "insgesamt")] = _number(visits)
            cells[("besuche_monat", f"m{month:02d}", "mh")] = _number(_part(rng, visits, share, 0.05))
    if inst.extra["offer"]:
        cells[("angebote", "", "")] = Value(text=inst.extra["offer"])
    return cells


def _club(rng: random.Random, inst: _Institution, form: Form, year: int) -> dict[Address, Value]:
    t = year - FIRST_YEAR
    art, estimated = inst.extra["art"], inst.extra["estimated"]
    ages, male, _sizes, _shares = _CLUB_KINDS[art]
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
    cells |= {("vorstand_gesamt", "", ""): _number(board), ("vorstand_mh", "", ""): _number(board_mh)}
    if inst.voluntary:
        cells[("bemerkungen", "", "")] = Value(text="Mitgliederzahlen aus der Beitragsliste zum 31.12."
                                               + (" Migrationshintergrund geschätzt." if estimated else ""))
    return cells


_GENERATORS: dict[str, Callable[[random.Random, _Institution, Form, int], dict[Address, Value]]] = {
    "schule": _school, "kita": _kita, "jugendtreff": _youth_centre, "verein": _club,
}


# --- the town's own figures: official statistics ---------------------------------------------------------------
# The officer enters these for the town itself (org unit "stadt"). Every figure derives from one synthetic
# population per year, so that the forms agree with each other and with the institutions: the 3- to 6-year-olds
# from the Kitas' Ü3 children, the 6- to 10-year-olds from the primary classes, their shares with a migration
# background per Bezirk from the same district shares that drive the Kitas and Grundschulen.

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
_OFFICIAL_NOTES = dict.fromkeys(_SOURCES, "Demo: Abweichung zum Vorjahr mit der Quelle geprüft, der Wert stimmt.") | {
    "auslaender_staatsangehoerigkeit": "Demo: Zuzug Geflüchteter, 2015/16 aus Syrien, Afghanistan und dem Irak, "
                                       "2022 aus der Ukraine.",
    "einbuergerung": "Demo: mehr Einbürgerungen, seit 2022 von 2015/16 Zugewanderten, seit Juni 2024 nach der "
                     "Reform des Staatsangehörigkeitsrechts.",
    "kriminalitaet": "Demo: mit der Kreispolizeibehörde abgeglichen; nichtdeutsche Tatverdächtige folgen dem Zuzug, "
                     "ausländerrechtliche Verstöße den unerlaubten Einreisen.",
    "integrationskurse": "Demo: die Kurse folgen dem Zuzug; 2020 fielen viele Kurse wegen der Pandemie aus.",
}

# Inhabitants of each Bezirk in the first year (in the order of _DISTRICTS; 48,000 in all), before arrivals.
_INHABITANTS = (5200, 5600, 6400, 4700, 6000, 4800, 3900, 3300, 3700, 4400)
_EMR_OF_CHILDREN = 0.63  # a Bezirk's EMR share over all ages, relative to its children's share
_BEZIRK_ROWS = tuple(f"bezirk_{b:02d}" for b in range(1, len(_DISTRICTS) + 1))

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


@dataclass(frozen=True)
class _Population:
    """The town on 31 December of one year, per Bezirk in the order of _DISTRICTS."""

    inhabitants: tuple[int, ...]
    auslaender: tuple[int, ...]
    emr: tuple[int, ...]
    children: tuple[tuple[int, int, int, int], ...]  # 3–6 with / without, 6–10 with / without MH
    nationalities: dict[str, int]


def _children(cells: dict[Address, Value]) -> Counter:
    """Kita children from 3 years and pupils of classes 1–4 in one submission."""
    count = Counter()
    for (code, row, col), value in cells.items():
        if (code, row, col) == ("kinder", "ue3", "insgesamt"):
            count["kita_ue3"] += value.number
        elif code == "schueler_klasse_primar" and col == "anzahl":
            count["primar"] += value.number
    return count


def _official_figures(rng: random.Random, children: dict[int, Counter]) -> Iterator[tuple[int, dict]]:
    """(year, {form id: cells}) for every demo year."""
    auslaender_before = sum(_nationalities(rng, FIRST_YEAR - 1).values())
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        population = _population(rng, year, children[year])
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


def _nationalities(rng: random.Random, year: int) -> dict[str, int]:
    t = year - FIRST_YEAR
    return {code: round((first + change * t + _ARRIVALS.get(code, {}).get(year, 0)) * rng.uniform(0.99, 1.01))
            for code, (first, change) in _NATIONALITIES.items()}


def _child_share(district: int, year: int, grundschule: bool = False) -> float:
    """The MH share of a Bezirk's children, as the Kitas (3–6) and Grundschulen (6–10) there see it."""
    return _DISTRICTS[district][2] + (_ZWG_TREND if grundschule else _KITA_TREND) * (year - FIRST_YEAR)


def _population(rng: random.Random, year: int, children: Counter) -> _Population:
    t = year - FIRST_YEAR
    districts = range(len(_DISTRICTS))
    nationalities = _nationalities(rng, year)
    # Arrivals since the first year settle mostly in the diverse Bezirke; the settled population shrinks a little.
    arrived = sum(nationalities.values()) - sum(first for first, _change in _NATIONALITIES.values())
    pull = {d: _INHABITANTS[d] * _DISTRICTS[d][2] ** 2 for d in districts}
    inhabitants = [round(_INHABITANTS[d] * (1 - 0.0025 * t) + 0.8 * arrived * pull[d] / sum(pull.values()))
                   for d in districts]
    emr = [round(inhabitants[d] * _EMR_OF_CHILDREN * _child_share(d, year) * rng.uniform(0.995, 1.005))
           for d in districts]
    auslaender = _apportion(rng, sum(nationalities.values()), dict(enumerate(emr)), 0.03)
    # The children the Kitas and schools report, with the few who go elsewhere; more of them in diverse Bezirke.
    young = {d: inhabitants[d] * (1 + _DISTRICTS[d][2] - _TOWN_ZWG) for d in districts}
    age3_6 = _apportion(rng, round(children["kita_ue3"] / (0.93 + 0.003 * t)), young, 0.02)
    age6_10 = _apportion(rng, round(children["primar"] / 0.98), young, 0.02)
    kids = []
    for d in districts:
        mh3 = round(age3_6[d] * _child_share(d, year) * rng.uniform(0.98, 1.02))
        mh6 = round(age6_10[d] * _child_share(d, year, grundschule=True) * rng.uniform(0.98, 1.02))
        kids.append((mh3, age3_6[d] - mh3, mh6, age6_10[d] - mh6))
    return _Population(tuple(inhabitants), tuple(auslaender[d] for d in districts), tuple(emr), tuple(kids),
                       nationalities)


def _bevoelkerung(rng: random.Random, pop: _Population) -> dict[Address, Value]:
    cells: dict[Address, Value] = {}
    for row, n, a, e in zip(_BEZIRK_ROWS, pop.inhabitants, pop.auslaender, pop.emr, strict=True):
        cells |= {("bevoelkerung_bezirk", row, "insgesamt"): _number(n),
                  ("bevoelkerung_bezirk", row, "auslaender"): _number(a),
                  ("bevoelkerung_bezirk", row, "emr"): _number(e)}
    for row, kids in zip(_BEZIRK_ROWS, pop.children, strict=True):
        cells |= {("kinder_bezirk", row, col): _number(n)
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
    counts = [_apportion(rng, total, {row: weights[0] * (weights[i] if i else 1) for row, weights in _AGES.items()},
                         0.01) for i, total in enumerate(rest)]
    for row, (n, e, a) in young.items():
        cells |= {("bevoelkerung_alter", row, "insgesamt"): _number(n),
                  ("bevoelkerung_alter", row, "auslaender"): _number(a),
                  ("bevoelkerung_alter", row, "emr"): _number(e)}
    for row in _AGES:
        cells |= {("bevoelkerung_alter", row, "insgesamt"): _number(counts[0][row]),
                  ("bevoelkerung_alter", row, "emr"): _number(counts[1][row]),
                  ("bevoelkerung_alter", row, "auslaender"): _number(counts[2][row])}
    return cells


def _staatsangehoerigkeit(pop: _Population) -> dict[Address, Value]:
    cells = {("staatsangehoerigkeit", code, "anzahl"): _number(n) for code, n in pop.nationalities.items()}
    return cells | {("auslaender_gesamt", "", ""): _number(sum(pop.nationalities.values()))}


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
        cells |= {("arbeitsmarkt", row, col): _number(n)
                  for col, n in zip(("insgesamt", "deutsche", "auslaender"), numbers, strict=True)}
    return cells


def _einbuergerung(rng: random.Random, year: int, auslaender_before: int) -> dict[Address, Value]:
    eight_years = round(auslaender_before * _EIGHT_YEARS[year] * rng.uniform(0.99, 1.01))
    cells = {("einbuergerungen", "", ""): _number(round(_NATURALISATIONS[year] * rng.uniform(0.95, 1.05))),
             ("auslaender_8_jahre", "", ""): _number(eight_years),
             ("auslaender_gesamt", "", ""): _number(auslaender_before)}
    if year >= 2024:  # asked for since the reform of June 2024
        cells[("auslaender_5_jahre", "", "")] = _number(round(eight_years + (auslaender_before - eight_years) * 0.4))
    return cells


def _kriminalitaet(rng: random.Random, year: int) -> dict[Address, Value]:
    total, share, immigration = _CRIME[year]
    total = round(total * rng.uniform(0.97, 1.03))
    non_german = round(total * share * rng.uniform(0.97, 1.03))
    immigration = round(immigration * rng.uniform(0.93, 1.07))
    # A few suspected of an immigration offence are suspected of something else too and stay in.
    return {("gebiet", "", ""): Value(text="stadt"), ("tatverdaechtige_gesamt", "", ""): _number(total),
            ("tatverdaechtige_nichtdeutsch", "", ""): _number(non_german),
            ("tatverdaechtige_nd_auslaenderrecht", "", ""): _number(immigration),
            ("tatverdaechtige_nd_ohne_ar", "", ""): _number(non_german - immigration + round(immigration * 0.1))}


def _wahlen(rng: random.Random, year: int, pop: _Population) -> dict[Address, Value]:
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
            cells |= {("wahl_bezirk", _BEZIRK_ROWS[b], f"{prefix}_wahlberechtigte"): _number(eligible),
                      ("wahl_bezirk", _BEZIRK_ROWS[b], f"{prefix}_waehler"): _number(voters - by_post)}
            eligible_all, voters_all, postal_all = eligible_all + eligible, voters_all + voters, postal_all + by_post
        cells |= {("wahl_stadt", row, "wahlberechtigte"): _number(eligible_all),
                  ("wahl_stadt", row, "waehler"): _number(voters_all),
                  ("wahl_stadt", row, "briefwaehler"): _number(postal_all)}
    return cells


def _religion(rng: random.Random, year: int, pop: _Population) -> dict[Address, Value]:
    """The churches lose members every year; where more people have a migration background, fewer belong."""
    t = year - FIRST_YEAR
    cells: dict[Address, Value] = {}
    town = Counter()
    for row, n, e in zip(_BEZIRK_ROWS, pop.inhabitants, pop.emr, strict=True):
        diverse = e / n - 0.22
        evangelisch = round(n * (0.28 - 0.007 * t - 0.35 * diverse) * rng.uniform(0.99, 1.01))
        katholisch = round(n * (0.42 - 0.009 * t - 0.45 * diverse) * rng.uniform(0.99, 1.01))
        counts = {"evangelisch": evangelisch, "katholisch": katholisch, "sonstige_keine": n - evangelisch - katholisch}
        cells |= {("religion_bezirk", row, col): _number(count) for col, count in counts.items()}
        town.update(counts)
    return cells | {("religion_stadt", "stadt", col): _number(count) for col, count in town.items()}


def _verwaltung(rng: random.Random, year: int) -> dict[Address, Value]:
    """The staff survey started in 2016; about six in ten take part."""
    t = year - FIRST_YEAR
    staff = round((640 + 6 * t) * rng.uniform(0.99, 1.01))
    cells = {("personal_gesamt", "", ""): _number(staff)}
    if year >= 2016:
        answered = round(staff * rng.uniform(0.56, 0.66))
        cells |= {("befragung_teilnehmende", "", ""): _number(answered),
                  ("personal_mh", "", ""): _number(round(answered * (0.075 + 0.005 * t) * rng.uniform(0.95, 1.05)))}
    return cells


def _integrationskurse(rng: random.Random, year: int) -> dict[Address, Value]:
    """Graduates take the final test about a year after they started: half of last year's and a quarter of this
    year's entrants."""
    cells: dict[Address, Value] = {}
    for row, (share, b1) in _COURSE_TYPES.items():
        entrants = round(190 * _COURSES[year] * share * rng.uniform(0.93, 1.07))
        graduates = round(190 * (0.5 * _COURSES[year - 1] + 0.25 * _COURSES[year]) * share * rng.uniform(0.93, 1.07))
        cells |= {("integrationskurse", row, "eintritte"): _number(entrants),
                  ("integrationskurse", row, "absolventen"): _number(graduates),
                  ("integrationskurse", row, "b1"): _number(_part(rng, graduates, b1, 0.1))}
    return cells
