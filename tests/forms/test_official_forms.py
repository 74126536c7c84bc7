"""The officer's own forms: official statistics entered for the town itself."""

import pytest

from forms.catalog import latest_form
from forms.model import FieldType, Severity
from forms.validation import validate
from forms.values import Value

OFFICIAL = ("bevoelkerung", "auslaender_staatsangehoerigkeit", "arbeitsmarkt", "einbuergerung", "kriminalitaet",
            "wahlen", "religion", "verwaltung", "integrationskurse", "schulstatistik")
# The forms the official tables fill reach back to 2000: the statistical offices' series are that long.
FROM_TABLES = {"bevoelkerung", "auslaender_staatsangehoerigkeit", "arbeitsmarkt", "einbuergerung", "schulstatistik"}
BEZIRK_ROWS = [f"bezirk_{i:02d}" for i in range(1, 13)]
BEVOELKERUNG = latest_form("bevoelkerung")


def n(x):
    return Value(number=x)


def errors(results):
    return [r for r in results if r.severity is Severity.ERROR]


def population() -> dict:
    """A complete, consistent Bevölkerung form: 18 age groups of 2,000 with 150 Ausländer, 500 EMR each."""
    values = {("quelle", "", ""): Value(text="Einwohnermelderegister der Stadt, Stand 31.12.2024")}
    for row in BEVOELKERUNG.field("bevoelkerung_alter").rows:
        values |= {("bevoelkerung_alter", row.code, "insgesamt"): n(2000),
                   ("bevoelkerung_alter", row.code, "auslaender"): n(150),
                   ("bevoelkerung_alter", row.code, "emr"): n(500)}
    return values


@pytest.mark.parametrize("form_id", OFFICIAL)
def test_every_official_form_is_for_the_town_and_stores_its_source(form_id):
    form = latest_form(form_id)
    assert form.kind == "stadt"
    assert form.years == ((2000, 2099) if form_id in FROM_TABLES else (2015, 2099))
    assert form.period == ("schuljahr" if form_id == "schulstatistik" else "jahr")
    assert form.reference_date and "Quelle" in form.description
    quelle = form.field("quelle")
    assert quelle.type is FieldType.TEXT and quelle.required
    assert form.sections[0].fields[0].code == "quelle"  # the source comes first
    assert form.rules
    assert all(f.label and (f.help or f.code == "quelle") for f in form.fields())


@pytest.mark.parametrize(("form_id", "part", "whole"), [
    ("bevoelkerung", ("bevoelkerung_alter", "a00_04", "auslaender"), ("bevoelkerung_alter", "a00_04", "insgesamt")),
    ("bevoelkerung", ("bevoelkerung_bezirk", "bezirk_01", "emr"), ("bevoelkerung_bezirk", "bezirk_01", "insgesamt")),
    ("arbeitsmarkt", ("arbeitsmarkt", "arbeitslose", "auslaender"), ("arbeitsmarkt", "arbeitslose", "insgesamt")),
    ("einbuergerung", ("auslaender_8_jahre", "", ""), ("auslaender_gesamt", "", "")),
    ("kriminalitaet", ("tatverdaechtige_nichtdeutsch", "", ""), ("tatverdaechtige_gesamt", "", "")),
    ("kriminalitaet", ("tatverdaechtige_nd_auslaenderrecht", "", ""), ("tatverdaechtige_nichtdeutsch", "", "")),
    ("wahlen", ("wahl_bezirk", "bezirk_01", "kw_waehler"), ("wahl_bezirk", "bezirk_01", "kw_wahlberechtigte")),
    ("wahlen", ("wahl_stadt", "europawahl", "waehler"), ("wahl_stadt", "europawahl", "wahlberechtigte")),
    ("verwaltung", ("personal_mh", "", ""), ("befragung_teilnehmende", "", "")),
    ("integrationskurse", ("integrationskurse", "jugend", "b1"), ("integrationskurse", "jugend", "absolventen")),
])
def test_a_part_larger_than_its_whole_is_an_error(form_id, part, whole):
    form = latest_form(form_id)
    rules = [r for r in form.rules if r.kind == "le" and (r.whole.code, r.whole.row, r.whole.column) == whole
             and any((p.code, p.row, p.column) == part for p in r.parts)]
    assert [r.severity for r in rules] == [Severity.ERROR]
    found = errors(validate(form, {part: n(12), whole: n(10)}))
    assert [(r.field, r.row, r.column) for r in found if r.code == "part_le_whole"] == [part]


def test_complete_population_figures_pass():
    assert validate(BEVOELKERUNG, population()) == []


def test_more_auslaender_than_inhabitants_is_an_error_naming_both_values():
    results = validate(BEVOELKERUNG, population() | {("bevoelkerung_alter", "a20_24", "auslaender"): n(2150)})
    found = [r for r in errors(results) if r.code == "part_le_whole"]
    assert len(found) == 1
    assert found[0].message == (
        "Einwohner/innen nach Altersgruppe – 20 bis unter 25 Jahre – Ausländer/innen (2.150) ist größer als "
        "Einwohner/innen nach Altersgruppe – 20 bis unter 25 Jahre – insgesamt (2.000)."
    )


def test_more_auslaender_than_emr_migrants_is_only_a_warning_that_explains_why():
    values = population() | {("bevoelkerung_alter", "a30_34", "auslaender"): n(620)}
    results = validate(BEVOELKERUNG, values)
    assert errors(results) == []
    [warning] = results
    assert warning.severity is Severity.WARNING
    assert (warning.field, warning.row, warning.column) == ("bevoelkerung_alter", "a30_34", "auslaender")
    assert "(620)" in warning.message and "(500)" in warning.message
    assert "EMR-Verfahren" in warning.message


def test_bezirk_rows_that_the_town_does_not_use_stay_empty():
    values = population()
    for i, row in enumerate(BEZIRK_ROWS[:10]):  # a town with ten Bezirke, 3,600 inhabitants each
        values |= {("bevoelkerung_bezirk", row, "insgesamt"): n(3600),
                   ("bevoelkerung_bezirk", row, "auslaender"): n(270),
                   ("bevoelkerung_bezirk", row, "emr"): n(900),
                   ("kinder_bezirk", row, "a3_6_mit"): n(40 + i), ("kinder_bezirk", row, "a3_6_ohne"): n(60)}
    assert validate(BEVOELKERUNG, values) == []


def test_the_bezirke_cannot_hold_more_people_than_the_town():
    values = population() | {("bevoelkerung_bezirk", "bezirk_01", "insgesamt"): n(30_000),
                             ("bevoelkerung_bezirk", "bezirk_02", "insgesamt"): n(7_000)}
    found = [r for r in errors(validate(BEVOELKERUNG, values)) if r.code == "breakdown_sum"]
    assert len(found) == 1
    assert "37.000" in found[0].message and "36.000" in found[0].message


@pytest.mark.parametrize("form_id", ["bevoelkerung", "wahlen", "religion"])
def test_bezirk_grids_have_twelve_numbered_rows(form_id):
    form = latest_form(form_id)
    grids = [f for f in form.fields() if f.type is FieldType.GRID and f.rows[0].code == "bezirk_01"]
    assert grids
    for grid in grids:
        assert [r.code for r in grid.rows] == BEZIRK_ROWS
        assert [r.label for r in grid.rows] == [f"Bezirk {i}" for i in range(1, 13)]
        assert not grid.required


def test_the_kita_comparison_needs_3_to_6_and_6_to_10_year_olds_with_and_without_migration_background():
    columns = [c.code for c in BEVOELKERUNG.field("kinder_bezirk").columns]
    assert columns == ["a3_6_mit", "a3_6_ohne", "a6_10_mit", "a6_10_ohne"]


def test_nationality_groups_add_up_to_all_auslaender():
    form = latest_form("auslaender_staatsangehoerigkeit")
    rows = [r.code for r in form.field("staatsangehoerigkeit").rows]
    assert len(rows) == 8
    values = {("quelle", "", ""): Value(text="Melderegister"), ("auslaender_gesamt", "", ""): n(3000)}
    values |= {("staatsangehoerigkeit", row, "anzahl"): n(375) for row in rows}
    assert validate(form, values) == []
    values[("staatsangehoerigkeit", "tuerkei", "anzahl")] = n(400)
    [result] = validate(form, values)
    assert result.code == "breakdown_sum" and "3.025" in result.message and "3.000" in result.message


def test_labour_market_figures_are_absolute_numbers_and_say_why():
    form = latest_form("arbeitsmarkt")
    assert "Jahresdurchschnitt" in form.reference_date
    assert "keine Arbeitslosenquoten für Ausländer/innen" in form.section_of("arbeitsmarkt").help


def test_immigration_offences_are_recorded_to_be_left_out():
    form = latest_form("kriminalitaet")
    assert "Kalenderjahr" in form.reference_date
    assert "ausländerrechtliche" in form.description
    assert {c.code for c in form.field("gebiet").choices} == {"stadt", "kreis"}


def test_postal_votes_are_explained_and_checked_against_the_town_total():
    form = latest_form("wahlen")
    assert "Briefwahl" in form.field("wahl_bezirk").help
    values = {("quelle", "", ""): Value(text="Wahlamt"), ("wahltage", "", ""): Value(text="Kommunalwahl 14.09.2025"),
              ("wahl_stadt", "kommunalwahl", "wahlberechtigte"): n(1000),
              ("wahl_stadt", "kommunalwahl", "waehler"): n(600),
              ("wahl_stadt", "kommunalwahl", "briefwaehler"): n(200)}
    for row, (eligible, voters) in zip(BEZIRK_ROWS, ((500, 220), (300, 100), (200, 80)), strict=False):
        values |= {("wahl_bezirk", row, "kw_wahlberechtigte"): n(eligible),
                   ("wahl_bezirk", row, "kw_waehler"): n(voters)}
    for row in BEZIRK_ROWS[3:]:  # three Bezirke: the other rows are filled with 0 so that the sums are complete
        values |= {("wahl_bezirk", row, "kw_wahlberechtigte"): n(0), ("wahl_bezirk", row, "kw_waehler"): n(0)}
    assert validate(form, values) == []
    values[("wahl_stadt", "kommunalwahl", "briefwaehler")] = n(150)
    [warning] = validate(form, values)
    assert warning.severity is Severity.WARNING and "Briefwähler/innen" in warning.message


def test_a_year_without_an_election_needs_only_the_source_and_a_note():
    form = latest_form("wahlen")
    values = {("quelle", "", ""): Value(text="Wahlamt"), ("wahltage", "", ""): Value(text="keine Wahl")}
    assert validate(form, values) == []
    assert [r.field for r in validate(form, {})] == ["quelle", "wahltage"]


def test_religion_knows_only_three_groups():
    form = latest_form("religion")
    assert [c.code for c in form.field("religion_stadt").columns] == ["evangelisch", "katholisch", "sonstige_keine"]
    assert "Einwohnermelderegister" in form.description


def test_naturalisations_beyond_the_eight_year_residents_are_a_warning():
    form = latest_form("einbuergerung")
    values = {("quelle", "", ""): Value(text="Kreis"), ("einbuergerungen", "", ""): n(90),
              ("auslaender_8_jahre", "", ""): n(80)}
    [warning] = validate(form, values)
    assert warning.severity is Severity.WARNING and warning.field == "einbuergerungen"
