"""Officer and holder on separate databases: setup file, sealed submission, import with every merge rule."""

import json

import pytest

from forms.model import ValueState
from forms.values import Value
from store import settings
from store.database import open_database
from store.keys import revoke_keys
from store.receipts import receipt_for
from store.submissions import State, Submission, current_submission, load_values, revisions, set_values
from sync.errors import SubmissionFileError
from sync.export import export_submission
from sync.holder import setup_from_file, take_receipt
from sync.importer import CONFLICT, IMPORTED, REJECTED, UNCHANGED, UPDATED, import_from
from sync.keys import WrongPassphrase
from sync.officer import export_key_backup, init_officer, unlock_officer, write_setup_file
from sync.sealed_file import MAGIC
from tests.sync.exchange_helpers import (
    KITA,
    OFFICER_PASSPHRASE,
    ListSource,
    Memo,
    export_revision,
    holder_db,
    kita_values,
    officer_db,
)


def run_import(db, keys, *paths, dry_run=False, outbox=None):
    source = ListSource([Memo(p.name, p.read_bytes()) for p in paths])
    return import_from(db, keys, source, dry_run=dry_run, outbox=outbox), source


def state_of(db):
    return db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0], \
        db.execute("SELECT COUNT(*) FROM cell_values").fetchone()[0]


def test_officer_keys_open_only_with_the_passphrase(tmp_path):
    db, keys = officer_db(tmp_path)
    assert unlock_officer(db, OFFICER_PASSPHRASE).public == keys.public
    with pytest.raises(WrongPassphrase, match="Kennwort stimmt nicht"):
        unlock_officer(db, "falsches Kennwort")
    with pytest.raises(Exception, match="schon Schlüssel"):
        init_officer(db, OFFICER_PASSPHRASE)
    backup = export_key_backup(db, tmp_path / "schluessel.json")
    assert keys.signing.encode().hex() not in backup.read_text()  # the backup is still passphrase-protected
    assert json.loads(backup.read_text())["keys"]["verify_key"] == keys.public.as_dict()["verify_key"]


def test_setup_file_needs_its_one_time_passphrase(tmp_path):
    officer, keys = officer_db(tmp_path)
    setup = tmp_path / "kita.imsetup"
    passphrase = write_setup_file(officer, keys, KITA.id, setup)
    assert len(passphrase.replace("-", "")) == 20
    holder = open_database(tmp_path / "kita.sqlite")
    with pytest.raises(WrongPassphrase):
        setup_from_file(holder, setup, "aaaa-bbbb-cccc-dddd-eeee")
    assert settings.institution_id(holder) is None
    # Typed from a letter: capitals and spaces instead of dashes still work.
    unit = setup_from_file(holder, setup, passphrase.upper().replace("-", " "))
    assert unit.name == "Kita Löwenzahn" and settings.signing_key(holder)


def test_forged_setup_file_with_another_officer_key_is_refused(tmp_path):
    officer, keys = officer_db(tmp_path)
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    forger, forger_keys = officer_db(other_dir)
    genuine = tmp_path / "kita.imsetup"
    passphrase = write_setup_file(officer, keys, KITA.id, genuine)
    forged = tmp_path / "forged.imsetup"
    write_setup_file(forger, forger_keys, KITA.id, forged)
    holder = open_database(tmp_path / "kita.sqlite")
    with pytest.raises(WrongPassphrase):  # the phone passphrase of the real town opens only the real file
        setup_from_file(holder, forged, passphrase)


def test_yearly_update_needs_no_passphrase_but_a_trusted_signature(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    update = tmp_path / "update.imsetup"
    assert write_setup_file(officer, keys, KITA.id, update, first=False) is None
    assert setup_from_file(holder, update).id == KITA.id
    stranger_dir = tmp_path / "stranger"
    stranger_dir.mkdir()
    stranger, stranger_keys = officer_db(stranger_dir)
    fake_update = tmp_path / "fake-update.imsetup"
    write_setup_file(stranger, stranger_keys, KITA.id, fake_update, first=False)
    with pytest.raises(SubmissionFileError, match="nicht mit dem Schlüssel"):
        setup_from_file(holder, fake_update)


def test_holder_to_officer_with_every_merge_rule(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    first, first_id = export_revision(holder, tmp_path, 2024, kita_values(40))
    assert first.read_bytes().startswith(MAGIC)
    assert b"L\xc3\xb6wenzahn" not in first.read_bytes()  # sealed: nobody on the way can read it

    dry, _src = run_import(officer, keys, first, dry_run=True)
    assert dry.counts[IMPORTED] == 1 and state_of(officer) == (0, 0)
    assert "Betreute Kinder nach Alter – unter 3 Jahren (U3) – insgesamt: – → 10" in dry.results[0].changes

    outbox = tmp_path / "antworten"
    summary, source = run_import(officer, keys, first, outbox=outbox)
    assert summary.counts[IMPORTED] == 1 and source.accepted_items == [first.name]
    stored = current_submission(officer, KITA.id, "kita", 2024)
    assert stored.state is State.RECEIVED and load_values(officer, stored.id) == load_values(holder, first_id)

    again, _src = run_import(officer, keys, first)
    assert again.counts[UNCHANGED] == 1 and again.results[0].reason == "bereits importiert"

    corrected, _id = export_revision(holder, tmp_path, 2024, kita_values(44), correction_of=first_id)
    updated, _src = run_import(officer, keys, corrected)
    assert updated.counts[UPDATED] == 1
    assert [r.revision for r in revisions(officer, KITA.id, "kita", 2024)] == [1, 2]
    assert load_values(officer, current_submission(officer, KITA.id, "kita", 2024).id)[
        ("kinder", "ue3", "insgesamt")].number == 33

    before = state_of(officer)
    late, _src = run_import(officer, keys, first)  # the old revision arrives once more after the new one
    assert late.counts[UNCHANGED] == 1 and state_of(officer) == before
    assert current_submission(officer, KITA.id, "kita", 2024).revision == 2

    receipt = take_receipt(holder, next(outbox.iterdir()))
    assert receipt.message == "vom Integrationsbüro angenommen"
    assert receipt_for(holder, "kita", 2024, 1).outcome == IMPORTED


def test_estimate_or_comment_without_a_number_travels_to_the_officer(tmp_path):
    """The holder ticked "geschätzt" or wrote a comment but left the number open: the store keeps it, so the file
    must carry it and the officer must receive it, or the two sides disagree about the same revision."""
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    values = kita_values(40) | {("personal_mh", "", ""): Value(estimate=True),
                                ("personal_mehrsprachig", "", ""): Value(comment="wird nachgereicht")}
    path, submission_id = export_revision(holder, tmp_path, 2024, values)
    kept = load_values(holder, submission_id)
    assert kept[("personal_mh", "", "")] == Value(estimate=True)
    summary, _src = run_import(officer, keys, path)
    assert summary.counts[IMPORTED] == 1, summary.results[0].reason
    received = load_values(officer, current_submission(officer, KITA.id, "kita", 2024).id)
    assert received == kept
    again, _src = run_import(officer, keys, path)
    assert again.results[0].reason == "bereits importiert"


def test_same_revision_with_other_values_is_a_conflict_that_changes_nothing(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    original, submission_id = export_revision(holder, tmp_path, 2024, kita_values(40))
    run_import(officer, keys, original)
    # A restored backup on the holder's PC: the same revision 1 exported again, with other figures.
    set_values(holder, submission_id, kita_values(48), allow_locked=True)
    other = tmp_path / "other.imon"
    export_submission(holder, submission_id, other)
    before = state_of(officer)
    summary, source = run_import(officer, keys, other)
    assert summary.results[0].outcome == CONFLICT
    assert "schon mit anderen Werten eingegangen" in summary.results[0].reason
    assert state_of(officer) == before and source.rejected_items[0][0] == "other.imon"


def test_files_of_a_revoked_key_are_refused(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    path, _id = export_revision(holder, tmp_path, 2024, kita_values(40))
    revoke_keys(officer, KITA.id)
    summary, _src = run_import(officer, keys, path)
    assert summary.results[0].outcome == REJECTED and "gesperrten Schlüssel" in summary.results[0].reason
    assert state_of(officer) == (0, 0)


def test_file_sealed_for_another_officer_is_refused(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    path, _id = export_revision(holder, tmp_path, 2024, kita_values(40))
    other_dir = tmp_path / "nachbarstadt"
    other_dir.mkdir()
    neighbour, neighbour_keys = officer_db(other_dir)
    summary, _src = run_import(neighbour, neighbour_keys, path)
    assert "anderes Integrationsbüro" in summary.results[0].reason
    assert state_of(neighbour) == (0, 0)


def test_every_single_changed_byte_and_every_truncation_is_refused(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    path, _id = export_revision(holder, tmp_path, 2024, kita_values(40))
    raw = path.read_bytes()
    variants = [raw[:i] + bytes([raw[i] ^ 0x01]) + raw[i + 1:] for i in range(len(raw))]
    variants += [raw[:n] for n in range(len(raw))]
    source = ListSource([Memo(f"v{i}.imon", v) for i, v in enumerate(variants)])
    summary = import_from(officer, keys, source)
    assert summary.counts[REJECTED] == len(variants)
    assert all(r.reason for r in summary.results)
    assert state_of(officer) == (0, 0)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b'{"format": "integrationsmonitor-meldung", "format_version": NaN}', "NaN"),
        (b'{"format": 1, "format": 2}', "doppelt"),
        (b'{"format_version": ' + b"9" * 5000 + b"}", "zu große Zahl"),
        (b"", "keine Meldungsdatei"),
    ],
)
def test_hostile_json_is_refused_with_a_reason(tmp_path, data, says):
    officer, keys = officer_db(tmp_path)
    summary = import_from(officer, keys, ListSource([Memo("x.imon", data)]))
    assert summary.results[0].outcome == REJECTED and says in summary.results[0].reason


def test_transport_problem_such_as_a_huge_file_is_a_rejection(tmp_path):
    officer, keys = officer_db(tmp_path)
    summary = import_from(officer, keys, ListSource([Memo("riesig.imon", b"", problem="riesig.imon ist zu groß")]))
    assert summary.results[0].reason == "riesig.imon ist zu groß"


def test_unknown_form_version_is_refused(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    path, _id = export_revision(holder, tmp_path, 2024, kita_values(40))
    from sync import submission_file

    plain = submission_file.encode(Submission(
        org_unit_id="kita-07", institution_name="Kita", form_id="kita", form_version=9, year=2024, revision=1,
        values={("personal_gesamt", "", ""): Value(state=ValueState.UNKNOWN)}, created_at="2024-01-01"))
    revoke_keys(officer, "kita-07")
    officer.execute("DELETE FROM institution_keys")
    summary = import_from(officer, keys, ListSource([Memo("v9.imon", plain)]))
    assert "Version 9" in summary.results[0].reason


def test_a_file_with_a_hostile_institution_id_gets_no_receipt_and_a_receipt_name_stays_in_the_outbox(tmp_path):
    from sync import submission_file
    from sync.receipt_file import Receipt, receipt_name

    officer, keys = officer_db(tmp_path)
    outbox = tmp_path / "antworten"
    (outbox / "Quittung_..").mkdir(parents=True)  # so that a path built from the id would lead somewhere
    plain = submission_file.encode(Submission(org_unit_id="../../../boese", institution_name="Kita", form_id="kita",
                                              form_version=1, year=2024, revision=1, created_at="2024-01-01"))
    summary = import_from(officer, keys, ListSource([Memo("boese.imon", plain)]), outbox=outbox)
    assert summary.results[0].outcome == REJECTED
    written = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()
               and not p.name.startswith("rathaus.sqlite")]
    assert written == []  # nothing proved who sent it: no receipt at all
    # Should a receipt ever carry such an id, its name goes through the one file-name cleaner.
    name = receipt_name(Receipt("../../../boese", "kita/../x", 2024, 1, "", REJECTED, "", (), ""))
    assert "/" not in name and "\\" not in name and (outbox / name).parent == outbox
    assert name == "Quittung_..-..-..-boese_kita-..-x_2024_Fassung1.imquittung"


def test_file_of_an_institution_without_a_key_or_not_in_the_registry_is_refused(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    path, _id = export_revision(holder, tmp_path, 2024, kita_values(40))
    officer.execute("DELETE FROM institution_keys")
    summary, _src = run_import(officer, keys, path)
    assert "kein Schlüssel hinterlegt" in summary.results[0].reason
    assert state_of(officer) == (0, 0)


def test_a_signature_by_another_key_of_the_same_name_is_refused(tmp_path):
    officer, keys = officer_db(tmp_path)
    holder = holder_db(tmp_path, officer, keys)
    path, _id = export_revision(holder, tmp_path, 2024, kita_values(40))
    from nacl.signing import SigningKey

    officer.execute("UPDATE institution_keys SET verify_key = ?", [SigningKey.generate().verify_key.encode().hex()])
    summary, _src = run_import(officer, keys, path)
    assert "Unterschrift passt nicht" in summary.results[0].reason


def test_setup_file_carries_only_the_forms_of_the_institutions_kind(tmp_path):
    officer, keys = officer_db(tmp_path)
    setup = tmp_path / "kita.imsetup"
    passphrase = write_setup_file(officer, keys, KITA.id, setup)
    from sync.setup_file import open_setup_file

    contents = open_setup_file(setup.read_bytes(), passphrase, [])
    assert [name for name, _text in contents.forms] == ["kita-v1.toml"]
