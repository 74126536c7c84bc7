"""The officer reads out the fingerprint of the town's key with the one-time passphrase; the institution's
program shows the same one before it asks for the passphrase (tests/desktop/test_setup_fingerprint.py)."""

from store.database import open_database
from store.orgunits import save_org_units
from tests.cli.test_exchange import PASSPHRASE, run
from tests.sync.exchange_helpers import KITA


def test_setup_file_command_prints_the_officers_fingerprint_to_read_out(tmp_path):
    from sync.officer import unlock_officer

    db_path = tmp_path / "rathaus.sqlite"
    save_org_units(open_database(db_path), [KITA])
    assert run("officer", "init", "--db", db_path).returncode == 0
    fingerprint = unlock_officer(open_database(db_path), PASSPHRASE).public.fingerprint
    result = run("setup-file", "--db", db_path, "--institution", KITA.id, "--out", tmp_path / "kita.imsetup")
    assert result.returncode == 0, result.stderr
    assert f"Fingerabdruck des Integrationsbüros: {fingerprint}" in result.stdout
