"""Every decoder checks the ids it reads against the one pattern (common.ids): an id like
"nobody/../../../pwned" must never get past the file it came in."""

import json
from dataclasses import replace

import pytest
from nacl.public import PrivateKey, SealedBox
from nacl.signing import SigningKey

from store.orgunits import OrgUnit
from sync.canonical import canonical_bytes, content_hash
from sync.errors import SubmissionFileError
from sync.keys import OfficerKeys
from sync.profile_file import PreviousSubmission, Profile, encode_profile, read_profile
from sync.receipt_file import Receipt, make_receipt, open_receipt
from sync.sealed_file import InstitutionKey, unseal
from sync.submission_file import decode, encode
from tests.sync.test_submission_file import SAMPLE

KENNUNG = "Kennung|„id“ fehlt"  # an empty id is reported as missing
BAD_IDS = ["../x", "a/b", "a\\b", "", "x" * 200, "a\nb", "a\x00b", "a\x1bb", "nobody/../../../pwned"]


def _envelope_with(institution_id=None, form_id=None) -> bytes:
    envelope = json.loads(encode(SAMPLE))
    if institution_id is not None:
        envelope["body"]["institution"]["id"] = institution_id
    if form_id is not None:
        envelope["body"]["form"]["id"] = form_id
    envelope["content_hash"] = content_hash(envelope["body"])
    return canonical_bytes(envelope)


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_submission_file_refuses_a_bad_institution_id(bad):
    with pytest.raises(SubmissionFileError, match=KENNUNG):
        decode(_envelope_with(institution_id=bad))


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_submission_file_refuses_a_bad_form_id(bad):
    with pytest.raises(SubmissionFileError, match=KENNUNG):
        decode(_envelope_with(form_id=bad))


def test_submission_file_with_good_ids_still_reads():
    assert decode(_envelope_with(institution_id="kita-07", form_id="kita")).org_unit_id == "kita-07"


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_sealed_file_refuses_a_bad_id_outside_and_inside(bad):
    officer, signing = PrivateKey.generate(), SigningKey.generate()
    keys = [InstitutionKey(signing.verify_key)]
    body = _envelope_with(institution_id=bad)
    # outside: the id before the signature
    head = bad.encode()
    inner = head + b"\n" + signing.sign(head + b"\n" + body).signature + body
    raw = b"IMON-MELDUNG-2\n" + SealedBox(officer.public_key).encrypt(inner)
    with pytest.raises(SubmissionFileError):
        unseal(raw, officer, lambda _id: keys)
    # inside: a good id outside, a form id that is not one inside
    body = _envelope_with(form_id=bad)
    head = b"100001"
    inner = head + b"\n" + signing.sign(head + b"\n" + body).signature + body
    raw = b"IMON-MELDUNG-2\n" + SealedBox(officer.public_key).encrypt(inner)
    with pytest.raises(SubmissionFileError, match=KENNUNG):
        unseal(raw, officer, lambda _id: keys)


RECEIPT = Receipt(institution_id="kita-07", form_id="kita", year=2024, revision=1, content_hash="sha256:00",
                  outcome="importiert", message="Eingegangen", flags=(), at="2024-11-01")


@pytest.mark.parametrize("field", ["institution_id", "form_id"])
@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_receipt_refuses_a_bad_id(bad, field):
    keys = OfficerKeys.generate()
    raw = make_receipt(keys, replace(RECEIPT, **{field: bad}))
    with pytest.raises(SubmissionFileError, match=KENNUNG):
        open_receipt(raw, [keys.public.as_dict()["verify_key"]])


def test_receipt_with_good_ids_still_reads():
    keys = OfficerKeys.generate()
    raw = make_receipt(keys, RECEIPT)
    assert open_receipt(raw, [keys.public.as_dict()["verify_key"]]) == RECEIPT


KITA = OrgUnit(id="kita-07", kind="kita", name="Kita Löwenzahn")


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_profile_file_refuses_a_bad_institution_id(bad, tmp_path):
    path = tmp_path / "p.improfil"
    path.write_bytes(encode_profile(Profile(replace(KITA, id=bad))))
    with pytest.raises(SubmissionFileError, match=KENNUNG):
        read_profile(path)


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_profile_file_refuses_a_bad_form_id(bad, tmp_path):
    path = tmp_path / "p.improfil"
    path.write_bytes(encode_profile(Profile(KITA, (PreviousSubmission(bad, 1, 2024, {}),))))
    with pytest.raises(SubmissionFileError, match=KENNUNG):
        read_profile(path)


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_setup_file_refuses_a_bad_institution_id(bad):
    from sync.setup_file import make_setup_file, open_setup_file

    keys = OfficerKeys.generate()
    raw = make_setup_file(keys, replace(KITA, id=bad), [], [], "2026-01-01", **_update_target())
    with pytest.raises(SubmissionFileError, match=KENNUNG):
        open_setup_file(raw, None, [keys.public.as_dict()["verify_key"]], **_update_opener())


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_setup_file_refuses_a_bad_form_id_in_previous_values(bad):
    from sync.setup_file import make_setup_file, open_setup_file

    keys = OfficerKeys.generate()
    raw = make_setup_file(keys, KITA, [], [PreviousSubmission(bad, 1, 2024, {})], "2026-01-01", **_update_target())
    with pytest.raises(SubmissionFileError, match=KENNUNG):
        open_setup_file(raw, None, [keys.public.as_dict()["verify_key"]], **_update_opener())


_HOLDER = SigningKey.generate()


def _update_target() -> dict:
    return {"recipient": _HOLDER.verify_key, "sequence": 1}


def _update_opener() -> dict:
    return {"holder_key": _HOLDER}


def test_the_importer_refuses_a_plain_file_with_a_hostile_id_for_its_id(tmp_path):
    """The finding: a plain file with the id "nobody/../../../pwned" got deep into the importer."""
    from store.submissions import Submission
    from sync.importer import REJECTED, import_from
    from tests.sync.exchange_helpers import ListSource, Memo, officer_db

    officer, keys = officer_db(tmp_path)
    plain = encode(Submission(org_unit_id="nobody/../../../pwned", institution_name="Kita", form_id="kita",
                              form_version=1, year=2024, revision=1, created_at="2024-01-01"))
    summary = import_from(officer, keys, ListSource([Memo("boese.imon", plain)]))
    assert summary.results[0].outcome == REJECTED
    assert "Kennung der Einrichtung ist ungültig" in summary.results[0].reason
