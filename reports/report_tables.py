"""The report's tables built from indicator values, with disclosure control in the publishable variant.

Every table of counts is protected as a table of the group and the rest with the published denominators as row
totals, so that neither a small group nor a small rest (one child without migration background in a Kita) can be
read or recomputed. The internal variant prints exact figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from common.i18n import _
from common.numbers import format_number
from reports.catalog import Indicator
from reports.disclosure import UNKNOWN, CountTable, Rules, format_cell, percent, protect_linked
from reports.report_model import COUNT, PERCENT, RATIO, Cell, Table

if TYPE_CHECKING:
    import pandas as pd

EXACT = Rules(threshold=1, min_denominator=1)


def _int(value) -> int | None:
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None


def caption(indicator: Indicator) -> tuple[str, str, str]:
    return indicator.definition, indicator.source, indicator.reference_date


class ShareRows:
    """Rows of (label, group, denominator, provisional) printed as Anzahl, Bezugsgröße and Anteil in %. In the
    publishable variant the rows are protected together with the other tables handed to `protect_all`."""

    def __init__(self, indicator: Indicator, code: str, title: str, row_header: str,
                 rows: list[tuple[str, int | None, int | None, bool]], total: tuple | None = None,
                 beside: tuple[str, list[float | None]] | None = None) -> None:
        self.indicator, self.code, self.title, self.row_header = indicator, code, title, row_header
        self.rows, self.total = rows, total
        self.beside = beside  # (heading, a share per row): another indicator of the same rows, for comparison
        self.protected = None

    def count_table(self) -> CountTable:
        # A row without figures (every unit of it left out) adds exactly nothing to the totals, which leave those
        # units out too. As an unknown it would seem to hide the difference between a total and the printed cells,
        # and a secret beside it would be left without a partner although the reader can recompute it.
        nothing = 0 if self.indicator.denominator else UNKNOWN
        cells = [[0, nothing] if g is None else [g, UNKNOWN if d is None else max(d - g, 0)]
                 for _label, g, d, _p in self.rows]
        totals = [nothing if g is None else UNKNOWN if d is None else d for _label, g, d, _p in self.rows]
        if self.total is not None:
            _label, g, d, _p = self.total
            column_totals = [UNKNOWN if g is None else g, UNKNOWN if g is None or d is None else max(d - g, 0)]
            grand = UNKNOWN if d is None else d
        else:
            # Across years nothing adds up: no column totals are published.
            column_totals, grand = [UNKNOWN, UNKNOWN], UNKNOWN
        return CountTable([r[0] for r in self.rows], ["gruppe", "rest"], cells, totals, column_totals, grand)

    def table(self, public: bool, rules: Rules) -> Table:
        share = self.indicator.unit == "prozent"
        rules = rules if public else EXACT
        lines = list(self.rows) + ([self.total] if self.total is not None else [])
        protected = self.protected
        out = []
        for i, (_label, group, den, provisional) in enumerate(lines):
            if protected is not None:
                total_line = self.total is not None and i == len(self.rows)
                g_cell = protected.column_totals[0] if total_line else protected.cells[i][0]
                d_cell = protected.grand_total if total_line else protected.row_totals[i]
            else:
                g_cell = d_cell = None
            g_shown = g_cell is None or g_cell.shown
            d_shown = d_cell is None or d_cell.shown
            g_text = format_cell(group if group is not None else UNKNOWN, shown=g_shown)
            row = [Cell(g_text, group if g_shown and group is not None else None, provisional)]
            if share:
                d_text = format_cell(den if den is not None else UNKNOWN, shown=d_shown)
                row.append(Cell(d_text, den if d_shown and den is not None else None, provisional))
                # Not the protected cells where there is no figure: they stand for the zero the row adds to the totals.
                num = UNKNOWN if group is None else g_cell if g_cell is not None else group
                base = UNKNOWN if den is None else d_cell if d_cell is not None else den
                text = percent(num, base, rules)
                number = round(group / den * 100, 1) if text[:1].isdigit() and den else None
                row.append(Cell(text, number, provisional))
            if self.beside is not None:
                other = self.beside[1][i] if i < len(self.beside[1]) else None
                row.append(Cell(".", None) if other is None or other != other else Cell(format_number(other, 1),
                                                                                         round(other, 1)))
            out.append(row)
        columns = [_("Anzahl"), _("Bezugsgröße"), _("Anteil in %")] if share else [_("Anzahl")]
        kinds = [COUNT, COUNT, PERCENT] if share else [COUNT]
        if self.beside is not None:
            columns.append(self.beside[0])
            kinds.append(PERCENT)
        labels = [line[0] for line in lines]
        definition, source, date = caption(self.indicator)
        return Table(self.code, self.title, definition, source, date, self.row_header, columns, kinds, labels, out,
                     total_rows={len(self.rows)} if self.total is not None else set(), indicator=self.indicator.code)


def protect_all(groups: list[ShareRows], rules: Rules) -> None:
    """Tables with the same rows and the same published denominators are protected together: otherwise a cell
    hidden in one could be recomputed from the other."""
    linked: dict[tuple, list[ShareRows]] = {}
    for rows in groups:
        table = rows.count_table()
        linked.setdefault((tuple(table.rows), tuple(map(str, table.row_totals)), str(table.grand_total)),
                          []).append(rows)
    for members in linked.values():
        for rows, protected in zip(members, protect_linked([m.count_table() for m in members], rules), strict=True):
            rows.protected = protected


def breakdown_table(indicator: Indicator, values: pd.DataFrame, labels: dict[str, str], years: list[int],
                    public: bool, rules: Rules, title: str) -> Table:
    """One row per breakdown (receiving school type, age group …), one column per year."""
    rules = rules if public else EXACT
    share = indicator.unit == "prozent"
    codes = [c for c in labels if c in set(values["breakdown"])]
    by_key = {(r.breakdown, r.year): r for r in values.itertuples()}
    counts = [[_int(getattr(by_key.get((c, y)), "numerator", None)) for y in years] for c in codes]
    dens = [_int(next((getattr(by_key[(c, y)], "denominator", None) for c in codes if (c, y) in by_key), None))
            for y in years]
    cells_in = [[UNKNOWN if v is None else v for v in row] for row in counts]
    protected = None
    if public and codes:
        table = CountTable([labels[c] for c in codes], [str(y) for y in years], cells_in,
                           [UNKNOWN] * len(codes),
                           [UNKNOWN if d is None else d for d in dens] if share else [UNKNOWN] * len(years), UNKNOWN)
        protected = protect_linked([table], rules)[0]
    rows = []
    for i, code in enumerate(codes):
        row = []
        for j, year in enumerate(years):
            provisional = bool(getattr(by_key.get((code, year)), "approved", True) is False)
            value = counts[i][j]
            cell = protected.cells[i][j] if protected is not None else None
            if share:
                text = percent(cell if cell is not None else (UNKNOWN if value is None else value),
                               UNKNOWN if dens[j] is None else dens[j], rules)
                number = round(value / dens[j] * 100, 1) if text[:1].isdigit() and dens[j] else None
            else:
                shown = cell is None or cell.shown
                text = format_cell(UNKNOWN if value is None else value, shown=shown)
                number = value if shown else None
            row.append(Cell(text, number, provisional))
        rows.append(row)
    row_labels = [labels[c] for c in codes]
    if share:
        rows.append([Cell(format_cell(UNKNOWN if d is None else d), d, kind=COUNT) for d in dens])
        row_labels.append(_("Bezugsgröße (Anzahl)"))
    definition, source, date = caption(indicator)
    return Table(f"{indicator.code}_aufgliederung", title, definition, source, date, "", [str(y) for y in years],
                 [PERCENT if share else COUNT] * len(years), row_labels, rows,
                 total_rows={len(codes)} if share else set(),
                 notes=[_("Anteile in % der Bezugsgröße des Jahres.")] if share else [], indicator=indicator.code)


def institution_table(indicator: Indicator, values: pd.DataFrame, year: int, title: str) -> Table:
    """Internal only: each institution with its share and, where the catalogue says so, its Bezirk's share."""
    compare = bool(indicator.compare_with)
    rows, labels = [], []
    for r in values.sort_values("label").itertuples():
        g, d = _int(r.numerator), _int(r.denominator)
        provisional = r.approved is False
        row = [Cell(format_cell(UNKNOWN if g is None else g), g, provisional)]
        if indicator.unit == "prozent":
            text = percent(UNKNOWN if g is None else g, UNKNOWN if d is None else d, EXACT)
            row += [Cell(format_cell(UNKNOWN if d is None else d), d, provisional),
                    Cell(text, round(r.value, 1) if text[:1].isdigit() else None, provisional)]
        if compare:
            area = r.compare_value
            row.append(Cell(format_number(area, 1) if area == area else ".", round(area, 1) if area == area else None))
            ratio = r.ratio
            row.append(Cell(format_number(ratio, 2) if ratio == ratio else "x",
                            round(ratio, 2) if ratio == ratio else None))
        rows.append(row)
        labels.append(str(r.label))
    columns = [_("Anzahl")] + ([_("Bezugsgröße"), _("Anteil in %")] if indicator.unit == "prozent" else [])
    kinds = [COUNT] + ([COUNT, PERCENT] if indicator.unit == "prozent" else [])
    notes = []
    if compare:
        columns += [_("Anteil im Bezirk in %"), _("Verhältnis")]
        kinds += [PERCENT, RATIO]
        notes.append(_("Verhältnis: Anteil der Einrichtung geteilt durch den Anteil im Bezirk (1 = wie im Bezirk). "
                       "Die Begriffe von Einrichtung und Bezirk sind ähnlich, aber nicht gleich."))
    definition, source, date = caption(indicator)
    return Table(f"{indicator.code}_einrichtungen_{year}", title, definition, source, date, _("Einrichtung"), columns,
                 kinds, labels, rows, notes=notes, per_institution=True, indicator=indicator.code)
