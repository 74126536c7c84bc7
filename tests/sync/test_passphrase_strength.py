"""The officer's passphrase protects every key of the town's exchange: guessable ones are refused, and the keys and
their backups are protected with argon2id's moderate limits (security issue, finding 8)."""

import json

import pytest
from nacl import pwhash

from store.database import open_database
from store.errors import StoreError
from sync.keys import OfficerKeys, protect
from sync.officer import export_key_backup, init_officer, unlock_officer
from sync.passphrase_strength import passphrase_problem

WEAK = ["aaaaaaaaaa", "aaaaaaaaaaaaaaaa", "Passwort12", "Passwort1234!", "passwort2026", "Password123456",
        "123456789012", "qwertz123456", "abcdefghijklmnop", "Integration2026", "Integration-2026!",
        "abcabcabcabcabc", "Sommer2026Sommer", "Hallo1234567", "P@ssw0rt-2026", "ichliebedich12",
        "Geheim-Geheim-Geheim", "asdfghjkl1234", "Kennwort-2026", "Musterstadt2026", "Willkommen2026"]
GOOD = ["Rathaus-Integration-2026", "Kranich Mühle Oboe Treppe", "vier zufällige Wörter reichen",
        "Tulpe-Brezel-Schaukel-17", "q7#Lm2!vXe9@pR"]


@pytest.mark.parametrize("passphrase", WEAK)
def test_guessable_passphrases_are_refused(passphrase):
    assert passphrase_problem(passphrase), passphrase


@pytest.mark.parametrize("passphrase", GOOD)
def test_good_passphrases_pass(passphrase):
    assert passphrase_problem(passphrase) is None


def test_init_refuses_a_weak_passphrase_and_says_what_a_good_one_is(tmp_path):
    db = open_database(tmp_path / "rathaus.sqlite")
    with pytest.raises(StoreError, match="vier zufällige Wörter"):
        init_officer(db, "aaaaaaaaaa")
    with pytest.raises(StoreError):
        init_officer(db, "Passwort12")
    db.close()


def test_officer_keys_and_their_backup_use_moderate_limits(tmp_path, real_officer_limits):
    db = open_database(tmp_path / "rathaus.sqlite")
    keys = init_officer(db, "Kranich Mühle Oboe Treppe")
    backup = json.loads(export_key_backup(db, tmp_path / "schluessel.json").read_text())["keys"]
    assert backup["opslimit"] >= pwhash.argon2id.OPSLIMIT_MODERATE
    assert backup["memlimit"] >= pwhash.argon2id.MEMLIMIT_MODERATE
    assert unlock_officer(db, "Kranich Mühle Oboe Treppe").public == keys.public
    db.close()


def test_keys_protected_with_the_old_interactive_limits_still_open():
    keys = OfficerKeys.generate()
    secret = json.dumps({"signing": keys.signing.encode().hex(), "box": keys.box.encode().hex()}).encode()
    old = {**protect(secret, "Passwort12", opslimit=pwhash.argon2id.OPSLIMIT_INTERACTIVE,
                     memlimit=pwhash.argon2id.MEMLIMIT_INTERACTIVE), **keys.public.as_dict()}
    assert old["opslimit"] == pwhash.argon2id.OPSLIMIT_INTERACTIVE
    assert OfficerKeys.unlock(old, "Passwort12").public == keys.public


def test_keys_stored_with_interactive_limits_are_rewrapped_with_moderate_ones_on_unlock(tmp_path, real_officer_limits):
    from store import settings

    db = open_database(tmp_path / "rathaus.sqlite")
    keys = OfficerKeys.generate()
    secret = json.dumps({"signing": keys.signing.encode().hex(), "box": keys.box.encode().hex()}).encode()
    settings.set_protected_officer_keys(db, {**protect(secret, "Kranich Mühle Oboe Treppe"), **keys.public.as_dict()})
    settings.set_role(db, settings.OFFICER)
    assert unlock_officer(db, "Kranich Mühle Oboe Treppe").public == keys.public
    stored = settings.protected_officer_keys(db)
    assert stored["opslimit"] >= pwhash.argon2id.OPSLIMIT_MODERATE
    assert stored["memlimit"] >= pwhash.argon2id.MEMLIMIT_MODERATE
    assert unlock_officer(db, "Kranich Mühle Oboe Treppe").public == keys.public
    db.close()


def test_the_word_list_is_shipped_with_the_bundle():
    from pathlib import Path

    from sync.passphrase_strength import WORD_LIST, common_words

    root = Path(__file__).resolve().parents[2]
    spec = (root / "installer" / "integrationsmonitor.spec").read_text(encoding="utf-8")
    assert f'("{WORD_LIST.relative_to(root).as_posix()}", "sync")' in spec
    assert {"passwort", "password", "integration", "qwertz"} <= common_words()


def test_the_towns_own_names_count_as_guessable(tmp_path):
    from store.orgunits import OrgUnit, save_org_units

    assert passphrase_problem("Lindenau-Integration-2026!") is None
    assert passphrase_problem("Lindenau-Integration-2026!", ["Lindenau", "Nordstadt"])
    db = open_database(tmp_path / "rathaus.sqlite")
    save_org_units(db, [OrgUnit(id="stadt", kind="stadt", name="Lindenau")])
    with pytest.raises(StoreError, match="zu leicht zu erraten"):
        init_officer(db, "Lindenau-Integration-2026!")
    db.close()


@pytest.mark.parametrize("passphrase", ["1q2w3e4r5t6z", "Schalke04Schalke04", "Fußballverein1904"])
def test_keyboard_patterns_and_clubs_are_refused(passphrase):
    assert passphrase_problem(passphrase)
