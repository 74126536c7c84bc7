"""The report commands on the demo workspace, as a script in the town hall would run them."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from demo.town import build_demo
from store.database import open_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(path)
    build_demo(db, seed=1)
    db.close()
    return path


def cli(*args):
    return subprocess.run([sys.executable, "-m", "cli.main", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True)


def test_report_command_writes_pdf_workbook_and_csv(demo_db, tmp_path):
    run = cli("report", "--db", demo_db, "--year", 2024, "--from", 2020, "--variant", "public",
              "--pdf", tmp_path / "bericht.pdf", "--xlsx", tmp_path / "bericht.xlsx", "--csv", tmp_path / "csv")
    assert run.returncode == 0, run.stderr
    assert "geschrieben" in run.stdout
    reader = PdfReader(tmp_path / "bericht.pdf")
    assert len(reader.pages) > 10 and "veröffentlichbar" in reader.pages[0].extract_text()
    assert "Schulen" in openpyxl.load_workbook(tmp_path / "bericht.xlsx").sheetnames
    assert len(list((tmp_path / "csv").glob("*.csv"))) > 20


def test_report_command_needs_an_output_and_says_so(demo_db):
    run = cli("report", "--db", demo_db, "--year", 2024)
    assert run.returncode == 1 and "--pdf, --xlsx oder --csv" in run.stderr


def test_indicators_as_json(demo_db):
    run = cli("indicators", "--db", demo_db, "--year", 2024, "--json")
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    town = next(r for r in rows if r["code"] == "schule_zwg" and r["level"] == "stadt")
    assert town["unit"] == "prozent" and town["year"] == 2024
    assert town["value"] == pytest.approx(town["numerator"] / town["denominator"] * 100, abs=1e-3)
    assert {r["level"] for r in rows if r["code"] == "schule_zwg"} == {"stadt", "schulform", "bezirk", "einrichtung"}


def test_segregation_of_the_grundschulen(demo_db):
    run = cli("segregation", "--db", demo_db, "--year", 2024, "--units", "schools", "--type", "Grundschule", "--json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["units"] == 8 and result["definition"] == "ZWG"
    assert 0 <= result["dissimilarity"] <= 1
    wrong = cli("segregation", "--db", demo_db, "--year", 2024, "--units", "kitas", "--type", "Grundschule")
    assert wrong.returncode == 1 and "--type gilt nur" in wrong.stderr


def test_a_missing_database_is_named(tmp_path):
    run = cli("indicators", "--db", tmp_path / "nicht-da.sqlite", "--year", 2024)
    assert run.returncode == 1 and "gibt es nicht" in run.stderr
