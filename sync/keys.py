"""Keys: the officer's pair of keys, an institution's signing key, and secrets protected by a passphrase.

PyNaCl does the cryptography: Ed25519 signatures, X25519 sealed boxes, argon2id for passphrases and
XSalsa20-Poly1305 (SecretBox) for what a passphrase protects.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from nacl import pwhash, utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey
from nacl.secret import SecretBox
from nacl.signing import SigningKey, VerifyKey

from common.errors import UserError
from common.i18n import _

# argon2id "interactive" limits: about 0.1 s and 64 MiB; the file records them so they can be raised later.
# Enough for the one-time passphrases of setup files (100 random bits).
OPSLIMIT = pwhash.argon2id.OPSLIMIT_INTERACTIVE
MEMLIMIT = pwhash.argon2id.MEMLIMIT_INTERACTIVE
# The officer's keys and their backup are protected by a passphrase a person chose: "moderate" limits (about 0.7 s
# and 256 MiB per guess). Keys protected earlier with the interactive limits still open: the limits are read from
# what was stored.
OFFICER_OPSLIMIT = pwhash.argon2id.OPSLIMIT_MODERATE
OFFICER_MEMLIMIT = pwhash.argon2id.MEMLIMIT_MODERATE
MAX_OPSLIMIT = pwhash.argon2id.OPSLIMIT_SENSITIVE
MAX_MEMLIMIT = pwhash.argon2id.MEMLIMIT_SENSITIVE
# Without 0/O and 1/l/I, so it can be read out on the phone and typed from a letter.
PASSPHRASE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


class KeyProblem(UserError):
    """A key or a passphrase does not fit."""


class WrongPassphrase(KeyProblem):
    pass


def new_passphrase(groups: int = 5) -> str:
    """A one-time passphrase like "k7mq-2xwd-…": 5 groups of 4 from 32 characters, 100 bits."""
    return "-".join("".join(secrets.choice(PASSPHRASE_ALPHABET) for _i in range(4)) for _g in range(groups))


def _normalised(passphrase: str) -> bytes:
    # People add spaces, capitals or forget the dashes when typing from a letter.
    return "".join(passphrase.lower().split()).replace("-", "").encode()


def protect(secret: bytes, passphrase: str, opslimit: int | None = None, memlimit: int | None = None) -> dict:
    opslimit, memlimit = opslimit or OPSLIMIT, memlimit or MEMLIMIT
    salt = utils.random(pwhash.argon2id.SALTBYTES)
    key = pwhash.argon2id.kdf(SecretBox.KEY_SIZE, _normalised(passphrase), salt, opslimit=opslimit, memlimit=memlimit)
    return {"kdf": "argon2id", "opslimit": opslimit, "memlimit": memlimit, "salt": salt.hex(),
            "box": SecretBox(key).encrypt(secret).hex()}


def unprotect(protected: dict, passphrase: str) -> bytes:
    try:
        box = bytes.fromhex(protected["box"])
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyProblem(_("Der geschützte Schlüssel ist beschädigt.")) from exc
    key = derive_key(protected, passphrase)
    try:
        return SecretBox(key).decrypt(box)
    except CryptoError as exc:
        raise wrong_passphrase() from exc


# A setup file comes from outside and names its own limits: it may ask for no more than the program writes
# (the "interactive" limits), so a forged file cannot make the holder's computer spend a GiB and seconds on it.
SETUP_MAX_OPSLIMIT = pwhash.argon2id.OPSLIMIT_INTERACTIVE
SETUP_MAX_MEMLIMIT = pwhash.argon2id.MEMLIMIT_INTERACTIVE


def new_kdf(max_opslimit: int = MAX_OPSLIMIT, max_memlimit: int = MAX_MEMLIMIT) -> dict:
    """The argon2id parameters for a new secret: a fresh salt and the program's limits (never above the maxima)."""
    return {"kdf": "argon2id", "opslimit": min(OPSLIMIT, max_opslimit), "memlimit": min(MEMLIMIT, max_memlimit),
            "salt": utils.random(pwhash.argon2id.SALTBYTES).hex()}


def derive_key(kdf: dict, passphrase: str, max_opslimit: int = MAX_OPSLIMIT, max_memlimit: int = MAX_MEMLIMIT
               ) -> bytes:
    """The SecretBox key for a passphrase; the parameters are checked against the maxima before any work."""
    try:
        opslimit, memlimit = int(kdf["opslimit"]), int(kdf["memlimit"])
        # The limits libsodium accepts too: below them argon2id raises instead of saying the file is damaged.
        if kdf.get("kdf") != "argon2id" or not (
                pwhash.argon2id.OPSLIMIT_MIN <= opslimit <= max_opslimit
                and pwhash.argon2id.MEMLIMIT_MIN <= memlimit <= max_memlimit):
            raise ValueError("limits")
        salt = bytes.fromhex(kdf["salt"])
        if len(salt) != pwhash.argon2id.SALTBYTES:
            raise ValueError("salt")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise KeyProblem(_("Der geschützte Schlüssel ist beschädigt.")) from exc
    return pwhash.argon2id.kdf(SecretBox.KEY_SIZE, _normalised(passphrase), salt, opslimit=opslimit,
                               memlimit=memlimit)


def wrong_passphrase() -> WrongPassphrase:
    return WrongPassphrase(_("Das Kennwort stimmt nicht. Bitte genau so eingeben, wie es mitgeteilt wurde "
                             "(Groß- und Kleinschreibung und Bindestriche spielen keine Rolle)."))


@dataclass(frozen=True)
class OfficerKeys:
    """The officer's secret keys: one signs setup files and receipts, one opens sealed submissions."""

    signing: SigningKey
    box: PrivateKey

    @classmethod
    def generate(cls) -> OfficerKeys:
        return cls(SigningKey.generate(), PrivateKey.generate())

    @property
    def public(self) -> OfficerPublic:
        return OfficerPublic(self.signing.verify_key, self.box.public_key)

    def protected(self, passphrase: str) -> dict:
        secret = json.dumps({"signing": self.signing.encode().hex(), "box": self.box.encode().hex()}).encode()
        return {**protect(secret, passphrase, OFFICER_OPSLIMIT, OFFICER_MEMLIMIT), **self.public.as_dict()}

    @classmethod
    def unlock(cls, protected: dict, passphrase: str) -> OfficerKeys:
        secret = json.loads(unprotect(protected, passphrase))
        return cls(SigningKey(bytes.fromhex(secret["signing"])), PrivateKey(bytes.fromhex(secret["box"])))


@dataclass(frozen=True)
class OfficerPublic:
    verify: VerifyKey
    box: PublicKey

    def as_dict(self) -> dict:
        return {"verify_key": self.verify.encode().hex(), "box_key": self.box.encode().hex()}

    @classmethod
    def from_dict(cls, data: dict) -> OfficerPublic:
        try:
            return cls(VerifyKey(bytes.fromhex(data["verify_key"])), PublicKey(bytes.fromhex(data["box_key"])))
        except (KeyError, TypeError, ValueError, CryptoError) as exc:
            raise KeyProblem(_("Die öffentlichen Schlüssel des Integrationsbüros sind beschädigt.")) from exc

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.verify.encode())


def fingerprint(key: bytes) -> str:
    """Short enough to compare on the phone: the first 16 hex digits of the key's hash, in groups of four."""
    import hashlib

    digest = hashlib.sha256(key).hexdigest()[:16].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))
