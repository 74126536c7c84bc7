import pytest

from forms.catalog import form_for
from forms.model import Severity, ValueState
from forms.validation import finalise_blockers, validate
from forms.values import Value

SCHULE = form_for("schule", 2024)
KITA = form_for("kita", 2024)
GRUNDSCHULE = {"schulform": "Grundschule"}
GYMNASIUM = {"schulform": "Gymnasium"}


def n(x):
    return Value(number=x)


def pupils(total=298, zwg=120, criteria=(60, 90, 70), auslaender=40, aussiedler=3):
    values = {("schueler_gesamt", "", ""): n(total), ("zwg_gesamt", "", ""): n(zwg),
              ("auslaender", "", ""): n(auslaender), ("aussiedler", "", ""): n(aussiedler)}
    for code, value in zip(("zwg_selbst_zugewandert", "zwg_eltern_zugewandert", "zwg_sprache"), criteria,
                           strict=True):
        values[(code, "", "")] = n(value)
    return values


def by_code(results, code):
    return [r for r in results if r.code == code]


def test_zwg_greater_than_pupils_is_an_error_naming_both_values():
    results = validate(SCHULE, pupils(total=298, zwg=312), GRUNDSCHULE)
    errors = [r for r in by_code(results, "part_le_whole") if r.field == "zwg_gesamt"]
    assert len(errors) == 1
    assert errors[0].severity is Severity.ERROR
    assert errors[0].message == (
        "Schüler/innen mit Zuwanderungsgeschichte (312) ist größer als Schüler/innen insgesamt (298)."
    )


def test_overlapping_zwg_criteria_are_never_summed():
    # 60 + 90 + 70 = 220 > 120: allowed, one pupil may meet all three criteria.
    results = validate(SCHULE, pupils(zwg=120, criteria=(60, 90, 70)), GRUNDSCHULE)
    assert by_code(results, "part_le_whole") == []
    assert by_code(results, "breakdown_sum") == []


def test_each_zwg_criterion_is_bounded_by_the_zwg_total():
    results = validate(SCHULE, pupils(zwg=120, criteria=(60, 130, 70)), GRUNDSCHULE)
    errors = by_code(results, "part_le_whole")
    assert [e.field for e in errors] == ["zwg_eltern_zugewandert"]
    assert "(130)" in errors[0].message and "(120)" in errors[0].message


def test_grades_must_add_up_to_the_pupils():
    values = pupils(total=298)
    for row, count in zip(("k1", "k2", "k3", "k4"), (70, 75, 80, 70), strict=True):
        values[("schueler_klasse_primar", row, "anzahl")] = n(count)
    results = by_code(validate(SCHULE, values, GRUNDSCHULE), "breakdown_sum")
    assert len(results) == 1
    assert "(295)" in results[0].message and "Schüler/innen insgesamt (298)" in results[0].message


def test_partly_filled_grades_already_above_the_total_are_an_error():
    values = pupils(total=100)
    values[("schueler_klasse_primar", "k1", "anzahl")] = n(60)
    values[("schueler_klasse_primar", "k2", "anzahl")] = n(50)
    results = by_code(validate(SCHULE, values, GRUNDSCHULE), "breakdown_sum")
    assert len(results) == 1 and "schon größer" in results[0].message


def test_partly_filled_grades_below_the_total_are_not_yet_an_error():
    values = pupils(total=100)
    values[("schueler_klasse_primar", "k1", "anzahl")] = n(30)
    assert by_code(validate(SCHULE, values, GRUNDSCHULE), "breakdown_sum") == []


def test_sections_of_other_school_types_are_ignored():
    values = pupils()
    values[("schueler_jahrgang_sek", "j05", "anzahl")] = n(999)  # stray value in a hidden table
    results = validate(SCHULE, values, GRUNDSCHULE)
    assert not [r for r in results if r.field == "schueler_jahrgang_sek"]
    assert {r.field for r in by_code(results, "required")} == {
        "schueler_klasse_primar", "abgaenger_klasse4", "empfehlung", "uebergang_schulform"}
    gym = validate(SCHULE, pupils(), GYMNASIUM)
    assert {r.field for r in by_code(gym, "required")} == {"schueler_jahrgang_sek", "abgaenger_abschluss"}


def test_primus_school_adds_both_grade_tables_to_its_total():
    values = pupils(total=300, zwg=0, criteria=(0, 0, 0), auslaender=0)
    for row in ("k1", "k2", "k3", "k4"):
        values[("schueler_klasse_primar", row, "anzahl")] = n(25)
    for row in ("j05", "j06", "j07", "j08", "j09", "j10", "j11", "j12", "j13"):
        values[("schueler_jahrgang_sek", row, "anzahl")] = n(0)
    for row in ("j05", "j06", "j07", "j08"):
        values[("schueler_jahrgang_sek", row, "anzahl")] = n(50)
    results = by_code(validate(SCHULE, values, {"schulform": "PRIMUS-Schule"}), "breakdown_sum")
    assert [r for r in results if r.field == "schueler_gesamt"] == []


def test_transitions_must_add_up_per_column():
    values = {("abgaenger_klasse4", "anzahl", "alle"): n(60), ("abgaenger_klasse4", "anzahl", "zwg"): n(20),
              ("abgaenger_klasse4", "anzahl", "auslaender"): n(8)}
    for row in ("hauptschule", "realschule", "sekundarschule", "gesamtschule", "primus", "gymnasium",
                "foerderschule", "sonstige"):
        for col in ("alle", "zwg", "auslaender"):
            values[("uebergang_schulform", row, col)] = n(0)
    values[("uebergang_schulform", "gymnasium", "alle")] = n(60)
    values[("uebergang_schulform", "gymnasium", "zwg")] = n(20)
    values[("uebergang_schulform", "realschule", "auslaender")] = n(9)
    results = by_code(validate(SCHULE, values, GRUNDSCHULE), "breakdown_sum")
    assert len(results) == 1
    assert results[0].row == "anzahl" and results[0].column == "auslaender"
    assert "(9)" in results[0].message and "(8)" in results[0].message


def test_kita_columns_are_independent_parts_of_the_children():
    values = {("kinder", "ue3", "insgesamt"): n(50), ("kinder", "ue3", "eltern_ausl"): n(30),
              ("kinder", "ue3", "sprache"): n(25), ("kinder", "ue3", "auslaender"): n(51)}
    errors = by_code(validate(KITA, values), "part_le_whole")
    # 30 + 25 > 50 is fine: the two features overlap. Only the 51 foreign children exceed the 50 children.
    assert [(e.field, e.row, e.column) for e in errors] == [("kinder", "ue3", "auslaender")]


def test_required_fields_accept_unknown_but_not_empty():
    values = pupils()
    values[("auslaender", "", "")] = Value(state=ValueState.UNKNOWN)
    required = {r.field for r in by_code(validate(SCHULE, values, GYMNASIUM), "required")}
    assert "auslaender" not in required
    del values[("auslaender", "", "")]
    required = by_code(validate(SCHULE, values, GYMNASIUM), "required")
    assert "Schüler/innen ohne deutsche Staatsangehörigkeit (Ausländer/innen) ist ein Pflichtfeld" in \
        next(r.message for r in required if r.field == "auslaender")


def test_unknown_values_do_not_trigger_comparisons():
    values = pupils(zwg=312)
    values[("schueler_gesamt", "", "")] = Value(state=ValueState.UNKNOWN)
    assert by_code(validate(SCHULE, values, GRUNDSCHULE), "part_le_whole") == []


@pytest.mark.parametrize(("number", "code"), [(-5, "range"), (1_000_001, "range")])
def test_imported_values_out_of_range_are_errors(number, code):
    values = pupils()
    values[("schueler_gesamt", "", "")] = Value(number=number)
    result = by_code(validate(SCHULE, values, GRUNDSCHULE), code)
    assert result and result[0].field == "schueler_gesamt"
    assert "liegt nicht zwischen 0 und 1.000.000" in result[0].message


def test_text_in_a_count_field_is_an_error():
    values = pupils()
    values[("schueler_gesamt", "", "")] = Value(text="zweihundert")
    assert by_code(validate(SCHULE, values, GRUNDSCHULE), "type")[0].message == (
        "Schüler/innen insgesamt: „zweihundert“ ist keine Zahl.")


@pytest.mark.parametrize(
    ("before", "now", "warned"),
    [
        (298, 412, True),   # +38 % and +114
        (298, 380, False),  # +27.5 %: under 30 %
        (20, 29, False),    # +45 % but only +9
        (20, 31, True),     # +55 % and +11
        (0, 11, True),      # from nothing
        (0, 10, False),
        (400, 270, True),   # a fall counts as well
    ],
)
def test_plausibility_against_last_year(before, now, warned):
    previous = pupils(total=before, zwg=0, criteria=(0, 0, 0), auslaender=0, aussiedler=0)
    values = pupils(total=now, zwg=0, criteria=(0, 0, 0), auslaender=0, aussiedler=0)
    warnings = [r for r in by_code(validate(SCHULE, values, GRUNDSCHULE, previous), "plausibility")
                if r.field == "schueler_gesamt"]
    assert bool(warnings) == warned
    if warned:
        assert warnings[0].severity is Severity.WARNING
        assert f"({before:,}".replace(",", ".") in warnings[0].message or "im Vorjahr 0" in warnings[0].message


def test_plausibility_message_shows_last_years_value_and_change():
    previous, values = pupils(total=298), pupils(total=412)
    warning = next(r for r in validate(SCHULE, values, GRUNDSCHULE, previous)
                   if r.code == "plausibility" and r.field == "schueler_gesamt")
    assert warning.message == ("Schüler/innen insgesamt: 412 weicht stark vom Vorjahr ab (298, +38 %). "
                               "Bitte prüfen und die Änderung kurz begründen.")


def test_warning_blocks_finalising_until_it_has_a_comment():
    previous, values = pupils(total=298), pupils(total=412)
    results = [r for r in validate(SCHULE, values, GRUNDSCHULE, previous) if r.code == "plausibility"]
    assert finalise_blockers(results, values) == results
    values[("schueler_gesamt", "", "")] = values[("schueler_gesamt", "", "")].with_comment("neue Eingangsklasse")
    assert finalise_blockers(results, values) == []


def test_errors_block_finalising_even_with_a_comment():
    values = pupils(total=298, zwg=312)
    values[("zwg_gesamt", "", "")] = values[("zwg_gesamt", "", "")].with_comment("stimmt so")
    errors = [r for r in validate(SCHULE, values, GRUNDSCHULE) if r.code == "part_le_whole"]
    assert finalise_blockers(errors, values) == errors


@pytest.mark.parametrize(
    ("schulform", "sections"),
    [
        ("Förderschule Grund-/Hauptschule", {"schueler", "jahrgang_primar", "jahrgang_sek", "uebergang",
                                             "abschluesse", "freiwillig"}),
        ("Förderschule Berufskolleg", {"schueler", "abschluesse", "freiwillig"}),
        ("Gymnasium", {"schueler", "jahrgang_sek", "abschluesse", "freiwillig"}),
    ],
)
def test_sections_follow_the_school_types_of_the_nrw_directory(schulform, sections):
    assert {s.code for s in SCHULE.sections if s.applies_to({"schulform": schulform})} == sections
