"""What a holder takes from files: an unsigned profile only on a fresh database, and its earlier values never as
released by the town; setup files and updates only fresh, encrypted to the institution, from the trusted key."""

import re
from dataclasses import replace

import pytest

from forms.values import Value
from store import settings
from store.database import open_database
from store.submissions import State, submissions_of
from sync.errors import SubmissionFileError
from sync.holder import setup_from_file, setup_institution
from sync.profile_file import PreviousSubmission, Profile, write_profile
from tests.sync.exchange_helpers import KITA, holder_db, officer_db

PLANTED = PreviousSubmission("kita", 1, 2025, {("personal_gesamt", "", ""): Value(number=2)})


def _profile(tmp_path, unit=KITA, previous=(PLANTED,)):
    return write_profile(Profile(unit, previous), tmp_path / "profil.improfil")


def test_a_holder_set_up_from_the_towns_file_refuses_an_unsigned_profile(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    before = [(s.form_id, s.year, s.state) for s in submissions_of(holder, KITA.id)]
    other = replace(KITA, id="kita-99", name="Umbenannt")
    with pytest.raises(SubmissionFileError, match="nicht unterschrieben"):
        setup_from_file(holder, _profile(tmp_path, other))
    with pytest.raises(SubmissionFileError, match="nicht unterschrieben"):
        setup_from_file(holder, _profile(tmp_path, replace(KITA, name="Umbenannt")))
    assert settings.institution_id(holder) == KITA.id
    assert [(s.form_id, s.year, s.state) for s in submissions_of(holder, KITA.id)] == before
    assert submissions_of(holder, "kita-99") == []


def test_a_holder_set_up_by_hand_refuses_an_unsigned_profile_too(tmp_path):
    holder = open_database(tmp_path / "kita.sqlite")
    setup_institution(holder, KITA)
    with pytest.raises(SubmissionFileError, match="nicht unterschrieben"):
        setup_from_file(holder, _profile(tmp_path, replace(KITA, id="kita-99")))
    assert settings.institution_id(holder) == KITA.id


def test_earlier_values_from_an_unsigned_profile_are_not_released_by_the_town(tmp_path):
    holder = open_database(tmp_path / "kita.sqlite")
    assert setup_from_file(holder, _profile(tmp_path)).id == KITA.id
    [planted] = submissions_of(holder, KITA.id)
    assert planted.state is not State.APPROVED and planted.source != "setup"
    assert planted.state is State.DRAFT and planted.source == "profil"


# --- setup files and updates: encrypted, fresh, from the key the holder trusts -----------------------------------

def _officer_with_history(tmp_path):
    """The officer's database with a released earlier form of the Kita carrying a figure of 4711."""
    from forms.catalog import form_for
    from store.submissions import create_draft, set_state, set_values

    officer, keys = officer_db(tmp_path)
    draft = create_draft(officer, KITA.id, form_for("kita", 2024), 2024)
    set_values(officer, draft.id, {("personal_gesamt", "", ""): Value(number=4711)})
    set_state(officer, draft.id, State.APPROVED)
    return officer, keys


def _in_clear(raw: bytes) -> list[str]:
    found = [w for w in ("Löwenzahn", "Lowenzahn", "L\\u00f6wenzahn", "personal_gesamt", "Musterstadt")
             if w.encode() in raw]
    # The figure as a number of its own: the header's sequence number (the clock's seconds) may hold its digits.
    if re.search(rb"(?<![0-9])4711(?![0-9])", raw):
        found.append("4711")
    return found


def test_setup_file_and_update_carry_no_figure_and_no_name_in_clear(tmp_path):
    from sync.officer import write_setup_file

    officer, keys = _officer_with_history(tmp_path)
    first, update = tmp_path / "erst.imsetup", tmp_path / "update.imsetup"
    passphrase = write_setup_file(officer, keys, KITA.id, first)
    write_setup_file(officer, keys, KITA.id, update, first=False)
    assert _in_clear(first.read_bytes()) == []
    assert _in_clear(update.read_bytes()) == []
    # … and the holder still reads both, figures included.
    holder = open_database(tmp_path / "kita.sqlite")
    setup_from_file(holder, first, passphrase)
    setup_from_file(holder, update)
    [earlier] = submissions_of(holder, KITA.id)
    assert earlier.state is State.APPROVED and earlier.source == "setup"
    from store.submissions import load_values

    assert load_values(holder, earlier.id)[("personal_gesamt", "", "")].number == 4711


def test_a_replayed_older_update_is_refused_and_keeps_the_newer_sealing_key(tmp_path):
    from sync.officer import write_setup_file

    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    old, new = tmp_path / "alt.imsetup", tmp_path / "neu.imsetup"
    write_setup_file(officer, keys, KITA.id, old, first=False)
    write_setup_file(officer, keys, KITA.id, new, first=False)
    setup_from_file(holder, new)
    planted = settings.officer_public(holder)
    settings.set_officer_public(holder, {**planted, "box_key": "00" * 32})  # so a replay would show
    with pytest.raises(SubmissionFileError, match="älter als die zuletzt eingelesene"):
        setup_from_file(holder, old)
    with pytest.raises(SubmissionFileError, match="älter als die zuletzt eingelesene"):
        setup_from_file(holder, new)  # the same one again: not newer either
    assert settings.officer_public(holder)["box_key"] == "00" * 32


def test_an_update_that_introduces_a_new_officer_key_replaces_the_trusted_set(tmp_path):
    from sync.keys import OfficerKeys
    from sync.setup_file import make_setup_file

    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    old_hex = keys.public.as_dict()["verify_key"]
    assert settings.trusted_officer_keys(holder) == [old_hex]
    rotated = OfficerKeys.generate()
    holder_key = settings.signing_key(holder)
    from nacl.signing import SigningKey

    recipient = SigningKey(bytes.fromhex(holder_key)).verify_key
    newer = settings.last_setup_sequence(holder) + 1
    raw = make_setup_file(keys, KITA, [], [], "2027-01-01", sequence=newer, recipient=recipient,
                          officer=rotated.public)
    (tmp_path / "rotation.imsetup").write_bytes(raw)
    setup_from_file(holder, tmp_path / "rotation.imsetup")
    assert settings.trusted_officer_keys(holder) == [rotated.public.as_dict()["verify_key"]]
    assert settings.officer_public(holder) == rotated.public.as_dict()
    # The old key is no longer trusted: a later update signed with it is refused, however new its number.
    raw = make_setup_file(keys, KITA, [], [], "2027-02-01", sequence=newer + 1, recipient=recipient)
    (tmp_path / "alt-schluessel.imsetup").write_bytes(raw)
    with pytest.raises(SubmissionFileError, match="nicht mit dem Schlüssel"):
        setup_from_file(holder, tmp_path / "alt-schluessel.imsetup")


def test_an_update_for_another_key_of_the_institution_cannot_be_opened(tmp_path):
    from nacl.signing import SigningKey

    from sync.setup_file import make_setup_file

    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    raw = make_setup_file(keys, KITA, [], [], "2027-01-01", sequence=settings.last_setup_sequence(holder) + 1,
                          recipient=SigningKey.generate().verify_key)
    (tmp_path / "fremd.imsetup").write_bytes(raw)
    with pytest.raises(SubmissionFileError, match="lässt sich nicht öffnen"):
        setup_from_file(holder, tmp_path / "fremd.imsetup")


def test_setup_file_of_the_first_format_is_refused_with_a_reason(tmp_path):
    holder = open_database(tmp_path / "kita.sqlite")
    old = tmp_path / "alt.imsetup"
    old.write_bytes(b'IMON-EINRICHTUNG-1\n{"kind":"aktualisierung"}\n' + b"00" * 64 + b"\n{}")
    with pytest.raises(SubmissionFileError, match="älteren Format"):
        setup_from_file(holder, old)


def _resigned(raw: bytes, signing, change) -> bytes:
    """The file with its header changed by `change` and signed again by `signing` (a forger's own key)."""
    import json

    from sync.canonical import canonical_bytes

    magic, _sep, rest = raw.partition(b"\n")
    header_line, _sep, rest = rest.partition(b"\n")
    _old_signature, _sep, body = rest.partition(b"\n")
    header = json.loads(header_line)
    change(header)
    header_line = canonical_bytes(header)
    signature = signing.sign(header_line + b"\n" + body).signature.hex().encode()
    return magic + b"\n" + header_line + b"\n" + signature + b"\n" + body


def _set_memlimit(node, value):
    if isinstance(node, dict):
        for key in node:
            if key == "memlimit":
                node[key] = value
            else:
                _set_memlimit(node[key], value)


def test_a_first_setup_file_asking_for_argon2_at_1_gib_is_refused_fast(tmp_path):
    import time

    from nacl import pwhash

    import sync.keys
    from common.errors import UserError
    from sync.officer import write_setup_file

    officer, keys = officer_db(tmp_path)
    path = tmp_path / "kita.imsetup"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sync.keys, "OPSLIMIT", pwhash.argon2id.OPSLIMIT_MIN)
        mp.setattr(sync.keys, "MEMLIMIT", pwhash.argon2id.MEMLIMIT_MIN)
        passphrase = write_setup_file(officer, keys, KITA.id, path)
    path.write_bytes(_resigned(path.read_bytes(), keys.signing, lambda h: _set_memlimit(h, 1 << 30)))
    holder = open_database(tmp_path / "kita.sqlite")
    start = time.monotonic()
    with pytest.raises(UserError, match="beschädigt"):
        setup_from_file(holder, path, passphrase)
    assert time.monotonic() - start < 1.0
    assert settings.institution_id(holder) is None


def test_updates_stay_newer_after_the_officer_lost_the_counter(tmp_path, monkeypatch):
    """The officer's workspace rebuilt from the key backup starts the counter afresh: its next update must still
    be newer than the last one the holder read, or the town could never update the institution again."""
    from sync.officer import write_setup_file

    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    update = tmp_path / "update.imsetup"
    write_setup_file(officer, keys, KITA.id, update, first=False)
    setup_from_file(holder, update)
    officer.execute("DELETE FROM settings WHERE key = 'setup_sequence'")
    import time

    later = time.time() + 3600  # the workspace is rebuilt a while after the last file
    monkeypatch.setattr("sync.officer.time.time", lambda: later)
    write_setup_file(officer, keys, KITA.id, update, first=False)
    assert setup_from_file(holder, update).id == KITA.id


def test_a_replayed_first_setup_file_is_refused_too(tmp_path):
    from sync.officer import write_setup_file

    officer, keys = officer_db(tmp_path)
    first, second = tmp_path / "erst.imsetup", tmp_path / "zweit.imsetup"
    old_passphrase = write_setup_file(officer, keys, KITA.id, first)
    new_passphrase = write_setup_file(officer, keys, KITA.id, second)
    holder = open_database(tmp_path / "kita.sqlite")
    setup_from_file(holder, second, new_passphrase)
    with pytest.raises(SubmissionFileError, match="Einrichtungsdatei ist älter als die zuletzt eingelesene"):
        setup_from_file(holder, first, old_passphrase)
