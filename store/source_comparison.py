"""Two sources of the same official figures side by side (the register and IT.NRW, say), figure by figure.

The sources are never mixed: the comparison only shows where they agree and where they differ, so the officer can
say in the report which one a series uses and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from common.i18n import _
from common.numbers import format_number
from forms.model import FieldType, Form
from forms.values import Value
from store.submissions import STATE_LABELS, current_submission, figure_sources, load_values


@dataclass(frozen=True)
class ComparedFigure:
    label: str
    values: tuple[str, ...]  # as shown, one per source; "" where a source has no value
    difference: str  # the second source minus the first, for counts only

    @property
    def differs(self) -> bool:
        return len(set(self.values)) > 1


@dataclass(frozen=True)
class SourceComparison:
    sources: tuple[str, ...]  # as shown: the main source first
    states: tuple[str, ...]
    figures: list[ComparedFigure]

    @property
    def differing(self) -> int:
        return sum(f.differs for f in self.figures)


def source_label(figure_source: str) -> str:
    return figure_source or _("Hauptquelle")


def compare_sources(db: Database, org_unit_id: str, form: Form, year: int) -> SourceComparison:
    """Every figure of the form that any source holds, with the value of each source."""
    sources = figure_sources(db, org_unit_id, form.id, year)
    submissions = [current_submission(db, org_unit_id, form.id, year, s) for s in sources]
    values = [load_values(db, s.id) for s in submissions]
    figures = []
    for field in form.fields():
        for row, col in field.cells():
            found: list[Value | None] = [v.get((field.code, row, col)) for v in values]
            if all(v is None or v.is_empty for v in found):
                continue
            label = field.label
            if field.type is FieldType.GRID:
                label = f"{field.label}: {field.row(row).label}, {field.column(col).label}"
            numbers = [v.number if v is not None else None for v in found]
            difference = ""
            if len(numbers) >= 2 and None not in numbers[:2]:
                delta = numbers[1] - numbers[0]
                difference = format_number(delta, signed=True)
            figures.append(ComparedFigure(label, tuple(v.display() if v else "" for v in found), difference))
    return SourceComparison(tuple(source_label(s) for s in sources),
                            tuple(_(STATE_LABELS[s.state]) for s in submissions), figures)
