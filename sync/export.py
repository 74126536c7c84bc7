"""From a finalised submission in the store to a submission file on disk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from common.about import APP_VERSION
from common.i18n import _
from store.database import Database, now
from store.orgunits import get_org_unit
from store.submissions import State, Submission, current_submission, get_submission, load_values, set_state
from sync.errors import SubmissionFileError
from sync.holder import officer_public, signing_key
from sync.sealed_file import write_sealed
from sync.submission_file import suggested_name, write_submission_file


def submission_for_export(db: Database, submission_id: int) -> Submission:
    submission = get_submission(db, submission_id)
    if submission.state is State.DRAFT:
        raise SubmissionFileError(_("Die Meldung ist noch nicht abgeschlossen. Bitte zuerst „Abschließen“ wählen; "
                                    "dabei werden die Angaben geprüft."))
    unit = get_org_unit(db, submission.org_unit_id)
    values = {a: v for a, v in load_values(db, submission_id).items() if not v.is_blank}
    return replace(submission, values=values, institution_name=unit.name, created_at=now(), app_version=APP_VERSION,
                   content_hash="")


def export_submission(db: Database, submission_id: int, path: str | Path) -> Submission:
    """Writes the file, verifies it, and only then marks the submission as exported."""
    submission = submission_for_export(db, submission_id)
    key, officer = signing_key(db), officer_public(db)
    if key is not None and officer is not None:
        written = write_sealed(submission, path, key, officer.box)
    else:  # set up by hand, without the town's keys: a plain file the officer reviews as unsigned
        written = write_submission_file(submission, path)
    submission = get_submission(db, submission_id)
    state = State.EXPORTED if submission.state in (State.FINALISED, State.EXPORTED) else submission.state
    set_state(db, submission_id, state, content_hash=written.content_hash)
    return written


def default_file_name(db: Database, submission_id: int) -> str:
    s = get_submission(db, submission_id)
    return suggested_name(s.org_unit_id, s.form_id, s.year, s.revision)


def export_current(db: Database, institution_id: str, form_id: str, year: int, path: str | Path) -> Submission:
    submission = current_submission(db, institution_id, form_id, year)
    if submission is None:
        raise SubmissionFileError(_("Für {id} gibt es keine Meldung „{form}“ für {year}.").format(
            id=institution_id, form=form_id, year=year))
    return export_submission(db, submission.id, path)
