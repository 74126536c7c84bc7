from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from forms.catalog import form_for
from forms.values import Value
from store.errors import ReadOnlyError, StoreError
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, audit_trail, create_draft, load_values, set_state, set_values
from store.visits import (
    Category,
    age_groups,
    apply_to_form,
    counts,
    describe,
    last_visit,
    record_visit,
    today,
    undo_last,
)

BERLIN = ZoneInfo("Europe/Berlin")
UNIT = OrgUnit(id="jt-1", kind="jugendtreff", name="Jugendtreff Süd")
GIRL_10_MH = {"mh": True, "gender": "weiblich", "age_group": "a10_13"}
BOY_14 = {"mh": False, "gender": "maennlich", "age_group": "a14_17"}


def local(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def unit(db):
    save_org_units(db, [UNIT])
    return UNIT.id


@pytest.fixture
def draft(db, unit):
    return create_draft(db, unit, form_for("jugendtreff", 2024), 2024, who="Herr Kaya")


def test_age_groups_are_the_rows_of_the_regular_visitors_grid():
    rows = form_for("jugendtreff", 2024).field("stammbesucher").rows
    assert age_groups(2024) == tuple(r.code for r in rows) == ("a06_09", "a10_13", "a14_17", "a18_26")
    assert describe(Category(True, "weiblich", "a10_13"), 2024) == "weiblich, 10–13 Jahre, mit MH"
    assert describe(Category(False, "maennlich", "a14_17"), 2024) == "männlich, 14–17 Jahre, ohne MH"


def test_visits_are_counted_by_category_month_and_mh(db, unit):
    for _ in range(3):
        record_visit(db, unit, **GIRL_10_MH, at=local(2024, 5, 6, 15, 0))
    record_visit(db, unit, **BOY_14, at=local(2024, 5, 6, 16, 0))
    result = counts(db, unit, 2024, tz=BERLIN)
    assert result["months"][5] == {"insgesamt": 4, "mh": 3}
    assert result["insgesamt"] == 4 and result["mh"] == 3
    assert result["categories"][Category(True, "weiblich", "a10_13")] == 3
    assert result["categories"][Category(False, "maennlich", "a14_17")] == 1
    assert result["categories"][Category(False, "weiblich", "a10_13")] == 0
    assert len(result["categories"]) == 24
    assert all(result["months"][m] == {"insgesamt": 0, "mh": 0} for m in range(1, 13) if m != 5)


def test_a_visit_is_stored_in_utc_but_belongs_to_the_local_day(db, unit):
    record_visit(db, unit, **GIRL_10_MH, at=local(2024, 1, 31, 23, 30))  # 22:30 UTC
    record_visit(db, unit, **BOY_14, at=local(2024, 2, 1, 0, 30))  # still 31 January in UTC
    stored = [r[0] for r in db.execute("SELECT at FROM visits ORDER BY id")]
    assert stored == ["2024-01-31T22:30:00.000+00:00", "2024-01-31T23:30:00.000+00:00"]
    months = counts(db, unit, 2024, tz=BERLIN)["months"]
    assert months[1] == {"insgesamt": 1, "mh": 1}
    assert months[2] == {"insgesamt": 1, "mh": 0}
    assert today(db, unit, when=local(2024, 1, 31, 12, 0), tz=BERLIN)["insgesamt"] == 1
    assert today(db, unit, when=local(2024, 2, 1, 12, 0), tz=BERLIN)["insgesamt"] == 1


def test_new_years_eve_and_new_years_morning_fall_into_their_own_years(db, unit):
    record_visit(db, unit, **GIRL_10_MH, at=local(2024, 12, 31, 23, 59))
    record_visit(db, unit, **BOY_14, at=local(2025, 1, 1, 0, 1))  # 2024 in UTC
    assert counts(db, unit, 2024, tz=BERLIN)["months"][12]["insgesamt"] == 1
    assert counts(db, unit, 2024, tz=BERLIN)["insgesamt"] == 1
    assert counts(db, unit, 2025, tz=BERLIN)["months"][1] == {"insgesamt": 1, "mh": 0}


def test_summer_time_shifts_the_month_boundary(db, unit):
    record_visit(db, unit, **BOY_14, at=datetime(2024, 7, 31, 22, 30, tzinfo=UTC))  # 00:30 on 1 August in Berlin
    assert counts(db, unit, 2024, tz=BERLIN)["months"][8]["insgesamt"] == 1
    assert counts(db, unit, 2024, tz=UTC)["months"][7]["insgesamt"] == 1


def test_undo_takes_back_exactly_the_last_click_and_keeps_the_row(db, unit):
    first = record_visit(db, unit, **GIRL_10_MH, at=local(2024, 5, 6, 15, 0))
    last = record_visit(db, unit, **BOY_14, at=local(2024, 5, 6, 15, 1))
    undone = undo_last(db, unit)
    assert undone.id == last and undone.category == Category(**BOY_14)
    assert undone.undone_at is not None
    assert undone.describe() == "männlich, 14–17 Jahre, ohne MH"
    rows = db.execute("SELECT id, undone_at FROM visits ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [first, last]
    assert rows[0][1] is None and rows[1][1] is not None
    assert counts(db, unit, 2024, tz=BERLIN)["months"][5] == {"insgesamt": 1, "mh": 1}
    assert last_visit(db, unit).id == first


def test_undo_with_nothing_left_returns_none(db, unit):
    record_visit(db, unit, **BOY_14, at=local(2024, 5, 6, 15, 0))
    assert undo_last(db, unit) is not None
    assert undo_last(db, unit) is None
    assert counts(db, unit, 2024, tz=BERLIN)["insgesamt"] == 0
    assert db.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 1


@pytest.mark.parametrize("category, word", [
    ({"mh": True, "gender": "w", "age_group": "a10_13"}, "Geschlecht"),
    ({"mh": True, "gender": "weiblich", "age_group": "a27_99"}, "Altersgruppe"),
    ({"mh": 1, "gender": "weiblich", "age_group": "a10_13"}, "Migrationshintergrund"),
])
def test_an_unknown_category_is_refused_in_german(db, unit, category, word):
    with pytest.raises(StoreError, match=word):
        record_visit(db, unit, **category, at=local(2024, 5, 6, 15, 0))
    assert db.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 0


def test_visits_are_only_counted_for_a_known_youth_centre(db, unit):
    save_org_units(db, [OrgUnit(id="kita-1", kind="kita", name="Kita Sonnenschein")])
    with pytest.raises(StoreError, match="nur für Jugendtreffs"):
        record_visit(db, "kita-1", **BOY_14)
    with pytest.raises(StoreError, match="nicht bekannt"):
        record_visit(db, "jt-unbekannt", **BOY_14)


def test_apply_fills_the_months_so_far_and_leaves_the_future_empty(db, unit, draft):
    for _ in range(3):
        record_visit(db, unit, **GIRL_10_MH, at=local(2024, 1, 31, 23, 30))
    record_visit(db, unit, **BOY_14, at=local(2024, 3, 2, 10, 0))
    record_visit(db, unit, **BOY_14, at=local(2024, 3, 2, 10, 5))
    undo_last(db, unit)
    written = apply_to_form(db, draft.id, unit, 2024, who="Herr Kaya", when=local(2024, 4, 15, 12, 0), tz=BERLIN)
    assert sorted(written) == [1, 2, 3, 4]
    values = load_values(db, draft.id)
    grid = {(row, col): v.number for (code, row, col), v in values.items() if code == "besuche_monat"}
    assert grid == {
        ("m01", "insgesamt"): 3, ("m01", "mh"): 3,
        ("m02", "insgesamt"): 0, ("m02", "mh"): 0,
        ("m03", "insgesamt"): 1, ("m03", "mh"): 0,
        ("m04", "insgesamt"): 0, ("m04", "mh"): 0,
    }
    for month in range(1, 5):
        assert grid[(f"m{month:02d}", "mh")] <= grid[(f"m{month:02d}", "insgesamt")]
    trail = audit_trail(db, draft.id)
    assert {t["why"] for t in trail} == {"aus der Besucherliste übernommen"} and trail[0]["who"] == "Herr Kaya"


def test_apply_for_a_past_year_fills_all_twelve_months(db, unit, draft):
    record_visit(db, unit, **GIRL_10_MH, at=local(2024, 12, 31, 23, 30))
    apply_to_form(db, draft.id, unit, 2024, when=local(2025, 2, 1, 9, 0), tz=BERLIN)
    values = load_values(db, draft.id)
    assert values[("besuche_monat", "m12", "insgesamt")].number == 1
    assert values[("besuche_monat", "m12", "mh")].number == 1
    assert all(values[("besuche_monat", f"m{m:02d}", "insgesamt")].number == 0 for m in range(1, 12))


def test_apply_again_replaces_the_numbers_but_keeps_a_comment(db, unit, draft):
    address = ("besuche_monat", "m01", "insgesamt")
    set_values(db, draft.id, {address: Value(number=99, comment="im Januar geschlossen ab dem 20.")})
    record_visit(db, unit, **BOY_14, at=local(2024, 1, 5, 17, 0))
    apply_to_form(db, draft.id, unit, 2024, when=local(2024, 1, 6, 9, 0), tz=BERLIN)
    value = load_values(db, draft.id)[address]
    assert value.number == 1 and value.comment == "im Januar geschlossen ab dem 20."


def test_apply_into_a_finalised_form_changes_nothing(db, unit, draft):
    record_visit(db, unit, **BOY_14, at=local(2024, 3, 2, 10, 0))
    set_state(db, draft.id, State.FINALISED)
    before = load_values(db, draft.id)
    with pytest.raises(ReadOnlyError, match="kann nicht mehr geändert werden"):
        apply_to_form(db, draft.id, unit, 2024, when=local(2024, 4, 1, 9, 0), tz=BERLIN)
    assert load_values(db, draft.id) == before
    assert audit_trail(db, draft.id) == []


def test_apply_refuses_a_submission_of_another_year(db, unit, draft):
    with pytest.raises(StoreError, match="nicht das Jugendtreff-Formular 2025"):
        apply_to_form(db, draft.id, unit, 2025, when=local(2025, 4, 1, 9, 0), tz=BERLIN)
