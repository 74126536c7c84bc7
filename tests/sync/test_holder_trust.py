"""What a holder takes from files: an unsigned profile only on a fresh database, and its earlier values never as
released by the town; setup files and updates only fresh, encrypted to the institution, from the trusted key."""

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
