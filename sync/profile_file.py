"""The institution profile file the officer hands to a data holder: who the institution is, and its earlier values.

This is the plain first version; the setup file (sync/setup_file.py) is signed by the officer and carries the keys.
Anybody can write a plain profile, so a program that is already set up refuses it, and the earlier values in it
become drafts for the institution to check, never values the town released (sync/holder.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.i18n import _
from forms.values import Address, Value
from store.orgunits import INSTITUTION_KINDS, SCHOOL_TYPES, OrgUnit
from sync.canonical import canonical_bytes, strict_loads
from sync.errors import SubmissionFileError
from sync.submission_file import checked_id, read_entry, value_entry

FORMAT = "integrationsmonitor-profil"
FORMAT_VERSION = 1
SUFFIX = ".improfil"
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class PreviousSubmission:
    form_id: str
    form_version: int
    year: int
    values: dict[Address, Value]


@dataclass(frozen=True)
class Profile:
    institution: OrgUnit
    previous: tuple[PreviousSubmission, ...] = ()


UNIT_FIELDS = ("id", "kind", "name", "official_number", "traeger", "street", "postcode", "city", "attributes",
                "valid_from", "valid_to")


def encode_profile(profile: Profile) -> bytes:
    unit = profile.institution
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "institution": {name: getattr(unit, name) for name in UNIT_FIELDS},
        "previous": [
            {"form": {"id": p.form_id, "version": p.form_version}, "year": p.year,
             "values": [value_entry(a, v) for a, v in sorted(p.values.items())]}
            for p in profile.previous
        ],
    }
    return canonical_bytes(data) + b"\n"


def write_profile(profile: Profile, path: str | Path) -> Path:
    path = Path(path)
    try:
        path.write_bytes(encode_profile(profile))
    except OSError as exc:
        raise SubmissionFileError(_("{path} konnte nicht geschrieben werden ({err}).").format(
            path=path, err=exc.strerror)) from exc
    return path


def _fail(what: str) -> SubmissionFileError:
    return SubmissionFileError(_("Die Datei ist keine gültige Einrichtungsdatei: {what}. Bitte die Datei der Stadt "
                                 "verwenden oder die Einrichtung von Hand eintragen.").format(what=what))


def read_profile(path: str | Path) -> Profile:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _fail(_("sie ist zu groß"))
        raw = path.read_bytes()
    except OSError as exc:
        raise SubmissionFileError(_("{name} kann nicht gelesen werden ({err}).").format(
            name=path.name, err=exc.strerror)) from exc
    data = strict_loads(raw)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _fail(_("falsches Format"))
    if data.get("format_version") != FORMAT_VERSION:
        raise _fail(_("unbekannte Formatversion"))
    return Profile(institution=parse_institution(data.get("institution")),
                   previous=tuple(parse_previous(p) for p in _list(data.get("previous", []))))


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise _fail(_("Liste erwartet"))
    return value


def parse_institution(raw: Any) -> OrgUnit:
    if not isinstance(raw, dict) or set(raw) - set(UNIT_FIELDS):
        raise _fail(_("Angaben zur Einrichtung fehlen"))
    for key in ("id", "kind", "name"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise _fail(_("„{key}“ fehlt").format(key=key))
    if raw["kind"] not in INSTITUTION_KINDS:
        raise _fail(_("unbekannte Art „{kind}“").format(kind=raw["kind"]))
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, dict) or not all(isinstance(v, str) for v in attributes.values()):
        raise _fail(_("Merkmale ungültig"))
    if raw["kind"] == "schule" and attributes.get("schulform") not in SCHOOL_TYPES:
        raise _fail(_("Schulform fehlt oder ist unbekannt"))
    texts = {k: raw.get(k) or "" for k in ("traeger", "street", "postcode", "city")}
    if not all(isinstance(v, str) for v in texts.values()):
        raise _fail(_("Adresse ungültig"))
    years = {k: raw.get(k) for k in ("valid_from", "valid_to")}
    if not all(y is None or (isinstance(y, int) and not isinstance(y, bool)) for y in years.values()):
        raise _fail(_("Jahresangaben ungültig"))
    return OrgUnit(id=checked_id(raw["id"].strip()), kind=raw["kind"], name=raw["name"].strip(),
                   official_number=raw.get("official_number"), attributes=attributes, **texts, **years)


def parse_previous(raw: Any) -> PreviousSubmission:
    if not isinstance(raw, dict) or not isinstance(raw.get("form"), dict):
        raise _fail(_("Vorjahreswerte ungültig"))
    form, year = raw["form"], raw.get("year")
    if not isinstance(form.get("id"), str) or not isinstance(form.get("version"), int) or not isinstance(year, int):
        raise _fail(_("Vorjahreswerte ungültig"))
    values = dict(read_entry(e) for e in _list(raw.get("values", [])))
    return PreviousSubmission(form_id=checked_id(form["id"], institution=False), form_version=form["version"],
                              year=year, values=values)
