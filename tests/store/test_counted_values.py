"""Which values a report counts: approved ones, or on request received ones too, marked as not yet approved."""

import pandas as pd

from forms.catalog import form_for
from forms.model import ValueState
from forms.values import Value
from store.counted_values import counted_values
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_correction, create_draft, set_state, set_values

KIDS = ("kinder", "ue3", "insgesamt")


def submit(db, unit_id, year, number, state, revision_of=None):
    form = form_for("kita", year)
    submission = create_draft(db, unit_id, form, year) if revision_of is None else create_correction(db, revision_of.id)
    set_values(db, submission.id, {KIDS: Value(number=number)})
    return set_state(db, submission.id, state)


def town(db):
    save_org_units(db, [
        OrgUnit(id="stadt", kind="stadt", name="Musterstadt"),
        OrgUnit(id="bz1", kind="bezirk", name="Nord", parent_id="stadt"),
        OrgUnit(id="ubz11", kind="unterbezirk", name="Nord-West", parent_id="bz1"),
        OrgUnit(id="kita-a", kind="kita", name="Kita A", parent_id="ubz11"),
        OrgUnit(id="kita-b", kind="kita", name="Kita B", parent_id="bz1"),
        OrgUnit(id="kita-c", kind="kita", name="Kita C"),
    ])


def test_only_approved_values_count_and_a_pending_correction_does_not_push_them_out(db):
    town(db)
    approved = submit(db, "kita-a", 2024, 40, State.APPROVED)
    submit(db, "kita-a", 2024, 44, State.RECEIVED, revision_of=approved)  # a correction, not yet checked
    submit(db, "kita-b", 2024, 30, State.QUERIED)
    submit(db, "kita-c", 2024, 20, State.REJECTED)
    frame = counted_values(db)
    kids = frame[frame["field"] == "kinder"]
    assert kids[["org_unit_id", "number", "approved"]].values.tolist() == [["kita-a", 40, True]]
    row = kids.iloc[0]
    assert (row["bezirk_id"], row["bezirk"], row["unterbezirk_id"], row["year"]) == ("bz1", "Nord", "ubz11", 2024)


def test_received_values_are_included_on_request_and_marked(db):
    town(db)
    approved = submit(db, "kita-a", 2024, 40, State.APPROVED)
    submit(db, "kita-a", 2024, 44, State.RECEIVED, revision_of=approved)
    submit(db, "kita-b", 2024, 30, State.QUERIED)
    submit(db, "kita-c", 2024, 20, State.REJECTED)  # a rejected submission never counts
    kids = counted_values(db, include_received=True)
    kids = kids[kids["field"] == "kinder"].sort_values("org_unit_id")
    assert kids[["org_unit_id", "number", "approved", "bezirk_id"]].values.tolist() == [
        ["kita-a", 44, False, "bz1"], ["kita-b", 30, False, "bz1"]]


def test_a_value_suppressed_at_its_source_stays_distinct_from_zero(db):
    town(db)
    submission = create_draft(db, "kita-a", form_for("kita", 2023), 2023)
    set_values(db, submission.id, {KIDS: Value(state=ValueState.SECRET),
                                   ("kinder", "u3", "insgesamt"): Value(number=0)})
    set_state(db, submission.id, State.APPROVED)
    frame = counted_values(db).set_index(["row"])
    assert frame.loc["ue3", "value_state"] == "geheim" and pd.isna(frame.loc["ue3", "number"])
    assert frame.loc["u3", "number"] == 0 and pd.isna(frame.loc["u3", "value_state"])
