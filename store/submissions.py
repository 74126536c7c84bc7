"""Submissions and their values: drafts that save every edit at once, finalising, corrections, history."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from common.i18n import N_, _
from forms.model import Form, ValueState
from forms.values import Address, Value
from store.database import now, rows, write
from store.errors import ReadOnlyError, StoreError


class State(StrEnum):
    DRAFT = "entwurf"
    FINALISED = "abgeschlossen"
    EXPORTED = "exportiert"
    RECEIVED = "eingegangen"
    QUERIED = "rueckfrage"
    APPROVED = "freigegeben"
    REJECTED = "abgelehnt"


STATE_LABELS = {
    State.DRAFT: N_("in Bearbeitung"),
    State.FINALISED: N_("abgeschlossen"),
    State.EXPORTED: N_("exportiert"),
    State.RECEIVED: N_("eingegangen"),
    State.QUERIED: N_("Rückfrage"),
    State.APPROVED: N_("freigegeben"),
    State.REJECTED: N_("abgelehnt"),
}


@dataclass(frozen=True)
class Submission:
    """One institution's figures for one form, year and revision, from entry to report: a row of the store, the
    content of a submission file, a returned Excel form. A stored one has an id, and its values are read with
    load_values; one that travels (a file, a workbook) has no id yet and carries its values."""

    org_unit_id: str
    form_id: str
    form_version: int
    year: int
    revision: int  # 0: not yet numbered (a workbook is numbered when it is merged)
    state: State = State.DRAFT
    source: str = "app"
    created_at: str = ""
    updated_at: str = ""
    finalised_at: str | None = None
    exported_at: str | None = None
    content_hash: str | None = None
    created_by: str = ""
    figure_source: str = ""  # the town's figures only: '' is the main source, others stand beside it
    id: int | None = None
    values: dict[Address, Value] = field(default_factory=dict, hash=False)
    institution_name: str = ""  # as the institution wrote it into its file
    app_version: str = ""  # of the program that wrote the file

    @property
    def editable(self) -> bool:
        return self.state is State.DRAFT


def _submission(row: dict) -> Submission:
    return Submission(**{**row, "state": State(row["state"])})


def get_submission(db: Database, submission_id: int) -> Submission:
    found = rows(db, "SELECT * FROM submissions WHERE id = ?", [submission_id])
    if not found:
        raise StoreError(_("Die Meldung Nr. {id} gibt es nicht.").format(id=submission_id))
    return _submission(found[0])


def current_submission(db: Database, org_unit_id: str, form_id: str, year: int,
                       figure_source: str = "") -> Submission | None:
    """The highest revision: what counts now. Older revisions stay as history."""
    found = rows(db, "SELECT * FROM submissions WHERE org_unit_id = ? AND form_id = ? AND year = ? AND "
                     "figure_source = ? ORDER BY revision DESC LIMIT 1", [org_unit_id, form_id, year, figure_source])
    return _submission(found[0]) if found else None


def revisions(db: Database, org_unit_id: str, form_id: str, year: int, figure_source: str = "") -> list[Submission]:
    return [_submission(r) for r in rows(
        db, "SELECT * FROM submissions WHERE org_unit_id = ? AND form_id = ? AND year = ? AND figure_source = ? "
        "ORDER BY revision", [org_unit_id, form_id, year, figure_source])]


def figure_sources(db: Database, org_unit_id: str, form_id: str, year: int | None) -> list[str]:
    """The sources kept for one form and year (None: any year): '' (the main source) first, then the others."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT figure_source FROM submissions WHERE org_unit_id = ? AND form_id = ? AND year = "
        "COALESCE(?, year) ORDER BY figure_source != '', figure_source", [org_unit_id, form_id, year]).fetchall()]


def next_revision(db: Database, org_unit_id: str, form_id: str, year: int) -> int:
    # Unique across sources: the released UNIQUE constraint does not know the source.
    return db.execute("SELECT COALESCE(MAX(revision), 0) + 1 FROM submissions WHERE org_unit_id = ? AND form_id = ? "
                      "AND year = ?", [org_unit_id, form_id, year]).fetchone()[0]


def submissions_of(db: Database, org_unit_id: str) -> list[Submission]:
    """The current revision of every form and year of an institution, newest year first."""
    return [_submission(r) for r in rows(
        db, """SELECT s.* FROM submissions s
           WHERE s.org_unit_id = ? AND s.revision = (
               SELECT MAX(revision) FROM submissions t
               WHERE t.org_unit_id = s.org_unit_id AND t.form_id = s.form_id AND t.year = s.year
                 AND t.figure_source = s.figure_source)
           ORDER BY s.year DESC, s.form_id, s.figure_source""", [org_unit_id])]


def create_draft(db: Database, org_unit_id: str, form: Form, year: int, who: str = "",
                 source: str = "app", figure_source: str = "") -> Submission:
    stamp = now()
    with write(db):
        # Checked inside the write lock, so two writers cannot both create revision 1.
        existing = current_submission(db, org_unit_id, form.id, year, figure_source)
        if existing is not None:
            return existing
        db["submissions"].insert({
            "org_unit_id": org_unit_id, "form_id": form.id, "form_version": form.version, "year": year,
            "revision": next_revision(db, org_unit_id, form.id, year), "state": State.DRAFT.value,
            "source": source, "created_at": stamp, "updated_at": stamp, "created_by": who,
            "figure_source": figure_source,
        })
    return current_submission(db, org_unit_id, form.id, year, figure_source)


def load_values(db: Database, submission_id: int) -> dict[Address, Value]:
    values = {}
    for r in rows(db, "SELECT * FROM cell_values WHERE submission_id = ?", [submission_id]):
        values[(r["field"], r["row"], r["col"])] = Value(
            number=r["number"], state=ValueState(r["state"]) if r["state"] else None, text=r["text"],
            comment=r["comment"], estimate=bool(r["estimate"]))
    return values


def count_values(db: Database, submission_id: int) -> int:
    """How many values are stored, without building them: the holder's form list needs only whether any are."""
    return db.execute("SELECT COUNT(*) FROM cell_values WHERE submission_id = ?", [submission_id]).fetchone()[0]


def _encode(value: Value | None) -> str | None:
    if value is None or value.is_blank:
        return None
    content = value.number if value.number is not None else (value.state.value if value.state else value.text)
    parts = (content, value.comment, "geschätzt" if value.estimate else None)
    return " | ".join(str(p) for p in parts if p is not None and p != "")


def _put(db: Database, submission_id: int, address: Address, value: Value, stamp: str) -> None:
    code, row, col = address
    if value.is_blank:
        db.execute("DELETE FROM cell_values WHERE submission_id = ? AND field = ? AND row = ? AND col = ?",
                   [submission_id, code, row, col])
        return
    db.execute(
        """INSERT INTO cell_values(submission_id, field, row, col, number, state, text, comment, estimate, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(submission_id, field, row, col) DO UPDATE SET number = excluded.number,
             state = excluded.state, text = excluded.text, comment = excluded.comment,
             estimate = excluded.estimate, updated_at = excluded.updated_at""",
        [submission_id, code, row, col, value.number, value.state.value if value.state else None, value.text,
         value.comment, int(value.estimate), stamp])


def set_values(db: Database, submission_id: int, changes: dict[Address, Value], who: str = "",
               why: str = "", allow_locked: bool = False) -> None:
    """Saves edits in one transaction, with an audit row for each changed value. Returns only once committed."""
    with write(db):
        submission = get_submission(db, submission_id)
        if not submission.editable and not allow_locked:
            state = _(STATE_LABELS[submission.state])
            raise ReadOnlyError(_("Diese Meldung ist {state} und kann nicht mehr geändert werden. Für eine "
                                  "Änderung bitte „Korrektur anlegen“.").format(state=state))
        old_values = load_values(db, submission_id)
        stamp = now()
        audit = []
        for address, value in changes.items():
            old = old_values.get(address)
            if old == value or (old is None and value.is_blank):
                continue
            _put(db, submission_id, address, value, stamp)
            audit.append((stamp, who, submission_id, *address, _encode(old), _encode(value), why))
        db.conn.executemany("INSERT INTO audit(at, who, submission_id, field, row, col, old, new, why) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", audit)
        db.execute("UPDATE submissions SET updated_at = ? WHERE id = ?", [stamp, submission_id])


def _insert_values(db: Database, submission_id: int, values: dict[Address, Value], who: str, why: str,
                   stamp: str) -> None:
    """All values of a submission that has none yet, in two statements: the import's hot path."""
    kept = [(a, v) for a, v in values.items() if not v.is_blank]
    db.conn.executemany(
        "INSERT INTO cell_values(submission_id, field, row, col, number, state, text, comment, estimate, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(submission_id, *a, v.number, v.state.value if v.state else None, v.text, v.comment, int(v.estimate),
          stamp) for a, v in kept])
    db.conn.executemany(
        "INSERT INTO audit(at, who, submission_id, field, row, col, old, new, why) "
        "VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)", [(stamp, who, submission_id, *a, _encode(v), why) for a, v in kept])


def set_state(db: Database, submission_id: int, state: State, content_hash: str | None = None) -> Submission:
    stamp = now()
    with write(db):
        db.execute("UPDATE submissions SET state = ?, updated_at = ? WHERE id = ?", [state.value, stamp, submission_id])
        if state is State.FINALISED:
            db.execute("UPDATE submissions SET finalised_at = ? WHERE id = ?", [stamp, submission_id])
        if state is State.EXPORTED:
            db.execute("UPDATE submissions SET exported_at = ? WHERE id = ?", [stamp, submission_id])
        if content_hash is not None:
            db.execute("UPDATE submissions SET content_hash = ? WHERE id = ?", [content_hash, submission_id])
    return get_submission(db, submission_id)


def create_correction(db: Database, submission_id: int, who: str = "") -> Submission:
    """A new draft revision with the same values; the finalised one stays unchanged in the history."""
    with write(db):
        old = get_submission(db, submission_id)
        latest = current_submission(db, old.org_unit_id, old.form_id, old.year, old.figure_source)
        if latest.id != old.id:
            raise StoreError(_("Es gibt schon eine neuere Fassung (Korrektur {rev}) dieser Meldung.").format(
                rev=latest.revision))
        if old.editable:
            return old
        stamp = now()
        new_id = db["submissions"].insert({
            "org_unit_id": old.org_unit_id, "form_id": old.form_id, "form_version": old.form_version,
            "year": old.year, "revision": next_revision(db, old.org_unit_id, old.form_id, old.year),
            "state": State.DRAFT.value, "source": old.source, "created_at": stamp, "updated_at": stamp,
            "created_by": who, "figure_source": old.figure_source,
        }).last_pk
        db.execute(
            """INSERT INTO cell_values(submission_id, field, row, col, number, state, text, comment, estimate,
                                       updated_at)
               SELECT ?, field, row, col, number, state, text, comment, estimate, ?
               FROM cell_values WHERE submission_id = ?""", [new_id, stamp, submission_id])
        db.execute("INSERT INTO value_origins(submission_id, field, source, reference) "
                   "SELECT ?, field, source, reference FROM value_origins WHERE submission_id = ?",
                   [new_id, submission_id])
    return get_submission(db, new_id)


# What arrived from outside and is not approved (yet) is no baseline: a forged or mistaken file must not become
# next year's plausibility check or the previous values the town sends out. What this database made itself counts.
UNCHECKED = (State.RECEIVED, State.QUERIED, State.REJECTED)


def baseline_submission(db: Database, org_unit_id: str, form_id: str, year: int,
                        figure_source: str = "") -> Submission | None:
    """The highest revision of the year that is not an unchecked arrival: on the officer's side the approved one."""
    marks = ", ".join("?" for _s in UNCHECKED)
    found = rows(db, f"SELECT * FROM submissions WHERE org_unit_id = ? AND form_id = ? AND year = ? AND "
                     f"figure_source = ? AND state NOT IN ({marks}) ORDER BY revision DESC LIMIT 1",
                 [org_unit_id, form_id, year, figure_source, *(s.value for s in UNCHECKED)])
    return _submission(found[0]) if found else None


def baseline_submissions_of(db: Database, org_unit_id: str) -> list[Submission]:
    """The baseline submission (main source) of every form and year of an institution, newest year first."""
    marks = ", ".join("?" for _s in UNCHECKED)
    states = [s.value for s in UNCHECKED]
    return [_submission(r) for r in rows(
        db, f"""SELECT s.* FROM submissions s
           WHERE s.org_unit_id = ? AND s.figure_source = '' AND s.state NOT IN ({marks}) AND s.revision = (
               SELECT MAX(revision) FROM submissions t
               WHERE t.org_unit_id = s.org_unit_id AND t.form_id = s.form_id AND t.year = s.year
                 AND t.figure_source = '' AND t.state NOT IN ({marks}))
           ORDER BY s.year DESC, s.form_id""", [org_unit_id, *states, *states])]


def previous_values(db: Database, org_unit_id: str, form_id: str, year: int,
                    figure_source: str = "") -> dict[Address, Value]:
    """Last year's values of the same form and source, for plausibility and display: its baseline revision."""
    previous = baseline_submission(db, org_unit_id, form_id, year - 1, figure_source)
    return load_values(db, previous.id) if previous else {}


def set_aside(db: Database, submission_ids: list[int]) -> None:
    """Moves unsigned candidates out of the way of the institution's signed revisions: they keep their order and
    values as history, below every revision (numbers from -1 down), and are no longer current."""
    if not submission_ids:
        return
    with write(db):
        first = get_submission(db, submission_ids[0])
        lowest = db.execute("SELECT MIN(MIN(revision), 0) FROM submissions WHERE org_unit_id = ? AND form_id = ? "
                            "AND year = ?", [first.org_unit_id, first.form_id, first.year]).fetchone()[0]
        ordered = sorted((get_submission(db, i) for i in submission_ids), key=lambda s: s.revision)
        for n, submission in enumerate(ordered):
            db.execute("UPDATE submissions SET revision = ? WHERE id = ?",
                       [lowest - len(ordered) + n, submission.id])


def audit_trail(db: Database, submission_id: int) -> list[dict]:
    return list(db["audit"].rows_where("submission_id = ?", [submission_id], order_by="id"))


def receive_submission(db: Database, org_unit_id: str, form: Form, year: int, revision: int, source: str,
                       created_at: str, content_hash: str, created_by: str, values: dict[Address, Value],
                       why: str) -> int:
    """A submission that arrived from outside, with its values, as received; returns its id.

    Plain SQL and one transaction: this runs once per file, thousands of times per import."""
    stamp = now()
    with write(db):
        new_id = db.conn.execute(
            """INSERT INTO submissions(org_unit_id, form_id, form_version, year, revision, state, source,
                                       created_at, updated_at, content_hash, created_by)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [org_unit_id, form.id, form.version, year, revision, State.RECEIVED.value, source,
             created_at or stamp, stamp, content_hash, created_by]).lastrowid
        _insert_values(db, new_id, values, _("Import"), why, stamp)
    return new_id
