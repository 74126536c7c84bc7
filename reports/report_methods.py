"""The methods chapter: definitions, sources and reference dates, disclosure rules, and which institutions
reported in each year (so a reader can judge how complete a figure is)."""

from __future__ import annotations

from common.i18n import N_, _
from reports.catalog import Catalog
from reports.disclosure import Rules
from reports.report_model import TEXT, Cell, MethodSection, Table
from store.database import Database
from store.overview import APPROVED, RECEIVED, year_overview

DEFINITIONS = [
    N_("Zuwanderungsgeschichte (ZWG, Schulstatistik NRW): Schüler/in selbst im Ausland geboren und zugewandert "
       "und/oder mindestens ein Elternteil im Ausland geboren und zugewandert und/oder Verkehrssprache in der Familie "
       "nicht Deutsch; die Staatsangehörigkeit spielt keine Rolle. Die drei Merkmale überschneiden sich und werden nie "
       "addiert."),
    N_("Migrationshintergrund in Kitas (Kinder- und Jugendhilfestatistik): mindestens ein Elternteil ausländischer "
       "Herkunft; getrennt davon: vorrangig gesprochene Familiensprache nicht Deutsch."),
    N_("EMR-Migrant/innen (Einwohnermelderegister, MigraPro-Verfahren): ausländische oder zweite Staatsangehörigkeit, "
       "eingebürgert, (Spät-)Aussiedler/in oder im Ausland geboren; Minderjährige über ihre Eltern zugeordnet."),
    N_("Ausländer/innen: Personen ohne deutsche Staatsangehörigkeit. (Spät-)Aussiedler/innen: deutsche Zuwanderer "
       "aus Ost- und Südosteuropa, in der Schulstatistik gesondert gezählt."),
    N_("Der Migrationshintergrund des Mikrozensus ist für eine Stadt dieser Größe nicht verfügbar und wird nicht "
       "verwendet. Eine Zeitreihe mischt nie zwei dieser Begriffe; Vergleiche zwischen ihnen (Einrichtung gegen "
       "Bezirk) sind als solche gekennzeichnet."),
]


def _sources(cat: Catalog) -> Table:
    rows = [i.title for i in cat.indicators]
    cells = [[Cell(i.definition), Cell(i.source), Cell(i.reference_date)] for i in cat.indicators]
    return Table("methoden_quellen", _("Indikatoren, Definitionen, Quellen und Stichtage"), "", "", "",
                 _("Indikator"), [_("Definition"), _("Quelle"), _("Stichtag")], [TEXT] * 3, rows, cells)


def _reporting(db: Database, first: int, year: int, include_received: bool) -> Table:
    years = list(range(first, year + 1))
    by_form: dict[str, dict[int, str]] = {}
    for y in years:
        for overview in year_overview(db, y):
            counted = overview.count(APPROVED) + (overview.count(RECEIVED) if include_received else 0)
            by_form.setdefault(overview.title, {})[y] = _("{counted} von {expected}").format(
                counted=counted, expected=overview.expected)
    rows = sorted(by_form)
    cells = [[Cell(by_form[title].get(y, "–")) for y in years] for title in rows]
    what = (_("freigegebene oder eingegangene Meldungen von erwarteten") if include_received
            else _("freigegebene Meldungen von erwarteten"))
    return Table("methoden_meldungen", _("Welche Einrichtungen gemeldet haben"), what,
                 _("Jahresübersicht des Integrationsbüros"), _("je Formular"), _("Formular"), [str(y) for y in years],
                 [TEXT] * len(years), rows, cells,
                 notes=[_("Erwartet werden nur Einrichtungen, die im Jahr geöffnet waren.")])


def methods(db: Database, cat: Catalog, first: int, year: int, public: bool, rules: Rules,
            include_received: bool) -> list[MethodSection]:
    counted = (_("Gezählt werden nur vom Integrationsbüro freigegebene Meldungen.") if not include_received else
               _("Gezählt werden freigegebene und eingegangene, noch nicht freigegebene Meldungen; Werte aus noch "
                 "nicht freigegebenen Meldungen sind mit * markiert und können sich noch ändern."))
    excluded = _("Fehlt bei einer Einrichtung eine Angabe oder ist sie unbekannt oder geheim, bleibt die Einrichtung "
                 "für diesen Anteil ganz unberücksichtigt (in Zähler und Nenner), damit sich Zähler und Nenner auf "
                 "dieselben Einrichtungen beziehen.")
    secrecy = rules.label() if public else _(
        "Interne Fassung: alle Zahlen exakt und mit Tabellen je Einrichtung. Nicht zur Veröffentlichung bestimmt; "
        "für die Öffentlichkeit ist die Fassung „veröffentlichbar“ mit Geheimhaltung zu verwenden.")
    segregation = _("Segregationsmaße: Dissimilaritätsindex D = ½ Σ |aᵢ/A − bᵢ/B| über die Einheiten i (Schulen "
                    "einer Schulform, Kitas, Bezirke), mit aᵢ der Gruppe und bᵢ den übrigen; 0 bedeutet gleiche "
                    "Verteilung, 1 vollständige Trennung. S = ½ Σ |aᵢ/A − tᵢ/T| vergleicht die Gruppe mit allen; "
                    "Isolationsindex xPx = Σ (aᵢ/A)(aᵢ/tᵢ), zu lesen gegen den Anteil der Gruppe insgesamt. Die Zahl "
                    "der Einheiten steht immer dabei: Bei wenigen oder kleinen Einheiten fällt D allein durch Zufall "
                    "höher aus.")
    return [
        MethodSection(_("Begriffe"), [_(d) for d in DEFINITIONS]),
        MethodSection(_("Quellen und Stichtage"), [_("Jede Zahl behält ihre Quelle. Liegen für dieselbe Zahl zwei "
                                                     "Quellen vor (Melderegister und IT.NRW), nutzt der Bericht die "
                                                     "Hauptquelle.")], _sources(cat)),
        MethodSection(_("Welche Meldungen zählen"), [counted, excluded]),
        MethodSection(_("Geheimhaltung"), [secrecy]),
        MethodSection(_("Segregation"), [segregation]),
        MethodSection(_("Meldungen je Jahr"), [], _reporting(db, first, year, include_received)),
    ]
