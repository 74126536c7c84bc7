"""Segregation over the schools of one type, the Kitas and the Bezirke, as report tables.

The number of units is always printed beside the measures: with few or small units D is biased upwards.
"""

from __future__ import annotations

from common.i18n import N_, _
from common.numbers import format_number
from reports.catalog import catalog
from reports.disclosure import Rules
from reports.indicator_values import unit_values
from reports.report_model import COUNT, PERCENT, RATIO, TEXT, Cell, Table
from reports.segregation import Unit, measure

# chapter: [(title of the unit set, indicator whose numerator is the group and denominator the total, filter)]
SETS = {
    "schulen": [(N_("Schulen, Zuwanderungsgeschichte"), "schule_zwg", None)],
    "kitas": [(N_("Kitas, mind. ein Elternteil ausländischer Herkunft"), "kita_mh", None)],
    "verteilung": [(N_("Bezirke, Ausländer/innen"), "bev_auslaender", None),
                   (N_("Bezirke, Migrationshintergrund (EMR)"), "bev_emr", None)],
}
_DEFINITION = N_("D = ½ Σ |a/A − b/B| (Dissimilarität, 0 = gleich verteilt, 1 = vollständig getrennt); "
                 "S = ½ Σ |a/A − t/T| (Gruppe gegen alle); xPx = Σ (a/A)(a/t) (Isolation), zu lesen gegen den "
                 "Anteil insgesamt")


def _number(value: float | None, digits: int = 2) -> Cell:
    return Cell("x", None) if value is None else Cell(format_number(value, digits), round(value, digits))


def _unit_sets(code: str, frame, bezirke) -> list[tuple[str, object]]:
    """(label, per-unit values) for each set of units of the chapter; schools are split by school type."""
    main = frame[frame["figure_source"] == ""]
    out = []
    for title, indicator_code, _filter in SETS.get(code, []):
        indicator = catalog().get(indicator_code)
        units = unit_values(main[main["form_id"] == indicator.form], indicator, bezirke)
        units = units[~units["unknown"] & units["denominator"].notna()]
        if indicator.form == "schule":
            for school_type in sorted(t for t in units["school_type"].unique() if t):
                label = _("{school_type}: Zuwanderungsgeschichte").format(school_type=school_type)
                out.append((label, units[units["school_type"] == school_type]))
        else:
            out.append((_(title), units))
    return out


def segregation_tables(code: str, frame, bezirke, first: int, year: int, public: bool, rules: Rules) -> list[Table]:
    sets = _unit_sets(code, frame, bezirke)
    if not sets:
        return []
    rows, cells, series = [], [], []
    for label, units in sets:
        def measured(y, units=units):
            part = units[units["year"] == y]
            return measure(Unit(str(u.unit), int(u.numerator), int(u.denominator)) for u in part.itertuples())

        result = measured(year)
        rows.append(label)
        share = Cell(format_number(result.share * 100, 1), round(result.share * 100, 1)) if result.share is not None \
            else Cell("x")
        cells.append([Cell(str(result.units), result.units), share, _number(result.dissimilarity),
                      _number(result.segregation), _number(result.isolation), Cell(result.warning or "–")])
        series.append([_number(measured(y).dissimilarity) for y in range(first, year + 1)])
    source = _("Meldungen der Einrichtungen; Einwohnermelderegister")
    same = _("wie in den Tabellen des Kapitels")
    latest = Table(f"segregation_{code}_{year}", _("Segregation {year}").format(year=year), same, source, same,
                   _("Einheiten"), [_("Einheiten"), _("Anteil insgesamt in %"), "D", "S", "xPx", _("Hinweis")],
                   [COUNT, PERCENT, RATIO, RATIO, RATIO, TEXT], rows, cells, notes=[_(_DEFINITION)])
    years = [str(y) for y in range(first, year + 1)]
    over_time = Table(f"segregation_{code}_zeitreihe", _("Dissimilaritätsindex D über die Jahre"), same, source,
                      same, _("Einheiten"),
                      years, [RATIO] * len(years), rows, series,
                      notes=[_("„x“: nicht berechenbar (weniger als zwei Einheiten oder niemand in der Gruppe).")])
    return [latest, over_time]
