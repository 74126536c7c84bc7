"""The secret of this computer's user account that seals the holder's signing key in the database.

The signing key must not lie in the database in clear: a backup on a USB stick or a copied database would then be
enough to send files in the institution's name. It is stored sealed (XSalsa20-Poly1305) with a random 32-byte
secret kept outside every database, in the user's configuration folder (platformdirs; IMON_CONFIG_DIR for tests),
readable by its owner only. On the same computer a restored backup signs as before; anywhere else the sealed key
is useless, and the institution asks the town for a new setup file.

On Windows the file lies in the user's profile (%APPDATA%), which only the user, SYSTEM and the administrators
can read by its inherited ACL; mode bits do not restrict it further there. Sealing the secret with DPAPI
(CryptProtectData) or the Credential Manager would be the next step; neither is available without pywin32 or
keyring, which this program does not depend on.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from nacl import utils
from nacl.exceptions import CryptoError
from nacl.secret import SecretBox

from common.i18n import _, settings_dir
from store.errors import StoreError
from store.files import make_private, private_folder

SECRET_FILE = "schluessel-dieses-rechners.bin"
FORMAT = "secretbox-v1"


def secret_path() -> Path:
    return settings_dir() / SECRET_FILE


def _read(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(_("Der Schlüssel dieses Rechners ({path}) kann nicht gelesen werden ({err}).").format(
            path=path, err=exc.strerror or exc)) from exc
    if len(data) != SecretBox.KEY_SIZE:
        raise StoreError(_("Der Schlüssel dieses Rechners ({path}) ist beschädigt. Bitte bei der Stadt eine neue "
                           "Einrichtungsdatei anfordern.").format(path=path))
    make_private(path)
    return data


def _create(path: Path) -> bytes:
    """Written whole under a temporary name (mkstemp: 0600) and linked to its name only then, so a crash never
    leaves half a secret, and a second instance doing the same at the same moment never replaces the first's."""
    secret, tmp = utils.random(SecretBox.KEY_SIZE), None
    try:
        private_folder(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".bin", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secret)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _read(path)  # another instance made it a moment ago
        except OSError:  # a file system without hard links: rename, which on Windows never replaces either
            if os.path.exists(path):
                return _read(path)
            os.rename(tmp, path)
            tmp = None
    except OSError as exc:
        raise StoreError(_("Der Schlüssel dieses Rechners kann nicht in {folder} angelegt werden ({err}).").format(
            folder=path.parent, err=exc.strerror or exc)) from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    make_private(path)
    return secret


def seal(secret: bytes) -> str:
    """`secret` sealed with this computer's secret (made on first use), as text for the settings table."""
    path = secret_path()
    local = _read(path) or _create(path)
    return json.dumps({"format": FORMAT, "box": SecretBox(local).encrypt(secret).hex()})


def unseal(sealed: str) -> bytes:
    """What seal() sealed on this computer; a German StoreError anywhere else."""
    local = _read(secret_path())
    try:
        stored = json.loads(sealed)
        if stored.get("format") != FORMAT:
            raise ValueError(stored.get("format"))
        box = bytes.fromhex(stored["box"])
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise StoreError(_("Der gespeicherte Signaturschlüssel ist beschädigt. Bitte bei der Stadt eine neue "
                           "Einrichtungsdatei anfordern.")) from exc
    try:
        if local is None:
            raise CryptoError("no local secret")
        return SecretBox(local).decrypt(box)
    except CryptoError as exc:
        raise StoreError(_("Der Signaturschlüssel dieser Einrichtung lässt sich nur auf dem Rechner (und mit dem "
                           "Benutzerkonto) verwenden, auf dem die Einrichtungsdatei geöffnet wurde. Hier wurde "
                           "wohl eine Sicherung oder Kopie geöffnet. Bitte bei der Stadt eine neue "
                           "Einrichtungsdatei anfordern.")) from exc
