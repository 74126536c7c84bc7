"""The submission file: one institution's values of one form, year and revision, as versioned canonical JSON.

A later format version signs and seals the body; the envelope already carries a format version so it can.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from common.file_names import file_name_for
from common.i18n import _
from common.ids import MAX_ID_LENGTH, is_valid_id
from forms.model import ValueState
from forms.values import Address, Value
from store.files import describe_write_error, write_atomically
from store.submissions import State, Submission
from sync.canonical import canonical_bytes, content_hash, strict_loads
from sync.errors import SubmissionFileError

FORMAT = "integrationsmonitor-meldung"
FORMAT_VERSION = 1
SUFFIX = ".imon"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VALUES = 20_000


def value_entry(address: Address, value: Value) -> dict[str, Any]:
    entry: dict[str, Any] = {"field": address[0], "row": address[1], "column": address[2]}
    if value.number is not None:
        entry["number"] = value.number
    elif value.state is not None:
        entry["state"] = value.state.value
    elif value.text is not None:
        entry["text"] = value.text
    if value.comment:
        entry["comment"] = value.comment
    if value.estimate:
        entry["estimate"] = True
    return entry


def build_body(submission: Submission) -> dict[str, Any]:
    return {
        "institution": {"id": submission.org_unit_id, "name": submission.institution_name},
        "form": {"id": submission.form_id, "version": submission.form_version},
        "year": submission.year,
        "revision": submission.revision,
        "values": [value_entry(a, v) for a, v in sorted(submission.values.items()) if not v.is_blank],
        "created_at": submission.created_at,
        "app_version": submission.app_version,
    }


def encode(submission: Submission) -> bytes:
    body = build_body(submission)
    envelope = {"format": FORMAT, "format_version": FORMAT_VERSION, "body": body, "content_hash": content_hash(body)}
    return canonical_bytes(envelope) + b"\n"


def suggested_name(institution_id: str, form_id: str, year: int, revision: int) -> str:
    return file_name_for(f"Meldung_{institution_id}_{form_id}_{year}_Fassung{revision}", SUFFIX)


def write_submission_file(submission: Submission, path: str | Path) -> Submission:
    """Writes atomically (temporary file, fsync, rename) and reads the result back before reporting success."""
    path = Path(path)
    return decode(write_verified(path, encode(submission)))


def write_verified(path: Path, data: bytes) -> bytes:
    """Writes atomically and reads the bytes back before reporting success (a USB stick may lie)."""
    try:
        write_atomically(path, data, prefix=".meldung-")
        written = path.read_bytes()
    except OSError as exc:
        raise SubmissionFileError(describe_write_error(exc, path, _("Die Meldungsdatei"))) from exc
    if written != data:
        raise SubmissionFileError(_("Die geschriebene Datei {path} stimmt beim Nachlesen nicht. Bitte an einem "
                                    "anderen Ort noch einmal speichern.").format(path=path))
    return written


def read_submission_file(path: str | Path) -> Submission:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SubmissionFileError(_("{name} ist zu groß ({mb:.0f} MB) für eine Meldungsdatei.").format(
                name=path.name, mb=size / 1e6))
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SubmissionFileError(_("{name} kann nicht gelesen werden ({err}).").format(
            name=path.name, err=exc.strerror)) from exc
    return decode(raw)


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise SubmissionFileError(_("Die Datei ist beschädigt oder keine gültige Meldungsdatei: {what}.").format(
            what=what))


def checked_id(value: Any, institution: bool = True) -> str:
    """The id of an institution (or of a form) as a file carried it, if it fits the one pattern of common.ids."""
    if not is_valid_id(value):
        what = _("der Einrichtung") if institution else _("des Formulars")
        raise SubmissionFileError(_("Die Datei ist beschädigt oder manipuliert: die Kennung {what} ist ungültig "
                                    "(erlaubt sind Buchstaben ohne Umlaute, Ziffern, „-“, „_“ und „.“, höchstens "
                                    "{n} Zeichen).").format(what=what, n=MAX_ID_LENGTH))
    return value


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def decode(raw: bytes) -> Submission:
    envelope = strict_loads(raw)
    _require(isinstance(envelope, dict) and envelope.get("format") == FORMAT, _("kein Meldungsformat"))
    version = envelope.get("format_version")
    _require(_is_int(version), _("Formatversion fehlt"))
    if version > FORMAT_VERSION:
        raise SubmissionFileError(_("Die Datei stammt aus einer neueren Version des Integrationsmonitors "
                                    "(Format {v}). Bitte das Programm aktualisieren.").format(v=version))
    _require(version == FORMAT_VERSION, _("unbekannte Formatversion {v}").format(v=version))
    body = envelope.get("body")
    _require(isinstance(body, dict), _("Inhalt fehlt"))
    if envelope.get("content_hash") != content_hash(body):
        raise SubmissionFileError(_("Die Prüfsumme stimmt nicht: die Datei wurde nach dem Schreiben verändert "
                                    "oder ist beschädigt. Bitte die Einrichtung um eine neue Datei bitten."))
    institution, form = body.get("institution"), body.get("form")
    _require(isinstance(institution, dict) and isinstance(institution.get("id"), str)
             and isinstance(institution.get("name"), str), _("Einrichtung fehlt"))
    _require(isinstance(form, dict) and isinstance(form.get("id"), str) and _is_int(form.get("version")),
             _("Formular fehlt"))
    checked_id(institution["id"])
    checked_id(form["id"], institution=False)
    for key in ("year", "revision"):
        _require(_is_int(body.get(key)) and 0 < body[key] < 10_000, _("„{key}“ fehlt").format(key=key))
    for key in ("created_at", "app_version"):
        _require(isinstance(body.get(key), str), _("„{key}“ fehlt").format(key=key))
    entries = body.get("values")
    _require(isinstance(entries, list) and len(entries) <= MAX_VALUES, _("Werte fehlen"))
    values: dict[Address, Value] = {}
    for entry in entries:
        address, value = read_entry(entry)
        _require(address not in values, _("ein Wert kommt doppelt vor"))
        values[address] = value
    return Submission(
        org_unit_id=institution["id"], institution_name=institution["name"], form_id=form["id"],
        form_version=form["version"], year=body["year"], revision=body["revision"], values=values,
        state=State.EXPORTED, created_at=body["created_at"], app_version=body["app_version"],
        content_hash=envelope["content_hash"],
    )


_ENTRY_KEYS = {"field", "row", "column", "number", "state", "text", "comment", "estimate"}


def read_entry(entry: Any) -> tuple[Address, Value]:
    _require(isinstance(entry, dict) and set(entry) <= _ENTRY_KEYS, _("ein Wert ist ungültig"))
    address = (entry.get("field"), entry.get("row"), entry.get("column"))
    _require(all(isinstance(a, str) and len(a) < 100 for a in address), _("ein Feldname ist ungültig"))
    contents = [k for k in ("number", "state", "text") if k in entry]
    _require(len(contents) <= 1, _("ein Wert hat mehrere Inhalte"))
    number = entry.get("number")
    _require(number is None or _is_int(number), _("eine Anzahl ist keine ganze Zahl"))
    state = entry.get("state")
    _require(state is None or state in {s.value for s in ValueState}, _("ein Zustand ist unbekannt"))
    text, comment = entry.get("text"), entry.get("comment", "")
    _require(text is None or (isinstance(text, str) and len(text) <= 10_000), _("ein Text ist ungültig"))
    _require(isinstance(comment, str) and len(comment) <= 10_000, _("ein Kommentar ist ungültig"))
    estimate = entry.get("estimate", False)
    _require(isinstance(estimate, bool), _("eine Schätzungsangabe ist ungültig"))
    return address, Value(number=number, state=ValueState(state) if state else None, text=text, comment=comment,
                          estimate=estimate)
