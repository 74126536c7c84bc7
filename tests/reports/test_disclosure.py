from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.disclosure import (
    NOT_APPLICABLE,
    PRIMARY,
    SECONDARY,
    SECRET,
    UNKNOWN,
    Cell,
    CountTable,
    Rules,
    format_cell,
    percent,
    protect,
    protect_linked,
    round_to,
)

# Patterns: one string per printed row, totals after "|"; P primär, S sekundär, G geheim, U unbekannt, - printed.
LETTER = {None: "-", PRIMARY: "P", SECONDARY: "S", SECRET: "G", UNKNOWN: "U"}
SENSITIVE = (PRIMARY, SECRET)


def pattern(protected):
    return [f"{''.join(LETTER[c.reason] for c in row[:-1])}|{LETTER[row[-1].reason]}" for row in protected.grid]


def table(cells, **totals):
    return CountTable([f"Z{i + 1}" for i in range(len(cells))], [f"S{j + 1}" for j in range(len(cells[0]))], cells,
                      **totals)


# --- The reader's attack -------------------------------------------------------------------------------------------
# The reader sees the printed grids of tables that share their row totals and grand total (the last column), so those
# are one unknown however many tables print them. Every line says: its cells add up to its total.


def equations(grids):
    """(variables, equations, known) from grids of (value, shown) pairs; hidden cells are variables."""
    known, unknown, lines = {}, set(), []
    for t, grid in enumerate(grids):
        def name(i, j, t=t, grid=grid):
            return ("insgesamt", i) if j == len(grid[0]) - 1 else (t, i, j)
        for i, row in enumerate(grid):
            for j, (value, shown) in enumerate(row):
                if shown:
                    known[name(i, j)] = 0 if value == NOT_APPLICABLE else value
                else:
                    unknown.add(name(i, j))
        lines += [[name(i, j) for j in range(len(grid[0]))] for i in range(len(grid))]
        lines += [[name(i, j) for i in range(len(grid))] for j in range(len(grid[0]) - (1 if t else 0))]
    return unknown, lines, known


def solve_line_by_line(grids):
    """Repeatedly solves every line with exactly one unknown; returns what was recovered."""
    unknown, lines, known = equations(grids)
    recovered, progress = {}, True
    while progress:
        progress = False
        for line in lines:
            missing = [k for k in line if k not in known]
            if len(missing) == 1:
                total, parts = line[-1], line[:-1]
                k = missing[0]
                value = (known[total] - sum(known[p] for p in parts if p != k)) if k != total else \
                    sum(known[p] for p in parts)
                known[k] = recovered[k] = value
                progress = True
    return recovered


def rank(matrix):
    rows = [[Fraction(x) for x in row] for row in matrix]
    r = 0
    for c in range(len(rows[0]) if rows else 0):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c]), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        for i in range(len(rows)):
            if i != r and rows[i][c]:
                f = rows[i][c] / rows[r][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
        r += 1
    return r


def determined_by_algebra(grids):
    """Hidden cells whose value follows from all printed numbers together: adding "x = ?" does not raise the rank."""
    unknown, lines, _ = equations(grids)
    variables = sorted(unknown, key=str)
    matrix = [[(-1 if k == line[-1] else 1) if k in line else 0 for k in variables] for line in lines]
    matrix = [row for row in matrix if any(row)]
    base = rank(matrix)
    return {v for n, v in enumerate(variables) if rank([*matrix, [int(m == n) for m in range(len(variables))]]) == base}


def reader_view(protected_tables):
    return [[[(c.value, c.shown) for c in row] for row in p.grid] for p in protected_tables]


def reasons(protected_tables):
    out = {}
    for t, p in enumerate(protected_tables):
        for i, row in enumerate(p.grid):
            for j, cell in enumerate(row):
                key = ("insgesamt", i) if j == len(row) - 1 else (t, i, j)
                out[key] = cell.reason
    return out


def assert_safe(*protected_tables):
    grids = reader_view(protected_tables)
    why = reasons(protected_tables)
    recovered = solve_line_by_line(grids)
    assert not [k for k in recovered if why[k] not in (None, UNKNOWN)], recovered
    exposed = [k for k in determined_by_algebra(grids) if why[k] in SENSITIVE]
    assert exposed == []
    assert all(p.unprotected == [] for p in protected_tables)
    for p in protected_tables:  # the line rule itself
        for line in [*p.grid, *zip(*p.grid, strict=True)]:
            hidden = [c for c in line if not c.shown]
            assert len(hidden) != 1 or hidden[0].reason == UNKNOWN


def test_the_attacker_finds_what_primary_suppression_alone_leaves_open():
    grid = table([[10, 1, 12], [8, 20, 9], [15, 7, 30]]).grid()
    view = [[[(v, v != 1) for v in row] for row in grid]]
    assert solve_line_by_line(view) == {(0, 0, 1): 1}
    assert determined_by_algebra(view) == {(0, 0, 1)}


# --- Single tables, worked out by hand -------------------------------------------------------------------------------


def test_single_small_cell_gets_partners_in_its_row_and_column():
    # The 1 needs a partner in row 1 and in column 2. Column 2's smallest is the 7 (row 3); row 1's smallest the 10
    # (column 1); column 1 and row 3 then both miss a partner, and the 15 closes both at once (preferred to the 8).
    protected = protect(table([[10, 1, 12], [8, 20, 9], [15, 7, 30]]), Rules())
    assert pattern(protected) == ["SP-|-", "---|-", "SS-|-", "---|-"]
    assert protected.texts() == [[".", ".", "12", "23"], ["8", "20", "9", "37"], [".", ".", "30", "52"],
                                 ["33", "28", "51", "112"]]
    assert_safe(protected)


def test_the_only_other_non_zero_cell_of_a_row_is_taken():
    # Row 1 has no choice but the 9; the 4 and the 3 close the rectangle.
    protected = protect(table([[2, 0, 9], [5, 6, 7], [4, 8, 3]]), Rules())
    assert pattern(protected) == ["P-S|-", "---|-", "S-S|-", "---|-"]
    assert protected.texts()[0] == [".", "–", ".", "11"]
    assert_safe(protected)


def test_zeros_are_never_partners_and_print_as_dash():
    protected = protect(table([[1, 0, 6], [0, 4, 5], [7, 9, 0]]), Rules())
    assert pattern(protected) == ["P-S|-", "-SS|-", "SS-|-", "---|-"]
    assert protected.texts() == [[".", "–", ".", "7"], ["–", ".", ".", "9"], [".", ".", "–", "16"],
                                 ["8", "13", "11", "32"]]
    assert all(c.shown for row in protected.grid for c in row if c.value == 0)
    assert_safe(protected)


def test_thresholds_three_and_five():
    cells = [[3, 4, 20], [12, 15, 30], [9, 25, 40]]
    assert pattern(protect(table(cells), Rules(threshold=3))) == ["---|-"] * 4
    protected = protect(table(cells), Rules(threshold=5))
    # The 9 first (smallest in column 1), then the 25 closes column 2 and row 3 together; the 15 would not.
    assert pattern(protected) == ["PP-|-", "---|-", "SS-|-", "---|-"]
    assert_safe(protected)


def test_a_small_total_is_itself_primary():
    # Column 1 adds up to 2: printing it would tell as much as the cells. The totals row then needs a second hidden
    # total; the 35 is taken because its column is already protected.
    protected = protect(table([[1, 30, 12], [1, 40, 9], [0, 25, 14]]), Rules())
    assert pattern(protected) == ["P-S|-", "P-S|-", "---|-", "P-S|-"]
    assert_safe(protected)


def test_pairs_in_every_line_are_not_enough_when_lines_are_combined():
    # The line rule alone stops at: {3, 14} with the column totals 3 and 16 form one closed pattern, {2, 22} of
    # column 2 with the row totals 4 and 22 another, and the 2 in row 2, column 3 is the only link between them. Every
    # line has two hidden cells, yet row 1 (x + y = 17), column 1 (x = c1), the totals row (c1 + c3 = 43 - 24) and
    # column 3 (y + z = c3) give z = 19 - 17 = 2. Hiding row 1's total as well puts z on a cycle.
    protected = protect(table([[3, 0, 14], [0, 2, 2], [0, 22, 0]]), Rules())
    assert pattern(protected) == ["S-S|S", "-PP|S", "-S-|S", "S-S|-"]
    assert_safe(protected)
    line_rule_only = reader_view([protected])
    line_rule_only[0][0][3] = (17, True)
    assert solve_line_by_line(line_rule_only) == {}
    assert determined_by_algebra(line_rule_only) == {(0, 1, 2)}


def test_counts_are_kept_exact():
    cells = [[10, 1, 12], [8, 20, 9], [15, 7, 30]]
    protected = protect(table(cells), Rules())
    assert [[c.value for c in row] for row in protected.cells] == cells
    assert [c.value for c in protected.row_totals] == [23, 37, 52]
    assert [c.value for c in protected.column_totals] == [33, 28, 51]
    assert protected.grand_total == Cell(112, None, "112")


# --- Values secret at their source -----------------------------------------------------------------------------------
# Decision: "geheim" is hidden from the reader like a suppressed cell, so it protects a small cell in its line; and it
# is a secret itself, so it gets partners when a published total would reveal it.


def test_source_secret_with_computed_totals_makes_the_totals_unknown():
    protected = protect(table([[SECRET, 5, 7], [4, 6, 8], [9, 10, 11]]), Rules())
    assert pattern(protected) == ["G--|U", "---|-", "---|-", "U--|U"]
    assert protected.texts()[0] == [".", "5", "7", "."]
    assert_safe(protected)


def test_source_secret_is_protected_against_published_totals():
    # The totals come from the source (IT.NRW) and include the secret 8, so on their own they would reveal it.
    source = table([[SECRET, 5, 7], [4, 6, 8], [9, 10, 11]], row_totals=[20, 18, 30], column_totals=[21, 21, 26],
                   grand_total=68)
    protected = protect(source, Rules())
    assert pattern(protected) == ["GS-|-", "SS-|-", "---|-", "---|-"]
    assert_safe(protected)


def test_source_secret_counts_as_the_partner_of_a_small_cell():
    source = table([[SECRET, 2, 30], [10, 12, 14], [20, 25, 11]], row_totals=[40, 36, 56], column_totals=[38, 39, 55],
                   grand_total=132)
    protected = protect(source, Rules())
    assert pattern(protected) == ["GP-|-", "SS-|-", "---|-", "---|-"]  # row 1 needs nothing more
    assert_safe(protected)


def test_a_secret_that_zero_totals_give_away_is_reported():
    # Nothing around it is above zero, so nothing can be hidden with it: the caller has to leave the table out.
    protected = protect(table([[SECRET, 0], [0, 4]], row_totals=[0, 4], column_totals=[0, 4], grand_total=4), Rules())
    assert protected.unprotected == [(0, 0)]


def test_not_applicable_and_unknown_cells():
    protected = protect(table([[NOT_APPLICABLE, 30], [UNKNOWN, 25]]), Rules())
    assert protected.texts() == [["x", "30", "30"], [".", "25", "."], [".", "55", "."]]
    assert pattern(protected) == ["--|-", "U-|U", "U-|U"]


def test_rejects_what_is_not_a_count():
    with pytest.raises(ValueError, match="Anzahl"):
        table([[-1, 2]])
    with pytest.raises(ValueError, match="passen nicht"):
        CountTable(["a"], ["b", "c"], [[1]])
    with pytest.raises(ValueError):
        Rules(threshold=0)


# --- Linked tables -------------------------------------------------------------------------------------------------

# Pupils by school: with/without Zuwanderungsgeschichte, and German/foreign. Both print the same "insgesamt" column.
ZWG = [[1, 1], [12, 30], [20, 25]]
NATIONALITY = [[2, 0], [35, 7], [38, 7]]


def test_linked_tables_hide_the_same_totals_and_protect_them_in_both():
    # School 1 has 2 pupils: that total is primary in both tables, and the totals column needs a second hidden total.
    # It must be the same one in both tables, and table 2's row of that school must then protect it too although
    # nothing in that row is small.
    zwg, nationality = protect_linked([table(ZWG), table(NATIONALITY)], Rules())
    assert pattern(zwg) == ["PP|P", "SS|S", "--|-", "--|-"]
    assert pattern(nationality) == ["P-|P", "S-|S", "--|-", "--|-"]
    assert_safe(zwg, nationality)


SCHOOLS_ZWG = [[39, 25], [1, 1], [23, 45], [37, 23]]
SCHOOLS_NATIONALITY = [[45, 19], [1, 1], [33, 35], [35, 25]]


def test_tables_protected_one_by_one_give_each_other_away():
    # School 2 has 2 pupils. Alone, each table hides a second school total beside it, but not the same one: the ZWG
    # table school 3's (68), the nationality table school 1's (64). Each prints what the other hides, and the totals
    # column gives 194 - 64 - 68 - 60 = 2.
    alone = [protect(table(SCHOOLS_ZWG), Rules()), protect(table(SCHOOLS_NATIONALITY), Rules())]
    assert [row[-1].shown for row in alone[0].grid] == [True, False, False, True, True]
    assert [row[-1].shown for row in alone[1].grid] == [False, False, True, True, True]
    assert solve_line_by_line(reader_view(alone)) == {("insgesamt", 1): 2}
    # Together both hide school 1's total, and each protects it in its own row 1.
    linked = protect_linked([table(SCHOOLS_ZWG), table(SCHOOLS_NATIONALITY)], Rules())
    assert [pattern(p) for p in linked] == [["-S|S", "PP|P", "SS|-", "--|-", "--|-"],
                                            ["SS|S", "PP|P", "--|-", "--|-", "--|-"]]
    assert_safe(*linked)


def test_linked_tables_must_share_their_totals():
    with pytest.raises(ValueError, match="Zeilensummen"):
        protect_linked([table([[1, 2]]), table([[2, 2]])], Rules())


# --- Random tables ------------------------------------------------------------------------------------------------

count = st.one_of(st.integers(0, 3), st.integers(0, 40))


@st.composite
def count_tables(draw):
    height, width = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    return table(draw(st.lists(st.lists(count, min_size=width, max_size=width), min_size=height, max_size=height)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count_tables(), st.sampled_from([3, 5]))
def test_random_tables_cannot_be_recomputed(source, threshold):
    protected = protect(source, Rules(threshold=threshold))
    assert_safe(protected)
    assert [[c.value for c in row] for row in protected.cells] == source.cells


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count_tables(), st.data())
def test_random_tables_with_source_secrets_and_published_totals(source, data):
    # Sources hide small counts, not zeros (a hidden zero under published totals of zero is covered below).
    secret = [[v > 0 and data.draw(st.booleans()) and data.draw(st.booleans()) for v in row] for row in source.cells]
    cells = [[SECRET if s else v for v, s in zip(row, mask, strict=True)] for row, mask in zip(source.cells, secret,
                                                                                                  strict=True)]
    published = table(cells, row_totals=source.row_totals, column_totals=source.column_totals,
                      grand_total=source.grand_total)
    assert_safe(protect(published, Rules()))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.data())
def test_random_linked_tables_cannot_be_recomputed(schools, groups_a, groups_b, data):
    # Two margins of one school × ZWG × nationality table, as the school form delivers them.
    cube = [[[data.draw(count) for _ in range(groups_b)] for _ in range(groups_a)] for _ in range(schools)]
    by_a = table([[sum(cell) for cell in school] for school in cube])
    by_b = table([[sum(school[a][b] for a in range(groups_a)) for b in range(groups_b)] for school in cube])
    assert_safe(*protect_linked([by_a, by_b], Rules()))


# --- Symbols, percentages, rounding, labels -------------------------------------------------------------------------


def test_german_number_format_and_symbols():
    assert format_cell(0) == "–"
    assert format_cell(48043) == "48.043"
    assert format_cell(5, shown=False) == "."
    assert [format_cell(v) for v in (SECRET, UNKNOWN, None, NOT_APPLICABLE)] == [".", ".", ".", "x"]


def test_percent():
    rules = Rules()
    assert percent(5, 40, rules) == "12,5"
    assert percent(1, 3000, rules) == "."  # a small numerator is as secret as the cell
    assert percent(3, 24, rules) == "12,5"
    assert percent(1, 6, Rules(threshold=1, min_denominator=1)) == "16,7"  # rounds half up, intern variant
    assert percent(1, 8, Rules(threshold=1, min_denominator=1)) == "12,5"
    assert percent(1, 16, Rules(threshold=1, min_denominator=1)) == "6,3"  # 6,25 → half up
    assert percent(0, 20, rules) == "–"
    assert percent(20, 20, rules) == "100,0"
    assert percent(3, 20, rules) == "15,0"
    assert percent(3, 19, rules) == "/"
    assert percent(1, 19, rules) == "/"  # "/" on every small base, so it does not single out small numerators
    assert percent(0, 0, rules) == "x"
    assert percent(NOT_APPLICABLE, 40, rules) == "x"
    assert percent(SECRET, 40, rules) == "."
    assert percent(5, None, rules) == "."


def test_percent_of_a_suppressed_cell_is_hidden():
    protected = protect(table([[10, 1, 12], [8, 20, 9], [15, 7, 30]]), Rules())
    row = protected.grid[0]
    assert percent(row[0], row[-1], Rules(min_denominator=20)) == "."  # the 10 is a secondary suppression
    assert percent(row[2], row[-1], Rules()) == "52,2"
    assert percent(protected.grid[1][1], Cell(37, SECONDARY, "."), Rules()) == "."  # a hidden base too


def test_round_to():
    assert [round_to(v, 5) for v in (0, 1, 2, 3, 7, 8, 12, 13)] == [0, 0, 0, 5, 5, 10, 10, 15]
    assert [round_to(v, 10) for v in (4, 5, 14, 15, 48043)] == [0, 10, 10, 20, 48040]
    assert round_to(17, 1) == 17
    with pytest.raises(ValueError):
        round_to(3, 0)


def test_rules_label():
    assert Rules().label().startswith("Werte 1 und 2 sind gesperrt („.“). Weitere Werte werden gesperrt, soweit sich")
    assert Rules(threshold=5).label().startswith("Werte 1 bis 4 sind gesperrt („.“).")
    assert Rules(threshold=2).label().startswith("Der Wert 1 ist gesperrt („.“).")
    assert Rules(threshold=1).label().startswith("Kleine Werte werden nicht gesperrt;")
    assert "(Sekundärsperrung)" in Rules().label()
    assert "erst ab einer Bezugsgröße von 20 ausgewiesen, darunter steht „/“" in Rules().label()
    assert "Bezugsgröße von 1.000" in Rules(min_denominator=1000).label()
    assert (Rules().short_label(), Rules(threshold=5).short_label()) == ("unter 3", "unter 5")
