"""The officer's exchange on the command line: init, setup file, import with dry run and JSON."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from store.database import open_database
from store.orgunits import save_org_units
from sync.holder import setup_from_file
from tests.sync.exchange_helpers import KITA, export_revision, kita_values

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "Rathaus-Integration-2026"


def run(*args, passphrase=PASSPHRASE):
    env = {**os.environ, "IMON_PASSPHRASE": passphrase}
    return subprocess.run([sys.executable, "-m", "cli.main", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env)


def test_officer_cycle_on_the_command_line(tmp_path):
    db_path = tmp_path / "rathaus.sqlite"
    save_org_units(open_database(db_path), [KITA])
    result = run("officer", "init", "--db", db_path)
    assert result.returncode == 0, result.stderr
    assert "Fingerabdruck" in result.stdout and "Sicherung" in result.stdout
    assert run("officer", "init", "--db", db_path).returncode == 1  # keys are never replaced

    setup = tmp_path / "kita.imsetup"
    result = run("setup-file", "--db", db_path, "--institution", KITA.id, "--out", setup)
    assert result.returncode == 0, result.stderr
    one_time = re.search(r"Einmal-Kennwort.*: ([a-z0-9-]+)$", result.stdout.strip()).group(1)

    holder = open_database(tmp_path / "kita.sqlite")
    setup_from_file(holder, setup, one_time)
    sent, _id = export_revision(holder, tmp_path, 2024, kita_values(40))
    broken = tmp_path / "kaputt.imon"
    broken.write_bytes(sent.read_bytes()[:-5])

    dry = run("import", "--db", db_path, "--dry-run", "--json", sent)
    assert dry.returncode == 0, dry.stderr
    summary = json.loads(dry.stdout)
    assert summary["dry_run"] and summary["counts"]["importiert"] == 1
    assert any("→ 10" in change for change in summary["files"][0]["changes"])

    wrong = run("import", "--db", db_path, sent, passphrase="falsch")
    assert wrong.returncode == 1 and "Kennwort stimmt nicht" in wrong.stderr

    real = run("import", "--db", db_path, sent, broken)
    assert real.returncode == 1  # one file was refused
    assert "Ergebnis: 1 importiert, 0 aktualisiert, 0 unverändert, 1 abgelehnt, 0 Konflikt" in real.stdout
    again = run("import", "--db", db_path, "--json", sent)
    assert again.returncode == 0 and json.loads(again.stdout)["counts"]["unverändert"] == 1
    files = tmp_path / "Integrationsmonitor-Dateien"
    assert (files / "Quarantaene" / "kaputt.imon.grund.txt").exists()
    assert len(list((files / "Antworten").iterdir())) >= 1


def test_a_guessable_officer_passphrase_is_refused_on_the_command_line(tmp_path):
    db_path = tmp_path / "rathaus.sqlite"
    for weak in ("aaaaaaaaaa", "Passwort12", "Passwort-2026!"):
        result = run("officer", "init", "--db", db_path, passphrase=weak)
        assert result.returncode == 1, weak
        assert "vier zufällige Wörter" in result.stderr
    assert run("officer", "init", "--db", db_path).returncode == 0


def test_only_what_the_dry_run_showed_is_imported(tmp_path):
    """Security issue, finding 11a: a file put into the folder between `import --dry-run` and `import` is not
    taken over unseen when the real import names the list the dry run wrote."""
    db_path = tmp_path / "rathaus.sqlite"
    save_org_units(open_database(db_path), [KITA])
    assert run("officer", "init", "--db", db_path).returncode == 0
    setup = tmp_path / "kita.imsetup"
    result = run("setup-file", "--db", db_path, "--institution", KITA.id, "--out", setup)
    one_time = re.search(r"Einmal-Kennwort.*: ([a-z0-9-]+)$", result.stdout.strip()).group(1)
    holder = open_database(tmp_path / "kita.sqlite")
    setup_from_file(holder, setup, one_time)
    inbox = tmp_path / "Eingang"
    inbox.mkdir()
    seen, _id = export_revision(holder, inbox, 2024, kita_values(40))
    preview = tmp_path / "probelauf.txt"

    dry = run("import", "--db", db_path, "--dry-run", "--json", "--only-previewed", preview, inbox)
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["previewed"] == preview.read_text().splitlines()[1:]  # after the header
    assert "--only-previewed" in dry.stderr
    unseen, _id = export_revision(holder, inbox, 2025, kita_values(44))  # arrives after the dry run

    real = run("import", "--db", db_path, "--only-previewed", preview, inbox)
    assert real.returncode == 0, real.stderr
    assert "1 importiert" in real.stdout
    assert unseen.name in real.stdout and "nach dem Probelauf" in real.stdout
    again = run("import", "--db", db_path, "--json", "--only-previewed", preview, inbox)
    assert json.loads(again.stdout)["counts"]["importiert"] == 0  # the unseen file is still held back

    missing = run("import", "--db", db_path, "--only-previewed", tmp_path / "gibt-es-nicht.txt", inbox)
    assert missing.returncode == 1 and "Probelauf" in missing.stderr
