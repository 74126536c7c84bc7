"""A submission's way from draft to finalised: validation against its form, last year and the institution."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from common.errors import UserError
from common.i18n import _, ngettext
from forms.catalog import get_form
from forms.model import Form
from forms.validation import Result, finalise_blockers, validate
from store.orgunits import get_org_unit
from store.submissions import State, Submission, get_submission, load_values, previous_values, set_state


class FinaliseBlocked(UserError):
    def __init__(self, blockers: list[Result]):
        errors = sum(1 for b in blockers if b.severity == "error")
        warnings = len(blockers) - errors
        parts = []
        if errors:
            parts.append(ngettext("{n} Fehler muss korrigiert werden", "{n} Fehler müssen korrigiert werden",
                                  errors).format(n=errors))
        if warnings:
            parts.append(ngettext("{n} Hinweis braucht einen Kommentar", "{n} Hinweise brauchen einen Kommentar",
                                  warnings).format(n=warnings))
        super().__init__(_("Noch nicht abschließbar: {what}.").format(what=", ".join(parts)))
        self.blockers = blockers


def form_of(submission: Submission) -> Form:
    return get_form(submission.form_id, submission.form_version)


def check_submission(db: Database, submission_id: int) -> list[Result]:
    submission = get_submission(db, submission_id)
    unit = get_org_unit(db, submission.org_unit_id)
    previous = previous_values(db, submission.org_unit_id, submission.form_id, submission.year,
                               submission.figure_source)
    return validate(form_of(submission), load_values(db, submission_id), unit.attributes, previous)


def finalise(db: Database, submission_id: int) -> Submission:
    """Blocked while errors remain or a warning has no comment; a finalised submission is read-only."""
    submission = get_submission(db, submission_id)
    if submission.state is not State.DRAFT:
        return submission
    blockers = finalise_blockers(check_submission(db, submission_id), load_values(db, submission_id))
    if blockers:
        raise FinaliseBlocked(blockers)
    return set_state(db, submission_id, State.FINALISED)
