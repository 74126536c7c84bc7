"""The one pattern for the ids that travel in files and end up in file names and messages: an institution's id
(a Schulnummer like "100001", "kita-07", "verein-tus", what the profile dialog makes from a name) and a form's
id ("kita"). Every decoder checks the ids it reads against it, so that an id like "nobody/../../../pwned" or one
with control characters never gets past the file it came in."""

from __future__ import annotations

import re
from typing import Any

MAX_ID_LENGTH = 64
# ASCII letters, digits, "_", "." and "-"; a letter or digit first, so neither "." nor ".." nor "-x".
ID_PATTERN = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{MAX_ID_LENGTH - 1}}}", re.ASCII)
ID_BYTES_PATTERN = re.compile(ID_PATTERN.pattern.encode(), re.ASCII)


def is_valid_id(value: Any) -> bool:
    if isinstance(value, bytes):
        return ID_BYTES_PATTERN.fullmatch(value) is not None
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


# The official regional key (Amtlicher Gemeindeschlüssel): 8 digits for a Gemeinde ("05974040"), its first five
# for a Kreis ("05974"), two for a Land. One pattern for the registry import and the official statistics.
AGS_PATTERN = re.compile(r"\d{2,8}", re.ASCII)


def is_valid_ags(value: Any) -> bool:
    return isinstance(value, str) and AGS_PATTERN.fullmatch(value) is not None
