"""The holder's workflow against a model of what it should hold, and import order independence for two
institutions with three revisions each."""

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from forms.catalog import form_for
from forms.values import Value
from store.database import open_database
from store.errors import ReadOnlyError
from store.orgunits import OrgUnit, save_org_units
from store.submissions import (
    State,
    create_correction,
    create_draft,
    current_submission,
    load_values,
    revisions,
    set_values,
)
from store.workflow import FinaliseBlocked, finalise
from sync.export import export_submission
from sync.importer import import_from
from sync.submission_file import read_submission_file
from tests.sync.exchange_helpers import KITA, ListSource, Memo, holder_db, kita_values, officer_db

YEAR = 2024
REACHED: set = set()  # the states the machine got to, for the check that it tests more than drafts (cleared there)
FIELDS = [("personal_gesamt", "", ""), ("kinder", "u3", "insgesamt"), ("kinder", "ue3", "insgesamt"),
          ("kinder", "u3", "sprache")]


class HolderWorkflow(RuleBasedStateMachine):
    """Model: the values of the current revision, its state, and a frozen copy of every earlier revision."""

    @initialize()
    def start(self):
        self.folder = Path(tempfile.mkdtemp(prefix="workflow-"))
        self.db = open_database(self.folder / "kita.sqlite")
        save_org_units(self.db, [KITA])
        self.submission = create_draft(self.db, KITA.id, form_for("kita", YEAR), YEAR)
        self.model: dict = {}
        self.state = State.DRAFT
        self.history: list[tuple[int, dict]] = []

    def teardown(self):
        if hasattr(self, "db"):
            self.db.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    @rule(address=st.sampled_from(FIELDS), number=st.integers(0, 60) | st.none())
    def edit(self, address, number):
        value = Value(number=number) if number is not None else Value()
        if self.state is State.DRAFT:
            set_values(self.db, self.submission.id, {address: value})
            if number is None:
                self.model.pop(address, None)
            else:
                self.model[address] = value
        else:
            with pytest.raises(ReadOnlyError):
                set_values(self.db, self.submission.id, {address: value})

    @rule(children=st.integers(8, 60))
    def fill(self, children):
        """A complete, valid form, so that finalising can succeed and the later states are reached."""
        if self.state is not State.DRAFT:
            return
        values = kita_values(children)
        set_values(self.db, self.submission.id, values)
        self.model.update(values)

    @rule()
    def finalise(self):
        try:
            finalise(self.db, self.submission.id)
        except FinaliseBlocked:
            assert self.state is State.DRAFT  # blocked: nothing changed
            return
        if self.state is State.DRAFT:
            self.state = State.FINALISED
        REACHED.add(self.state)

    @precondition(lambda self: self.state is not State.DRAFT)
    @rule()
    def correct(self):
        self.history.append((self.submission.id, dict(self.model)))
        self.submission = create_correction(self.db, self.submission.id)
        self.state = State.DRAFT

    @precondition(lambda self: self.state is not State.DRAFT)
    @rule()
    def export(self):
        path = self.folder / f"meldung-{self.submission.revision}.imon"
        path.unlink(missing_ok=True)
        written = export_submission(self.db, self.submission.id, path)
        self.state = State.EXPORTED
        REACHED.add(self.state)
        read = read_submission_file(path)
        assert read.values == self.model == written.values
        assert read.revision == self.submission.revision

    @invariant()
    def current_holds_the_model(self):
        if not hasattr(self, "db"):
            return
        current = current_submission(self.db, KITA.id, "kita", YEAR)
        assert current.id == self.submission.id and current.state is self.state
        assert load_values(self.db, current.id) == self.model

    @invariant()
    def history_is_kept_unchanged(self):
        if not hasattr(self, "db"):
            return
        assert [s.revision for s in revisions(self.db, KITA.id, "kita", YEAR)] == list(range(1, len(self.history) + 2))
        for submission_id, values in self.history:
            assert load_values(self.db, submission_id) == values

    def check_invariants_by_hand(self):
        self.current_holds_the_model()
        self.history_is_kept_unchanged()


MACHINE_SETTINGS = settings(max_examples=25, stateful_step_count=15, deadline=None)
HolderWorkflow.TestCase.settings = MACHINE_SETTINGS
test_holder_workflow = HolderWorkflow.TestCase  # explores new sequences with every seed


def test_the_workflow_machine_reaches_every_state():
    """A machine stuck in drafts would prove little. Checked within this test, so it holds on every seed: the rules
    walked by hand along a path through every state (the invariants after each step), then the machine run by
    Hypothesis with a fixed (derandomised) seed, which must get there by itself."""
    REACHED.clear()
    machine = HolderWorkflow()
    try:
        machine.start()
        walk = [
            (lambda: machine.finalise(), State.DRAFT),  # an empty form is blocked
            (lambda: machine.edit(FIELDS[0], 3), State.DRAFT),
            (lambda: machine.fill(20), State.DRAFT),
            (lambda: machine.finalise(), State.FINALISED),
            (lambda: machine.edit(FIELDS[1], 5), State.FINALISED),  # read-only now
            (lambda: machine.export(), State.EXPORTED),
            (lambda: machine.export(), State.EXPORTED),  # once more: the same file again
            (lambda: machine.correct(), State.DRAFT),
            (lambda: machine.edit(FIELDS[0], 9), State.DRAFT),
            (lambda: machine.finalise(), State.FINALISED),
            (lambda: machine.correct(), State.DRAFT),  # a correction of a finalised, never exported revision
            (lambda: machine.fill(30), State.DRAFT),
            (lambda: machine.finalise(), State.FINALISED),
            (lambda: machine.export(), State.EXPORTED),
        ]
        machine.check_invariants_by_hand()
        for step, state in walk:
            step()
            assert machine.state is state
            machine.check_invariants_by_hand()
        assert len(machine.history) == 2
    finally:
        machine.teardown()
    assert {State.FINALISED, State.EXPORTED} <= REACHED

    REACHED.clear()
    run_state_machine_as_test(HolderWorkflow, settings=settings(MACHINE_SETTINGS, derandomize=True, database=None))
    assert {State.FINALISED, State.EXPORTED} <= REACHED


# --- import order, two institutions -------------------------------------------------------------------------------

KITA_2 = OrgUnit(id="kita-12", kind="kita", name="Kita Pusteblume", traeger="Caritas", city="Musterstadt")


def _export(db, folder: Path, unit: OrgUnit, values: dict, correction_of=None) -> tuple[Path, int]:
    draft = (create_correction(db, correction_of) if correction_of is not None
             else create_draft(db, unit.id, form_for("kita", YEAR), YEAR))
    set_values(db, draft.id, values)
    finalise(db, draft.id)
    path = folder / f"{unit.id}-{draft.revision}.imon"
    export_submission(db, draft.id, path)
    return path, draft.id


@pytest.fixture(scope="module")
def two_kitas(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zwei")
    officer, keys = officer_db(folder)
    save_org_units(officer, [KITA_2])
    files = []
    for unit, base in ((KITA, 40), (KITA_2, 60)):
        holder = holder_db(folder, officer, keys, unit=unit, name=f"{unit.id}.sqlite")
        sid = None
        for revision in (1, 2, 3):
            path, sid = _export(holder, folder, unit, kita_values(base + 4 * revision), correction_of=sid)
            files.append(Memo(path.name, path.read_bytes()))
        holder.close()
    officer.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    officer.close()
    return folder / "rathaus.sqlite", keys, files


def final_state(db):
    values = db.execute(
        """SELECT s.org_unit_id, s.revision, v.field, v.row, v.col, v.number FROM submissions s
           JOIN cell_values v ON v.submission_id = s.id ORDER BY 1, 2, 3, 4, 5""").fetchall()
    current = db.execute("SELECT org_unit_id, MAX(revision) FROM submissions GROUP BY org_unit_id ORDER BY 1"
                         ).fetchall()
    stored = db.execute("SELECT org_unit_id, revision FROM submissions ORDER BY 1, 2").fetchall()
    return values, current, stored


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_two_institutions_any_order_gives_the_same_database(two_kitas, tmp_path_factory, data):
    template, keys, files = two_kitas
    order = data.draw(st.permutations(files))
    path = tmp_path_factory.mktemp("lauf") / "rathaus.sqlite"
    shutil.copy(template, path)
    db = open_database(path)
    try:
        assert import_from(db, keys, ListSource(list(order))).ok
        values, current, stored = final_state(db)
    finally:
        db.close()
    assert current == [(KITA.id, 3), (KITA_2.id, 3)]
    assert stored == [(u, r) for u in (KITA.id, KITA_2.id) for r in (1, 2, 3)]
    reference = _reference(two_kitas, tmp_path_factory)
    assert (values, current, stored) == reference


_REFERENCE: dict = {}


def _reference(two_kitas, tmp_path_factory):
    if "state" not in _REFERENCE:
        template, keys, files = two_kitas
        path = tmp_path_factory.mktemp("referenz") / "rathaus.sqlite"
        shutil.copy(template, path)
        db = open_database(path)
        import_from(db, keys, ListSource(list(files)))
        _REFERENCE["state"] = final_state(db)
        db.close()
    return _REFERENCE["state"]
