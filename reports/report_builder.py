"""The whole report assembled from the database: key figures, one chapter per monitoring category, segregation,
methods. Long work: it reports progress and stops when asked to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from common.i18n import _
from common.numbers import format_number
from forms.catalog import all_forms
from forms.model import FieldType
from reports.area_tables import area_maps, area_tables
from reports.catalog import Catalog, Indicator, catalog
from reports.disclosure import Rules
from reports.errors import ReportCancelled, ReportError
from reports.indicator_values import all_indicator_values
from reports.report_methods import methods
from reports.report_model import INTERNAL, PUBLIC, Chapter, Chart, KeyFigure, Report
from reports.report_tables import ShareRows, _int, breakdown_table, institution_table, protect_all
from reports.segregation_tables import segregation_tables
from store.areas import find_level, levels
from store.counted_values import counted_values, registry
from store.database import Database
from store.orgunits import bezirke as list_bezirke
from store.orgunits import has_synthetic_units, town_name
from store.value_origins import origins_for_fields

DOT_PLOT_MOST = 40
SERIES_PER_CHART = 6  # lines a reader tells apart by colour and marker


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # "zeitreihe" or "balken"
    title: str
    y_label: str
    table: int  # index into the chapter's tables
    rows: tuple[str, ...] = ()  # for a breakdown table: the rows drawn over the years, one line each

    def chart(self, table) -> Chart | None:
        if self.kind == "balken":
            points = [(label, cells[-1].number) for i, (label, cells) in enumerate(zip(table.rows, table.cells,
                                                                                       strict=True))
                      if i not in table.total_rows and cells[-1].number is not None]
            return Chart("balken", self.title, self.y_label, {"": points}) if points else None
        if self.rows:
            series = {}
            for row in self.rows:
                if row in table.rows:
                    cells = table.cells[table.rows.index(row)]
                    points = [(int(year), c.number) for year, c in zip(table.columns, cells, strict=True)
                              if c.number is not None]
                    if len(points) > 1:
                        series[row] = points
            return Chart("zeitreihe", self.title, self.y_label, series) if series else None
        points = [(int(label), cells[-1].number) for label, cells in zip(table.rows, table.cells, strict=True)
                  if cells[-1].number is not None]
        return Chart("zeitreihe", self.title, self.y_label, {"Stadt": points}) if len(points) > 1 else None


def _labels(indicator: Indicator) -> dict[str, str]:
    term = indicator.numerator[0]
    for form in sorted(all_forms(), key=lambda f: -f.version):
        if form.id == term.form:
            field = form.field(term.field)
            if field.type is FieldType.GRID:
                return {a.code: a.label for a in (field.rows if term.by_row else field.columns)}
    return {}


def _value_text(indicator: Indicator, value: float) -> str:
    return format_number(value, 1) if indicator.unit == "prozent" else format_number(value, 0)


def _key_figures(cat: Catalog, values, year: int, public: bool, rules: Rules) -> list[KeyFigure]:
    figures = []
    for indicator in cat.indicators:
        if not (indicator.key or indicator.key_row):
            continue
        town = values[(values["indicator"] == indicator.code) & (values["level"] == "stadt")]
        if indicator.key_row:
            town = town[town["breakdown"] == indicator.key_row]
        now, before = town[town["year"] == year], town[town["year"] == year - 1]
        if now.empty or now["value"].isna().all():
            continue
        row = now.iloc[0]
        small = public and (_int(row.numerator) or 0) in range(1, rules.threshold)
        too_few = public and indicator.unit == "prozent" and (_int(row.denominator) or 0) < rules.min_denominator
        text = "." if small else "/" if too_few else _value_text(indicator, row.value)
        change = ""
        if not (small or too_few) and not before.empty and before.iloc[0].value == before.iloc[0].value:
            delta = row.value - before.iloc[0].value
            unit = _(" Prozentpunkte") if indicator.unit == "prozent" else ""
            text_delta = _value_text(indicator, abs(delta))
            sign = "±" if text_delta.strip("0,") == "" else "+" if delta > 0 else "−"
            change = sign + text_delta + unit
        title = indicator.title + (f": {_labels(indicator).get(indicator.key_row, '')}" if indicator.key_row else "")
        figures.append(KeyFigure(title, text + (" %" if indicator.unit == "prozent" and text[:1].isdigit() else ""),
                                 year, indicator.definition, change))
    return figures


def _titled(title: str, header: str, year: int) -> str:
    by = _("nach {what}").format(what=header)
    return f"{title} {year}" if by in title else f"{title} {by} {year}"


def _latest(part, year: int):
    """The rows of the report year, or of the latest year before it with figures (elections are not yearly)."""
    part = part[part["year"] <= year]
    return part[part["year"] == part["year"].max()] if not part.empty else part


def _share_rows(indicator: Indicator, part, key_column: str, provisional_column: str = "approved"):
    return [(str(r.label), _int(r.numerator), _int(r.denominator), getattr(r, provisional_column) is False)
            for r in part.sort_values(key_column).itertuples()]


def _chapter(category, indicators: list[Indicator], values, first: int, year: int, public: bool, rules: Rules,
             bezirk_names: dict[str, str], by_area: bool = False) -> tuple[Chapter, list[ShareRows]]:
    chapter = Chapter(category.code, category.title, "")
    pending: list[tuple[int, ShareRows]] = []
    charts: list[ChartSpec] = []
    years = list(range(first, year + 1))
    for indicator in indicators:
        mine = values[values["indicator"] == indicator.code]
        town = mine[(mine["level"] == "stadt") & mine["year"].between(first, year)]
        unit = "%" if indicator.unit == "prozent" else _("Anzahl")
        if indicator.breakdown and not town.empty:
            labels = _labels(indicator)
            # Every category is drawn, the key one first; more than a chart can tell apart go into further charts.
            order = sorted(labels, key=lambda code: code != indicator.key_row)
            parts = [order[i:i + SERIES_PER_CHART] for i in range(0, len(order), SERIES_PER_CHART)]
            for number, part in enumerate(parts, start=1):
                title = indicator.title if len(parts) == 1 else _("{title} (Teil {n} von {m})").format(
                    title=indicator.title, n=number, m=len(parts))
                charts.append(ChartSpec("zeitreihe", title, unit, len(chapter.tables),
                                        tuple(labels[code] for code in part)))
            chapter.tables.append(breakdown_table(indicator, town, labels, years, public, rules, indicator.title))
        elif not town.empty:
            rows = [(str(int(r.year)), _int(r.numerator), _int(r.denominator), r.approved is False)
                    for r in town.sort_values("year").itertuples()]
            charts.append(ChartSpec("zeitreihe", indicator.title, unit, len(chapter.tables)))
            pending.append((len(chapter.tables), ShareRows(indicator, f"{indicator.code}_zeitreihe",
                                                           _("{title}, Stadt insgesamt").format(title=indicator.title),
                                                           _("Jahr"), rows)))
            chapter.tables.append(None)
        for level, header in (("bezirk", _("Bezirk")), ("schulform", _("Schulform"))):
            part = _latest(mine[mine["level"] == level], year)
            if part.empty or level not in indicator.levels or (by_area and indicator.bezirk_from_row):
                continue
            shown = int(part["year"].iloc[0])
            total = town[town["year"] == shown]
            total_row = None
            if not total.empty and level == "bezirk" and not indicator.breakdown:
                t = total.iloc[0]
                total_row = (_("Stadt insgesamt"), _int(t.numerator), _int(t.denominator), t.approved is False)
            if level == "bezirk":
                charts.append(ChartSpec("balken", _titled(indicator.title, header, shown), unit, len(chapter.tables)))
            beside = None
            if indicator.compare_with and level == "bezirk":
                other = catalog().get(indicator.compare_with)
                beside = (f"{other.title} in %", [r.compare_value for r in part.sort_values("key").itertuples()])
            pending.append((len(chapter.tables), ShareRows(
                indicator, f"{indicator.code}_{level}_{shown}", _titled(indicator.title, header, shown), header,
                _share_rows(indicator, part, "key"), total_row, beside)))
            chapter.tables.append(None)
        institutions = _latest(mine[mine["level"] == "einrichtung"], year)
        if not institutions.empty:
            if public:
                note = _("{title}: Tabellen je Einrichtung stehen nur in der internen Fassung.").format(
                    title=indicator.title)
                chapter.notes.append(note)
            else:
                shown = int(institutions["year"].iloc[0])
                title = _("{title} je Einrichtung {year}").format(title=indicator.title, year=shown)
                chapter.tables.append(institution_table(indicator, institutions, shown, title))
                if indicator.compare_with:
                    compared = institutions[institutions["value"].notna() & institutions["compare_value"].notna()]
                    title = f"{indicator.title} {shown}"
                    if len(compared) > DOT_PLOT_MOST:
                        # A chart of thousands of rows helps nobody: those furthest above their Bezirk come first.
                        compared = compared.nlargest(DOT_PLOT_MOST, "ratio")
                        title += _(" (die {n} mit dem höchsten Verhältnis)").format(n=DOT_PLOT_MOST)
                    rows = list(compared.sort_values("label").itertuples())
                    chapter.charts.append(Chart("punkte", title, "%", {
                        _("Einrichtung"): [(str(r.label), float(r.value)) for r in rows],
                        _("Bezirk"): [(str(r.label), float(r.compare_value)) for r in rows]}))
    return chapter, [rows for _i, rows in pending], [i for i, _rows in pending], charts


def build_report(db: Database, year: int, first_year: int | None = None, variant: str = INTERNAL,
                 include_received: bool = False, rules: Rules | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None, profiles_level: str | None = None) -> Report:
    rules = rules or Rules()
    first = first_year if first_year is not None else year - 9
    if first > year:
        raise ReportError(_("Das erste Jahr ({first}) liegt nach dem Berichtsjahr ({year}).").format(first=first,
                                                                                                year=year))
    public = variant == PUBLIC
    cat = catalog()
    frame = counted_values(db, include_received)
    bezirke = list_bezirke(db)
    values = all_indicator_values(frame, bezirke, cat, registry(db))
    by_area = bool(levels(db))
    total = len(cat.categories) + 2
    chapters = []
    for n, category in enumerate(cat.categories, start=1):
        if cancelled is not None and cancelled():
            raise ReportCancelled(_("Der Bericht wurde abgebrochen; es wurde nichts gespeichert."))
        indicators = [_with_origins(db, i, first, year) for i in cat.of(category.code)]
        chapter, share_rows, slots, charts = _chapter(category, indicators, values, first, year, public,
                                                      rules, dict(bezirke), by_area)
        if public:
            protect_all(share_rows, rules)
        for slot, rows in zip(slots, share_rows, strict=True):
            chapter.tables[slot] = rows.table(public, rules)
        # Charts are drawn from the finished tables, so a chart never shows what a table hides.
        chapter.charts = [c for c in (spec.chart(chapter.tables[spec.table]) for spec in charts)
                          if c is not None] + chapter.charts
        chapter.tables = [t for t in chapter.tables if t is not None]
        if category.no_data:
            chapter.notes.insert(0, category.no_data)
        if category.code == AREA_CHAPTER and by_area:
            # The town's areas replace the numbered Bezirk rows of the population form: figures by area key at every
            # level, the higher levels summed from the lower, and segregation for every group.
            chapter.tables += area_tables(db, first, year, public, rules)
            chapter.maps = area_maps(db, year, public, rules)
        else:
            chapter.tables += segregation_tables(category.code, frame, bezirke, first, year, public, rules)
        chapter.intro = _intro(cat.of(category.code))
        chapters.append(chapter)
        if progress is not None:
            progress(n, total)
    report = Report(_("Statistischer Integrationsbericht"), town_name(db), first, year, variant,
                    date.today().strftime("%d.%m.%Y"), has_synthetic_units(db), include_received,
                    _key_figures(cat, values, year, public, rules), chapters,
                    methods(db, cat, first, year, public, rules, include_received))
    if profiles_level:
        from reports.area_profiles import area_profiles

        level = find_level(db, profiles_level)
        if level is None:
            raise ReportError(_("Gebietsprofile: die Ebene „{level}“ gibt es nicht.").format(level=profiles_level))
        report.profiles = area_profiles(db, level, first, year, public, rules)
    if progress is not None:
        progress(total, total)
    return report


AREA_CHAPTER = "verteilung"


def _with_origins(db: Database, indicator: Indicator, first: int, year: int) -> Indicator:
    """The indicator with the tables its figures came from in its source ("IT.NRW, Tabelle 12411-01-01-5, Stand
    10.10.2017"), so that the line under each table names them; the catalogue's words stay first."""
    fields = sorted({t.field for t in indicator.numerator + indicator.denominator})
    found = origins_for_fields(db, indicator.form, fields, list(range(first, year + 1)))
    if not found:
        return indicator
    named = list(dict.fromkeys(o.source for o in found))
    return replace(indicator, source="; ".join([indicator.source, *named]))


def _intro(indicators: list[Indicator]) -> str:
    if not indicators:
        return ""
    definitions = sorted({i.definition for i in indicators})
    sources = sorted({part for i in indicators for part in i.source.split("; ")})
    return _("Definitionen in diesem Kapitel: {definitions}. Quellen: {sources}. Jede Tabelle nennt ihre "
             "Definition; eine Zeitreihe mischt nie zwei Definitionen.").format(definitions="; ".join(definitions),
                                                                               sources="; ".join(sources))
