"""Disclosure control of published count tables, printed with the symbols of DIN 55301.

Exact counts are never changed here: protection only decides which numbers are printed. The internal variant of a
report simply does not call protect(). Pure standard library, so that it runs (and is tested) without Qt or pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from common.i18n import _
from common.numbers import format_number

# The same strings as forms.model.ValueState (a StrEnum compares equal to them); not imported, to keep this module
# free of the rest of the application.
SECRET, UNKNOWN, NOT_APPLICABLE = "geheim", "unbekannt", "nicht_zutreffend"
PRIMARY, SECONDARY = "primär", "sekundär"
ZERO, HIDDEN, NOT_MEANINGFUL, UNRELIABLE = "–", ".", "x", "/"

Value = int | str | None
_Key = tuple[int, int, int]


def format_cell(value: Value, *, shown: bool = True) -> str:
    """The printed form of one count: "–" only for an exact zero, "." whenever the reader must not or cannot know."""
    if value == NOT_APPLICABLE:
        return NOT_MEANINGFUL
    if not shown or not isinstance(value, int):
        return HIDDEN
    return ZERO if value == 0 else format_number(value)


def round_to(value: int, base: int) -> int:
    """Rounds half up to a multiple of base (IT.NRW: 5, employment agency: 10)."""
    if base < 1:
        raise ValueError(f"Die Rundungsbasis muss mindestens 1 sein, nicht {base}.")
    # Integer arithmetic: round() would round half to even, and floats are not needed for counts.
    return (2 * value + base) // (2 * base) * base


@dataclass(frozen=True)
class Rules:
    threshold: int = 3  # counts 1 .. threshold-1 are primary-suppressed
    min_denominator: int = 20  # no percentage on a smaller base

    def __post_init__(self) -> None:
        for name in ("threshold", "min_denominator"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} muss eine ganze Zahl ab 1 sein, nicht {value!r}.")

    def is_primary(self, value: Value) -> bool:
        return isinstance(value, int) and 0 < value < self.threshold

    def short_label(self) -> str:
        return _("unter {n}").format(n=self.threshold)

    def label(self) -> str:
        """The sentence for the methods chapter of the printed report."""
        last = self.threshold - 1
        if last < 1:
            first = _("Kleine Werte werden nicht gesperrt; Werte werden nur gesperrt, soweit sich ein an der Quelle "
                      "geheimer Wert („.“) sonst aus Zeilen- oder Spaltensummen oder aus einer Tabelle mit denselben "
                      "Summen errechnen ließe (Sekundärsperrung).")
        else:
            small = {1: _("Der Wert 1 ist gesperrt („.“)."), 2: _("Werte 1 und 2 sind gesperrt („.“).")}.get(
                last) or _("Werte 1 bis {n} sind gesperrt („.“).").format(n=format_number(last))
            first = small + " " + _("Weitere Werte werden gesperrt, soweit sich ein gesperrter Wert sonst aus "
                                    "Zeilen- oder Spaltensummen oder aus einer Tabelle mit denselben Summen "
                                    "errechnen ließe (Sekundärsperrung).")
        return first + " " + _("Anteile werden erst ab einer Bezugsgröße von {n} ausgewiesen, darunter steht „/“. "
                               "„–“ bedeutet genau null, „x“ nicht sinnvoll.").format(
                                   n=format_number(self.min_denominator))


def _check(value: Value) -> None:
    if value is None or value in (SECRET, UNKNOWN, NOT_APPLICABLE):
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"Eine Tabellenzelle muss eine Anzahl ab 0, None oder „geheim“, „unbekannt“ oder "
                         f"„nicht_zutreffend“ sein, nicht {value!r}.")


def _sum(values: list[Value]) -> Value:
    # A total over a cell nobody knows is unknown too; "nicht zutreffend" cells exist as structural zeros.
    if any(v is None or v in (SECRET, UNKNOWN) for v in values):
        return None
    counts = [v for v in values if isinstance(v, int)]
    return sum(counts) if counts or not values else NOT_APPLICABLE


@dataclass
class CountTable:
    """Counts with their published totals. Totals left out (None) are computed from the cells; over a cell that is
    not a number they become None, printed ".". Pass totals that come from elsewhere (an unknown one as "unbekannt")."""

    rows: list[str]
    columns: list[str]
    cells: list[list[Value]]
    row_totals: list[Value] | None = None
    column_totals: list[Value] | None = None
    grand_total: Value = None

    def __post_init__(self) -> None:
        if len(self.cells) != len(self.rows) or any(len(row) != len(self.columns) for row in self.cells):
            raise ValueError("Die Zellen passen nicht zu den Zeilen und Spalten der Tabelle.")
        if self.row_totals is None:
            self.row_totals = [_sum(row) for row in self.cells]
        if self.column_totals is None:
            self.column_totals = [_sum([row[j] for row in self.cells]) for j in range(len(self.columns))]
        if self.grand_total is None:
            by_rows = _sum(self.row_totals)
            self.grand_total = by_rows if by_rows is not None or not self.rows else _sum(self.column_totals)
        if len(self.row_totals) != len(self.rows) or len(self.column_totals) != len(self.columns):
            raise ValueError("Die Zahl der Summen passt nicht zu den Zeilen und Spalten der Tabelle.")
        for value in [*(v for row in self.cells for v in row), *self.row_totals, *self.column_totals, self.grand_total]:
            _check(value)

    def grid(self) -> list[list[Value]]:
        """Row totals as the last column, column totals and grand total as the last row."""
        return [*([*row, total] for row, total in zip(self.cells, self.row_totals, strict=True)),
                [*self.column_totals, self.grand_total]]


@dataclass(frozen=True)
class Cell:
    value: Value  # the exact count or source marker, unchanged
    reason: str | None  # None: printed; "primär", "sekundär", "geheim" or "unbekannt": printed "."
    text: str

    @property
    def shown(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class ProtectedTable:
    table: CountTable
    rules: Rules
    grid: list[list[Cell]]  # like CountTable.grid(): totals in the last column and the last row
    unprotected: list[tuple[int, int]]  # grid positions of secret cells that still can be recomputed; normally empty

    @property
    def cells(self) -> list[list[Cell]]:
        return [row[:-1] for row in self.grid[:-1]]

    @property
    def row_totals(self) -> list[Cell]:
        return [row[-1] for row in self.grid[:-1]]

    @property
    def column_totals(self) -> list[Cell]:
        return self.grid[-1][:-1]

    @property
    def grand_total(self) -> Cell:
        return self.grid[-1][-1]

    def texts(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.grid]


def percent(numerator: Value | Cell, denominator: Value | Cell, rules: Rules) -> str:
    """A share in per cent with one decimal ("12,5"), or the symbol that stands in its place."""
    num, num_shown = (numerator.value, numerator.shown) if isinstance(numerator, Cell) else (numerator, True)
    den, den_shown = (denominator.value, denominator.shown) if isinstance(denominator, Cell) else (denominator, True)
    if NOT_APPLICABLE in (num, den):
        return NOT_MEANINGFUL
    # A hidden base is revealed by numerator / share, so the share goes with it.
    if not den_shown or not isinstance(den, int):
        return HIDDEN
    if den == 0:
        return NOT_MEANINGFUL
    # Checked before the numerator: "/" on every small base tells nothing, "." only on some would mark small numerators.
    if den < rules.min_denominator:
        return UNRELIABLE
    if not num_shown or not isinstance(num, int) or rules.is_primary(num):
        return HIDDEN
    if num == 0:
        return ZERO
    tenths = (2000 * num + den) // (2 * den)  # half up, exact
    return f"{format_number(tenths // 10)},{tenths % 10}"


def protect(table: CountTable, rules: Rules) -> ProtectedTable:
    return protect_linked([table], rules)[0]


def protect_linked(tables: list[CountTable], rules: Rules) -> list[ProtectedTable]:
    """Protects tables that print the same row totals (and grand total) together, e.g. pupils per school by ZWG and
    by nationality. Protected one by one, each could hide a different second total and print the other's.

    Heuristic: a shared total is one cell and the totals column one line for all tables, so a total hidden in one is
    hidden in all, and the line rule and the final check run over the lines of all tables at once.
    """
    if not tables:
        return []
    first = tables[0]
    for table in tables[1:]:
        if (table.rows, table.row_totals, table.grand_total) != (first.rows, first.row_totals, first.grand_total):
            raise ValueError("Verknüpfte Tabellen müssen dieselben Zeilen und dieselben Zeilensummen haben.")
    problem = _Problem(tables, rules)
    unprotected = problem.solve()
    result = []
    for t, table in enumerate(tables):
        keys = [[problem.key(t, i, j) for j in range(len(row))] for i, row in enumerate(table.grid())]
        grid = [[Cell(v, problem.state[k], HIDDEN if problem.state[k] else format_cell(v))
                 for v, k in zip(values, row, strict=True)] for values, row in zip(table.grid(), keys, strict=True)]
        still_open = [(i, j) for i, row in enumerate(keys) for j, k in enumerate(row) if k in unprotected]
        result.append(ProtectedTable(table, rules, grid, still_open))
    return result


class _Problem:
    """The tables as a system of line equations (the cells of a line add up to its total) over the hidden cells."""

    def __init__(self, tables: list[CountTable], rules: Rules) -> None:
        self.widths = [len(table.columns) for table in tables]
        self.height = len(tables[0].rows)
        self.values: dict[_Key, Value] = {}
        lines: dict[tuple[_Key, ...], None] = {}  # ordered set: the shared totals column would come once per table
        for t, table in enumerate(tables):
            grid = table.grid()
            for i, row in enumerate(grid):
                for j, value in enumerate(row):
                    self.values[self.key(t, i, j)] = value
            for i in range(len(grid)):
                lines[tuple(self.key(t, i, j) for j in range(len(grid[0])))] = None
            for j in range(len(grid[0])):
                lines[tuple(self.key(t, i, j) for i in range(len(grid)))] = None
        self.lines = list(lines)  # the last cell of each line is its total
        self.lines_of = {k: [line for line in self.lines if k in line] for k in self.values}
        self.state: dict[_Key, str | None] = {
            k: PRIMARY if rules.is_primary(v) else SECRET if v == SECRET else UNKNOWN if v in (None, UNKNOWN) else None
            for k, v in self.values.items()}

    def key(self, t: int, i: int, j: int) -> _Key:
        return (0, i, self.widths[0]) if j == self.widths[t] else (t, i, j)

    def is_total(self, k: _Key) -> bool:
        return k[1] == self.height or k[2] == self.widths[k[0]]

    def solve(self) -> set[_Key]:
        # Only real secrets must stay open: a computable partner gives nothing away as long as the secret lies on a
        # cycle of hidden cells, which the linear-algebra check makes sure of.
        given_up: set[_Key] = set()
        while True:
            self.pair_up()
            exposed = sorted(k for k in self.determined() if self.state[k] in (PRIMARY, SECRET) and k not in given_up)
            if not exposed:
                return given_up
            if not self.repair(exposed[0]):
                given_up.add(exposed[0])

    def needs_partner(self, line: tuple[_Key, ...]) -> bool:
        # "unbekannt" hides what it stands for but is no secret, so a lone unknown cell needs no partner.
        hidden = [k for k in line if self.state[k]]
        return len(hidden) == 1 and self.state[hidden[0]] != UNKNOWN

    def candidate(self, k: _Key) -> bool:
        # Zeros are printed "–" and known: hiding one would protect nothing.
        value = self.values[k]
        return self.state[k] is None and isinstance(value, int) and value > 0

    def pair_up(self) -> None:
        """The line rule: no line with exactly one hidden secret, by hiding the cheapest partner, until stable."""
        while True:
            options = []
            for line in self.lines:
                if not self.needs_partner(line):
                    continue
                for k in line:
                    if self.candidate(k):
                        # Score the damage elsewhere first: a partner that completes another line's pair saves a
                        # suppression, one in a clean line starts a new chain. Then cells before totals, smallest first.
                        others = [other for other in self.lines_of[k] if other != line]
                        balance = sum(1 for o in others if not any(self.state[x] for x in o)) - sum(
                            1 for o in others if self.needs_partner(o))
                        options.append((balance, self.is_total(k), self.values[k], k))
            if not options:
                return
            self.state[min(options)[-1]] = SECONDARY

    def determined(self) -> set[_Key]:
        """The hidden cells whose value follows from the printed ones by linear algebra over all lines.

        Pairs in every line stop a reader who solves one line at a time, not one who combines lines (a hidden cell
        bridging two closed patterns, or two linked tables that each left a different total open)."""
        pivots: dict[_Key, dict[_Key, Fraction]] = {}
        for line in self.lines:
            row = {k: Fraction(-1 if n == len(line) - 1 else 1) for n, k in enumerate(line) if self.state[k]}
            for p, pivot_row in pivots.items():
                factor = row.get(p)
                if factor:
                    for k, v in pivot_row.items():
                        row[k] = row.get(k, 0) - factor * v
            row = {k: v for k, v in row.items() if v}
            if not row:
                continue
            p = next(iter(row))
            row = {k: v / row[p] for k, v in row.items()}
            for q, pivot_row in list(pivots.items()):
                factor = pivot_row.get(p)
                if factor:
                    merged = {k: pivot_row.get(k, 0) - factor * row.get(k, 0) for k in pivot_row.keys() | row.keys()}
                    pivots[q] = {k: v for k, v in merged.items() if v}
            pivots[p] = row
        # Reduced row echelon form: a value is fixed exactly when its pivot row holds nothing else.
        return {p for p, row in pivots.items() if len(row) == 1}

    def repair(self, target: _Key) -> bool:
        """Hides one more cell so that the target gets a degree of freedom; False if no cell can be hidden."""
        # A cell in a line without hidden cells would be fixed by that line itself and could not help.
        options = sorted((self.is_total(k), self.values[k], k) for k in self.values if self.candidate(k)
                         and all(any(self.state[x] for x in line) for line in self.lines_of[k]))
        for *_rest, k in options:
            self.state[k] = SECONDARY
            if target not in self.determined():
                return True
            self.state[k] = None
        # No single cell does it: widen the pattern next to the target and let the line rule close it again.
        near = sorted((self.is_total(k), self.values[k], k) for line in self.lines_of[target] for k in line
                      if self.candidate(k))
        if near:
            self.state[near[0][-1]] = SECONDARY
        return bool(near)
