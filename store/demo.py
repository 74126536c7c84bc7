"""A demo workspace: "Musterstadt", a Soest-sized town with eleven years of approved submissions.

Every figure is invented. The units are marked synthetic, every institution name ends with "(Demo)", school
numbers start with 9 (real NRW Schulnummern start with 1) and the setting "demo" says "synthetisch", so that
nothing from here can pass for real data. The shares and trends follow DOMAIN.md so that indicators, segregation
measures and charts have something to show.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from forms.catalog import form_for
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
                cells, warned = _comment_warnings(form, inst, year, cells, previous)
                submission = create_draft(db, inst.unit.id, form, year, who=WHO, source="demo")
                set_values(db, submission.id, cells, who=WHO)
                set_state(db, submission.id, State.FINALISED)
                set_state(db, submission.id, State.APPROVED)
                submissions, values, warnings = submissions + 1, values + len(cells), warnings + warned
                previous = cells
            if progress is not None:
                progress(done, len(institutions))
    kinds = Counter(u.kind for u in areas + [i.unit for i in institutions])
    return DemoSummary(
        bezirke=kinds["bezirk"], unterbezirke=kinds["unterbezirk"], schools=kinds["schule"], kitas=kinds["kita"],
        youth_centres=kinds["jugendtreff"], clubs=kinds["verein"], submissions=submissions, values=values,
        first_year=FIRST_YEAR, last_year=LAST_YEAR, warnings=warnings,
    )


def _comment_warnings(form: Form, inst: _Institution, year: int, cells: dict[Address, Value],
                      previous: dict[Address, Value]) -> tuple[dict[Address, Value], int]:
    """Approved submissions were finalised, and finalising needs a comment on every warning."""
    results = validate(form, cells, inst.unit.attributes, previous)
    errors = [r for r in results if r.severity is Severity.ERROR]
    if errors:
        # A bug in this generator, not a user's mistake.
        raise RuntimeError(f"demo data for {inst.unit.id} {year} break the form's rules: "
                           + "; ".join(r.message for r in errors))
    warned = {r.address for r in results}
    for address in warned:
        cells[address] = cells[address].with_comment(inst.note)
    return cells, len(warned)


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
    share = min(0.9, inst.share + 0.009 * t)
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
