"""The command line as the officer or an administrator uses it: in a shell, reading what it prints."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from forms.catalog import definition_files
from store.database import open_database
from store.submissions import current_submission, load_values
from sync.submission_file import read_submission_file

ROOT = Path(__file__).resolve().parents[2]


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "cli.main", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("Integrationsmonitor ")


def test_forms_check_accepts_the_shipped_forms():
    result = run("forms", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("ok ") == len(definition_files())
    assert "schule-v1.toml: Schule (Version 1)" in result.stdout


def test_forms_check_names_the_problem_in_a_broken_copy(tmp_path):
    broken = tmp_path / "schule-kaputt.toml"
    text = (ROOT / "forms/definitions/schule-v1.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace('whole = "zwg_gesamt"', 'whole = "zwg_gesammt"', 1), encoding="utf-8")
    result = run("forms", "check", broken, ROOT / "forms/definitions/kita-v1.toml")
    assert result.returncode == 1
    assert "schule-kaputt.toml" in result.stderr and "unbekanntes Feld „zwg_gesammt“" in result.stderr
    assert "kita-v1.toml" in result.stdout


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    result = run("demo", "--db", path)
    assert result.returncode == 0, result.stderr
    assert "SYNTHETISCHE DATEN" in result.stdout
    return path


def test_demo_refuses_to_overwrite_an_existing_database(demo_db):
    before = demo_db.stat().st_size
    result = run("demo", "--db", demo_db)
    assert result.returncode == 1
    assert "gibt es schon" in result.stderr
    assert demo_db.stat().st_size == before


def test_export_of_a_demo_institution_reads_back_identical(demo_db, tmp_path):
    db_copy = tmp_path / "kopie.sqlite"
    shutil.copy(demo_db, db_copy)
    out = tmp_path / "meldung.imon"
    result = run("export", "--db", db_copy, "--institution", "990001", "--form", "schule", "--year", "2025",
                 "--out", out)
    assert result.returncode == 0, result.stderr
    assert "geschrieben und geprüft" in result.stdout
    db = open_database(db_copy)
    submission = current_submission(db, "990001", "schule", 2025)
    assert read_submission_file(out).values == load_values(db, submission.id)


def test_export_of_a_missing_form_says_so(demo_db, tmp_path):
    result = run("export", "--db", demo_db, "--institution", "990001", "--form", "schule", "--year", "1999",
                 "--out", tmp_path / "x.imon")
    assert result.returncode == 1
    assert "keine Meldung „schule“ für 1999" in result.stderr
    assert not (tmp_path / "x.imon").exists()


def test_a_database_that_is_not_ours_is_refused_by_the_command_line(tmp_path):
    fake = tmp_path / "brief.sqlite"
    fake.write_text("Sehr geehrte Damen und Herren")
    result = run("export", "--db", fake, "--institution", "1", "--form", "schule", "--year", "2024",
                 "--out", tmp_path / "x.imon")
    assert result.returncode == 1
    assert "keine Datenbank des Integrationsmonitors" in result.stderr
    assert fake.read_text() == "Sehr geehrte Damen und Herren"


def test_status_shows_the_year_overview(demo_db):
    result = run("status", "--db", demo_db, "--year", "2025")
    assert result.returncode == 0, result.stderr
    assert "Schule: 17 von 17 eingegangen (100 %)" in result.stdout
    as_json = run("status", "--db", demo_db, "--year", "2020", "--form", "schule", "--json")
    data = __import__("json").loads(as_json.stdout)
    assert [f["form"] for f in data["forms"]] == ["schule"] and data["forms"][0]["expected"] == 18
