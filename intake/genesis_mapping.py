"""Which column and line of an official statistics table go into which field of the town's forms: the mappings
shipped for the common tables (genesis_mappings.toml) and the ones an officer made once for any other table."""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path

from common.i18n import _
from forms.model import Form
from intake.genesis import GenesisError, GenesisTable, period_of

MAPPINGS_FILE = Path(__file__).with_name("genesis_mappings.toml")


@dataclass(frozen=True)
class CellMap:
    column: tuple[str, ...]  # headings that tell the column from the others, top to bottom (no year or date)
    line: str  # the category on the line, "" where the table has none
    field: str
    row: str = ""
    col: str = ""


@dataclass(frozen=True)
class Mapping:
    key: str  # a table code, a family ("12411-01-01") or a statistic ("12521")
    form: str
    cells: tuple[CellMap, ...]
    title: str = ""
    reference: str = ""  # only where the table's own words are vague

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict) -> Mapping:
        cells = tuple(CellMap(tuple(c["column"]), c.get("line", ""), c["field"], c.get("row", ""), c.get("col", ""))
                      for c in raw["cells"])
        return cls(raw["key"], raw["form"], cells, raw.get("title", ""), raw.get("reference", ""))


@cache
def shipped_mappings() -> dict[str, Mapping]:
    with MAPPINGS_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    shown = "title"  # the one text of a mapping the officer reads
    return {raw["key"]: replace(Mapping.from_json(raw), title=_(str(raw[shown]))) for raw in data["tables"]}


def mapping_for(table: GenesisTable, remembered: dict | None = None) -> Mapping | None:
    """The officer's own mapping for this very table first, then the shipped one for its family or statistic."""
    if remembered is not None:
        return Mapping.from_json(remembered)
    shipped = shipped_mappings()
    return shipped.get(table.family) or shipped.get(table.code.split("-", 1)[0])


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def heading_matches(wanted: str, heading: str) -> bool:
    """ "Ausländer" finds "Ausländer(innen)" and "Zuzüge" finds "Zuzüge über die Kreisgrenzen"."""
    return _fold(heading).startswith(_fold(wanted))


def column_headings(table: GenesisTable, index: int) -> tuple[str, ...]:
    """A column's headings without the one that names its year or date."""
    return tuple(h for h in table.columns[index] if not period_of(h))


def _finds(wanted: tuple[str, ...], headings: tuple[str, ...]) -> bool:
    """Each wanted heading in turn, in the column's headings from top to bottom."""
    rest = iter(headings)
    return all(any(heading_matches(w, h) for h in rest) for w in wanted)


def columns_of(table: GenesisTable, cell: CellMap) -> list[int]:
    """The columns a cell mapping names: one per year where the years stand side by side, else one. Where its
    headings fit columns of different kinds, the mapping cannot tell them apart and says so."""
    wanted = tuple(_fold(w) for w in cell.column)
    exact = [i for i in range(len(table.columns)) if tuple(map(_fold, column_headings(table, i))) == wanted]
    # A mapping made in the app names every heading of its column: that column, even where a shorter heading
    # elsewhere would also begin with the same words.
    found = exact or [i for i in range(len(table.columns)) if _finds(cell.column, column_headings(table, i))]
    kinds = {column_headings(table, i) for i in found}
    if len(kinds) > 1:
        raise GenesisError(_("Die Zuordnung „{wanted}“ passt auf mehrere Spalten der Tabelle {code} ({found}); "
                             "bitte die Spalten einzeln zuordnen.").format(
            wanted=" / ".join(cell.column), code=table.code, found="; ".join(" / ".join(k) for k in sorted(kinds))))
    return found


def column_kinds(table: GenesisTable) -> list[tuple[str, ...]]:
    """The table's kinds of column, in order: where the years stand side by side, each kind once."""
    return list(dict.fromkeys(column_headings(table, i) for i in range(len(table.columns))))


def check_mapping(mapping: Mapping, form: Form) -> None:
    """Every cell a mapping names must exist in the form: a mapping written for another form version, or by hand,
    is refused before anything is read."""
    for cell in mapping.cells:
        try:
            f = form.field(cell.field)
        except KeyError:
            raise GenesisError(_("Die Zuordnung nennt das Feld „{f}“, das das Formular „{form}“ nicht hat.").format(
                f=cell.field, form=form.title)) from None
        if (cell.row, cell.col) not in f.cells():
            raise GenesisError(_("Die Zuordnung nennt im Feld „{f}“ die Zeile „{r}“ und Spalte „{c}“, die es dort "
                                 "nicht gibt.").format(f=f.label, r=cell.row, c=cell.col))
