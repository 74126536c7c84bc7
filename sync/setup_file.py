"""The setup file the officer gives an institution, and the yearly update signed with the same officer key.

A first setup carries the institution's signing key protected by a one-time passphrase (argon2id). The
passphrase also protects which officer key to trust, so a forged file with another officer key cannot pass.
An update needs no passphrase: it must be signed by an officer key the holder already trusts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from nacl.signing import SigningKey

from common.i18n import _
from store.orgunits import OrgUnit
from sync.errors import SubmissionFileError
from sync.keys import OfficerKeys, OfficerPublic, protect, unprotect
from sync.profile_file import UNIT_FIELDS, PreviousSubmission, parse_institution, parse_previous
from sync.signed_file import pack, read_header, verified_body, verify_key_from_hex
from sync.submission_file import value_entry

MAGIC = b"IMON-EINRICHTUNG-1\n"
SUFFIX = ".imsetup"
FIRST, UPDATE = "einrichtung", "aktualisierung"
WHAT = "Einrichtungsdatei"


@dataclass(frozen=True)
class SetupContents:
    kind: str
    institution: OrgUnit
    officer: OfficerPublic
    signing_key: SigningKey | None
    forms: tuple[tuple[str, str], ...]
    previous: tuple[PreviousSubmission, ...]
    issued_at: str
    schools: dict[str, str] | None = None  # Schulnummer → Schulform; None in files from before this list


def make_setup_file(keys: OfficerKeys, institution: OrgUnit, forms: list[tuple[str, str]],
                    previous: list[PreviousSubmission], issued_at: str, signing_key: SigningKey | None = None,
                    passphrase: str | None = None, schools: dict[str, str] | None = None) -> bytes:
    """A first setup when a signing key and passphrase are given, otherwise an update."""
    officer = keys.public.as_dict()
    header: dict = {"kind": UPDATE, "officer_verify_key": officer["verify_key"], "protected": None}
    if signing_key is not None:
        secret = json.dumps({"signing_key": signing_key.encode().hex(), "officer_verify_key": officer["verify_key"],
                             "institution_id": institution.id}).encode()
        header = {"kind": FIRST, "officer_verify_key": officer["verify_key"], "protected": protect(secret, passphrase)}
    body = {
        "institution": {name: getattr(institution, name) for name in UNIT_FIELDS},
        "officer": officer,
        "forms": [{"file": name, "text": text} for name, text in forms],
        "previous": [{"form": {"id": p.form_id, "version": p.form_version}, "year": p.year,
                      "values": [value_entry(a, v) for a, v in sorted(p.values.items())]} for p in previous],
        "issued_at": issued_at,
    }
    if schools:
        body["schools"] = dict(sorted(schools.items()))
    return pack(MAGIC, header, body, keys.signing)


def is_setup_file(raw: bytes) -> bool:
    return raw.startswith(MAGIC)


def needs_passphrase(raw: bytes) -> bool:
    header, *_rest = read_header(raw, MAGIC, WHAT)
    return header.get("kind") == FIRST


def open_setup_file(raw: bytes, passphrase: str | None, trusted_verify_keys: list[str]) -> SetupContents:
    header, header_line, signature, body = read_header(raw, MAGIC, WHAT)
    kind, signer_hex = header.get("kind"), header.get("officer_verify_key")
    signing_key = None
    expected_institution = None
    if kind == FIRST:
        if not passphrase:
            raise SubmissionFileError(_("Für diese Einrichtungsdatei wird das Kennwort gebraucht, das die Stadt "
                                        "Ihnen getrennt mitgeteilt hat."))
        secret = json.loads(unprotect(header.get("protected") or {}, passphrase))
        if secret.get("officer_verify_key") != signer_hex:
            raise SubmissionFileError(_("Die Einrichtungsdatei ist nicht echt: der Schlüssel des Integrationsbüros "
                                        "passt nicht zum Kennwort."))
        signing_key = SigningKey(bytes.fromhex(secret["signing_key"]))
        expected_institution = secret.get("institution_id")
    elif kind == UPDATE:
        if signer_hex not in trusted_verify_keys:
            raise SubmissionFileError(_("Diese Aktualisierung ist nicht mit dem Schlüssel des Integrationsbüros "
                                        "unterschrieben, dem dieses Programm vertraut. Bitte bei der Stadt "
                                        "nachfragen."))
    else:
        raise SubmissionFileError(_("Die Einrichtungsdatei ist beschädigt."))
    data = verified_body(verify_key_from_hex(signer_hex, WHAT), header_line, signature, body, WHAT)
    if not isinstance(data, dict) or not isinstance(data.get("forms"), list):
        raise SubmissionFileError(_("Die Einrichtungsdatei ist beschädigt."))
    institution = parse_institution(data.get("institution"))
    if expected_institution is not None and institution.id != expected_institution:
        raise SubmissionFileError(_("Die Einrichtungsdatei ist widersprüchlich (Einrichtung)."))
    forms = []
    for entry in data["forms"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not isinstance(
                entry.get("text"), str):
            raise SubmissionFileError(_("Die Einrichtungsdatei ist beschädigt (Formulare)."))
        forms.append((entry["file"], entry["text"]))
    previous = data.get("previous", [])
    if not isinstance(previous, list):
        raise SubmissionFileError(_("Die Einrichtungsdatei ist beschädigt (Vorjahreswerte)."))
    schools = data.get("schools")
    if schools is not None and not (isinstance(schools, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in schools.items())):
        raise SubmissionFileError(_("Die Einrichtungsdatei ist beschädigt (Schulliste)."))
    officer = OfficerPublic.from_dict(data.get("officer") or {})
    return SetupContents(kind=kind, institution=institution, officer=officer, signing_key=signing_key,
                         forms=tuple(forms), previous=tuple(parse_previous(p) for p in previous),
                         issued_at=str(data.get("issued_at", "")), schools=schools)
