"""The demo town's registry: Musterstadt, its Bezirke and Unterbezirke, and the institutions that report, each with
the parameters (size, ZWG / MH share, trend) that the value generators draw their figures from."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from store.orgunits import OrgUnit

FIRST_YEAR, LAST_YEAR = 2015, 2025
TOWN_ID = "stadt"
TOWN_NAME = "Musterstadt (Demo, synthetische Daten)"
POSTCODE, CITY = "59494", "Musterstadt"

# Name, Unterbezirke, ZWG share of its Grundschule pupils in the first year. Bahnhofsviertel and Nordstadt are
# the clearly more diverse districts, so that segregation indices computed from the demo are not trivial.
DISTRICTS = (
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
TOWN_ZWG = 0.36  # town-wide ZWG share of pupils in the first year; secondary schools draw on the whole town
ZWG_TREND = 0.01  # about one point a year
KITA_TREND = 0.009  # MH share of Kita children, a year

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
MERGER_START, MERGER_YEAR = 2018, 2021
HAUPTSCHULE, SEKUNDARSCHULE = "990010", "990009"

# ZWG share of a school type relative to the town's pupils, and Ausländer among those with ZWG.
_TYPE_ZWG = {"Hauptschule": 1.55, "Sekundarschule": 1.3, "Realschule": 0.95, "Gesamtschule": 1.15,
             "Gymnasium": 0.64, "Förderschule": 1.35, "Berufskolleg": 0.9}
_TYPE_AUSLAENDER = {"Grundschule": 0.36, "Hauptschule": 0.45, "Sekundarschule": 0.42, "Realschule": 0.34,
                    "Gesamtschule": 0.38, "Gymnasium": 0.26, "Förderschule": 0.44, "Berufskolleg": 0.4}

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
CLUB_KINDS = {
    # age shares (bis06 … ue60), male share, members range, MH share range
    "sport": ((0.06, 0.28, 0.14, 0.12, 0.14, 0.17, 0.09), 0.62, (150, 900), (0.12, 0.22)),
    "kultur": ((0.02, 0.08, 0.06, 0.08, 0.16, 0.32, 0.28), 0.45, (40, 250), (0.05, 0.12)),
    "migranten": ((0.08, 0.18, 0.10, 0.14, 0.24, 0.20, 0.06), 0.5, (30, 120), (0.8, 0.9)),
    "sozial": ((0.0, 0.02, 0.04, 0.10, 0.22, 0.36, 0.26), 0.35, (25, 150), (0.1, 0.2)),
    "religion": ((0.10, 0.15, 0.10, 0.12, 0.22, 0.20, 0.11), 0.5, (80, 300), (0.2, 0.3)),
    "sonstige": ((0.0, 0.05, 0.05, 0.10, 0.20, 0.35, 0.25), 0.6, (25, 120), (0.05, 0.12)),
}

_DEFAULT_NOTE = "Demo: Veränderung gegenüber dem Vorjahr geprüft, der Wert stimmt."


@dataclass
class Institution:
    unit: OrgUnit
    size: float  # per grade (schools), children (Kitas), regular visitors, members
    share: float  # ZWG / MH share in the first year
    aus_ratio: float = 0.0  # Ausländer among those with ZWG / MH
    growth: float = 0.0  # per year
    voluntary: bool = True  # fills the optional fields
    note: str = _DEFAULT_NOTE  # comment on plausibility warnings, as a holder would have to give
    extra: dict = field(default_factory=dict)
    last_class4: tuple[int, int, int] | None = None  # (pupils, ZWG, Ausländer) of class 4 a year before


def make_areas() -> list[OrgUnit]:
    units = [OrgUnit(TOWN_ID, "stadt", TOWN_NAME, city=CITY, postcode=POSTCODE, synthetic=True)]
    for b, (name, subs, _share) in enumerate(DISTRICTS, 1):
        bezirk = f"bz{b:02d}"
        units.append(OrgUnit(bezirk, "bezirk", name, parent_id=TOWN_ID, city=CITY, synthetic=True))
        units += [OrgUnit(f"{bezirk}-{u}", "unterbezirk", sub, parent_id=bezirk, city=CITY, synthetic=True)
                  for u, sub in enumerate(subs, 1)]
    return units


def _unterbezirk(rng: random.Random, district: int) -> str:
    return f"bz{district + 1:02d}-{rng.randint(1, len(DISTRICTS[district][1]))}"


def _street(rng: random.Random) -> str:
    return f"{rng.choice(_STREETS)} {rng.randint(1, 120)}"


def _institution(rng: random.Random, unit_id: str, kind: str, name: str, district: int, traeger: str,
                 **kwargs) -> OrgUnit:
    return OrgUnit(unit_id, kind, f"{name} (Demo)", parent_id=_unterbezirk(rng, district), traeger=traeger,
                   street=_street(rng), postcode=POSTCODE, city=CITY, synthetic=True, **kwargs)


def make_institutions(rng: random.Random) -> list[Institution]:
    result = []
    for sid, name, schulform, district, traeger, size in _SCHOOLS:
        lifetime: dict = {}
        note = _DEFAULT_NOTE
        if sid == HAUPTSCHULE:
            lifetime = {"valid_to": MERGER_YEAR - 1, "successor_id": SEKUNDARSCHULE}
            note = "Demo: auslaufende Hauptschule, seit 2018 keine neuen 5. Klassen."
        elif sid == SEKUNDARSCHULE:
            lifetime = {"valid_from": MERGER_START}
            note = "Demo: Sekundarschule im Aufbau; 2021 Fusion mit der Hauptschule am Wallring."
        unit = _institution(rng, sid, "schule", name, district, traeger, official_number=sid,
                            attributes={"schulform": schulform}, **lifetime)
        zwg = DISTRICTS[district][2] + rng.uniform(-0.02, 0.02) if schulform == "Grundschule" else \
            TOWN_ZWG * _TYPE_ZWG[schulform] * rng.uniform(0.93, 1.07)
        result.append(Institution(unit, size, zwg, _TYPE_AUSLAENDER[schulform] * rng.uniform(0.9, 1.1),
                                  rng.uniform(-0.012, 0.012), rng.random() < 0.7, note,
                                  {"criteria": rng.random() < 0.85, "aussiedler": rng.random() < 0.75,
                                   "gymnasium": rng.uniform(0.85, 1.15)}))
    for k, word in enumerate(_KITA_NAMES, 1):
        prefix, traeger = _KITA_TRAEGER[(k - 1) % len(_KITA_TRAEGER)]
        district = (k - 1) % len(DISTRICTS) if k <= 20 else (0, 1, 2, 4, 5, 9, 1, 2, 3, 0)[k - 21]
        lifetime = {"valid_from": _KITA_NEW_FROM} if k == _KITA_NEW else {}
        unit = _institution(rng, f"kita-{k:02d}", "kita", f"{prefix} {word}", district, traeger, **lifetime)
        share = min(0.85, DISTRICTS[district][2] * rng.uniform(0.85, 1.15) * _KITA_SEGREGATED.get(k, 1))
        result.append(Institution(unit, rng.randint(40, 110), share, rng.uniform(0.22, 0.32),
                                  rng.uniform(-0.015, 0.02), rng.random() < 0.6,
                                  extra={"language": rng.uniform(0.55, 0.75)}))
    for j, (name, district, traeger, size, share) in enumerate(_YOUTH_CENTRES, 1):
        unit = _institution(rng, f"jt-{j:02d}", "jugendtreff", name, district, traeger)
        result.append(Institution(unit, size, share, growth=rng.uniform(-0.01, 0.02), voluntary=j != 6,
                                  extra={"visits": rng.uniform(9, 14), "offer": _YOUTH_OFFERS[j % 4]}))
    for v, (name, art, share, district) in enumerate(_CLUBS, 1):
        lifetime = {"valid_to": _CLUB_DISSOLVED_AFTER} if f"verein-{v:02d}" == _CLUB_DISSOLVED else {}
        unit = _institution(rng, f"verein-{v:02d}", "verein", name, district, "Verein (eigene Trägerschaft)",
                            **lifetime)
        ages, male, (low, high), (mh_low, mh_high) = CLUB_KINDS[art]
        board = rng.randint(5, 11)
        board_mh = board - rng.randint(0, 1) if (share or 0) > 0.5 else int(rng.random() < 0.3)
        result.append(Institution(unit, rng.randint(low, high), share or rng.uniform(mh_low, mh_high),
                                  growth=rng.uniform(-0.02, 0.02), voluntary=rng.random() < 0.3,
                                  extra={"art": art, "estimated": rng.random() < 0.75, "board": (board, board_mh)}))
    return result
