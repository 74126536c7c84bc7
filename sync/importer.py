"""The officer's import: open, verify, validate and merge submission files, resend-safe and order-independent.

Merge rules for signed files: the same revision with the same values changes nothing ("bereits importiert"); a
higher revision becomes current and the earlier ones stay as history; an older revision arriving late is kept as
history and changes nothing current; the same revision with other values is a conflict that changes nothing.

Unsigned arrivals are candidates for review, outside the institution's signed revisions: a returned Excel form
(sync.excel_form_reader, told by its content whatever its name; taken only with this office's seal, see
sync.excel_form) and a plain file of an institution without a key. Nothing proves who wrote them, so a revision
number in them is never trusted: the officer numbers them (the next free number) when their values differ from the
current ones, and a file that arrived before or carries the current values is "unverändert". A signed revision
that arrives later is never blocked by them: the candidates in its way are set aside as history (store.submissions
.set_aside). They are stored with the source "excel" or "app, nicht signiert" and flagged for the officer's review,
and only approved figures become next year's baseline (store.submissions.previous_values). Receipts go only to
senders a signature has proved.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from common.errors import UserError
from common.i18n import _
from forms.catalog import get_form
from forms.changes import change_lines
from forms.model import Form, Severity
from forms.validation import validate
from store.database import Database, now, write
from store.excel_permissions import excel_allowed, existing_seal_key
from store.files import describe_write_error, write_atomically
from store.import_log import LogEntry, log_imports
from store.orgunits import OrgUnit, get_org_unit
from store.submissions import (
    State,
    Submission,
    load_values,
    next_revision,
    previous_values,
    receive_submission,
    revisions,
    set_aside,
)
from sync.canonical import content_hash
from sync.excel_form import seal
from sync.excel_form_reader import ReturnedWorkbook, looks_like_workbook, read_returned_workbook
from sync.keys import OfficerKeys
from sync.officer import institution_keys
from sync.receipt_file import Receipt, make_receipt, receipt_name
from sync.sealed_file import KeyLookup, is_sealed, unseal
from sync.submission_file import build_body, decode
from sync.transports import Incoming, Source

IMPORTED, UPDATED, UNCHANGED, REJECTED, CONFLICT = "importiert", "aktualisiert", "unverändert", "abgelehnt", "Konflikt"
APP, APP_UNSIGNED, EXCEL = "app", "app, nicht signiert", "excel"  # the submission's source
UNSIGNED = (APP_UNSIGNED, EXCEL)
EXCEL_FLAG = "Excel, nicht signiert: bitte die Angaben vor der Freigabe besonders prüfen"


@dataclass
class FileResult:
    name: str
    origin: str
    outcome: str
    reason: str = ""
    flags: list[str] = field(default_factory=list)
    submission: Submission | None = None
    source: str = ""  # APP, APP_UNSIGNED or EXCEL once the file could be opened
    # The changes (field: old → new) as lines, written out only when someone reads them: a large import needs no
    # text for thousands of first arrivals inside its transaction.
    _compared: tuple | None = field(default=None, repr=False, compare=False)
    _lines: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def failed(self) -> bool:
        return self.outcome in (REJECTED, CONFLICT)

    @property
    def changes(self) -> list[str]:
        if self._lines is None:
            self._lines = change_lines(*self._compared) if self._compared is not None else []
            self._compared = None
        return self._lines

    @changes.setter
    def changes(self, lines: list[str]) -> None:
        self._lines, self._compared = list(lines), None


@dataclass
class Summary:
    results: list[FileResult] = field(default_factory=list)
    dry_run: bool = False
    previewed: set[str] = field(default_factory=set)  # dry run: the files seen, by content hash
    held_back: list[str] = field(default_factory=list)  # files that arrived after the preview: left where they are

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(r.outcome for r in self.results)
        return {k: counted.get(k, 0) for k in (IMPORTED, UPDATED, UNCHANGED, REJECTED, CONFLICT)}

    @property
    def ok(self) -> bool:
        return not any(r.failed for r in self.results)

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "counts": self.counts,
                "files": [{"name": r.name, "origin": r.origin, "outcome": r.outcome, "reason": r.reason,
                           "changes": r.changes, "flags": r.flags, "source": r.source} for r in self.results]}


class Rejected(UserError):
    pass


def _open(db: Database, keys: OfficerKeys, data: bytes, keys_of: KeyLookup) -> tuple[Submission, bool]:
    """(submission, signed). An unsigned plain file is taken only for an institution that has no key yet."""
    if is_sealed(data):
        return unseal(data, keys.box, keys_of), True
    submission = decode(data)
    if keys_of(submission.org_unit_id):
        raise Rejected(_("Die Datei ist nicht unterschrieben, obwohl die Einrichtung einen Schlüssel hat. Bitte "
                         "die Meldung im Programm neu exportieren lassen."))
    return submission, False


def _open_workbook(item: Incoming) -> tuple[Submission, ReturnedWorkbook]:
    """A returned Excel form as a submission without a revision (0: assigned at the merge) and without a time of
    its own (it is stored with the time of the import), and the workbook for its cell references."""
    book = read_returned_workbook(item.data, item.name)
    submission = Submission(org_unit_id=book.institution_id, form_id=book.form.id, form_version=book.form.version,
                            year=book.year, revision=0, state=State.RECEIVED, source=EXCEL, values=book.values,
                            institution_name=book.institution_name)
    body = build_body(submission)
    del body["revision"]
    return replace(submission, content_hash=content_hash(body)), book


def _check(db: Database, submission: Submission, run: _Run) -> tuple[OrgUnit, Form]:
    try:
        unit = get_org_unit(db, submission.org_unit_id)
        form = get_form(submission.form_id, submission.form_version)
    except UserError as exc:
        raise Rejected(exc.message) from exc
    if form.kind != unit.kind:
        raise Rejected(_("Das Formular „{form}“ passt nicht zur Einrichtung {name}.").format(
            form=form.title, name=unit.name))
    if not unit.active_in(submission.year) or not form.applies_to_year(submission.year):
        raise Rejected(_("{name} meldet für {year} nicht: die Einrichtung oder das Formular galt in diesem Jahr "
                         "nicht.").format(name=unit.name, year=submission.year))
    known = run.known.get(form.key)
    if known is None:
        known = run.known[form.key] = {(f.code, r, c) for f in form.fields() for r, c in f.cells()}
    unknown = sorted(a for a in submission.values if a not in known)
    if unknown:
        raise Rejected(_("Die Datei enthält Felder, die das Formular nicht kennt: {fields}.").format(
            fields=", ".join("/".join(a).strip("/") for a in unknown[:5])))
    return unit, form


def _check_seal(db: Database, book: ReturnedWorkbook, name: str, unit: OrgUnit) -> None:
    """A workbook counts only with the seal of this office and its recorded, unrevoked permission for the same
    institution, form and year (sync.excel_form); anyone could otherwise make one with a public school number."""
    if book.format_version < 2 or not book.seal or not book.nonce:
        raise Rejected(_("{name} ist ein Excel-Formular ohne Siegel des Integrationsbüros (aus einer älteren Version "
                         "des Integrationsmonitors). Solche Formulare werden nicht mehr eingelesen, weil jeder sie "
                         "hätte erstellen können; es wurde nichts übernommen. Bitte für {institution} ein neues "
                         "Excel-Formular erstellen und schicken.").format(name=name, institution=unit.name))
    key = existing_seal_key(db)
    expected = seal(key, book.institution_id, book.form.id, book.form.version, book.year, book.nonce) if key else ""
    if not (key and hmac.compare_digest(expected, book.seal)
            and excel_allowed(db, book.nonce, book.institution_id, book.form.id, book.year)):
        raise Rejected(_("{name} wurde nicht von diesem Integrationsbüro erstellt, oder seine Kennung wurde "
                         "verändert oder zurückgezogen: das Siegel passt nicht zu {institution}, {year}. Es wurde "
                         "nichts übernommen. Eingelesen werden nur Excel-Formulare, die dieses Integrationsbüro für "
                         "die Einrichtung und das Jahr erstellt hat; bei Bedarf bitte ein neues erstellen und "
                         "schicken.").format(name=name, institution=unit.name, year=book.year))


@dataclass
class _Run:
    """What one import looks up once instead of once per file, and the log lines of the open batch, written in
    one statement before the batch commits."""

    keys_of: KeyLookup
    known: dict[str, set] = field(default_factory=dict)  # the cells of a form, by its key
    log: list[LogEntry] | None = None


def import_one(db: Database, keys: OfficerKeys, item: Incoming, dry_run: bool = False,
               keys_of: KeyLookup | None = None) -> FileResult:
    return _import_one(db, keys, item, dry_run, _Run(keys_of or (lambda unit_id: institution_keys(db, unit_id))))


def _import_one(db: Database, keys: OfficerKeys, item: Incoming, dry_run: bool, run: _Run) -> FileResult:
    result = FileResult(item.name, item.origin, REJECTED)
    current_id = None
    try:
        if item.problem:
            raise Rejected(item.problem)
        book = None
        if not is_sealed(item.data) and looks_like_workbook(item.data, item.name):
            submission, book = _open_workbook(item)
            result.source = EXCEL
        else:
            submission, signed = _open(db, keys, item.data, run.keys_of)
            result.source = APP if signed else APP_UNSIGNED
        result.submission = submission
        unit, form = _check(db, submission, run)
        if book is not None:
            _check_seal(db, book, item.name, unit)
        # Last year's approved figures only: a candidate nobody has checked is no baseline.
        previous = previous_values(db, unit.id, form.id, submission.year)
        checks = validate(form, submission.values, unit.attributes, previous)
        # For a workbook each error says where to look: "Blatt „Formular“, Zelle B14: …".
        errors = [f"{book.where(r.address)}: {r.message}" if book is not None and book.where(r.address)
                  else r.message for r in checks if r.severity is Severity.ERROR]
        if errors:
            raise Rejected(_("Die Angaben enthalten Fehler: {errors}").format(errors=" ".join(errors[:3])))
        result.flags = [r.message for r in checks if r.severity is Severity.WARNING]
        if result.source == EXCEL:
            result.flags.insert(0, _(EXCEL_FLAG))
        elif result.source == APP_UNSIGNED:
            result.flags.insert(0, _("nicht unterschrieben (Einrichtung ohne Schlüssel): bitte besonders prüfen"))
        current_id = _merge(db, unit, form, submission, result.source, result, dry_run)
    except UserError as exc:
        result.outcome, result.reason = REJECTED, exc.message
    if not dry_run:
        entry = LogEntry(now(), item.name, item.origin, "sha256:" + hashlib.sha256(item.data).hexdigest(),
                         result.outcome, result.reason, None if result.failed else current_id)
        if run.log is None:
            log_imports(db, [entry])
        else:
            run.log.append(entry)
    return result


def _merge(db: Database, unit: OrgUnit, form: Form, submission: Submission, source: str, result: FileResult,
           dry_run: bool) -> int | None:
    """Returns the id of the revision that is current afterwards, for the import log (None before any)."""
    existing = revisions(db, unit.id, form.id, submission.year)
    if source in UNSIGNED:
        submission = _unsigned_revision(db, form, submission, existing, result)
        if submission is None:
            return existing[-1].id if existing else None
        aside = []
    else:
        signed = [s for s in existing if s.source not in UNSIGNED]
        same = next((s for s in signed if s.revision == submission.revision), None)
        if same is not None:
            if load_values(db, same.id) == submission.values:
                result.outcome, result.reason = UNCHANGED, _("bereits importiert")
            else:
                result.outcome = CONFLICT
                result.reason = _("Fassung {n} ist schon mit anderen Werten eingegangen; nichts wurde geändert. "
                                  "Bitte bei der Einrichtung nachfragen.").format(n=submission.revision)
            return existing[-1].id
        newest_signed = signed[-1].revision if signed else 0
        # Unsigned candidates never block the institution's own signed numbers: a signed revision newer than every
        # signed one sets aside the candidates numbered at or above it; an older one only the candidate in its way.
        aside = [s for s in existing if s.source in UNSIGNED and (
            s.revision == submission.revision or (submission.revision > newest_signed
                                                  and s.revision > submission.revision))]
        if aside:
            result.flags.append(_("Die nicht unterschriebene Fassung (Excel oder ohne Schlüssel) wurde durch diese "
                                  "unterschriebene Fassung abgelöst und als Verlauf abgelegt."))
    remaining = [s for s in existing if s not in aside]
    current = remaining[-1] if remaining else None
    if current is not None and submission.revision < current.revision:
        result.outcome = UNCHANGED
        result.reason = _("ältere Fassung {old}; Fassung {new} gilt weiter. Sie wurde als Verlauf abgelegt.").format(
            old=submission.revision, new=current.revision)
    else:
        shown = current or (existing[-1] if existing else None)
        result.outcome = UPDATED if shown is not None else IMPORTED
        result._compared = (form, load_values(db, shown.id) if shown else {}, submission.values)
        result._lines = None
    if dry_run:
        return None
    if aside:
        set_aside(db, [s.id for s in aside])
    new_id = receive_submission(db, unit.id, form, submission.year, submission.revision, source,
                                submission.created_at, submission.content_hash, submission.institution_name,
                                submission.values, why=result.name)
    # An older revision is stored as history below the current one; anything else is the new current one.
    return current.id if result.outcome == UNCHANGED else new_id


def _unsigned_revision(db: Database, form: Form, submission: Submission, existing: list,
                       result: FileResult) -> Submission | None:
    """An unsigned arrival's revision (an Excel form, a plain file): the officer's next free number, whatever the
    file says, as nothing proves who wrote it; None (and "unverändert") when the same file arrived before or its
    values are those of the current revision."""
    current = existing[-1] if existing else None
    if current is not None and load_values(db, current.id) == submission.values:
        result.outcome = UNCHANGED
        result.reason = _("gleiche Werte wie Fassung {n}; nichts geändert").format(n=current.revision)
        return None
    again = next((s for s in existing if submission.content_hash and s.content_hash == submission.content_hash), None)
    if again is not None:  # an earlier file sent once more: it does not push the later ones aside
        result.outcome = UNCHANGED
        result.reason = _("bereits importiert (Fassung {n})").format(n=again.revision)
        return None
    return replace(submission, revision=next_revision(db, submission.org_unit_id, form.id, submission.year))


def _receipt(keys: OfficerKeys, result: FileResult, outbox: Path) -> None:
    """A signed receipt, only for a file whose signature proved who sent it: an Excel form has no app to read one,
    an unsigned file's sender has no key to check it, and an undecodable or unsigned file's institution id is only
    what the file claims (it may even be a path)."""
    submission = result.submission
    if submission is None or result.source != APP:
        return
    message = {IMPORTED: _("vom Integrationsbüro angenommen"), UPDATED: _("vom Integrationsbüro angenommen"),
               UNCHANGED: _("bereits angenommen")}.get(result.outcome, result.reason)
    receipt = Receipt(submission.org_unit_id, submission.form_id, submission.year, submission.revision,
                      submission.content_hash, result.outcome, message, tuple(result.flags), now())
    path = outbox / receipt_name(receipt)
    try:
        if not outbox.is_dir():
            outbox.mkdir(parents=True, exist_ok=True)
        write_atomically(path, make_receipt(keys, receipt), durable=False)
    except OSError as exc:  # reported with the file; the batch goes on
        _note(result, _("Die Quittung wurde nicht geschrieben: {why}").format(
            why=describe_write_error(exc, path, _("Die Quittung"))))


def _note(result: FileResult, problem: str) -> None:
    result.reason = f"{result.reason} {problem}".strip()


def _hand_back(source: Source, item: Incoming, result: FileResult) -> None:
    """Into the archive or the quarantine; a copy that cannot be made is reported with the file, and the file stays
    where it was (the next import finds it again and changes nothing), while the batch goes on."""
    try:
        if result.failed:
            source.rejected(item, result.reason)
        else:
            source.accepted(item)
    except (OSError, UserError) as exc:
        _note(result, exc.message if isinstance(exc, UserError) else str(exc))


BATCH = 250


def content_key(item: Incoming) -> str:
    return hashlib.sha256(item.data).hexdigest()


def import_from(db: Database, keys: OfficerKeys, source: Source, dry_run: bool = False, outbox: Path | None = None,
                progress: Callable[[int, str], None] | None = None,
                cancelled: Callable[[], bool] | None = None, only: set[str] | None = None) -> Summary:
    """Imports every file the source offers; with `only` (the `previewed` of a dry run) just the files the officer
    has seen in the preview, so a file arriving in between is never taken over unseen.

    Files are committed in batches: one durable commit per batch instead of per file keeps thousands of files
    fast. Files leave the inbox (accepted, rejected, receipts) only after their batch is committed, so a crash
    loses nothing: the next import simply reads them again and finds what was already committed unchanged."""
    summary = Summary(dry_run=dry_run)
    cache: dict[str, list] = {}

    def keys_of(unit_id: str) -> list:
        if unit_id not in cache:
            cache[unit_id] = institution_keys(db, unit_id)
        return cache[unit_id]

    if dry_run:
        return _dry_run(db, keys, source, summary, keys_of, progress)
    run = _Run(keys_of)
    items = iter(source.fetch())
    done = 0
    while not (cancelled is not None and cancelled()):
        batch: list[tuple[Incoming, FileResult]] = []
        run.log = []
        with write(db):
            for item in items:
                if only is not None and content_key(item) not in only:
                    summary.held_back.append(item.name)
                    continue
                result = _import_one(db, keys, item, False, run)
                batch.append((item, result))
                done += 1
                if progress is not None:
                    progress(done, item.name)
                if len(batch) >= BATCH or (cancelled is not None and cancelled()):
                    break
            log_imports(db, run.log)
        for item, result in batch:
            summary.results.append(result)
            _hand_back(source, item, result)
            if outbox is not None:
                _receipt(keys, result, outbox)
        if len(batch) < BATCH:
            break
    return summary


class _RollBack(Exception):
    pass


def _dry_run(db: Database, keys: OfficerKeys, source: Source, summary: Summary, keys_of: KeyLookup,
             progress: Callable[[int, str], None] | None) -> Summary:
    """The real import, rolled back at the end: so a correction after its first revision shows as
    "aktualisiert" in the preview, exactly as it will be."""
    try:
        with write(db):
            for i, item in enumerate(source.fetch()):
                summary.previewed.add(content_key(item))
                summary.results.append(import_one(db, keys, item, False, keys_of))
                if progress is not None:
                    progress(i + 1, item.name)
            raise _RollBack
    except _RollBack:
        pass
    return summary
