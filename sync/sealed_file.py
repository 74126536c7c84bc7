"""The sealed submission file: the submission body signed by the institution, then sealed to the officer.

Layout: MAGIC, then SealedBox(officer) over: institution id, "\\n", Ed25519 signature (64 bytes), body.
The signature covers the id and the body. The officer opens the seal, looks up the institution's keys by the
id, checks the signature, and only then parses the JSON body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from common.i18n import _
from common.ids import is_valid_id
from store.submissions import Submission
from sync.errors import SubmissionFileError
from sync.submission_file import MAX_FILE_BYTES, decode, encode, write_verified

MAGIC = b"IMON-MELDUNG-2\n"


@dataclass(frozen=True)
class InstitutionKey:
    verify: VerifyKey
    revoked: bool = False


KeyLookup = Callable[[str], list[InstitutionKey]]


def seal(submission: Submission, signing_key: SigningKey, officer_box: PublicKey) -> bytes:
    body = encode(submission)
    institution = submission.org_unit_id.encode()
    if not is_valid_id(institution):
        raise SubmissionFileError(_("Die Kennung der Einrichtung „{id}“ ist für eine Meldungsdatei ungeeignet.").format(
            id=submission.org_unit_id))
    signature = signing_key.sign(institution + b"\n" + body).signature
    return MAGIC + SealedBox(officer_box).encrypt(institution + b"\n" + signature + body)


def is_sealed(raw: bytes) -> bool:
    return raw.startswith(MAGIC)


def unseal(raw: bytes, officer_box: PrivateKey, keys_of: KeyLookup) -> Submission:
    """Opens, verifies and reads a sealed file; every failure is a SubmissionFileError with the reason."""
    if len(raw) > MAX_FILE_BYTES:
        raise SubmissionFileError(_("Die Datei ist zu groß für eine Meldungsdatei."))
    if not raw.startswith(MAGIC):
        raise SubmissionFileError(_("Die Datei ist keine versiegelte Meldungsdatei des Integrationsmonitors."))
    try:
        inner = SealedBox(officer_box).decrypt(raw[len(MAGIC):])
    except CryptoError as exc:
        raise SubmissionFileError(_("Die Datei lässt sich nicht öffnen: sie ist für ein anderes Integrationsbüro "
                                    "verschlüsselt, verändert oder beschädigt.")) from exc
    head, _sep, rest = inner[:100].partition(b"\n")
    if not _sep or not is_valid_id(head) or len(inner) < len(head) + 1 + 64:
        raise SubmissionFileError(_("Die Datei ist beschädigt: die Einrichtung fehlt."))
    institution = head.decode()
    signature = inner[len(head) + 1:len(head) + 65]
    body = inner[len(head) + 65:]
    keys = keys_of(institution)
    if not keys:
        raise SubmissionFileError(_("Für die Einrichtung „{id}“ ist kein Schlüssel hinterlegt: sie ist nicht im "
                                    "Verzeichnis oder hat noch keine Einrichtungsdatei bekommen.").format(
                                        id=institution))
    signed = head + b"\n" + body
    matching = [k for k in keys if _verifies(k.verify, signed, signature)]
    if not matching:
        raise SubmissionFileError(_("Die Unterschrift passt nicht zur Einrichtung „{id}“: die Datei wurde verändert "
                                    "oder stammt nicht von ihr.").format(id=institution))
    if all(k.revoked for k in matching):
        raise SubmissionFileError(_("Die Datei ist mit einem gesperrten Schlüssel der Einrichtung „{id}“ "
                                    "unterschrieben. Bitte die Einrichtung mit ihrer neuen Einrichtungsdatei neu "
                                    "exportieren lassen.").format(id=institution))
    submission = decode(body)
    if submission.org_unit_id != institution:
        raise SubmissionFileError(_("Die Datei ist widersprüchlich: außen „{a}“, innen „{b}“.").format(
            a=institution, b=submission.org_unit_id))
    return submission


def _verifies(key: VerifyKey, message: bytes, signature: bytes) -> bool:
    try:
        key.verify(message, signature)
    except BadSignatureError:
        return False
    return True


def write_sealed(submission: Submission, path, signing_key: SigningKey, officer_box: PublicKey) -> Submission:
    """The holder cannot open the seal, so the written bytes are compared, not parsed."""
    from pathlib import Path

    write_verified(Path(path), seal(submission, signing_key, officer_box))
    return decode(encode(submission))
