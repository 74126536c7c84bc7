"""The officer's side of the exchange: the workspace's keys, setup files for institutions, key backups."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from nacl.signing import SigningKey, VerifyKey

import sync.keys
from common.i18n import _
from common.ids import is_valid_id
from forms.catalog import definition_files, shipped_forms
from store import settings
from store.database import Database, now, write
from store.errors import StoreError
from store.files import describe_write_error, write_atomically
from store.form_definitions import stored_definitions
from store.keys import institution_keys as stored_keys
from store.keys import replace_key
from store.orgunits import bezirke, get_org_unit, school_directory, town_name
from store.submissions import baseline_submissions_of, load_values
from sync.errors import SubmissionFileError
from sync.keys import OfficerKeys, new_passphrase
from sync.passphrase_strength import passphrase_problem
from sync.profile_file import PreviousSubmission
from sync.sealed_file import InstitutionKey
from sync.setup_file import make_setup_file

LOSS_WARNING = ("Ohne diese Sicherung und das Kennwort kann niemand die eingegangenen Meldungen öffnen, und alle "
                "Einrichtungen brauchen neue Einrichtungsdateien, wenn dieser Rechner ausfällt. Bitte die Datei "
                "auf einem USB-Stick an einem sicheren Ort aufbewahren, getrennt vom Kennwort.")


@dataclass(frozen=True)
class ExchangeFolders:
    archive: Path
    quarantine: Path
    outbox: Path
    inbox: Path


def exchange_folders(db_path: Path) -> ExchangeFolders:
    """Beside the database: accepted originals, refused files with their reasons, receipts for the holders."""
    base = Path(db_path).resolve().parent / "Integrationsmonitor-Dateien"
    return ExchangeFolders(base / "Archiv", base / "Quarantaene", base / "Antworten", base / "Eingang")


def init_officer(db: Database, passphrase: str) -> OfficerKeys:
    if settings.protected_officer_keys(db):
        raise StoreError(_("Dieser Arbeitsbereich hat schon Schlüssel des Integrationsbüros. Sie werden nicht "
                           "ersetzt, sonst ließen sich eingehende Meldungen nicht mehr öffnen."))
    problem = passphrase_problem(passphrase, [town_name(db), *(name for _id, name in bezirke(db))])
    if problem:
        raise StoreError(problem)
    keys = OfficerKeys.generate()
    with write(db):
        settings.set_protected_officer_keys(db, keys.protected(passphrase))
        settings.set_role(db, settings.OFFICER)
    return keys


def _protected(db: Database) -> dict:
    stored = settings.protected_officer_keys(db)
    if not stored:
        raise StoreError(_("Dieser Arbeitsbereich hat noch keine Schlüssel des Integrationsbüros. Bitte zuerst "
                           "„officer init“ ausführen bzw. den Arbeitsbereich einrichten."))
    return stored


def unlock_officer(db: Database, passphrase: str) -> OfficerKeys:
    stored = _protected(db)
    keys = OfficerKeys.unlock(stored, passphrase)
    if int(stored["opslimit"]) < sync.keys.OFFICER_OPSLIMIT or int(stored["memlimit"]) < sync.keys.OFFICER_MEMLIMIT:
        # Protected by an earlier version with the weaker interactive limits: from now on with the moderate ones,
        # so a backup made from here on costs an attacker several times more per guess.
        settings.set_protected_officer_keys(db, keys.protected(passphrase))
    return keys


def export_key_backup(db: Database, path: Path) -> Path:
    """The keys as stored: still protected by the officer's passphrase."""
    data = json.dumps({"format": "integrationsmonitor-schluesselsicherung", "keys": _protected(db)}, indent=1)
    try:
        write_atomically(path, data.encode())
    except OSError as exc:
        raise SubmissionFileError(describe_write_error(exc, path, _("Die Schlüsselsicherung"))) from exc
    return path


def institution_keys(db: Database, org_unit_id: str) -> list[InstitutionKey]:
    return [InstitutionKey(VerifyKey(bytes.fromhex(key)), revoked=revoked)
            for key, revoked in stored_keys(db, org_unit_id)]


def _previous(db: Database, org_unit_id: str) -> list[PreviousSubmission]:
    """The earlier values the setup file carries: approved ones only, never an unchecked arrival."""
    return [PreviousSubmission(s.form_id, s.form_version, s.year, load_values(db, s.id))
            for s in baseline_submissions_of(db, org_unit_id)]


def _forms(db: Database, kind: str) -> list[tuple[str, str]]:
    """The definitions of the institution's own kind; the town's official statistics stay with the officer."""
    kinds = {f.source_file: f.kind for f in shipped_forms()}
    shipped = [(p.name, p.read_text(encoding="utf-8")) for p in definition_files() if kinds.get(p.name) == kind]
    return shipped + stored_definitions(db)


def write_setup_file(db: Database, keys: OfficerKeys, org_unit_id: str, out: Path, first: bool = True) -> str | None:
    """Writes a first setup file (returns its one-time passphrase) or an update (returns None).

    A first setup gives the institution a new signing key; its earlier keys are revoked, so a lost or copied
    laptop cannot send in its name any more."""
    unit = get_org_unit(db, org_unit_id)
    if not is_valid_id(unit.id):
        raise SubmissionFileError(_("Die Kennung „{id}“ von {name} passt nicht in Dateien (erlaubt sind Buchstaben "
                                    "ohne Umlaute, Ziffern, „-“, „_“ und „.“): bitte im Verzeichnis ändern.").format(
                                        id=unit.id, name=unit.name))
    passphrase = signing_key = recipient = None
    if first:
        passphrase, signing_key = new_passphrase(), SigningKey.generate()
    else:
        # An update is sealed to the institution's current key, so only its program can read the figures in it.
        current = [key for key, revoked in stored_keys(db, org_unit_id) if not revoked]
        if not current:
            raise SubmissionFileError(_("{name} hat noch keine Einrichtungsdatei bekommen: bitte zuerst eine "
                                        "Einrichtungsdatei (mit Kennwort) erstellen.").format(name=unit.name))
        recipient = VerifyKey(bytes.fromhex(current[-1]))
    schools = school_directory(db) if unit.kind == "schule" else {}
    # Each file of an institution gets a higher number: its program refuses one older than the last it read. The
    # clock is the floor, so a workspace rebuilt from the key backup (counter lost) still writes newer files.
    sequence = settings.next_setup_sequence(db, org_unit_id, at_least=int(time.time()))
    data = make_setup_file(keys, unit, _forms(db, unit.kind), _previous(db, org_unit_id), now(), sequence=sequence,
                           signing_key=signing_key, passphrase=passphrase, recipient=recipient, schools=schools)
    try:
        write_atomically(out, data)
    except OSError as exc:
        raise SubmissionFileError(describe_write_error(exc, out, _("Die Einrichtungsdatei"))) from exc
    if signing_key is not None:
        replace_key(db, org_unit_id, signing_key.verify_key.encode().hex())
    return passphrase
