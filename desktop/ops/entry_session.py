"""One open form: what was typed, what is saved, what the rules say. The entry view only displays this."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from common.errors import InputError
from common.i18n import _
from forms.model import Field, FieldType, Form, Severity
from forms.validation import Result, cell_label, validate
from forms.values import Address, Value, parse_input
from intake.pupil_counts import BY_CRITERIA, PupilCounts, count_pupils
from intake.pupil_export import read_pupil_export
from store import settings
from store.database import Database
from store.errors import StoreError
from store.orgunits import OrgUnit, get_org_unit
from store.submissions import (
    Submission,
    create_correction,
    get_submission,
    load_values,
    previous_values,
    set_values,
)
from store.workflow import finalise, form_of
from sync.export import default_file_name, export_submission


class EntrySession:
    def __init__(self, db: Database, submission_id: int, who: str = ""):
        self.db = db
        self.who = who
        self._load(submission_id)

    def _load(self, submission_id: int) -> None:
        self.submission: Submission = get_submission(self.db, submission_id)
        self.form: Form = form_of(self.submission)
        self.institution: OrgUnit = get_org_unit(self.db, self.submission.org_unit_id)
        self.values: dict[Address, Value] = load_values(self.db, submission_id)
        self.previous: dict[Address, Value] = previous_values(
            self.db, self.submission.org_unit_id, self.submission.form_id, self.submission.year,
            self.submission.figure_source)
        # Text that could not be read as a value: shown with its message, never saved, never thrown away.
        self.invalid: dict[Address, InputError] = {}
        # Counts from a pupil export, offered beside the fields; never saved unless taken.
        self.suggestions: dict[Address, int] = {}
        self.suggestion_counts: PupilCounts | None = None
        self.fields: list[Field] = self.form.visible_fields(self.institution.attributes)
        self.revalidate()

    @property
    def editable(self) -> bool:
        return self.submission.editable

    def revalidate(self) -> list[Result]:
        self.results = validate(self.form, self.values, self.institution.attributes, self.previous)
        return self.results

    def label(self, address: Address) -> str:
        return cell_label(self.form, *address)

    def value(self, address: Address) -> Value:
        return self.values.get(address, Value())

    def type_text(self, address: Address, raw: str) -> InputError | None:
        """Takes what was typed into a cell: saves it at once if it reads as a value, else keeps the message."""
        field = self.form.field(address[0])
        try:
            parsed = parse_input(field, raw, self.label(address))
        except InputError as exc:
            self.invalid[address] = exc
            return exc
        old = self.value(address)
        try:
            self._save({address: replace(parsed, comment=old.comment, estimate=old.estimate)})
        except StoreError as exc:
            # Disk full or database locked: the typed text stays in the field with the reason, to be saved later.
            error = InputError(exc.message)
            self.invalid[address] = error
            return error
        self.invalid.pop(address, None)
        return None

    def set_comment(self, address: Address, comment: str) -> None:
        self._save({address: replace(self.value(address), comment=comment.strip())})

    def set_estimate(self, address: Address, estimate: bool) -> None:
        self._save({address: replace(self.value(address), estimate=estimate)})

    def paste_block(self, field: Field, top: int, left: int, text: str) -> tuple[int, list[str]]:
        """Takes a block copied from a spreadsheet (tabs and line breaks) into a grid from a cell on.

        Valid cells are taken; each refused one is named in a message. Returns (cells taken, messages)."""
        changes: dict[Address, Value] = {}
        problems: list[str] = []
        lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
        outside = 0
        for i, line in enumerate(lines):
            for j, raw in enumerate(line.split("\t")):
                r, c = top + i, left + j
                if r >= len(field.rows) or c >= len(field.columns):
                    outside += bool(raw.strip())
                    continue
                address = (field.code, field.rows[r].code, field.columns[c].code)
                try:
                    parsed = parse_input(field, raw, self.label(address))
                except InputError as exc:
                    problems.append(exc.message)
                    continue
                old = self.value(address)
                changes[address] = replace(parsed, comment=old.comment, estimate=old.estimate)
                self.invalid.pop(address, None)
        if outside:
            problems.append(_("{n} eingefügte Werte passen nicht mehr in die Tabelle und wurden nicht "
                              "übernommen.").format(n=outside))
        if changes:
            try:
                self._save(changes)
            except StoreError as exc:
                return 0, [exc.message]
        return len(changes), problems

    def _save(self, changes: dict[Address, Value]) -> None:
        set_values(self.db, self.submission.id, changes, who=self.who)
        for address, value in changes.items():
            if value.is_blank:
                self.values.pop(address, None)
            else:
                self.values[address] = value
        self.revalidate()

    def results_for(self, code: str) -> list[Result]:
        return [r for r in self.results if r.field == code]

    def input_errors_for(self, code: str) -> list[tuple[Address, InputError]]:
        return [(a, e) for a, e in self.invalid.items() if a[0] == code]

    def problem_cells(self) -> dict[Address, Severity]:
        cells: dict[Address, Severity] = {}
        for r in self.results:
            if (r.row or r.column) and cells.get(r.address) is not Severity.ERROR:
                cells[r.address] = r.severity
        for address in self.invalid:
            cells[address] = Severity.ERROR
        return cells

    def required_progress(self) -> tuple[int, int]:
        """(required fields completely filled, required fields) among those that apply to the institution."""
        required = [f for f in self.fields if f.required]
        done = sum(
            1 for f in required
            if all(not self.value((f.code, r, c)).is_empty for r, c in f.cells())
        )
        return done, len(required)

    def counts(self, include_required: bool = False) -> tuple[int, int]:
        """(errors, warnings); empty required fields count only once the user tried to finalise."""
        errors = sum(1 for r in self.results if r.severity is Severity.ERROR
                     and (include_required or r.code != "required")) + len(self.invalid)
        return errors, sum(1 for r in self.results if r.severity is Severity.WARNING)

    def finalise(self) -> Submission:
        if self.invalid:
            first = next(iter(self.invalid.values()))
            raise InputError(_("Noch nicht abschließbar: eine Eingabe ist keine gültige Zahl. {msg}").format(
                msg=first.message))
        self.submission = finalise(self.db, self.submission.id)
        return self.submission

    def create_correction(self) -> None:
        self._load(create_correction(self.db, self.submission.id, who=self.who).id)

    def suggested_file_name(self) -> str:
        return default_file_name(self.db, self.submission.id)

    def export(self, path: Path) -> Submission:
        written = export_submission(self.db, self.submission.id, path)
        self.submission = get_submission(self.db, self.submission.id)
        return written

    def is_grid(self, code: str) -> bool:
        return self.form.field(code).type is FieldType.GRID

    # --- suggestions from the school's pupil export ----------------------------------------------------------

    def suggest_from_pupil_export(self, path: Path, zwg_rule: str | None = None) -> PupilCounts:
        """Counts the export (read in memory only) and offers the counts for this form's visible fields.

        Nothing is saved until the user takes a suggestion. Raises PupilExportError for a file that is not a
        pupil export."""
        rule = zwg_rule or settings.zwg_rule(self.db) or BY_CRITERIA
        counts = count_pupils(read_pupil_export(path), self.submission.year, settings.school_list(self.db), rule,
                              fields={f.code for f in self.fields})
        if zwg_rule:
            settings.set_zwg_rule(self.db, zwg_rule)
        visible = {(f.code, r, c) for f in self.fields for r, c in f.cells()}
        self.suggestions = {a: v for a, v in counts.values.items() if a in visible}
        self.suggestion_counts = counts
        return counts

    def suggestion(self, address: Address) -> int | None:
        return self.suggestions.get(address)

    def suggestion_differs(self, address: Address) -> bool:
        """True when a value is already entered and the export counts something else."""
        suggested, value = self.suggestions.get(address), self.value(address)
        return suggested is not None and not value.is_empty and value.number != suggested

    def take_suggestions(self, addresses: list[Address] | None = None) -> list[Address]:
        """Saves the suggested counts (all, or those given) as entered values; returns the cells that changed."""
        chosen = self.suggestions if addresses is None else {a: self.suggestions[a] for a in addresses
                                                             if a in self.suggestions}
        changes = {}
        for address, number in chosen.items():
            old = self.value(address)
            if old.number == number and not old.is_empty:
                continue
            changes[address] = replace(old, number=number, text=None, state=None, estimate=False)
            self.invalid.pop(address, None)
        if changes:
            self._save(changes)
        return list(changes)

    def clear_suggestions(self) -> None:
        self.suggestions = {}
        self.suggestion_counts = None
