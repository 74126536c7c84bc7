"""The indicators as the officer prints them, computed from a small town whose figures are checked by hand."""

import math

import pytest

from forms.catalog import latest_form
from forms.model import ValueState
from forms.values import Value
from reports.catalog import catalog
from reports.indicator_values import all_indicator_values, bezirk_rows, indicator_values
from store.counted_values import counted_values
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_draft, set_state, set_values

# Deliberately neither in id order nor in name order: "Bezirk 1" is the first Bezirk by id, i.e. bz1 ("Nord").
BEZIRKE = [("bz2", "Altstadt"), ("bz1", "Nord")]
YEAR = 2024


def town(db, *extra: OrgUnit) -> None:
    save_org_units(db, [
        OrgUnit(id="stadt", kind="stadt", name="Musterstadt"),
        OrgUnit(id="bz1", kind="bezirk", name="Nord", parent_id="stadt"),
        OrgUnit(id="bz2", kind="bezirk", name="Altstadt", parent_id="stadt"),
        OrgUnit(id="gs-a", kind="schule", name="GS A", parent_id="bz1", attributes={"schulform": "Grundschule"}),
        OrgUnit(id="gs-b", kind="schule", name="GS B", parent_id="bz2", attributes={"schulform": "Grundschule"}),
        OrgUnit(id="gym-c", kind="schule", name="Gymnasium C", parent_id="bz1", attributes={"schulform": "Gymnasium"}),
        *extra,
    ])


def submit(db, unit_id, form_id, values, year=YEAR, state=State.APPROVED, figure_source=""):
    submission = create_draft(db, unit_id, latest_form(form_id), year, figure_source=figure_source)
    set_values(db, submission.id, values)
    set_state(db, submission.id, state)


def n(number: int) -> Value:
    return Value(number=number)


def school(db, unit_id, pupils, zwg, state=State.APPROVED):
    submit(db, unit_id, "schule", {("schueler_gesamt", "", ""): pupils, ("zwg_gesamt", "", ""): zwg}, state=state)


def three_schools(db, state_b=State.APPROVED):
    school(db, "gs-a", n(100), n(20))
    school(db, "gs-b", n(50), n(30), state=state_b)
    school(db, "gym-c", n(200), n(10))


def level(table, name, breakdown=""):
    rows = table[(table["level"] == name) & (table["breakdown"] == breakdown)]
    assert not rows["key"].duplicated().any()
    return rows.set_index("key")


def row_of(table, name, key, breakdown=""):
    return level(table, name, breakdown).loc[key]


def nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


# --- one value per institution, summed up ------------------------------------------------------------------------

def test_zwg_share_at_every_level(db):
    town(db)
    three_schools(db)
    table = indicator_values(counted_values(db), catalog().get("schule_zwg"), BEZIRKE)
    assert set(table["level"]) == {"stadt", "schulform", "bezirk", "einrichtung"}
    assert set(table["year"]) == {YEAR}

    stadt = row_of(table, "stadt", "stadt")
    # (20 + 30 + 10) / (100 + 50 + 200) = 60 / 350 = 17.142857… %
    assert (stadt["numerator"], stadt["denominator"]) == (60, 350)
    assert stadt["value"] == pytest.approx(17.142857142857)
    assert (stadt["units"], stadt["excluded"], stadt["approved"]) == (3, 0, True)

    schulform = level(table, "schulform")
    assert set(schulform.index) == {"Grundschule", "Gymnasium"}
    # Grundschulen: (20 + 30) / (100 + 50) = 50 / 150 = 33.33… %; Gymnasium: 10 / 200 = 5 %
    assert schulform.loc["Grundschule", ["numerator", "denominator", "units"]].tolist() == [50, 150, 2]
    assert schulform.loc["Grundschule", "value"] == pytest.approx(33.333333333333)
    assert schulform.loc["Gymnasium", ["numerator", "denominator", "units"]].tolist() == [10, 200, 1]
    assert schulform.loc["Gymnasium", "value"] == pytest.approx(5.0)

    bezirk = level(table, "bezirk")
    assert set(bezirk.index) == {"bz1", "bz2"}
    # bz1 = GS A + Gymnasium C: (20 + 10) / (100 + 200) = 30 / 300 = 10 %; bz2 = GS B: 30 / 50 = 60 %
    assert bezirk.loc["bz1", ["label", "numerator", "denominator", "units"]].tolist() == ["Nord", 30, 300, 2]
    assert bezirk.loc["bz1", "value"] == pytest.approx(10.0)
    assert bezirk.loc["bz2", ["label", "numerator", "denominator", "units"]].tolist() == ["Altstadt", 30, 50, 1]
    assert bezirk.loc["bz2", "value"] == pytest.approx(60.0)

    per_school = level(table, "einrichtung")
    assert set(per_school.index) == {"gs-a", "gs-b", "gym-c"}
    # 20 / 100 = 20 %; 30 / 50 = 60 %; 10 / 200 = 5 %
    assert per_school.loc["gs-a", ["label", "bezirk_id", "units", "excluded"]].tolist() == ["GS A", "bz1", 1, 0]
    assert per_school.loc["gs-a", "value"] == pytest.approx(20.0)
    assert per_school.loc["gs-b", ["label", "bezirk_id"]].tolist() == ["GS B", "bz2"]
    assert per_school.loc["gs-b", "value"] == pytest.approx(60.0)
    assert per_school.loc["gym-c", ["label", "bezirk_id"]].tolist() == ["Gymnasium C", "bz1"]
    assert per_school.loc["gym-c", "value"] == pytest.approx(5.0)
    assert table["compare_value"].isna().all() and table["ratio"].isna().all()


def test_an_indicator_limited_to_one_school_type_reads_only_those_schools(db):
    town(db)
    three_schools(db)
    table = indicator_values(counted_values(db), catalog().get("gs_repraesentation"), BEZIRKE)
    assert set(level(table, "einrichtung").index) == {"gs-a", "gs-b"}  # not Gymnasium C


# --- values unknown, secret or missing ---------------------------------------------------------------------------

@pytest.mark.parametrize(("pupils", "zwg"), [
    (n(80), Value(state=ValueState.UNKNOWN)),
    (n(80), Value(state=ValueState.SECRET)),
    (Value(state=ValueState.SECRET), n(12)),  # the denominator secret: the known numerator is left out too
    (n(80), Value()),  # the ZWG count not entered at all
])
def test_an_institution_without_a_known_value_is_left_out_of_both_and_counted(db, pupils, zwg):
    town(db, OrgUnit(id="gs-d", kind="schule", name="GS D", parent_id="bz2", attributes={"schulform": "Grundschule"}))
    three_schools(db)
    school(db, "gs-d", pupils, zwg)
    table = indicator_values(counted_values(db), catalog().get("schule_zwg"), BEZIRKE)

    stadt = row_of(table, "stadt", "stadt")
    # Still 60 / 350 = 17.142857… % over the three known schools; GS D counted as left out.
    assert (stadt["numerator"], stadt["denominator"], stadt["units"], stadt["excluded"]) == (60, 350, 3, 1)
    assert stadt["value"] == pytest.approx(17.142857142857)
    grundschule = row_of(table, "schulform", "Grundschule")
    # 50 / 150 = 33.33… %
    assert grundschule[["numerator", "denominator", "units", "excluded"]].tolist() == [50, 150, 2, 1]
    assert row_of(table, "schulform", "Gymnasium")["excluded"] == 0
    bz2 = row_of(table, "bezirk", "bz2")
    # GS B alone: 30 / 50 = 60 %
    assert bz2[["numerator", "denominator", "units", "excluded"]].tolist() == [30, 50, 1, 1]
    assert bz2["value"] == pytest.approx(60.0)
    assert row_of(table, "bezirk", "bz1")["excluded"] == 0

    gs_d = row_of(table, "einrichtung", "gs-d")
    assert nan(gs_d["value"]) and nan(gs_d["numerator"]) and nan(gs_d["denominator"])
    assert gs_d["excluded"] == 1
    assert row_of(table, "einrichtung", "gs-a")["value"] == pytest.approx(20.0)


# --- received, not yet approved ----------------------------------------------------------------------------------

def test_a_received_submission_counts_only_on_request_and_is_marked(db):
    town(db)
    three_schools(db, state_b=State.RECEIVED)
    schule_zwg = catalog().get("schule_zwg")

    approved_only = indicator_values(counted_values(db), schule_zwg, BEZIRKE)
    stadt = row_of(approved_only, "stadt", "stadt")
    # GS A and Gymnasium C only: (20 + 10) / (100 + 200) = 30 / 300 = 10 %
    assert (stadt["numerator"], stadt["denominator"], stadt["units"], stadt["approved"]) == (30, 300, 2, True)
    assert stadt["value"] == pytest.approx(10.0)
    assert "gs-b" not in level(approved_only, "einrichtung").index
    assert "bz2" not in level(approved_only, "bezirk").index

    with_received = indicator_values(counted_values(db, include_received=True), schule_zwg, BEZIRKE)
    stadt = row_of(with_received, "stadt", "stadt")
    # all three: 60 / 350 = 17.142857… %, but not all approved
    assert (stadt["numerator"], stadt["denominator"], stadt["units"]) == (60, 350, 3)
    assert stadt["value"] == pytest.approx(17.142857142857)
    assert not stadt["approved"]
    assert not row_of(with_received, "schulform", "Grundschule")["approved"]
    assert row_of(with_received, "schulform", "Gymnasium")["approved"]
    assert not row_of(with_received, "bezirk", "bz2")["approved"]
    assert row_of(with_received, "bezirk", "bz1")["approved"]
    assert not row_of(with_received, "einrichtung", "gs-b")["approved"]
    assert row_of(with_received, "einrichtung", "gs-a")["approved"]


# --- the town's own grid, Bezirke as rows ------------------------------------------------------------------------

def population(db, rows: dict[str, tuple[int, int, int]], figure_source="", year=YEAR):
    values = {}
    for row, (total, foreign, emr) in rows.items():
        values.update({("bevoelkerung_bezirk", row, "insgesamt"): n(total),
                       ("bevoelkerung_bezirk", row, "auslaender"): n(foreign),
                       ("bevoelkerung_bezirk", row, "emr"): n(emr)})
    submit(db, "stadt", "bevoelkerung", values, year=year, figure_source=figure_source)


def test_bezirk_rows_follow_the_registry_ids():
    assert bezirk_rows(BEZIRKE) == {"bezirk_01": "bz1", "bezirk_02": "bz2"}
    assert bezirk_rows([("b10", "A"), ("b02", "Z"), ("b05", "M")]) == {
        "bezirk_01": "b02", "bezirk_02": "b05", "bezirk_03": "b10"}


def test_a_town_grid_by_bezirk_uses_the_main_source_only(db):
    town(db)
    population(db, {"bezirk_01": (1000, 100, 250), "bezirk_02": (3000, 600, 900)})
    # The statistics office counts differently for the same year: it stands beside, never mixed in.
    population(db, {"bezirk_01": (1200, 300, 400), "bezirk_02": (3300, 700, 1000)}, figure_source="IT.NRW")
    table = all_indicator_values(counted_values(db), BEZIRKE)

    foreign = table[table["indicator"] == "bev_auslaender"]
    assert len(foreign) == 3  # the town and two Bezirke, one source
    stadt = row_of(foreign, "stadt", "stadt")
    # (100 + 600) / (1000 + 3000) = 700 / 4000 = 17.5 % (both sources mixed would be 1700 / 8500 = 20 %)
    assert (stadt["numerator"], stadt["denominator"], stadt["units"]) == (700, 4000, 2)
    assert stadt["value"] == pytest.approx(17.5)
    bezirk = level(foreign, "bezirk")
    # bezirk_01 is bz1 (Nord): 100 / 1000 = 10 %; bezirk_02 is bz2 (Altstadt): 600 / 3000 = 20 %
    assert bezirk.loc["bz1", ["label", "numerator", "denominator"]].tolist() == ["Nord", 100, 1000]
    assert bezirk.loc["bz1", "value"] == pytest.approx(10.0)
    assert bezirk.loc["bz2", ["label", "numerator", "denominator"]].tolist() == ["Altstadt", 600, 3000]
    assert bezirk.loc["bz2", "value"] == pytest.approx(20.0)

    emr = row_of(table[table["indicator"] == "bev_emr"], "stadt", "stadt")
    # (250 + 900) / 4000 = 1150 / 4000 = 28.75 %
    assert emr["value"] == pytest.approx(28.75)
    residents = row_of(table[table["indicator"] == "bev_einwohner"], "stadt", "stadt")
    assert residents["value"] == 4000  # 1000 + 3000, a count
    by_bezirk = level(table[table["indicator"] == "vert_auslaender"], "bezirk")
    assert by_bezirk["value"].to_dict() == {"bz1": 100, "bz2": 600}


# --- a breakdown with a common denominator -----------------------------------------------------------------------

TYPES = ("hauptschule", "realschule", "sekundarschule", "gesamtschule", "primus", "gymnasium", "foerderschule",
         "sonstige")


def transitions(db, unit_id, leavers, by_type, zwg_gym=0):
    values = {("abgaenger_klasse4", "anzahl", "alle"): n(leavers)}
    values.update({("uebergang_schulform", t, "alle"): n(by_type.get(t, 0)) for t in TYPES})
    values[("uebergang_schulform", "gymnasium", "zwg")] = n(zwg_gym)  # another column: must not leak in
    submit(db, unit_id, "schule", values)


def test_a_transition_rate_per_receiving_school_type_with_the_common_denominator(db):
    town(db)
    transitions(db, "gs-a", 50, {"gymnasium": 20, "realschule": 20, "hauptschule": 10}, zwg_gym=5)
    transitions(db, "gs-b", 30, {"gymnasium": 6, "realschule": 12, "hauptschule": 3, "gesamtschule": 9})
    table = indicator_values(counted_values(db), catalog().get("uebergang_alle"), BEZIRKE)
    stadt = table[table["level"] == "stadt"].set_index("breakdown")
    assert set(stadt.index) == set(TYPES)
    assert (stadt["denominator"] == 80).all()  # 50 + 30 leavers from class 4, the same for every type
    assert (stadt["units"] == 2).all()
    # gymnasium (20 + 6) / 80 = 32.5 %; realschule (20 + 12) / 80 = 40 %; hauptschule (10 + 3) / 80 = 16.25 %;
    # gesamtschule 9 / 80 = 11.25 %; the other four 0 %
    assert stadt["numerator"].to_dict() == {"hauptschule": 13, "realschule": 32, "sekundarschule": 0,
                                            "gesamtschule": 9, "primus": 0, "gymnasium": 26, "foerderschule": 0,
                                            "sonstige": 0}
    assert stadt.loc["gymnasium", "value"] == pytest.approx(32.5)
    assert stadt.loc["realschule", "value"] == pytest.approx(40.0)
    assert stadt.loc["hauptschule", "value"] == pytest.approx(16.25)
    assert stadt.loc["gesamtschule", "value"] == pytest.approx(11.25)
    assert stadt.loc["primus", "value"] == 0
    assert stadt["value"].sum() == pytest.approx(100.0)


# --- a subtraction in the denominator ----------------------------------------------------------------------------

def test_non_german_suspects_without_immigration_offences(db):
    town(db)
    submit(db, "stadt", "kriminalitaet", {("tatverdaechtige_gesamt", "", ""): n(1000),
                                          ("tatverdaechtige_nichtdeutsch", "", ""): n(200),
                                          ("tatverdaechtige_nd_auslaenderrecht", "", ""): n(50),
                                          ("tatverdaechtige_nd_ohne_ar", "", ""): n(150)})
    table = indicator_values(counted_values(db), catalog().get("krim_nichtdeutsch"), BEZIRKE)
    stadt = row_of(table, "stadt", "stadt")
    # 150 / (1000 − 50) = 150 / 950 = 15.789473… %
    assert (stadt["numerator"], stadt["denominator"]) == (150, 950)
    assert stadt["value"] == pytest.approx(15.789473684211)


# --- the representation ratio ------------------------------------------------------------------------------------

def children(db, year, rows: dict[str, tuple[int, int, int, int]]):
    values = {}
    for row, cells in rows.items():
        for col, number in zip(("a3_6_mit", "a3_6_ohne", "a6_10_mit", "a6_10_ohne"), cells, strict=True):
            values[("kinder_bezirk", row, col)] = n(number)
    submit(db, "stadt", "bevoelkerung", values, year=year)


def kita(db, unit_id, total_ue3, foreign_parent_ue3):
    submit(db, unit_id, "kita", {("kinder", "ue3", "insgesamt"): n(total_ue3),
                                 ("kinder", "ue3", "eltern_ausl"): n(foreign_parent_ue3)})


def test_a_kita_is_set_against_its_bezirk_of_the_previous_year(db):
    town(db, OrgUnit(id="kita-a", kind="kita", name="Kita A", parent_id="bz1"))
    kita(db, "kita-a", 60, 30)
    school(db, "gs-a", n(100), n(20))
    children(db, YEAR - 1, {"bezirk_01": (40, 60, 10, 90), "bezirk_02": (10, 90, 50, 50)})
    children(db, YEAR, {"bezirk_01": (90, 10, 25, 75), "bezirk_02": (50, 50, 50, 50)})
    table = all_indicator_values(counted_values(db), BEZIRKE)

    ratio = table[(table["indicator"] == "kita_repraesentation") & (table["year"] == YEAR)]
    kita_a = row_of(ratio, "einrichtung", "kita-a")
    # Kita A: 30 / 60 = 50 %; bz1 ("bezirk_01") in 2023: 40 / (40 + 60) = 40 %; 50 / 40 = 1.25
    # (2024's 90 / (90 + 10) = 90 % must not be used)
    assert kita_a["value"] == pytest.approx(50.0)
    assert kita_a["compare_value"] == pytest.approx(40.0)
    assert kita_a["ratio"] == pytest.approx(1.25)

    # The Grundschule compares with the same year (compare_year 0), with the 6- to 10-year-olds:
    # GS A 20 / 100 = 20 %; bz1 in 2024: 25 / (25 + 75) = 25 %; 20 / 25 = 0.8
    gs = table[(table["indicator"] == "gs_repraesentation") & (table["year"] == YEAR)]
    gs_a = row_of(gs, "einrichtung", "gs-a")
    assert gs_a["compare_value"] == pytest.approx(25.0)
    assert gs_a["ratio"] == pytest.approx(0.8)


def test_without_the_previous_years_population_there_is_no_ratio(db):
    town(db, OrgUnit(id="kita-a", kind="kita", name="Kita A", parent_id="bz1"))
    kita(db, "kita-a", 60, 30)
    # Only the same year and two years before: neither may stand in for the previous year.
    children(db, YEAR, {"bezirk_01": (40, 60, 10, 90)})
    children(db, YEAR - 2, {"bezirk_01": (40, 60, 10, 90)})
    table = all_indicator_values(counted_values(db), BEZIRKE)
    kita_a = row_of(table[table["indicator"] == "kita_repraesentation"], "einrichtung", "kita-a")
    assert kita_a["value"] == pytest.approx(50.0)  # 30 / 60
    assert nan(kita_a["compare_value"]) and nan(kita_a["ratio"])


# --- counts without a denominator --------------------------------------------------------------------------------

def test_unemployed_by_nationality_are_counts(db):
    town(db)
    submit(db, "stadt", "arbeitsmarkt", {
        ("arbeitsmarkt", "arbeitslose", "insgesamt"): n(2000),
        ("arbeitsmarkt", "arbeitslose", "deutsche"): n(1600),
        ("arbeitsmarkt", "arbeitslose", "auslaender"): n(400),
        ("arbeitsmarkt", "elb", "insgesamt"): n(3100),  # another row: must not leak in
        ("arbeitsmarkt", "elb", "auslaender"): n(900),
    })
    table = indicator_values(counted_values(db), catalog().get("am_arbeitslose"), BEZIRKE)
    stadt = table[table["level"] == "stadt"].set_index("breakdown")
    assert stadt["value"].to_dict() == {"insgesamt": 2000, "deutsche": 1600, "auslaender": 400}
    assert stadt["denominator"].isna().all()
