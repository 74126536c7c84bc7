"""The data holder's side of the exchange: set up from the officer's file, seal submissions, read receipts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nacl.signing import SigningKey

from common.i18n import _
from forms.catalog import get_form, register_definition
from store import settings
from store.database import Database, write
from store.errors import StoreError
from store.form_definitions import store_definition
from store.orgunits import OrgUnit, save_org_units
from store.receipts import StoredReceipt, keep_receipt
from store.settings import trusted_officer_keys
from store.submissions import State, create_draft, current_submission, set_state, set_values
from sync.errors import SubmissionFileError
from sync.keys import OfficerPublic
from sync.profile_file import PreviousSubmission, read_profile
from sync.receipt_file import Receipt, open_receipt
from sync.setup_file import is_setup_file, open_setup_file

MAX_SETUP_BYTES = 20 * 1024 * 1024


def officer_public(db: Database) -> OfficerPublic | None:
    stored = settings.officer_public(db)
    return OfficerPublic.from_dict(stored) if stored else None


def signing_key(db: Database) -> SigningKey | None:
    stored = settings.signing_key(db)
    return SigningKey(bytes.fromhex(stored)) if stored else None


# Where earlier values came from: a setup file signed by the town (released there), or a plain profile file that
# anybody could have written (kept as a draft for the institution to check, never as released by the town).
FROM_SIGNED_FILE, FROM_PLAIN_PROFILE = "setup", "profil"


def setup_institution(db: Database, unit: OrgUnit, previous: tuple[PreviousSubmission, ...] = (),
                      signed: bool = True) -> OrgUnit:
    """Makes this database the holder's database of one institution, with the earlier values the town sent.

    `signed` is False for values from the plain profile file: they become drafts, not values the town released."""
    # The holder's database knows only its own institution, not the town's districts around it.
    unit = replace(unit, parent_id=None, successor_id=None)
    save_org_units(db, [unit])
    with write(db):
        for p in previous:
            form = get_form(p.form_id, p.form_version)
            if current_submission(db, unit.id, form.id, p.year) is not None:
                continue
            draft = create_draft(db, unit.id, form, p.year, source=FROM_SIGNED_FILE if signed else FROM_PLAIN_PROFILE)
            if signed:
                set_values(db, draft.id, p.values, who=_("Stadt (Einrichtungsdatei)"))
                set_state(db, draft.id, State.APPROVED)
            else:
                set_values(db, draft.id, p.values, who=_("Profildatei (nicht unterschrieben)"))
        settings.set_role(db, settings.HOLDER)
        settings.set_institution_id(db, unit.id)
    return unit


def read_small(path: Path, limit: int = MAX_SETUP_BYTES) -> bytes:
    try:
        if path.stat().st_size > limit:
            raise SubmissionFileError(_("{name} ist zu groß für eine Datei der Stadt.").format(name=path.name))
        return path.read_bytes()
    except OSError as exc:
        raise SubmissionFileError(_("{name} kann nicht gelesen werden ({err}).").format(
            name=path.name, err=exc.strerror)) from exc


def setup_from_file(db: Database, path: Path, passphrase: str | None = None) -> OrgUnit:
    """A signed setup file (first setup or yearly update), or the plain profile file of the first version."""
    raw = read_small(path)
    if not is_setup_file(raw):
        if trusted_officer_keys(db) or settings.institution_id(db) is not None:
            # Anybody can write a plain profile: once this program is set up, only the town's signed files count.
            raise SubmissionFileError(_("Diese Datei ist nicht unterschrieben und kann darum eine schon eingerichtete "
                                        "Einrichtung nicht ändern. Änderungen kommen nur als Einrichtungsdatei oder "
                                        "Aktualisierung der Stadt (Endung .imsetup)."))
        profile = read_profile(path)
        return setup_institution(db, profile.institution, profile.previous, signed=False)
    try:
        holder_key = signing_key(db)
    except StoreError:
        # A backup restored on another computer: its key cannot be unsealed here. A first setup file, with its
        # passphrase, still opens and brings a new key; an update says that it cannot be opened.
        holder_key = None
    contents = open_setup_file(raw, passphrase, trusted_officer_keys(db), holder_key=holder_key,
                               last_sequence=settings.last_setup_sequence(db))
    current = settings.institution_id(db)
    if current is not None and current != contents.institution.id:
        raise SubmissionFileError(_("Diese Datei ist für {name}, dieses Programm ist aber für eine andere "
                                    "Einrichtung eingerichtet.").format(name=contents.institution.name))
    for file_name, text in contents.forms:
        register_definition(text, file_name)
    with write(db):
        for file_name, text in contents.forms:
            form = register_definition(text, file_name)
            store_definition(db, form.id, form.version, file_name, text)
        unit = setup_institution(db, contents.institution, contents.previous)
        if contents.signing_key is not None:
            settings.set_signing_key(db, contents.signing_key.encode().hex())
        # The file says which officer keys to trust from now on: a rotation replaces the old set, it does not add.
        settings.set_trusted_officer_keys(db, list(contents.trusted_verify_keys))
        settings.set_officer_public(db, contents.officer.as_dict())
        settings.set_last_setup_sequence(db, contents.sequence)
        if contents.schools:
            settings.set_school_list(db, contents.schools)
    return unit


def take_receipt(db: Database, path: Path) -> Receipt:
    receipt = open_receipt(read_small(path, 1024 * 1024), trusted_officer_keys(db))
    if receipt.institution_id != settings.institution_id(db):
        raise SubmissionFileError(_("Diese Eingangsbestätigung ist für eine andere Einrichtung."))
    keep_receipt(db, receipt.form_id, receipt.year, receipt.revision,
                 StoredReceipt(receipt.outcome, receipt.message, tuple(receipt.flags), receipt.at))
    return receipt


