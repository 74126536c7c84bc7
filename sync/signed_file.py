"""Files the officer signs (setup files, receipts): MAGIC, a small JSON header line, the hex signature, the body.

Only the header is read before the signature is checked: it names the key that signed, and for a first setup
it carries what the one-time passphrase protects. The body is parsed after the signature checks out.
"""

from __future__ import annotations

from typing import Any

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.signing import SigningKey, VerifyKey

from common.i18n import _
from sync.canonical import canonical_bytes, strict_loads
from sync.errors import SubmissionFileError

MAX_HEADER_BYTES = 8192
MAX_BODY_BYTES = 20 * 1024 * 1024


def pack(magic: bytes, header: dict, body: dict, signing_key: SigningKey) -> bytes:
    header_line = canonical_bytes(header)
    body_bytes = canonical_bytes(body)
    signature = signing_key.sign(header_line + b"\n" + body_bytes).signature.hex().encode()
    return magic + header_line + b"\n" + signature + b"\n" + body_bytes


def read_header(raw: bytes, magic: bytes, what: str) -> tuple[dict, bytes, bytes, bytes]:
    """(header, header line, signature, body bytes); nothing of the body is interpreted yet."""
    if len(raw) > MAX_BODY_BYTES:
        raise SubmissionFileError(_("{what} ist zu groß.").format(what=what))
    if not raw.startswith(magic):
        raise SubmissionFileError(_("Die Datei ist keine {what} des Integrationsmonitors.").format(what=what))
    rest = raw[len(magic):]
    header_line, sep, rest = rest[:MAX_HEADER_BYTES].partition(b"\n")
    if not sep:
        raise SubmissionFileError(_("{what} ist beschädigt oder abgeschnitten.").format(what=what))
    rest = raw[len(magic) + len(header_line) + 1:]
    signature_hex, sep, body = rest.partition(b"\n")
    try:
        signature = bytes.fromhex(signature_hex.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        signature = b""
    if not sep or len(signature) != 64:
        raise SubmissionFileError(_("{what} ist beschädigt oder abgeschnitten.").format(what=what))
    header = strict_loads(header_line)
    if not isinstance(header, dict):
        raise SubmissionFileError(_("{what} ist beschädigt.").format(what=what))
    return header, header_line, signature, body


def verified_bytes(key: VerifyKey, header_line: bytes, signature: bytes, body: bytes, what: str) -> bytes:
    """The body bytes, still uninterpreted (perhaps encrypted), once the signature over header and body checks out."""
    try:
        key.verify(header_line + b"\n" + body, signature)
    except (BadSignatureError, CryptoError) as exc:
        raise SubmissionFileError(_("Die Unterschrift der {what} stimmt nicht: die Datei wurde verändert oder stammt "
                                    "nicht vom Integrationsbüro.").format(what=what)) from exc
    return body


def verified_body(key: VerifyKey, header_line: bytes, signature: bytes, body: bytes, what: str) -> Any:
    return strict_loads(verified_bytes(key, header_line, signature, body, what))


def verify_key_from_hex(value: Any, what: str) -> VerifyKey:
    try:
        return VerifyKey(bytes.fromhex(value))
    except (TypeError, ValueError, CryptoError) as exc:
        raise SubmissionFileError(_("{what} ist beschädigt: der Schlüssel fehlt.").format(what=what)) from exc
