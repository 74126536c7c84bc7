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


def _batch(tmp_path):
    """An officer's database, and an inbox with a plain file whose id is a path, then two genuine signed files."""
    from forms.values import Value
    from store.submissions import Submission
    from sync import submission_file
    from tests.sync.exchange_helpers import holder_db, officer_db

    officer, keys = officer_db(tmp_path)
    kita = holder_db(tmp_path, officer, keys)
    officer.close()
    inbox = tmp_path / "Eingang"
    inbox.mkdir()
    (inbox / "a-boese.imon").write_bytes(submission_file.encode(Submission(
        org_unit_id="nobody/../../../pwned", institution_name="Kita", form_id="kita", form_version=1, year=2024,
        revision=1, values={("personal_gesamt", "", ""): Value(number=3)}, created_at="2024-11-01")))
    export_revision(kita, inbox, 2024, kita_values(40), name="b-kita.imon")
    export_revision(kita, inbox, 2023, kita_values(36), name="c-kita-2023.imon")
    return tmp_path / "rathaus.sqlite", inbox


def test_a_file_with_a_path_in_its_id_is_refused_and_the_rest_of_the_batch_is_imported(tmp_path):
    db_path, inbox = _batch(tmp_path)
    result = run("import", "--db", db_path, inbox)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1  # one file was refused
    assert "Ergebnis: 2 importiert, 0 aktualisiert, 0 unverändert, 1 abgelehnt" in result.stdout, result.stdout
    files = tmp_path / "Integrationsmonitor-Dateien"
    assert sorted(p.name for p in (files / "Archiv").iterdir()) == ["b-kita.imon", "c-kita-2023.imon"]
    assert (files / "Quarantaene" / "a-boese.imon").exists()
    receipts = sorted(p.name for p in (files / "Antworten").iterdir())
    assert receipts == ["Quittung_kita-07_kita_2023_Fassung1.imquittung",
                        "Quittung_kita-07_kita_2024_Fassung1.imquittung"]
    # Nothing was written outside the folders of the exchange, and no receipt for the file nobody could vouch for.
    assert not list(tmp_path.parent.rglob("pwned*")) and not list(tmp_path.rglob("*pwned*"))


def test_a_receipt_that_cannot_be_written_is_reported_and_the_batch_goes_on(tmp_path):
    db_path, inbox = _batch(tmp_path)
    files = tmp_path / "Integrationsmonitor-Dateien"
    files.mkdir()
    (files / "Antworten").write_text("kein Ordner")  # the receipts' folder cannot be made
    result = run("import", "--db", db_path, inbox)
    assert "Traceback" not in result.stderr, result.stderr
    assert "Ergebnis: 2 importiert, 0 aktualisiert, 0 unverändert, 1 abgelehnt" in result.stdout, result.stdout
    assert "Quittung" in result.stdout + result.stderr
    assert sorted(p.name for p in (files / "Archiv").iterdir()) == ["b-kita.imon", "c-kita-2023.imon"]


def test_a_workbook_for_a_keyed_institution_counts_only_if_this_office_made_it(tmp_path):
    """The reported attack: anyone can make an Excel form for a public id in a workspace of their own. Only the
    officer's own workbook is taken; making it is the officer's permission, and the command says so."""
    from tests.sync.exchange_helpers import holder_db, officer_db
    from tests.sync.test_excel_form import KITA_INPUT, fill

    office, forger = tmp_path / "rathaus", tmp_path / "faelscher"
    for folder in (office, forger):
        folder.mkdir()
        db, keys = officer_db(folder)
        holder_db(folder, db, keys).close()  # the Kita has its key (in the forger's copy of the registry too)
        db.close()
    made = {}
    for folder in (office, forger):
        result = run("excel-forms", "--db", folder / "rathaus.sqlite", "--year", 2024, "--institution", KITA.id,
                     "--allow-excel", "--out", folder / "Formulare")
        assert result.returncode == 0, result.stderr
        assert "Hinweis: Kita Löwenzahn hat einen Schlüssel" in result.stdout
        blank = next((folder / "Formulare").iterdir())
        made[folder.name] = fill(blank, folder / "Kita.xlsx", KITA_INPUT)

    forged = run("import", "--db", office / "rathaus.sqlite", made["faelscher"])
    assert forged.returncode == 1 and "Traceback" not in forged.stderr
    assert "nicht von diesem Integrationsbüro erstellt" in forged.stdout
    assert "Ergebnis: 0 importiert, 0 aktualisiert, 0 unverändert, 1 abgelehnt" in forged.stdout
    genuine = run("import", "--db", office / "rathaus.sqlite", made["rathaus"])
    assert genuine.returncode == 0, genuine.stdout + genuine.stderr
    assert "Ergebnis: 1 importiert" in genuine.stdout


def test_no_workbook_for_an_institution_with_a_key_unless_the_officer_allows_it(tmp_path):
    """The issue's walk: setup file, then `excel-forms` for that institution. Without the officer's explicit
    permission no workbook is made, so none can come back; the bulk run leaves the institution out and says so."""
    from tests.sync.exchange_helpers import holder_db, officer_db

    db, keys = officer_db(tmp_path)
    holder_db(tmp_path, db, keys).close()  # the Kita opened its setup file: it has a key
    db.close()
    out = tmp_path / "Formulare"
    one = run("excel-forms", "--db", tmp_path / "rathaus.sqlite", "--year", 2024, "--institution", KITA.id,
              "--out", out)
    assert one.returncode == 1 and "Traceback" not in one.stderr
    assert "unterschreibt ihre Meldungen" in one.stderr and "--allow-excel" in one.stderr
    assert not out.exists() or not list(out.iterdir())
    bulk = run("excel-forms", "--db", tmp_path / "rathaus.sqlite", "--year", 2024, "--out", out)
    assert bulk.returncode == 0, bulk.stderr
    assert f"Ohne Excel-Formular, weil sie mit dem Programm unterschrieben melden: {KITA.name}" in bulk.stdout
    assert [p.name for p in out.iterdir() if f"({KITA.id})" in p.name] == []  # a keyless school still gets its own
    status = run("status", "--db", tmp_path / "rathaus.sqlite", "--year", 2024)
    assert "Kindertageseinrichtung: 0 von 1 eingegangen" in status.stdout  # nothing was added for the Kita
