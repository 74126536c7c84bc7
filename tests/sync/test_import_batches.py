"""A large import over more than one batch, with files to refuse among them: each committed batch is archived,
quarantined and receipted, and a refused file takes nothing else with it."""

from nacl.signing import SigningKey

from store.keys import replace_key, revoke_keys
from store.orgunits import OrgUnit, save_org_units
from store.submissions import Submission, current_submission
from sync import submission_file
from sync.importer import BATCH, IMPORTED, REJECTED, import_from
from sync.sealed_file import seal
from sync.transports import REASON_SUFFIX, FolderInbox
from tests.sync.exchange_helpers import kita_values, officer_db

YEAR = 2024
N = BATCH + 60  # more than one batch


def submission(unit: OrgUnit, children: int) -> Submission:
    return Submission(org_unit_id=unit.id, institution_name=unit.name, form_id="kita", form_version=1, year=YEAR,
                      revision=1, values=kita_values(children), created_at="2024-11-01T10:00:00+00:00")


def test_a_large_import_over_several_batches_files_away_every_file(tmp_path):
    officer, keys = officer_db(tmp_path)
    units = [OrgUnit(id=f"kita-{i:04d}", kind="kita", name=f"Kita {i}") for i in range(N)]
    save_org_units(officer, units)
    inbox = tmp_path / "Eingang"
    inbox.mkdir()
    signing = {}
    for i, unit in enumerate(units):
        signing[unit.id] = SigningKey.generate()
        replace_key(officer, unit.id, signing[unit.id].verify_key.encode().hex())
        (inbox / f"{unit.id}.imon").write_bytes(seal(submission(unit, 40 + i % 20), signing[unit.id],
                                                     keys.public.box))
    # Three that must be refused.
    (inbox / "kita-0000-fremd.imon").write_bytes(seal(submission(units[0], 41), SigningKey.generate(),
                                                      keys.public.box))
    revoke_keys(officer, units[1].id)
    (inbox / "kita-0002-ohne-siegel.imon").write_bytes(submission_file.encode(submission(units[2], 50)))

    outbox = tmp_path / "Antworten"
    summary = import_from(officer, keys, FolderInbox(inbox, tmp_path / "Archiv", tmp_path / "Quarantaene",
                                                     settle_seconds=0), outbox=outbox)
    reasons = {r.name: r.reason for r in summary.results if r.outcome == REJECTED}
    assert summary.counts[IMPORTED] == N - 1 and len(reasons) == 3, summary.counts
    assert "Die Unterschrift passt nicht zur Einrichtung „kita-0000“" in reasons["kita-0000-fremd.imon"]
    assert "gesperrten Schlüssel" in reasons["kita-0001.imon"]
    assert "nicht unterschrieben, obwohl die Einrichtung einen Schlüssel hat" in reasons["kita-0002-ohne-siegel.imon"]
    assert list(inbox.iterdir()) == []
    assert len(list((tmp_path / "Archiv").iterdir())) == N - 1
    assert sorted(p.name for p in (tmp_path / "Quarantaene").iterdir() if not p.name.endswith(REASON_SUFFIX)) == [
        "kita-0000-fremd.imon", "kita-0001.imon", "kita-0002-ohne-siegel.imon"]
    assert len(list(outbox.iterdir())) == N - 1  # receipts only where a signature proved the sender
    assert current_submission(officer, "kita-0005", "kita", YEAR).source == "app"
