"""The year overview: which institutions have submitted, are missing, have open questions, are approved.

Like DHIS2's reporting rates: only institutions open in that year are expected; closed or not yet opened ones
are not counted as missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from common.i18n import _
from forms.catalog import form_for
from store.orgunits import INSTITUTION_KINDS, KIND_LABELS
from store.submissions import State

MISSING, RECEIVED, QUERIED, APPROVED, REJECTED = "fehlt", "eingegangen", "Rückfrage", "freigegeben", "abgelehnt"
_STATE_GROUP = {
    State.RECEIVED.value: RECEIVED, State.QUERIED.value: QUERIED, State.APPROVED.value: APPROVED,
    State.REJECTED.value: REJECTED,
    # A holder's own states, should a holder database be opened as an overview: nothing has arrived yet.
    State.DRAFT.value: MISSING, State.FINALISED.value: MISSING, State.EXPORTED.value: MISSING,
}


@dataclass(frozen=True)
class Entry:
    institution_id: str
    name: str
    kind: str
    status: str
    submission_id: int | None


@dataclass
class FormOverview:
    form_id: str
    title: str
    kind: str
    entries: list[Entry] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e.status == status)

    @property
    def expected(self) -> int:
        return len(self.entries)

    @property
    def submitted(self) -> int:
        return sum(1 for e in self.entries if e.status in (RECEIVED, QUERIED, APPROVED))

    def rate(self, value: int) -> float:
        return value / self.expected * 100 if self.expected else 0.0

    def as_dict(self) -> dict:
        return {"form": self.form_id, "title": self.title, "expected": self.expected, "submitted": self.submitted,
                "submitted_percent": round(self.rate(self.submitted), 1),
                **{status: self.count(status) for status in (MISSING, RECEIVED, QUERIED, APPROVED, REJECTED)},
                "missing_institutions": [e.institution_id for e in self.entries if e.status == MISSING]}


def year_overview(db: Database, year: int, form_id: str | None = None) -> list[FormOverview]:
    """One query per institution kind: the current revision's state of every institution open in the year."""
    overviews = []
    for kind in INSTITUTION_KINDS:
        form = form_for(kind, year)
        if form is None or (form_id is not None and form.id != form_id):
            continue
        rows = db.execute(
            """SELECT o.id, o.name, s.state, s.id FROM org_units o
               LEFT JOIN (SELECT org_unit_id, state, id, MAX(revision) FROM submissions
                          WHERE form_id = ? AND year = ? GROUP BY org_unit_id) s ON s.org_unit_id = o.id
               WHERE o.kind = ? AND (o.valid_from IS NULL OR o.valid_from <= ?)
                 AND (o.valid_to IS NULL OR o.valid_to >= ?)
               ORDER BY o.name""", [form.id, year, kind, year, year]).fetchall()
        overview = FormOverview(form.id, form.title, kind)
        overview.entries = [Entry(r[0], r[1], kind, _STATE_GROUP.get(r[2], MISSING) if r[2] else MISSING, r[3])
                            for r in rows]
        overviews.append(overview)
    return overviews


def reminder_letter(entry: Entry, form_title: str, period: str, deadline: str = "") -> str:
    """A friendly reminder to copy into an e-mail or print; the officer adds the signature."""
    by = _(" bis zum {date}").format(date=deadline) if deadline else ""
    return _("Sehr geehrte Damen und Herren,\n\n"
             "für das Integrationsmonitoring der Stadt fehlt uns noch die Meldung „{form}“ für {period} von "
             "{name} ({kind}).\n\n"
             "Bitte tragen Sie die Zahlen im Programm Integrationsmonitor ein, schließen Sie das Formular ab und "
             "senden Sie uns die Meldungsdatei{by}. Wenn etwas unklar ist oder Zahlen fehlen, rufen Sie uns gern "
             "an. Es werden nur Anzahlen gemeldet, keine Angaben zu einzelnen Personen.\n\n"
             "Vielen Dank für Ihre Mithilfe!\n\nMit freundlichen Grüßen\n").format(
                 form=form_title, period=period, name=entry.name, kind=_(KIND_LABELS[entry.kind]), by=by)
