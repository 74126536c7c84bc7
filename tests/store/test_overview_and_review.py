import pytest

from forms.catalog import form_for
from forms.values import Value
from store.errors import StoreError
from store.orgunits import OrgUnit, save_org_units
from store.overview import APPROVED, MISSING, QUERIED, RECEIVED, reminder_letter, year_overview
from store.review import STATUS_FIELD, correct_value, history, set_review_state
from store.submissions import State, create_draft, get_submission, load_values, set_state, set_values

KITAS = [
    OrgUnit(id="kita-1", kind="kita", name="Kita Am Park"),
    OrgUnit(id="kita-2", kind="kita", name="Kita Sonnenschein"),
    OrgUnit(id="kita-3", kind="kita", name="Kita Regenbogen"),
    OrgUnit(id="kita-alt", kind="kita", name="Kita Alte Mühle", valid_to=2022),
    OrgUnit(id="kita-neu", kind="kita", name="Kita Neubau", valid_from=2026),
]


@pytest.fixture
def town(db):
    save_org_units(db, KITAS)
    form = form_for("kita", 2024)
    ids = {}
    for unit_id, state in (("kita-1", State.RECEIVED), ("kita-2", State.APPROVED)):
        draft = create_draft(db, unit_id, form, 2024)
        set_values(db, draft.id, {("personal_gesamt", "", ""): Value(number=8)})
        set_state(db, draft.id, state)
        ids[unit_id] = draft.id
    return db, ids


def test_overview_counts_only_institutions_open_that_year(town):
    db, _ids = town
    kita = next(o for o in year_overview(db, 2024) if o.form_id == "kita")
    assert kita.expected == 3  # the closed and the not yet opened Kita are not missing
    assert (kita.count(RECEIVED), kita.count(APPROVED), kita.count(MISSING)) == (1, 1, 1)
    assert kita.submitted == 2 and round(kita.rate(kita.submitted)) == 67
    assert [e.name for e in kita.entries if e.status == MISSING] == ["Kita Regenbogen"]
    assert kita.as_dict()["missing_institutions"] == ["kita-3"]


def test_reminder_letter_names_institution_form_and_period(town):
    db, _ids = town
    kita = next(o for o in year_overview(db, 2024) if o.form_id == "kita")
    missing = next(e for e in kita.entries if e.status == MISSING)
    letter = reminder_letter(missing, kita.title, "2024", deadline="15.04.2025")
    assert "Kita Regenbogen (Kindertageseinrichtung)" in letter
    assert "„Kindertageseinrichtung“ für 2024" in letter and "bis zum 15.04.2025" in letter


def test_asking_back_needs_a_comment_and_is_in_the_audit(town):
    db, ids = town
    with pytest.raises(StoreError, match="was geklärt werden muss"):
        set_review_state(db, ids["kita-1"], State.QUERIED, "  ", "Integrationsbüro")
    set_review_state(db, ids["kita-1"], State.QUERIED, "Personal 8 bei 40 Kindern? Bitte prüfen.", "Frau Yilmaz")
    assert get_submission(db, ids["kita-1"]).state is State.QUERIED
    kita = next(o for o in year_overview(db, 2024) if o.form_id == "kita")
    assert kita.count(QUERIED) == 1
    status = [h for h in history(db, ids["kita-1"]) if h["field"] == STATUS_FIELD][-1]
    assert (status["old"], status["new"], status["who"]) == ("eingegangen", "rueckfrage", "Frau Yilmaz")
    assert status["why"].startswith("Personal 8")


def test_officer_correction_needs_a_reason_and_keeps_old_and_new(town):
    db, ids = town
    address = ("personal_gesamt", "", "")
    with pytest.raises(StoreError, match="Grund"):
        correct_value(db, ids["kita-2"], address, Value(number=9), "Frau Yilmaz", "")
    correct_value(db, ids["kita-2"], address, Value(number=9), "Frau Yilmaz", "telefonisch bestätigt")
    assert load_values(db, ids["kita-2"])[address].number == 9
    last = history(db, ids["kita-2"], address)[-1]
    assert (last["old"], last["new"], last["why"], last["who"]) == ("8", "9", "telefonisch bestätigt", "Frau Yilmaz")
