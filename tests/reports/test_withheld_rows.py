"""A Bezirk or school type whose figures are all withheld (secret at the source or unknown) keeps its row with "."
in every table and output, so that a reader sees it exists and that its figure is missing; the town total and the
disclosure control stay as they were."""

import csv
import math

import openpyxl
import pytest

from forms.catalog import form_for
from forms.model import ValueState
from forms.values import Value
from reports.catalog import catalog
from reports.disclosure import Rules
from reports.indicator_values import indicator_values
from reports.report_builder import build_report
from reports.report_files import ReportRequest, make_report
from reports.report_model import INTERNAL, PUBLIC
from reports.report_tables import ShareRows
from store.counted_values import counted_values, registry
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_draft, set_state, set_values

YEAR = 2024
BEZIRKE = [("bz1", "Nord"), ("bz2", "Mitte"), ("bz3", "Süd"), ("bz4", "Feld")]
WITHHELD = ["Süd"]
STATES = [ValueState.SECRET, ValueState.UNKNOWN]


def n(number: int) -> Value:
    return Value(number=number)


def submit(db, unit_id: str, kind: str, values: dict, state: State = State.APPROVED) -> None:
    submission = create_draft(db, unit_id, form_for(kind, YEAR), YEAR)
    set_values(db, submission.id, values)
    set_state(db, submission.id, state)


def school(db, unit_id: str, pupils: Value, zwg: Value, state: State = State.APPROVED,
           aussiedler: Value | None = None) -> None:
    values = {("schueler_gesamt", "", ""): pupils, ("zwg_gesamt", "", ""): zwg}
    if aussiedler is not None:
        values[("aussiedler", "", "")] = aussiedler
    submit(db, unit_id, "schule", values, state)


def kita(db, unit_id: str, children: Value, foreign_parent: Value, language: Value) -> None:
    submit(db, unit_id, "kita", {("kinder", "ue3", "insgesamt"): children,
                                 ("kinder", "ue3", "eltern_ausl"): foreign_parent,
                                 ("kinder", "ue3", "sprache"): language})


def town(db, withheld: ValueState, mitte_zwg: int = 50) -> None:
    """Nord: a Grundschule and a Gymnasium; Mitte: a Grundschule; Süd: a Grundschule and the only Realschule, both
    withheld; Feld: no school at all. One Kita in each of Nord, Mitte and Süd, Süd's withheld. The Realschule never
    entered its Aussiedler count, as some demo schools do."""
    save_org_units(db, [
        OrgUnit("stadt", "stadt", "Kleinstadt"),
        *(OrgUnit(b, "bezirk", name, parent_id="stadt") for b, name in BEZIRKE),
        OrgUnit("gs1", "schule", "GS Nord", parent_id="bz1", attributes={"schulform": "Grundschule"}),
        OrgUnit("gym1", "schule", "Gymnasium Nord", parent_id="bz1", attributes={"schulform": "Gymnasium"}),
        OrgUnit("gs2", "schule", "GS Mitte", parent_id="bz2", attributes={"schulform": "Grundschule"}),
        OrgUnit("gs3", "schule", "GS Süd", parent_id="bz3", attributes={"schulform": "Grundschule"}),
        OrgUnit("rs3", "schule", "Realschule Süd", parent_id="bz3", attributes={"schulform": "Realschule"}),
        # Closed before the report year: its school type must not come back as a row.
        OrgUnit("hs1", "schule", "Hauptschule Nord", parent_id="bz1", attributes={"schulform": "Hauptschule"},
                valid_to=YEAR - 3),
        *(OrgUnit(f"kita{b}", "kita", f"Kita {b}", parent_id=f"bz{b}") for b in (1, 2, 3)),
    ])
    hidden = Value(state=withheld)
    school(db, "gs1", n(200), n(60), aussiedler=n(8))
    school(db, "gym1", n(300), n(45), aussiedler=n(6))
    school(db, "gs2", n(150), n(mitte_zwg), aussiedler=n(5))
    school(db, "gs3", hidden, hidden, aussiedler=hidden)
    school(db, "rs3", n(400), hidden)  # the known pupils are left out too: a share relates the same schools
    kita(db, "kita1", n(80), n(30), n(25))
    kita(db, "kita2", n(60), n(20), n(15))
    kita(db, "kita3", hidden, hidden, hidden)


def nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def rows(table) -> dict[str, list[str]]:
    return {label: [c.text for c in cells] for label, cells in zip(table.rows, table.cells, strict=True)}


def find(report, code):
    return next(t for t in report.tables() if t.code == code)


# --- the values --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("withheld", STATES)
def test_a_bezirk_and_a_school_type_without_known_figures_keep_their_row(db, withheld):
    town(db, withheld)
    table = indicator_values(counted_values(db), catalog().get("schule_zwg"), BEZIRKE, registry(db))
    table = table[table["year"] == YEAR]

    bezirk = table[table["level"] == "bezirk"].set_index("key")
    assert set(bezirk.index) == {"bz1", "bz2", "bz3"}  # Feld has no school: nothing is missing there
    sud = bezirk.loc["bz3"]
    assert sud["label"] == "Süd"
    assert nan(sud["numerator"]) and nan(sud["denominator"]) and nan(sud["value"])
    assert (sud["units"], sud["excluded"]) == (0, 2)
    # Nord: (60 + 45) / (200 + 300) = 105 / 500; Mitte: 50 / 150
    assert bezirk.loc["bz1", ["numerator", "denominator", "units", "excluded"]].tolist() == [105, 500, 2, 0]
    assert bezirk.loc["bz2", ["numerator", "denominator", "units", "excluded"]].tolist() == [50, 150, 1, 0]

    school_type = table[table["level"] == "schulform"].set_index("key")
    assert set(school_type.index) == {"Grundschule", "Gymnasium", "Realschule"}  # not the closed Hauptschule
    realschule = school_type.loc["Realschule"]
    assert nan(realschule["numerator"]) and nan(realschule["denominator"])
    assert (realschule["units"], realschule["excluded"]) == (0, 1)
    # Grundschulen: (60 + 50) / (200 + 150) = 110 / 350, GS Süd left out
    assert school_type.loc["Grundschule", ["numerator", "denominator", "units", "excluded"]].tolist() == [
        110, 350, 2, 1]

    stadt = table[table["level"] == "stadt"].iloc[0]
    # The town total as before: (60 + 45 + 50) / (200 + 300 + 150) = 155 / 650, two schools left out
    assert stadt[["numerator", "denominator", "units", "excluded"]].tolist() == [155, 650, 3, 2]


def test_without_the_registry_a_bezirk_whose_every_unit_is_withheld_keeps_its_row(db):
    town(db, ValueState.SECRET)
    table = indicator_values(counted_values(db), catalog().get("schule_zwg"), BEZIRKE)
    bezirk = table[table["level"] == "bezirk"].set_index("key")
    assert set(bezirk.index) == {"bz1", "bz2", "bz3"}
    assert nan(bezirk.loc["bz3", "numerator"]) and bezirk.loc["bz3", "excluded"] == 2


def test_a_bezirk_whose_only_school_has_not_been_approved_shows_a_dot(db):
    town(db, ValueState.SECRET)
    save_org_units(db, [OrgUnit("gs4", "schule", "GS Feld", parent_id="bz4",
                                attributes={"schulform": "Förderschule"})])
    school(db, "gs4", n(90), n(30), state=State.RECEIVED)
    report = build_report(db, YEAR, YEAR, INTERNAL)
    assert rows(find(report, "schule_zwg_bezirk_2024"))["Feld"] == [".", ".", "."]
    by_type = find(report, "schule_zwg_schulform_2024")
    assert rows(by_type)["Förderschule"] == [".", ".", "."]
    # A "." prints no figure, so nothing in the row is provisional, whatever state the withheld submission is in.
    assert not any(c.provisional for c in by_type.cells[by_type.rows.index("Förderschule")])
    with_received = build_report(db, YEAR, YEAR, INTERNAL, include_received=True)
    feld = find(with_received, "schule_zwg_bezirk_2024")
    assert rows(feld)["Feld"] == ["30", "90", "33,3"]  # 30 / 90
    assert all(c.provisional for c in feld.cells[feld.rows.index("Feld")])


# --- the tables and the files ------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", [INTERNAL, PUBLIC])
@pytest.mark.parametrize("withheld", STATES)
def test_the_withheld_rows_are_printed_with_a_dot(db, withheld, variant):
    town(db, withheld)
    report = build_report(db, YEAR, YEAR, variant)

    by_bezirk = rows(find(report, "schule_zwg_bezirk_2024"))
    assert list(by_bezirk) == ["Nord", "Mitte", "Süd", "Stadt insgesamt"]
    assert by_bezirk["Süd"] == [".", ".", "."]
    # 105 / 500 = 21.0 %; 50 / 150 = 33.3 %; the town 155 / 650 = 23.8 %
    assert by_bezirk["Nord"] == ["105", "500", "21,0"]
    assert by_bezirk["Mitte"] == ["50", "150", "33,3"]
    assert by_bezirk["Stadt insgesamt"] == ["155", "650", "23,8"]

    by_type = rows(find(report, "schule_zwg_schulform_2024"))
    assert list(by_type) == ["Grundschule", "Gymnasium", "Realschule"]
    assert by_type["Realschule"] == [".", ".", "."]
    assert by_type["Grundschule"] == ["110", "350", "31,4"]  # 110 / 350 = 31.43 %

    aussiedler = rows(find(report, "schule_aussiedler_schulform_2024"))
    assert aussiedler["Realschule"] == [".", ".", "."]
    assert aussiedler["Grundschule"] == ["13", "350", "3,7"]  # (8 + 5) / (200 + 150) = 3.71 %
    # "." prints no figure, so nothing is provisional there; the Realschule's missing count must not mark it.
    withheld = [t.cells[t.rows.index(label)] for t in report.tables() for label in ("Süd", "Realschule")
                if label in t.rows]
    assert len(withheld) == 6 and not any(c.provisional for cells in withheld for c in cells)
    kitas = rows(find(report, "kita_mh_bezirk_2024"))
    assert kitas["Süd"] == [".", ".", "."]
    assert kitas["Stadt insgesamt"] == ["50", "140", "35,7"]  # (30 + 20) / (80 + 60)

    chart = next(c for ch in report.chapters for c in ch.charts if c.kind == "balken" and "Zuwanderung" in c.title)
    assert [label for label, _value in chart.series[""]] == ["Nord", "Mitte"]  # nothing drawn for "."


@pytest.mark.parametrize("variant", [INTERNAL, PUBLIC])
def test_the_workbook_and_the_csv_files_show_the_withheld_rows(db, tmp_path, variant):
    town(db, ValueState.SECRET)
    request = ReportRequest(YEAR, YEAR, variant, xlsx=tmp_path / "bericht.xlsx", csv=tmp_path / "csv")
    make_report(db, request)

    with open(tmp_path / "csv" / "schulen_schule_zwg_bezirk_2024.csv", encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f, delimiter=";"))
    assert ["Süd", ".", ".", "."] in lines
    assert [line[0] for line in lines[1:]] == ["Nord", "Mitte", "Süd", "Stadt insgesamt"]
    with open(tmp_path / "csv" / "schulen_schule_zwg_schulform_2024.csv", encoding="utf-8-sig", newline="") as f:
        assert ["Realschule", ".", ".", "."] in list(csv.reader(f, delimiter=";"))

    sheet = openpyxl.load_workbook(tmp_path / "bericht.xlsx")["Schulen"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(values) if str(row[0]).startswith("schule_zwg_bezirk_2024"))
    table = {row[0]: row[1:4] for row in values[start + 2:start + 6]}
    assert list(table) == ["Nord", "Mitte", "Süd", "Stadt insgesamt"]
    assert table["Süd"] == [".", ".", "."]
    assert table["Nord"] == [105, 500, 21.0]


# --- disclosure control ------------------------------------------------------------------------------------------

def test_a_withheld_row_does_not_leave_a_small_count_recomputable_from_the_total(db):
    # Mitte's 2 is suppressed. Süd's "." adds nothing to the printed town total (its schools are left out of it),
    # so Nord must be hidden as Mitte's partner: 107 − 105 would give the 2 away.
    town(db, ValueState.SECRET, mitte_zwg=2)
    table = rows(find(build_report(db, YEAR, YEAR, PUBLIC), "schule_zwg_bezirk_2024"))
    assert table["Süd"] == [".", ".", "."]
    assert table["Mitte"][0] == "." and table["Nord"][0] == "."
    assert table["Stadt insgesamt"][:2] == ["107", "650"]  # 105 + 2 of 500 + 150
    assert table["Nord"][2] == table["Mitte"][2] == "."  # a share would give the hidden count back
    internal = rows(find(build_report(db, YEAR, YEAR, INTERNAL), "schule_zwg_bezirk_2024"))
    assert [internal[b][0] for b in ("Nord", "Mitte", "Süd", "Stadt insgesamt")] == ["105", "2", ".", "107"]


def test_a_withheld_row_enters_the_protected_table_as_nothing_not_as_an_unknown():
    indicator = catalog().get("schule_zwg")
    shares = ShareRows(indicator, "t", "T", "Bezirk", [("Nord", 105, 500, False), ("Mitte", 2, 150, False),
                                                       ("Süd", None, None, False)], ("Stadt", 107, 650, False))
    table = shares.count_table()
    # Süd adds exactly 0 to the totals it is left out of; as "unbekannt" it would seem to absorb Mitte's 2.
    assert table.cells[2] == [0, 0] and table.row_totals[2] == 0
    assert table.column_totals == [107, 543] and table.grand_total == 650
    from reports.report_tables import protect_all

    protect_all([shares], Rules())
    printed = rows(shares.table(True, Rules()))
    assert printed["Süd"] == [".", ".", "."]
    assert printed["Nord"][0] == printed["Mitte"][0] == "."
