"""The holder's workspace: which institution this database belongs to, how it is set up, which forms it has."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from common.errors import UserError
from common.i18n import _
from forms.catalog import form_for, get_form
from forms.model import Form
from store import settings
from store.database import open_database, open_for_reading
from store.form_definitions import register_stored_forms
from store.orgunits import OrgUnit, get_org_unit
from store.receipts import StoredReceipt, receipt_for
from store.submissions import (
    STATE_LABELS,
    State,
    Submission,
    count_values,
    create_draft,
    current_submission,
    load_values,
    submissions_of,
)

if TYPE_CHECKING:
    from store.database import Database
    from sync.profile_file import PreviousSubmission

FIRST_YEAR = 2015


@dataclass(frozen=True)
class FormRow:
    year: int
    form: Form
    submission: Submission | None
    filled: int
    receipt: StoredReceipt | None = None

    @property
    def state_label(self) -> str:
        if self.submission is None or (self.submission.state is State.DRAFT and not self.filled):
            return _("leer")
        if self.submission.source == "setup":
            return _("von der Stadt übernommen")
        if self.receipt is not None:
            return self.receipt.message
        return _(STATE_LABELS[self.submission.state])


def open_workspace(path: Path) -> tuple[Database, OrgUnit | None]:
    db = open_database(path)
    register_stored_forms(db)
    institution_id = settings.institution_id(db)
    return db, (get_org_unit(db, institution_id) if institution_id else None)


def peek_workspace(path: Path, today: date | None = None) -> tuple[OrgUnit, list[FormRow]] | None:
    """The holder's institution and form list, read without opening the database for writing: that needs
    sqlite-utils and the schema check, which would keep the list waiting. None wherever the full way is needed:
    no database yet, an older schema, an officer's workspace, anything unexpected."""
    conn = open_for_reading(path)
    if conn is None:
        return None
    try:
        institution_id = settings.institution_id(conn)
        if settings.role(conn) != settings.HOLDER or not institution_id:
            return None
        register_stored_forms(conn)
        unit = get_org_unit(conn, institution_id)
        return unit, form_rows(conn, unit, today)
    except (sqlite3.Error, UserError):
        return None
    finally:
        conn.close()


def setup_institution(db: Database, unit: OrgUnit, previous: tuple[PreviousSubmission, ...] = ()) -> OrgUnit:
    """Makes this database the holder's database of one institution (sync.holder; loaded only when needed)."""
    from sync.holder import setup_institution as setup

    return setup(db, unit, previous)


def reporting_years(unit: OrgUnit, today: date | None = None) -> list[int]:
    last = (today or date.today()).year
    if unit.valid_to is not None:
        last = min(last, unit.valid_to)
    first = max(unit.valid_from or FIRST_YEAR, FIRST_YEAR)
    return list(range(last, first - 1, -1))


def form_rows(db: Database, unit: OrgUnit, today: date | None = None) -> list[FormRow]:
    """Every year the institution reports, newest first, with the state of its form."""
    existing = {(s.form_id, s.year): s for s in submissions_of(db, unit.id)}
    rows = []
    for year in reporting_years(unit, today):
        form = form_for(unit.kind, year)
        if form is None:
            continue
        submission = existing.get((form.id, year))
        if submission is not None:
            form = get_form(submission.form_id, submission.form_version)
        filled = count_values(db, submission.id) if submission else 0
        receipt = receipt_for(db, form.id, year, submission.revision) if submission else None
        rows.append(FormRow(year, form, submission, filled, receipt))
    return rows


def open_form(db: Database, unit: OrgUnit, form: Form, year: int, figure_source: str = "") -> Submission:
    return (current_submission(db, unit.id, form.id, year, figure_source)
            or create_draft(db, unit.id, form, year, figure_source=figure_source))


def setup_demo(db: Database, today: date | None = None) -> OrgUnit:
    """A made-up Grundschule with its earlier years filled in, so a new user can try entry at once."""
    import tempfile

    from demo.town import build_demo
    from store.orgunits import list_org_units, school_directory
    from sync.profile_file import PreviousSubmission

    this_year = (today or date.today()).year
    with tempfile.TemporaryDirectory() as folder:
        demo = open_database(Path(folder) / "demo.sqlite")
        try:
            build_demo(demo, seed=1)
            school = next(u for u in list_org_units(demo, "schule") if u.attributes.get("schulform") == "Grundschule")
            previous = tuple(
                PreviousSubmission(s.form_id, s.form_version, s.year, load_values(demo, s.id))
                for s in submissions_of(demo, school.id) if s.year < this_year
            )
            schools = school_directory(demo)  # as a real setup file brings it, for counting transitions
        finally:
            demo.close()
    unit = setup_institution(db, school, previous)
    settings.mark_demo(db)
    settings.set_school_list(db, schools)
    return unit
