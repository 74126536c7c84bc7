"""Canonical JSON: one byte sequence per content, so that a hash (and later a signature) means the content."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from common.i18n import _
from sync.errors import SubmissionFileError

MAX_INTEGER_DIGITS = 15


def canonical_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def content_hash(data: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical_bytes(data)).hexdigest()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise SubmissionFileError(_("Die Datei ist beschädigt oder manipuliert: der Eintrag „{key}“ kommt "
                                        "doppelt vor.").format(key=key))
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise SubmissionFileError(_("Die Datei ist beschädigt oder manipuliert: sie enthält den ungültigen Wert "
                                "„{name}“.").format(name=name))


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise SubmissionFileError(_("Die Datei ist beschädigt oder manipuliert: sie enthält eine zu große Zahl."))
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        _no_constant(text)
    return value


def strict_loads(raw: bytes) -> Any:
    """json.loads that refuses what a forger or a broken disk could slip in: NaN, duplicate keys, huge numbers."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionFileError(_("Die Datei ist keine Meldungsdatei (kein UTF-8-Text).")) from exc
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant, parse_int=_int,
                          parse_float=_float)
    except json.JSONDecodeError as exc:
        raise SubmissionFileError(_("Die Datei ist beschädigt oder keine Meldungsdatei (Zeile {line}, "
                                    "Spalte {col}).").format(line=exc.lineno, col=exc.colno)) from exc
    except RecursionError as exc:
        raise SubmissionFileError(_("Die Datei ist beschädigt oder manipuliert: sie ist zu tief verschachtelt.")
                                  ) from exc
