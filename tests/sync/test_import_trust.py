"""What the officer's import trusts: a workbook only if this office made it, an unsigned file never by the revision
number written into it, and only approved figures as last year's baseline."""

from pathlib import Path

from forms.catalog import form_for
from store.overview import RECEIVED, year_overview
from store.review import set_review_state
from store.submissions import State, Submission, current_submission, load_values, previous_values, revisions
from sync import submission_file
from sync.excel_form import write_excel_form
from sync.importer import CONFLICT, IMPORTED, REJECTED, UPDATED, import_from
from sync.officer import _previous
from tests.sync.exchange_helpers import KITA, ListSource, Memo, export_revision, holder_db, kita_values, officer_db
from tests.sync.test_excel_form import KITA_INPUT, fill

YEAR = 2024


def stored(db) -> tuple[int, int]:
    return (db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM cell_values").fetchone()[0])


def run(db, keys, *files: tuple[str, bytes]):
    return import_from(db, keys, ListSource([Memo(name, data) for name, data in files]))


def filled_workbook(db, tmp_path: Path, name: str, entries: dict = KITA_INPUT) -> bytes:
    blank = write_excel_form(db, KITA.id, form_for("kita", YEAR), YEAR, tmp_path / f"Formulare-{name}")
    return fill(blank, tmp_path / f"{name}.xlsx", entries).read_bytes()


def plain_file(revision: int, children: int) -> bytes:
    return submission_file.encode(Submission(
        org_unit_id=KITA.id, institution_name=KITA.name, form_id="kita", form_version=1, year=YEAR,
        revision=revision, values=kita_values(children), created_at="2024-11-01T10:00:00+00:00"))


# --- Finding 1: a workbook is taken only if this office made it -------------------------------------------------

def test_a_workbook_made_in_another_workspace_is_refused_for_an_institution_with_a_key(tmp_path):
    officer, keys = officer_db(tmp_path / "rathaus")
    holder_db(tmp_path / "rathaus", officer, keys)  # the Kita has its key
    forger, _forger_keys = officer_db(tmp_path / "faelscher")  # anyone can install the program and knows the id
    forged = filled_workbook(forger, tmp_path, "gefaelscht")
    result = run(officer, keys, ("Kita.xlsx", forged)).results[0]
    assert result.outcome == REJECTED
    assert "nicht von diesem Integrationsbüro erstellt" in result.reason, result.reason
    assert stored(officer) == (0, 0)


def test_a_workbook_made_in_another_workspace_is_refused_for_an_institution_without_a_key(tmp_path):
    officer, keys = officer_db(tmp_path / "rathaus")
    forger, _forger_keys = officer_db(tmp_path / "faelscher")
    result = run(officer, keys, ("Kita.xlsx", filled_workbook(forger, tmp_path, "gefaelscht"))).results[0]
    assert result.outcome == REJECTED
    assert "nicht von diesem Integrationsbüro erstellt" in result.reason, result.reason
    assert stored(officer) == (0, 0)


def test_a_workbook_with_its_identification_moved_to_another_institution_is_refused(tmp_path):
    from store.orgunits import OrgUnit, save_org_units
    from sync.excel_form import SHEET_ID

    officer, keys = officer_db(tmp_path)
    save_org_units(officer, [OrgUnit(id="kita-08", kind="kita", name="Kita Pusteblume")])

    def other_kita(book):
        next(r for r in book[SHEET_ID].iter_rows() if r[0].value == "einrichtung")[1].value = "kita-08"

    blank = write_excel_form(officer, KITA.id, form_for("kita", YEAR), YEAR, tmp_path / "Formulare")
    moved = fill(blank, tmp_path / "umgeschrieben.xlsx", KITA_INPUT, change=other_kita).read_bytes()
    result = run(officer, keys, ("Kita.xlsx", moved)).results[0]
    assert result.outcome == REJECTED
    assert "nicht von diesem Integrationsbüro erstellt" in result.reason, result.reason
    assert stored(officer) == (0, 0)


def test_a_workbook_of_the_first_format_without_a_seal_is_refused_with_advice(tmp_path):
    from sync.excel_form import SHEET_ID

    officer, keys = officer_db(tmp_path)

    def first_format(book):
        sheet = book[SHEET_ID]
        for row in sheet.iter_rows():
            if row[0].value == "format_version":
                row[1].value = "1"
            if row[0].value in ("zugang", "siegel"):
                row[0].value = row[1].value = None

    blank = write_excel_form(officer, KITA.id, form_for("kita", YEAR), YEAR, tmp_path / "Formulare")
    old = fill(blank, tmp_path / "alt.xlsx", KITA_INPUT, change=first_format).read_bytes()
    result = run(officer, keys, ("Kita.xlsx", old)).results[0]
    assert result.outcome == REJECTED
    assert "neues Excel-Formular" in result.reason, result.reason
    assert stored(officer) == (0, 0)


def test_the_officers_own_workbook_for_a_keyed_institution_stays_outside_its_signed_revisions(tmp_path):
    """The officer sends a keyed Kita a workbook (its laptop broke): it is taken as a candidate; the Kita's own
    signed revision 1 arriving later is no conflict, imports normally and becomes current."""
    officer, keys = officer_db(tmp_path / "rathaus")
    holder = holder_db(tmp_path / "rathaus", officer, keys)
    workbook = run(officer, keys, ("Kita.xlsx", filled_workbook(officer, tmp_path, "kita"))).results[0]
    assert (workbook.outcome, workbook.source) == (IMPORTED, "excel"), workbook.reason

    signed, _id = export_revision(holder, tmp_path, YEAR, kita_values(40))
    result = run(officer, keys, (signed.name, signed.read_bytes())).results[0]
    assert result.outcome != CONFLICT, result.reason
    assert result.outcome in (IMPORTED, UPDATED), result.reason
    current = current_submission(officer, KITA.id, "kita", YEAR)
    assert (current.revision, current.source) == (1, "app")
    assert load_values(officer, current.id) == kita_values(40)
    assert sorted(s.source for s in revisions(officer, KITA.id, "kita", YEAR)) == ["app", "excel"]


# --- Finding 2: an unsigned file's revision number is not trusted ------------------------------------------------

def test_an_unsigned_files_revision_number_is_not_trusted(tmp_path):
    officer, keys = officer_db(tmp_path)  # the Kita has no key: plain files are taken, unsigned
    first = run(officer, keys, ("Fassung9999.imon", plain_file(9999, 40))).results[0]
    assert first.outcome == IMPORTED, first.reason
    for n, children in ((1, 44), (2, 48), (9998, 52)):
        result = run(officer, keys, (f"Fassung{n}.imon", plain_file(n, children))).results[0]
        assert result.outcome == UPDATED, result.reason
    current = current_submission(officer, KITA.id, "kita", YEAR)
    assert load_values(officer, current.id) == kita_values(52)
    assert [s.revision for s in revisions(officer, KITA.id, "kita", YEAR)] == [1, 2, 3, 4]


def test_a_resent_unsigned_file_changes_nothing(tmp_path):
    officer, keys = officer_db(tmp_path)
    run(officer, keys, ("a.imon", plain_file(1, 40)), ("b.imon", plain_file(2, 44)))
    again = run(officer, keys, ("a-nochmal.imon", plain_file(1, 40))).results[0]
    assert again.outcome == "unverändert", again.reason
    assert load_values(officer, current_submission(officer, KITA.id, "kita", YEAR).id) == kita_values(44)


# --- Finding 1: only approved figures are last year's baseline ---------------------------------------------------

def test_only_approved_revisions_are_last_years_baseline_and_go_into_the_setup_file(tmp_path):
    officer, keys = officer_db(tmp_path)
    run(officer, keys, ("a.imon", plain_file(1, 40)))
    first = current_submission(officer, KITA.id, "kita", YEAR)
    assert previous_values(officer, KITA.id, "kita", YEAR + 1) == {}
    assert _previous(officer, KITA.id) == []
    set_review_state(officer, first.id, State.APPROVED, "", "Test")
    run(officer, keys, ("b.imon", plain_file(2, 60)))  # received, not approved
    assert previous_values(officer, KITA.id, "kita", YEAR + 1) == kita_values(40)
    assert [p.values for p in _previous(officer, KITA.id)] == [kita_values(40)]


def test_the_year_overview_shows_a_legitimate_workbook_as_received(tmp_path):
    officer, keys = officer_db(tmp_path)
    run(officer, keys, ("Kita.xlsx", filled_workbook(officer, tmp_path, "kita")))
    kita = next(o for o in year_overview(officer, YEAR) if o.form_id == "kita")
    assert [e.status for e in kita.entries if e.institution_id == KITA.id] == [RECEIVED]



def test_a_late_signed_revision_sets_aside_only_the_candidate_in_its_way(tmp_path):
    """Signed 1, then the officer's workbook (numbered 2), then signed 3, then signed 2 arriving late: every signed
    file is taken, none is a conflict, 3 stays current and the workbook is kept as history."""
    officer, keys = officer_db(tmp_path / "rathaus")
    holder = holder_db(tmp_path / "rathaus", officer, keys)
    first, first_id = export_revision(holder, tmp_path, YEAR, kita_values(40))
    second, second_id = export_revision(holder, tmp_path, YEAR, kita_values(44), correction_of=first_id)
    third, _id = export_revision(holder, tmp_path, YEAR, kita_values(48), correction_of=second_id)
    outcomes = [run(officer, keys, (first.name, first.read_bytes())).results[0].outcome,
                run(officer, keys, ("Kita.xlsx", filled_workbook(officer, tmp_path, "kita"))).results[0].outcome,
                run(officer, keys, (third.name, third.read_bytes())).results[0].outcome,
                run(officer, keys, (second.name, second.read_bytes())).results[0].outcome]
    assert outcomes == [IMPORTED, UPDATED, UPDATED, "unverändert"]
    history = revisions(officer, KITA.id, "kita", YEAR)
    assert [(s.revision, s.source) for s in history] == [(-1, "excel"), (1, "app"), (2, "app"), (3, "app")]
    current = current_submission(officer, KITA.id, "kita", YEAR)
    assert (current.revision, load_values(officer, current.id)) == (3, kita_values(48))
