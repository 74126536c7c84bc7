"""The officer's answer to a submission: accepted (with the flags raised) or not, signed by the officer."""

from __future__ import annotations

from dataclasses import dataclass

from common.file_names import file_name_for
from common.i18n import _
from sync.errors import SubmissionFileError
from sync.keys import OfficerKeys
from sync.signed_file import pack, read_header, verified_body, verify_key_from_hex
from sync.submission_file import checked_id

MAGIC = b"IMON-QUITTUNG-1\n"
SUFFIX = ".imquittung"
WHAT = "Eingangsbestätigung"


@dataclass(frozen=True)
class Receipt:
    institution_id: str
    form_id: str
    year: int
    revision: int
    content_hash: str
    outcome: str
    message: str
    flags: tuple[str, ...]
    at: str


def make_receipt(keys: OfficerKeys, receipt: Receipt) -> bytes:
    body = {"institution_id": receipt.institution_id, "form_id": receipt.form_id, "year": receipt.year,
            "revision": receipt.revision, "content_hash": receipt.content_hash, "outcome": receipt.outcome,
            "message": receipt.message, "flags": list(receipt.flags), "at": receipt.at}
    return pack(MAGIC, {"officer_verify_key": keys.public.as_dict()["verify_key"]}, body, keys.signing)


def receipt_name(receipt: Receipt) -> str:
    r = receipt
    return file_name_for(f"Quittung_{r.institution_id}_{r.form_id}_{r.year}_Fassung{r.revision}", SUFFIX)


def open_receipt(raw: bytes, trusted_verify_keys: list[str]) -> Receipt:
    header, header_line, signature, body = read_header(raw, MAGIC, WHAT)
    signer = header.get("officer_verify_key")
    if signer not in trusted_verify_keys:
        raise SubmissionFileError(_("Diese Eingangsbestätigung stammt nicht vom Integrationsbüro, dem dieses "
                                    "Programm vertraut."))
    data = verified_body(verify_key_from_hex(signer, WHAT), header_line, signature, body, WHAT)
    try:
        institution_id = checked_id(data["institution_id"])
        form_id = checked_id(data["form_id"], institution=False)
        return Receipt(institution_id=institution_id, form_id=form_id,
                       year=int(data["year"]), revision=int(data["revision"]), content_hash=str(data["content_hash"]),
                       outcome=str(data["outcome"]), message=str(data["message"]),
                       flags=tuple(str(f) for f in data["flags"]), at=str(data["at"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise SubmissionFileError(_("Die Eingangsbestätigung ist beschädigt.")) from exc
