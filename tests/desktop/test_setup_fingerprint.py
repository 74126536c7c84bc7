"""At the first setup the holder sees the fingerprint of the officer key that signed the file, as plain text, to
compare it on the phone with the one the town reads out (the CLI prints it when the file is written)."""

from desktop import dialogs
from tests.desktop.test_first_start import click_option
from tests.sync.exchange_helpers import KITA, officer_db


def test_the_passphrase_prompt_shows_the_officers_fingerprint(open_window, fake_dialogs, monkeypatch, tmp_path,
                                                              qtbot):
    from sync.officer import write_setup_file

    town = tmp_path / "stadt"
    town.mkdir()
    officer, keys = officer_db(town)
    setup = tmp_path / "kita.imsetup"
    passphrase = write_setup_file(officer, keys, KITA.id, setup)
    labels = []

    def ask(parent, label):
        labels.append(label)
        return passphrase

    monkeypatch.setattr(dialogs, "ask_passphrase", ask)
    fake_dialogs.open_path = setup
    click_option(qtbot, "setup_file")
    window = open_window(None)
    assert window.institution.id == KITA.id
    [label] = labels
    fp = keys.public.fingerprint
    assert len(fp) == 19 and fp.count(" ") == 3  # 16 hex digits in groups of four
    assert fp in label and "Fingerabdruck" in label and "<" not in label


def test_fingerprint_is_the_first_16_hex_digits_of_the_keys_hash():
    import hashlib

    from sync.keys import OfficerKeys

    keys = OfficerKeys.generate()
    digest = hashlib.sha256(keys.signing.verify_key.encode()).hexdigest()[:16].upper()
    assert keys.public.fingerprint.replace(" ", "") == digest
