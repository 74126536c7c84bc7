"""The officer's review: approve, ask back or reject a submission, and correct a value on an institution's behalf."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from common.i18n import _
from forms.values import Address, Value
from store.database import now, write
from store.errors import StoreError
from store.submissions import STATE_LABELS, State, get_submission, set_values

REVIEW_STATES = (State.RECEIVED, State.QUERIED, State.APPROVED, State.REJECTED)
STATUS_FIELD = "(Status)"


def set_review_state(db: Database, submission_id: int, state: State, comment: str, who: str) -> None:
    """Every decision is kept in the audit trail with its comment; asking back or rejecting needs one."""
    if state not in REVIEW_STATES:
        raise StoreError(_("„{s}“ ist kein Prüfstatus.").format(s=state))
    if state in (State.QUERIED, State.REJECTED) and not comment.strip():
        raise StoreError(_("Für „{s}“ bitte kurz schreiben, was geklärt werden muss.").format(
            s=_(STATE_LABELS[state])))
    with write(db):
        submission = get_submission(db, submission_id)
        stamp = now()
        db.execute("UPDATE submissions SET state = ?, updated_at = ? WHERE id = ?", [state.value, stamp, submission_id])
        db.execute("INSERT INTO audit(at, who, submission_id, field, old, new, why) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [stamp, who, submission_id, STATUS_FIELD, submission.state.value, state.value, comment.strip()])


def correct_value(db: Database, submission_id: int, address: Address, value: Value, who: str, why: str) -> None:
    """A paper or phone correction by the officer: recorded with its reason like every other change."""
    if not why.strip():
        raise StoreError(_("Bitte einen Grund für die Korrektur angeben (z. B. „telefonisch bestätigt“)."))
    set_values(db, submission_id, {address: value}, who=who, why=why.strip(), allow_locked=True)


def history(db: Database, submission_id: int, address: Address | None = None) -> list[dict]:
    """The audit trail of a submission, or of one value in it: who, when, old, new, why."""
    if address is None:
        return list(db["audit"].rows_where("submission_id = ?", [submission_id], order_by="id"))
    return list(db["audit"].rows_where("submission_id = ? AND field = ? AND row = ? AND col = ?",
                                       [submission_id, *address], order_by="id"))
