"""What a report holds, independent of how it is printed: the PDF, the workbook and the CSV files are all written
from this one model, so they always show the same figures.

Cells carry their printed text (German number format, DIN 55301 symbols after disclosure control) and, where a
number is shown, the number itself, so a workbook can store numbers with a number format instead of text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INTERNAL, PUBLIC = "intern", "veroeffentlichbar"
VARIANT_LABELS = {INTERNAL: "intern", PUBLIC: "veröffentlichbar"}
COUNT, PERCENT, RATIO, TEXT = "anzahl", "prozent", "verhaeltnis", "text"


@dataclass(frozen=True)
class Cell:
    text: str  # as printed: "48.043", "12,5", "–", ".", "/", "x"
    number: float | int | None = None  # None where nothing may be shown as a number
    provisional: bool = False  # from a submission received but not yet approved
    kind: str = ""  # overrides the column's kind, e.g. the row of counts under a table of shares


@dataclass
class Table:
    code: str
    title: str
    definition: str  # which definition the table shows (ZWG, KJH, EMR, Staatsangehörigkeit …)
    source: str
    reference_date: str
    row_header: str
    columns: list[str]
    kinds: list[str]  # per column: COUNT, PERCENT, RATIO or TEXT
    rows: list[str]
    cells: list[list[Cell]]
    total_rows: set[int] = field(default_factory=set)  # printed in bold
    notes: list[str] = field(default_factory=list)
    per_institution: bool = False
    indicator: str = ""  # the catalogue's code, for tables of one indicator


@dataclass
class Chart:
    """Data for one chart; reports.charts draws it with matplotlib."""

    kind: str  # "zeitreihe", "balken" or "punkte"
    title: str
    y_label: str
    # zeitreihe: {series name: [(year, value), …]}; balken: {"": [(label, value), …]};
    # punkte: {"Einrichtung": [(label, value)], "Bezirk": [(label, value)]}
    series: dict[str, list[tuple]]
    note: str = ""


@dataclass(frozen=True)
class MapPicture:
    """A map drawn when the report is built (it needs the areas' outlines): printed as it is."""

    title: str
    png: bytes
    aspect: float  # height / width


@dataclass
class Chapter:
    code: str
    title: str
    intro: str
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    maps: list[MapPicture] = field(default_factory=list)


@dataclass
class KeyFigure:
    title: str
    value: str  # printed
    year: int
    definition: str
    change: str = ""  # against the previous year, printed


@dataclass
class MethodSection:
    title: str
    paragraphs: list[str]
    table: Table | None = None


@dataclass
class Report:
    title: str
    town: str
    first_year: int
    year: int
    variant: str
    created: str  # printed date
    synthetic: bool
    include_received: bool
    key_figures: list[KeyFigure]
    chapters: list[Chapter]
    methods: list[MethodSection]
    profiles: list = field(default_factory=list)  # reports.area_profiles.AreaProfile, one page each

    @property
    def subtitle(self) -> str:
        years = f"{self.first_year}–{self.year}" if self.first_year < self.year else str(self.year)
        return f"{self.town} · {years} · {VARIANT_LABELS[self.variant]}"

    def tables(self) -> list[Table]:
        return [t for c in self.chapters for t in c.tables] + [m.table for m in self.methods if m.table]
