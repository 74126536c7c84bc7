import json
from dataclasses import replace

import pytest

from forms.model import ValueState
from forms.values import Value
from store.submissions import State, Submission
from sync.canonical import canonical_bytes, content_hash
from sync.errors import SubmissionFileError
from sync.submission_file import (
    decode,
    encode,
    read_submission_file,
    suggested_name,
    write_submission_file,
)

SAMPLE = Submission(
    org_unit_id="100001", institution_name="Grundschule Am Bach – Ü", state=State.EXPORTED, form_id="schule",
    form_version=1, year=2024, revision=2,
    values={
        ("schueler_gesamt", "", ""): Value(number=298, comment="Stand 15.10."),
        ("auslaender", "", ""): Value(state=ValueState.UNKNOWN),
        ("schueler_klasse_primar", "k1", "anzahl"): Value(number=80, estimate=True),
        ("sprachfoerderung_angebote", "", ""): Value(text="Deutschförderklasse"),
    },
    created_at="2024-11-01T10:00:00.000+00:00", app_version="0.1.0", content_hash="",
)


def envelope():
    return json.loads(encode(SAMPLE))


def reencode(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def test_written_file_reads_back_identical(tmp_path):
    path = tmp_path / suggested_name("100001", "schule", 2024, 2)
    written = write_submission_file(SAMPLE, path)
    again = read_submission_file(path)
    assert again == written
    assert again.values == SAMPLE.values
    assert (again.org_unit_id, again.form_id, again.year, again.revision) == ("100001", "schule", 2024, 2)
    assert again.content_hash == content_hash(envelope()["body"])
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


def test_encoding_is_canonical_and_deterministic():
    assert encode(SAMPLE) == encode(SAMPLE)
    assert encode(SAMPLE) == canonical_bytes(envelope()) + b"\n"


def test_suggested_name_is_safe_for_every_file_system():
    assert suggested_name("../etc/pass wd", "kita", 2024, 1) == "Meldung_..-etc-pass wd_kita_2024_Fassung1.imon"


def test_estimate_flag_without_a_number_is_carried_and_read_back():
    submission = replace(SAMPLE, values={("auslaender", "", ""): Value(estimate=True),
                                         ("schueler_gesamt", "", ""): Value(comment="fehlt")})
    body = json.loads(encode(submission))["body"]
    assert {"field": "auslaender", "row": "", "column": "", "estimate": True} in body["values"]
    assert decode(encode(submission)).values == submission.values


def test_changed_value_breaks_the_checksum():
    data = envelope()
    data["body"]["values"][0]["number"] = 999
    with pytest.raises(SubmissionFileError, match="Prüfsumme stimmt nicht"):
        decode(reencode(data))


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b'{"format": "integrationsmonitor-meldung", "format_version": NaN}', "ungültigen Wert „NaN“"),
        (b'{"format": "a", "format": "integrationsmonitor-meldung"}', "„format“ kommt doppelt vor"),
        (b'{"format_version": 1' + b"0" * 40 + b"}", "zu große Zahl"),
        (b"\xff\xfe{", "kein UTF-8"),
        (b'{"format": "integrationsmonitor-meldung", "format_version": 1', "beschädigt"),
        (b"[" * 100_000, "verschachtelt"),
        (b'{"format": "excel"}', "kein Meldungsformat"),
    ],
)
def test_hostile_or_broken_bytes_are_refused_with_a_reason(raw, says):
    with pytest.raises(SubmissionFileError, match=says):
        decode(raw)


def test_newer_format_version_asks_for_an_update():
    data = envelope()
    data["format_version"] = 7
    with pytest.raises(SubmissionFileError, match="neueren Version.*aktualisieren"):
        decode(reencode(data))


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ({"field": "a", "row": "", "column": "", "number": 1.5}, "keine ganze Zahl"),
        ({"field": "a", "row": "", "column": "", "number": True}, "keine ganze Zahl"),
        ({"field": "a", "row": "", "column": "", "state": "vielleicht"}, "Zustand ist unbekannt"),
        ({"field": "a", "row": "", "column": "", "number": 1, "text": "x"}, "mehrere Inhalte"),
        ({"field": "a", "row": "", "column": "", "formula": "=1+1"}, "Wert ist ungültig"),
    ],
)
def test_malformed_values_are_refused_even_with_a_matching_checksum(entry, says):
    data = envelope()
    data["body"]["values"].append(entry)
    data["content_hash"] = content_hash(data["body"])
    with pytest.raises(SubmissionFileError, match=says):
        decode(reencode(data))


def test_duplicate_value_address_is_refused():
    data = envelope()
    data["body"]["values"].append(dict(data["body"]["values"][0]))
    data["content_hash"] = content_hash(data["body"])
    with pytest.raises(SubmissionFileError, match="doppelt"):
        decode(reencode(data))


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "riesig.imon"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(SubmissionFileError, match="zu groß"):
        read_submission_file(path)


def test_missing_folder_gets_a_clear_message(tmp_path):
    with pytest.raises(SubmissionFileError, match="gibt es nicht.*anderen Ordner"):
        write_submission_file(SAMPLE, tmp_path / "weg" / "datei.imon")


def test_unwritable_target_keeps_the_old_file(tmp_path):
    # A directory where the file should go: the rename fails even for root, and nothing is half-written.
    target = tmp_path / "meldung.imon"
    target.mkdir()
    with pytest.raises(SubmissionFileError):
        write_submission_file(SAMPLE, target)
    assert target.is_dir() and list(tmp_path.iterdir()) == [target]
