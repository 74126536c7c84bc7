"""A hand-built Report for the tests of the report writers (PDF, workbook): German texts, DIN 55301 symbols,
provisional cells, a long institution name with markup characters, a wide table and one chart of each kind.

Self-contained on purpose: it depends on the report model only, so every writer's tests share the same figures.
"""

from __future__ import annotations

from reports.report_model import (
    COUNT,
    PERCENT,
    RATIO,
    TEXT,
    Cell,
    Chapter,
    Chart,
    KeyFigure,
    MethodSection,
    Report,
    Table,
)

BEZIRKE = ["Innenstadt", "Soest-Nord", "Soest-Süd", "Soest-Ost", "Soest-West", "Ampen", "Deiringsen",
           "Hattrop", "Meckingsen", "Müllingsen", "Ostönnen", "Röllingsen"]
POPULATION = [9_812, 6_954, 6_120, 5_387, 5_023, 2_212, 2_846, 1_508, 1_263, 1_981, 2_475, 2_462]  # sums to 48.043
FOREIGNERS = [1_612, 805, 402, 596, 488, 61, 118, 40, 22, 74, 102, 95]
YEARS = list(range(2015, 2025))
LONG_NAME = ("Kindertagesstätte „Sonnenschein & Regenbogen“ der Ev. Kirchengemeinde St. Petri-Pauli <Soest-Mitte> "
             "(Familienzentrum, Träger: Diakonie Ruhr-Hellweg e. V.)")
SOURCE_REGISTER = "Melderegister der Stadt Soest, Auswertung der Integrationsbeauftragten"


def count(n: int, provisional: bool = False) -> Cell:
    return Cell(f"{n:,}".replace(",", "."), n, provisional)


def share(x: float, provisional: bool = False) -> Cell:
    return Cell(f"{x:.1f}".replace(".", ","), x, provisional)


def ratio(x: float) -> Cell:
    return Cell(f"{x:.2f}".replace(".", ","), x)


def symbol(text: str) -> Cell:
    return Cell(text, 0 if text == "–" else None)


def _population_table() -> Table:
    rows, cells = [*BEZIRKE, "Stadt insgesamt"], []
    emr = [round(p * f) for p, f in zip(POPULATION, [0.31, 0.24, 0.15, 0.22, 0.2, 0.06, 0.09, 0.05, 0.04, 0.07,
                                                     0.08, 0.08], strict=True)]
    for pop, foreign, migrants in zip([*POPULATION, sum(POPULATION)], [*FOREIGNERS, sum(FOREIGNERS)],
                                      [*emr, sum(emr)], strict=True):
        cells.append([count(pop), count(foreign), share(100 * foreign / pop), count(migrants),
                      share(100 * migrants / pop)])
    return Table(code="bev_bezirk", title="Bevölkerung nach Bezirken am 31.12.2024", definition="EMR-Migrant "
                 "(MigraPro-Verfahren) und Staatsangehörigkeit", source=SOURCE_REGISTER, reference_date="31.12.2024",
                 row_header="Bezirk", columns=["Einwohner", "Ausländer", "Ausländeranteil in %",
                                               "EMR-Migranten", "Anteil EMR-Migranten in %"],
                 kinds=[COUNT, COUNT, PERCENT, COUNT, PERCENT], rows=rows, cells=cells, total_rows={len(rows) - 1},
                 notes=["Ausländer: Personen ohne deutsche Staatsangehörigkeit.",
                        "Statistisches Landesamt (IT.NRW) und Melderegister weichen voneinander ab; hier gilt das "
                        "Melderegister."])


def _population_years() -> Table:
    years = list(range(2014, 2025))  # eleven columns: wider than a page at ordinary column widths
    rows, cells = [*BEZIRKE, "Stadt insgesamt"], []
    for pop in [*POPULATION, sum(POPULATION)]:
        cells.append([count(round(pop * (1 - 0.004 * (2024 - y)))) if y < 2024 else count(pop) for y in years])
    cells[5][0] = symbol(".")  # Ampen 2014: not available from the old register
    cells[6][1] = symbol("/")
    return Table(code="bev_jahre", title="Einwohnerinnen und Einwohner nach Bezirken 2014–2024",
                 definition="Einwohner mit Hauptwohnsitz", source=SOURCE_REGISTER, reference_date="jeweils 31.12.",
                 row_header="Bezirk", columns=[str(y) for y in years], kinds=[COUNT] * len(years), rows=rows,
                 cells=cells, total_rows={len(rows) - 1},
                 notes=["2014 wurde das Melderegister umgestellt; Ampen ist für 2014 nicht auswertbar."])


def _kita_table() -> Table:
    rows = [LONG_NAME, "Kita Am Brunsteinturm", "Städtische Kita Wiesenstraße", "AWO-Kita Regenbogenland",
            "Kath. Kita St. Bruno", "Summe"]
    cells = [[count(84, True), count(41, True), share(48.8, True), count(35, True), ratio(2.41)],
             [count(62), count(9), share(14.5), count(6), ratio(0.87)],
             [count(45), symbol("."), symbol("/"), symbol("."), symbol("x")],
             [count(71), count(28), share(39.4), count(0), ratio(1.62)],
             [count(38), symbol("–"), symbol("–"), symbol("–"), symbol("x")],
             [count(300, True), count(78, True), share(26.0, True), count(41, True), symbol("x")]]
    return Table(code="kita_einr", title="Kinder mit Migrationshintergrund je Kita am 01.03.2024",
                 definition="Migrationshintergrund (KJH): mindestens ein Elternteil ausländischer Herkunft",
                 source="Meldungen der Kindertageseinrichtungen (Formular Kita 2024)", reference_date="01.03.2024",
                 row_header="Einrichtung", columns=["Kinder", "mit Migrationshintergrund", "Anteil in %",
                                                    "Familiensprache nicht Deutsch", "Repräsentationsverhältnis"],
                 kinds=[COUNT, COUNT, PERCENT, COUNT, RATIO], rows=rows, cells=cells, total_rows={5},
                 notes=["Familiensprache und Herkunft der Eltern werden unabhängig voneinander gezählt.",
                        "Repräsentationsverhältnis: Anteil der Kita geteilt durch den Anteil der 3- bis 6-Jährigen "
                        "mit Migrationshintergrund im Bezirk (1 = entsprechend)."],
                 per_institution=True)


def _school_table() -> Table:
    types = ["Grundschule", "Hauptschule", "Realschule", "Sekundarschule", "Gesamtschule", "Gymnasium",
             "Förderschule", "Alle Schulformen"]
    pupils = [1_744, 312, 688, 540, 1_120, 1_986, 214]
    zwg = [598, 171, 164, 176, 388, 322, 81]
    cells = [[count(p), count(z), share(100 * z / p), share(12.5 if t == "Realschule" else 100 * z / p * 0.4)]
             for t, p, z in zip(types[:-1], pupils, zwg, strict=True)]
    cells.append([count(sum(pupils)), count(sum(zwg)), share(100 * sum(zwg) / sum(pupils)), share(11.6)])
    return Table(code="schule_zwg", title="Schülerinnen und Schüler mit Zuwanderungsgeschichte nach Schulform 2024/25",
                 definition="Zuwanderungsgeschichte (ZWG) der Amtlichen Schuldaten NRW",
                 source="Meldungen der Schulen (Formular Schule 2024)", reference_date="15.10.2024",
                 row_header="Schulform", columns=["Schüler", "mit ZWG", "ZWG-Anteil in %", "Ausländeranteil in %"],
                 kinds=[COUNT, COUNT, PERCENT, PERCENT], rows=types, cells=cells, total_rows={len(types) - 1},
                 notes=["Die drei ZWG-Merkmale überschneiden sich und werden nicht addiert."])


def _chapters() -> list[Chapter]:
    foreign = [(y, round(5.1 + 0.14 * (y - 2015) + (0.6 if y >= 2022 else 0), 1)) for y in YEARS]
    emr = [(y, round(14.8 + 0.35 * (y - 2015) + (0.9 if y >= 2022 else 0), 1)) for y in YEARS]
    population = Chapter(
        code="bevoelkerung", title="Bevölkerung",
        intro="Ende 2024 lebten in Soest 48.043 Menschen mit Hauptwohnsitz. Die Anteile von Ausländerinnen und "
              "Ausländern sowie von EMR-Migranten unterscheiden sich deutlich zwischen den Bezirken.",
        tables=[_population_table(), _population_years()],
        charts=[Chart("zeitreihe", "Ausländeranteil und Anteil der EMR-Migranten 2015–2024", "Anteil in %",
                      {"Ausländeranteil": foreign, "EMR-Migranten": emr}, note="Jeweils am 31.12."),
                Chart("balken", "Ausländeranteil nach Bezirken 2024", "Anteil in %",
                      {"": [(b, round(100 * f / p, 1)) for b, f, p in zip(BEZIRKE, FOREIGNERS, POPULATION,
                                                                         strict=True)]})],
        notes=["Die Zahl von 2007 (48.526 laut IT.NRW, 48.043 laut Melderegister) zeigt, warum jede Zahl ihre "
               "Quelle trägt."])
    kita = Chapter(
        code="kita", title="Kindergärten & Kindertageseinrichtungen",
        intro=f"Fünf Einrichtungen haben für 2024 gemeldet, darunter die {LONG_NAME}. Mit * markierte Werte "
              "stammen aus Meldungen, die noch nicht freigegeben sind.",
        tables=[_kita_table()],
        charts=[Chart("punkte", "Anteil mit Migrationshintergrund: Kita und Bezirk", "Anteil in %",
                      {"Einrichtung": [(LONG_NAME, 48.8), ("Kita Am Brunsteinturm", 14.5),
                                       ("AWO-Kita Regenbogenland", 39.4), ("Kath. Kita St. Bruno", 0.0)],
                       "Bezirk": [(LONG_NAME, 20.3), ("Kita Am Brunsteinturm", 16.7),
                                  ("AWO-Kita Regenbogenland", 24.3), ("Kath. Kita St. Bruno", 6.1)]})])
    school = Chapter(
        code="schule", title="Schulen",
        intro="Die Schulen melden die Zuwanderungsgeschichte nach der Definition der Amtlichen Schuldaten. "
              "Schulabschlüsse werden amtlich nach Staatsangehörigkeit ausgewiesen.",
        tables=[_school_table()], notes=["Stichtag der Schulstatistik ist die Woche mit dem 15. Oktober."])
    return [population, kita, school]


def _extra_chapter(number: int) -> Chapter:
    table = _school_table()
    table.code, table.title = f"{table.code}_{number}", f"{table.title} (Zusatzauswertung {number})"
    return Chapter(code=f"zusatz_{number}", title=f"Zusatzauswertung {number}",
                   intro="Eine weitere Auswertung mit denselben Zahlen, für umfangreiche Berichte.", tables=[table])


def _methods() -> list[MethodSection]:
    terms = Table(
        code="begriffe", title="Begriffe und Definitionen", definition="–", source="DOMAIN-Glossar des Monitorings",
        reference_date="–", row_header="Begriff", columns=["Definition", "Verwendet in"], kinds=[TEXT, TEXT],
        rows=["Zuwanderungsgeschichte (ZWG)", "Migrationshintergrund (KJH)", "EMR-Migrant", "Ausländer"],
        cells=[[Cell("selbst zugewandert und/oder mindestens ein Elternteil zugewandert und/oder Familiensprache "
                     "nicht Deutsch; die Staatsangehörigkeit zählt nicht"), Cell("Schulen")],
               [Cell("mindestens ein Elternteil ausländischer Herkunft"), Cell("Kindertageseinrichtungen")],
               [Cell("ausländische oder zweite Staatsangehörigkeit, eingebürgert, (Spät-)Aussiedler, im Ausland "
                     "geboren; Minderjährige über die Eltern"), Cell("Bevölkerung")],
               [Cell("ohne deutsche Staatsangehörigkeit"), Cell("alle Bereiche")]])
    return [MethodSection("Datenquellen", [
                "Die Einrichtungen melden einmal im Jahr zusammengefasste Zahlen, nie Angaben zu einzelnen Personen. "
                "Amtliche Zahlen trägt die Integrationsbeauftragte aus den Veröffentlichungen der Statistikämter ein.",
                "Jede Zahl trägt ihre Definition und Quelle; eine Zeitreihe mischt nie zwei Definitionen."]),
            MethodSection("Begriffe", ["Die vier Migrationsbegriffe dürfen nicht vermischt werden."], terms),
            MethodSection("Geheimhaltung", [
                "In der veröffentlichbaren Fassung werden Fallzahlen von 1 und 2 nicht gezeigt (Primärsperrung); "
                "weitere Werte werden gesperrt, damit sich gesperrte Werte nicht aus Summen zurückrechnen lassen."])]


def sample_report(variant: str = "intern", synthetic: bool = True, chapters: int = 3) -> Report:
    built = _chapters()[:chapters] + [_extra_chapter(n) for n in range(4, chapters + 1)]
    return Report(
        title="Integrationsbericht 2024", town="Soest", first_year=2015, year=2024, variant=variant,
        created="24.11.2025", synthetic=synthetic, include_received=True,
        key_figures=[
            KeyFigure("Einwohnerinnen und Einwohner", "48.043", 2024, "Hauptwohnsitz, Melderegister", "+0,4 %"),
            KeyFigure("Ausländeranteil", "9,2 %", 2024, "ohne deutsche Staatsangehörigkeit", "+0,3 Punkte"),
            KeyFigure("Anteil EMR-Migranten", "18,8 %", 2024, "EMR-Migrant (MigraPro)", "+0,5 Punkte"),
            KeyFigure("Schüler mit Zuwanderungsgeschichte", "28,1 %", 2024, "ZWG, Amtliche Schuldaten", "–"),
            KeyFigure("Kinder mit Migrationshintergrund in Kitas", "26,0 %*", 2024,
                      "Migrationshintergrund (KJH)", ""),
            KeyFigure("Dissimilaritätsindex Grundschulen", "0,31", 2024, "ZWG, 8 Grundschulen", "−0,02"),
        ],
        chapters=built, methods=_methods())
