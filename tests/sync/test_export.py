import pytest

from forms.catalog import form_for
from forms.values import Value
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_draft, get_submission, load_values, set_values
from store.workflow import finalise
from sync.errors import SubmissionFileError
from sync.export import default_file_name, export_submission
from sync.submission_file import read_submission_file


@pytest.fixture
def club(db):
    save_org_units(db, [OrgUnit(id="verein-7", kind="verein", name="TuS Musterstadt 1911")])
    draft = create_draft(db, "verein-7", form_for("verein", 2024), 2024)
    values = {("vereinsart", "", ""): Value(text="sport"), ("geschaetzt", "", ""): Value(text="geschaetzt"),
              ("vorstand_gesamt", "", ""): Value(number=7), ("vorstand_mh", "", ""): Value(number=1),
              ("bemerkungen", "", ""): Value(text="Zahlen geschätzt, Stand Dezember")}
    for row in ("bis06", "a07_14", "a15_18", "a19_26", "a27_40", "a41_60", "ue60"):
        for col, number in (("maennlich", 20), ("mh_maennlich", 4), ("weiblich", 18), ("mh_weiblich", 3),
                            ("divers", 0), ("mh_divers", 0)):
            values[("mitglieder", row, col)] = Value(number=number, estimate=True)
    set_values(db, draft.id, values)
    return draft


def test_a_draft_cannot_be_exported(db, club, tmp_path):
    with pytest.raises(SubmissionFileError, match="noch nicht abgeschlossen"):
        export_submission(db, club.id, tmp_path / "x.imon")
    assert not (tmp_path / "x.imon").exists()


def test_export_writes_what_is_stored_and_marks_it_exported(db, club, tmp_path):
    finalise(db, club.id)
    path = tmp_path / default_file_name(db, club.id)
    written = export_submission(db, club.id, path)
    assert path.name == "Meldung_verein-7_verein_2024_Fassung1.imon"
    assert read_submission_file(path).values == load_values(db, club.id)
    assert written.institution_name == "TuS Musterstadt 1911"
    stored = get_submission(db, club.id)
    assert stored.state is State.EXPORTED and stored.content_hash == written.content_hash and stored.exported_at


def test_failed_export_leaves_the_state_alone(db, club, tmp_path):
    finalise(db, club.id)
    with pytest.raises(SubmissionFileError):
        export_submission(db, club.id, tmp_path / "fehlt" / "x.imon")
    assert get_submission(db, club.id).state is State.FINALISED
