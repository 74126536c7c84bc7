"""The setup file the officer gives an institution, and the yearly update signed with the same officer key.

Layout (format 2): MAGIC, a JSON header line, the hex signature, then the encrypted body. The header says what
kind of file it is, which officer key signed it, for which institution, its sequence number and (first setup
only) the argon2id parameters; the signature covers the header and the encrypted body, so it is checked before
anything is derived, decrypted or parsed.

- A first setup is encrypted with a key derived from the one-time passphrase (argon2id, SecretBox). It carries
  the institution's new signing key, and which officer key signed it: a file signed again by another key does
  not pass, because only the passphrase opens what names the key.
- An update is sealed to the institution (X25519 from its Ed25519 signing key) and must be signed by an officer
  key the holder already trusts.
- Both carry a sequence number the officer raises for each file of an institution: the holder refuses one that
  is not newer than the last it read, so an old update cannot bring back an old officer key.
- Both say which officer keys to trust from then on: the set replaces the one the holder had (key rotation).

Format 1 sent the body in clear and had no sequence number: such files are refused with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import SealedBox
from nacl.secret import SecretBox
from nacl.signing import SigningKey, VerifyKey

from common.i18n import _
from common.ids import is_valid_id
from store.orgunits import OrgUnit
from sync.canonical import canonical_bytes, strict_loads
from sync.errors import SubmissionFileError
from sync.keys import (
    SETUP_MAX_MEMLIMIT,
    SETUP_MAX_OPSLIMIT,
    OfficerKeys,
    OfficerPublic,
    derive_key,
    fingerprint,
    new_kdf,
    wrong_passphrase,
)
from sync.profile_file import UNIT_FIELDS, PreviousSubmission, parse_institution, parse_previous
from sync.signed_file import read_header, verified_bytes, verify_key_from_hex
from sync.submission_file import checked_id, value_entry

MAGIC = b"IMON-EINRICHTUNG-2\n"
OLD_MAGICS = (b"IMON-EINRICHTUNG-1\n",)
FORMAT_VERSION = 2
SUFFIX = ".imsetup"
FIRST, UPDATE = "einrichtung", "aktualisierung"
WHAT = "Einrichtungsdatei"
MAX_TRUSTED_KEYS = 8


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
    sequence: int = 0
    trusted_verify_keys: tuple[str, ...] = ()  # hex; replaces the set the holder trusted before


def make_setup_file(keys: OfficerKeys, institution: OrgUnit, forms: list[tuple[str, str]],
                    previous: list[PreviousSubmission], issued_at: str, *, sequence: int,
                    signing_key: SigningKey | None = None, passphrase: str | None = None,
                    recipient: VerifyKey | None = None, schools: dict[str, str] | None = None,
                    officer: OfficerPublic | None = None) -> bytes:
    """A first setup when a signing key and passphrase are given, otherwise an update sealed to `recipient`
    (the institution's current verify key). `officer` introduces other public keys than the signing ones (a key
    rotation): from then on the holder trusts only those."""
    announced = (officer or keys.public).as_dict()
    signer = keys.public.as_dict()["verify_key"]
    body: dict[str, Any] = {
        "institution": {name: getattr(institution, name) for name in UNIT_FIELDS},
        "officer": announced,
        "trusted_verify_keys": [announced["verify_key"]],
        "officer_verify_key": signer,
        "forms": [{"file": name, "text": text} for name, text in forms],
        "previous": [{"form": {"id": p.form_id, "version": p.form_version}, "year": p.year,
                      "values": [value_entry(a, v) for a, v in sorted(p.values.items())]} for p in previous],
        "issued_at": issued_at,
    }
    if schools:
        body["schools"] = dict(sorted(schools.items()))
    header: dict[str, Any] = {"format_version": FORMAT_VERSION, "officer_verify_key": signer,
                              "institution_id": institution.id, "sequence": sequence}
    if signing_key is not None:
        if not passphrase:
            raise ValueError("a first setup needs its passphrase")
        body["signing_key"] = signing_key.encode().hex()
        kdf = new_kdf(SETUP_MAX_OPSLIMIT, SETUP_MAX_MEMLIMIT)
        header.update(kind=FIRST, kdf=kdf)
        secret = bytes(SecretBox(derive_key(kdf, passphrase, SETUP_MAX_OPSLIMIT, SETUP_MAX_MEMLIMIT)).encrypt(
            canonical_bytes(body)))
    else:
        if recipient is None:
            raise ValueError("an update needs the institution's key")
        header.update(kind=UPDATE, kdf=None)
        secret = SealedBox(recipient.to_curve25519_public_key()).encrypt(canonical_bytes(body))
    header_line = canonical_bytes(header)
    signature = keys.signing.sign(header_line + b"\n" + secret).signature.hex().encode()
    return MAGIC + header_line + b"\n" + signature + b"\n" + secret


def is_setup_file(raw: bytes) -> bool:
    return raw.startswith((MAGIC, *OLD_MAGICS))


def _header(raw: bytes) -> tuple[dict, bytes, bytes, bytes]:
    if raw.startswith(OLD_MAGICS):
        raise SubmissionFileError(_("Diese Einrichtungsdatei ist in einem älteren Format geschrieben, das "
                                    "unverschlüsselt war und nicht mehr gelesen wird. Bitte bei der Stadt eine neue "
                                    "Einrichtungsdatei anfordern."))
    return read_header(raw, MAGIC, WHAT)


def needs_passphrase(raw: bytes) -> bool:
    if raw.startswith(OLD_MAGICS):
        return False  # open_setup_file says why it is refused; nobody should type a passphrase for that first
    header, *_rest = _header(raw)
    return header.get("kind") == FIRST


def officer_fingerprint(raw: bytes) -> str | None:
    """The fingerprint of the officer key that signed the file, to compare on the phone; None if it names none."""
    try:
        header, *_rest = _header(raw)
        return fingerprint(verify_key_from_hex(header.get("officer_verify_key"), WHAT).encode())
    except SubmissionFileError:
        return None


def _damaged(what: str | None = None) -> SubmissionFileError:
    if what is None:
        return SubmissionFileError(_("Die Einrichtungsdatei ist beschädigt."))
    return SubmissionFileError(_("Die Einrichtungsdatei ist beschädigt ({what}).").format(what=what))


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def open_setup_file(raw: bytes, passphrase: str | None, trusted_verify_keys: list[str],
                    holder_key: SigningKey | None = None, last_sequence: int | None = None) -> SetupContents:
    """Checks, in this order and before anything costly: the header, whether an update's key is trusted, the
    signature, whether the file is newer than `last_sequence`, the argon2id limits; then decrypts and parses."""
    header, header_line, signature, secret = _header(raw)
    kind, signer_hex, sequence = header.get("kind"), header.get("officer_verify_key"), header.get("sequence")
    if header.get("format_version") != FORMAT_VERSION or kind not in (FIRST, UPDATE):
        raise _damaged()
    if not _is_int(sequence) or sequence < 0:
        raise _damaged()
    checked_id(header.get("institution_id"))
    trusted_signer = signer_hex in trusted_verify_keys
    if kind == UPDATE and not trusted_signer:
        raise SubmissionFileError(_("Diese Aktualisierung ist nicht mit dem Schlüssel des Integrationsbüros "
                                    "unterschrieben, dem dieses Programm vertraut. Bitte bei der Stadt "
                                    "nachfragen."))
    verified_bytes(verify_key_from_hex(signer_hex, WHAT), header_line, signature, secret, WHAT)
    if trusted_signer and last_sequence is not None and sequence <= last_sequence:
        # Signed by the key this program trusts, so the number is the town's: an old file sent again.
        if kind == UPDATE:
            raise SubmissionFileError(_("Diese Aktualisierung ist älter als die zuletzt eingelesene oder dieselbe "
                                        "und wird darum nicht übernommen. Bitte die neueste Datei der Stadt "
                                        "verwenden."))
        raise SubmissionFileError(_("Diese Einrichtungsdatei ist älter als die zuletzt eingelesene oder dieselbe "
                                    "und wird darum nicht übernommen. Bitte die neueste Datei der Stadt verwenden."))
    plain = _open_first(header, secret, passphrase) if kind == FIRST else _open_update(secret, holder_key)
    data = strict_loads(plain)
    if not isinstance(data, dict) or not isinstance(data.get("forms"), list):
        raise _damaged()
    if data.get("officer_verify_key") != signer_hex:
        # Only the passphrase (or the institution's key) opens the body: a file signed again by another key fails.
        raise SubmissionFileError(_("Die Einrichtungsdatei ist nicht echt: der Schlüssel des Integrationsbüros "
                                    "passt nicht zum Inhalt."))
    institution = parse_institution(data.get("institution"))
    if institution.id != header["institution_id"]:
        raise SubmissionFileError(_("Die Einrichtungsdatei ist widersprüchlich (Einrichtung)."))
    signing_key = None
    if kind == FIRST:
        try:
            signing_key = SigningKey(bytes.fromhex(data["signing_key"]))
        except (KeyError, TypeError, ValueError, CryptoError) as exc:
            raise _damaged(_("Schlüssel")) from exc
    forms = []
    for entry in data["forms"]:
        if not isinstance(entry, dict) or not is_valid_id(entry.get("file")) or not isinstance(
                entry.get("text"), str):
            raise _damaged(_("Formulare"))
        forms.append((entry["file"], entry["text"]))
    previous = data.get("previous", [])
    if not isinstance(previous, list):
        raise _damaged(_("Vorjahreswerte"))
    schools = data.get("schools")
    if schools is not None and not (isinstance(schools, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in schools.items())):
        raise _damaged(_("Schulliste"))
    officer = OfficerPublic.from_dict(data.get("officer") or {})
    trusted = data.get("trusted_verify_keys")
    if not isinstance(trusted, list) or not 0 < len(trusted) <= MAX_TRUSTED_KEYS or not all(
            isinstance(k, str) and len(k) == 64 for k in trusted) or officer.as_dict()["verify_key"] not in trusted:
        raise _damaged(_("Schlüssel des Integrationsbüros"))
    for key in trusted:
        verify_key_from_hex(key, WHAT)
    return SetupContents(kind=kind, institution=institution, officer=officer, signing_key=signing_key,
                         forms=tuple(forms), previous=tuple(parse_previous(p) for p in previous),
                         issued_at=str(data.get("issued_at", "")), schools=schools, sequence=sequence,
                         trusted_verify_keys=tuple(trusted))


def _open_first(header: dict, secret: bytes, passphrase: str | None) -> bytes:
    if not passphrase:
        raise SubmissionFileError(_("Für diese Einrichtungsdatei wird das Kennwort gebraucht, das die Stadt "
                                    "Ihnen getrennt mitgeteilt hat."))
    kdf = header.get("kdf")
    if not isinstance(kdf, dict):
        raise _damaged()
    # The limits are checked before argon2id runs: no more than the program itself writes.
    key = derive_key(kdf, passphrase, SETUP_MAX_OPSLIMIT, SETUP_MAX_MEMLIMIT)
    try:
        return SecretBox(key).decrypt(secret)
    except CryptoError as exc:
        raise wrong_passphrase() from exc


def _open_update(secret: bytes, holder_key: SigningKey | None) -> bytes:
    if holder_key is None:
        raise SubmissionFileError(_("Diese Aktualisierung ist für eine schon eingerichtete Einrichtung. Bitte "
                                    "zuerst die Einrichtungsdatei mit dem Kennwort einlesen."))
    try:
        return SealedBox(holder_key.to_curve25519_private_key()).decrypt(secret)
    except CryptoError as exc:
        raise SubmissionFileError(_("Diese Aktualisierung lässt sich nicht öffnen: sie ist für einen anderen "
                                    "Schlüssel dieser Einrichtung verschlüsselt (etwa vor einer neuen "
                                    "Einrichtungsdatei geschrieben). Bitte bei der Stadt eine neue Aktualisierung "
                                    "anfordern.")) from exc
