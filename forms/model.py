"""What a form is: frozen dataclasses built by the loader from a definition file."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from common.i18n import N_, _

MAX_COUNT = 1_000_000


class FieldType(StrEnum):
    COUNT = "count"
    GRID = "grid"
    CHOICE = "choice"
    TEXT = "text"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class ValueState(StrEnum):
    """A value that is neither a number nor empty. Distinct from 0 on purpose."""

    NOT_APPLICABLE = "nicht_zutreffend"
    UNKNOWN = "unbekannt"
    SECRET = "geheim"


STATE_LABELS = {
    ValueState.NOT_APPLICABLE: N_("nicht zutreffend"),
    ValueState.UNKNOWN: N_("unbekannt"),
    ValueState.SECRET: N_("geheim (an der Quelle)"),
}


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class Axis:
    """One row or column of a grid."""

    code: str
    label: str


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    type: FieldType
    help: str = ""
    required: bool = False
    definition: str = ""
    # The official reference of the figure ("31.12.", "Jahresdurchschnitt", "Jahressumme", …): a table counted
    # on another day never pours into this field.
    reference: str = ""
    plausibility: bool = True
    rows: tuple[Axis, ...] = ()
    columns: tuple[Axis, ...] = ()
    choices: tuple[Choice, ...] = ()
    max_length: int = 2000

    def cells(self) -> list[tuple[str, str]]:
        """Addresses (row, column) of every value this field holds; ("", "") for a single value."""
        if self.type is FieldType.GRID:
            return [(r.code, c.code) for r in self.rows for c in self.columns]
        return [("", "")]

    def row(self, code: str) -> Axis:
        for r in self.rows:
            if r.code == code:
                return r
        raise KeyError(f"{self.code}: row {code}")

    def column(self, code: str) -> Axis:
        for c in self.columns:
            if c.code == code:
                return c
        raise KeyError(f"{self.code}: column {code}")


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    fields: tuple[Field, ...]
    help: str = ""
    # Shown only for institutions whose attribute has one of these values, e.g. {"schulform": ("Grundschule",)}.
    only_for: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def applies_to(self, attributes: dict[str, str]) -> bool:
        return all(attributes.get(key) in allowed for key, allowed in self.only_for)


@dataclass(frozen=True)
class CellRef:
    """A reference to one cell or a sum of cells: `code`, `code[row,col]`, `*` sums over an axis."""

    code: str
    row: str = ""
    column: str = ""

    def __str__(self) -> str:
        return f"{self.code}[{self.row},{self.column}]" if self.row or self.column else self.code


@dataclass(frozen=True)
class Rule:
    """A check between cells. kind "le": every part ≤ whole; kind "sum": parts add up to whole."""

    kind: str
    parts: tuple[CellRef, ...]
    whole: CellRef
    severity: Severity = Severity.ERROR
    message: str = ""


@dataclass(frozen=True)
class Plausibility:
    """A change against last year larger than both limits is a warning."""

    max_change_percent: float = 30.0
    min_abs_change: int = 10


@dataclass(frozen=True)
class Form:
    id: str
    version: int
    title: str
    kind: str
    years: tuple[int, int]
    reference_date: str
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = ()
    description: str = ""
    plausibility: Plausibility = field(default_factory=Plausibility)
    # "schuljahr": the year 2024 stands for the school year 2024/25.
    period: str = "jahr"
    source_file: str = ""

    def period_label(self, year: int) -> str:
        if self.period == "schuljahr":
            return _("Schuljahr {year}/{next:02d}").format(year=year, next=(year + 1) % 100)
        return str(year)

    @property
    def key(self) -> str:
        return f"{self.id}-v{self.version}"

    def fields(self) -> list[Field]:
        return [f for s in self.sections for f in s.fields]

    @cached_property
    def _by_code(self) -> dict[str, Field]:
        # Not a dataclass field: equality and hashing stay those of the definition. The validation of every
        # imported file looks fields up by code dozens of times.
        found: dict[str, Field] = {}
        for f in self.fields():
            found.setdefault(f.code, f)
        return found

    def field(self, code: str) -> Field:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(code) from None

    def section_of(self, code: str) -> Section:
        return next(s for s in self.sections if any(f.code == code for f in s.fields))

    def visible_fields(self, attributes: dict[str, str]) -> list[Field]:
        return [f for s in self.sections if s.applies_to(attributes) for f in s.fields]

    def applies_to_year(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]
