"""Figures by area from a town statistics office's long table (Köln's open-data layout), strict and all-or-nothing,
and the segregation measures at both levels from them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from forms.values import Value
from intake.area_figures import import_area_figures
from intake.tables import read_table
from reports.area_measures import area_segregation, group_named
from store.areas import Area, ensure_level, figures_at, save_areas, save_figures, stored_figures
from store.database import open_database

ROOT = Path(__file__).resolve().parents[2]
HEADER = "id;tab_id;tabelle;jahr;raum_id;raum;zei_id;zeile;zahl"
# (Stadtteil key, name, Stadtbezirk) as Köln builds its keys: the first digit is the Stadtbezirk.
STADTTEILE = [("101", "Altstadt/Süd", "1"), ("102", "Neustadt/Süd", "1"), ("901", "Mülheim", "9"),
              ("909", "Dellbrück", "9")]
PEOPLE = {"101": (30000, 6000), "102": (40000, 5000), "901": (42000, 14000), "909": (22000, 2000)}


def koeln_table(rows: list[tuple[int, str, str, str]]) -> str:
    lines = [HEADER] + [f"{i};12;Bevölkerung;{year};{key};{name};{z};{text};{value}"
                        for i, (year, key, text, value) in enumerate(rows, start=1)
                        for name in [dict((k, n) for k, n, _p in STADTTEILE)[key]] for z in ["1"]]
    return "\r\n".join(lines) + "\r\n"


def population_rows(year: int = 2024) -> list[tuple[int, str, str, str]]:
    return [row for key, (total, foreign) in PEOPLE.items()
            for row in ((year, key, "Einwohner insgesamt", f"{total:,}".replace(",", ".")),
                        (year, key, "Ausländer", str(foreign)))]


@pytest.fixture
def db(tmp_path):
    db = open_database(tmp_path / "koeln.sqlite")
    ensure_level(db, "Stadtbezirk")
    ensure_level(db, "Stadtteil", "stadtbezirk")
    save_areas(db, "stadtbezirk", [Area("stadtbezirk", "1", "Innenstadt"), Area("stadtbezirk", "9", "Mülheim")])
    save_areas(db, "stadtteil", [Area("stadtteil", k, n, p) for k, n, p in STADTTEILE])
    return db


def table(tmp_path, text: str):
    path = tmp_path / "bevoelkerung.csv"
    path.write_text(text, encoding="utf-8")
    return read_table(path)


MAPPING = {"Einwohner insgesamt": "einwohner", "Ausländer": "auslaender"}


def test_a_population_table_by_stadtteil_fills_both_levels(tmp_path, db):
    result = import_area_figures(db, table(tmp_path, koeln_table(population_rows())), "Stadtteil", MAPPING)
    assert result.written and not result.problems
    assert stored_figures(db, "stadtteil", 2024)[("101", 2024, "einwohner")] == Value(number=30000)
    assert figures_at(db, "stadtbezirk", 2024, "einwohner") == {"1": 70000, "9": 64000}
    assert figures_at(db, "stadtbezirk", 2024, "auslaender") == {"1": 11000, "9": 16000}


def test_segregation_at_both_levels_matches_the_formula(tmp_path, db):
    import_area_figures(db, table(tmp_path, koeln_table(population_rows())), "Stadtteil", MAPPING)
    group = group_named("auslaender")
    fine, _missing = area_segregation(db, "stadtteil", 2024, group)
    coarse, _missing = area_segregation(db, "stadtbezirk", 2024, group)
    a, b = sum(f for _t, f in PEOPLE.values()), sum(t - f for t, f in PEOPLE.values())
    expected = sum(abs(f / a - (t - f) / b) for t, f in PEOPLE.values()) / 2
    assert fine.dissimilarity == pytest.approx(expected)
    assert fine.isolation + fine.exposure == pytest.approx(1)
    assert coarse.units == 2 and coarse.dissimilarity < fine.dissimilarity  # coarser areas hide some segregation


def test_unknown_characteristics_are_refused_and_nothing_changes(tmp_path, db):
    result = import_area_figures(db, table(tmp_path, koeln_table(population_rows())), "Stadtteil")
    assert not result.written and result.unmapped == ["Einwohner insgesamt", "Ausländer"]
    assert "--map" in result.problems[-1]
    assert stored_figures(db, "stadtteil") == {}


@pytest.mark.parametrize(("change", "message"), [
    (lambda rows: rows + [(2024, "101", "Ausländer", "6001")], r"Zeile 10: .*steht schon in Zeile 3"),
    (lambda rows: [(y, "999" if k == "909" else k, t, v) for y, k, t, v in rows], None),
    (lambda rows: [(y, k, t, "viele" if k == "102" and t == "Ausländer" else v) for y, k, t, v in rows], "Zeile 5"),
])
def test_a_bad_row_refuses_the_whole_table_naming_the_row(tmp_path, db, change, message):
    rows = change(population_rows())
    if message is None:  # an area key the town does not have
        text = koeln_table([r for r in rows if r[1] != "999"]).rstrip("\r\n") + \
            "\r\n99;12;Bevölkerung;2024;999;Nirgendwo;1;Ausländer;5\r\n"
        message = "das Gebiet „999“ gibt es nicht"
    else:
        text = koeln_table(rows)
    result = import_area_figures(db, table(tmp_path, text), "Stadtteil", MAPPING)
    assert not result.written and any(__import__("re").search(message, p) for p in result.problems), result.problems
    assert stored_figures(db, "stadtteil") == {}


def test_a_different_figure_replaces_the_old_one_only_when_confirmed(tmp_path, db):
    save_figures(db, "stadtteil", {("101", 2024, "einwohner"): Value(number=29000)}, "alt")
    data = table(tmp_path, koeln_table(population_rows()))
    refused = import_area_figures(db, data, "Stadtteil", MAPPING)
    assert not refused.written and any("29.000 → 30.000" in r for r in refused.replaced)
    assert stored_figures(db, "stadtteil")[("101", 2024, "einwohner")].number == 29000
    assert import_area_figures(db, data, "Stadtteil", MAPPING, replace=True).written
    assert stored_figures(db, "stadtteil")[("101", 2024, "einwohner")].number == 30000


def test_the_command_line_takes_the_table_remembers_the_mapping_and_measures(tmp_path, db):
    path = tmp_path / "bevoelkerung.csv"
    path.write_text(koeln_table(population_rows()), encoding="utf-8")
    db.close()
    dbfile = tmp_path / "koeln.sqlite"

    def run(*args):
        return subprocess.run([sys.executable, "-m", "cli.main", *map(str, args)], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)

    first = run("stats", "import", "--db", dbfile, "--level", "Stadtteil", "--map", "Einwohner insgesamt=einwohner",
                "--map", "Ausländer=auslaender", path)
    assert first.returncode == 0, first.stderr + first.stdout
    again = run("stats", "import", "--db", dbfile, "--level", "Stadtteil", "--json", path)
    assert again.returncode == 0 and json.loads(again.stdout)["unchanged"] == 8  # the mapping was remembered
    for level, units in (("Stadtteil", 4), ("Stadtbezirk", 2)):
        out = run("segregation", "--db", dbfile, "--year", 2024, "--level", level, "--group", "auslaender", "--json")
        data = json.loads(out.stdout)
        assert out.returncode == 0 and data["units"] == units
        assert data["dissimilarity"] == round(data["dissimilarity"], 4)  # 4 decimals, as the issue asks
