"""Issue 16's walk on the command line, from an empty workspace: Köln's real Stadtbezirke (GeoJSON) and Stadtteile
(Shapefile), a population table by Stadtteil in Köln's open-data layout, the segregation and the map at both levels,
and a report whose Stadtbezirk figures are the sums of their Stadtteile, with a profile page per Stadtbezirk."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from store.areas import areas_of, figures_at
from store.database import open_database

ROOT = Path(__file__).resolve().parents[2]
KOELN = ROOT.parent / "shared" / "data" / "koeln"


def run(*args):
    result = subprocess.run([sys.executable, "-m", "cli.main", *map(str, args)], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


@pytest.fixture(scope="module")
def koeln(tmp_path_factory):
    folder = tmp_path_factory.mktemp("koeln")
    db_path = folder / "koeln.sqlite"
    open_database(db_path).close()
    run("areas", "import", "--db", db_path, "--level", "Stadtbezirk", "--key", "STB_NR", "--name", "STB_NAME",
        "--source", "Stadt Köln, Offene Daten, CC BY", KOELN / "stadtbezirke.geojson")
    out = run("areas", "import", "--db", db_path, "--level", "Stadtteil", "--key", "STT_NR", "--name", "STT_NAME",
              "--parent-level", "Stadtbezirk", "--parent-prefix", "1", "--json", KOELN / "Stadtteil.shp")
    imported = json.loads(out)
    # A synthetic population by Stadtteil, in Köln's layout: each Stadtteil's figures follow from its key.
    lines = ["id;tab_id;tabelle;jahr;raum_id;raum;zei_id;zeile;zahl"]
    for n, area in enumerate(imported["areas"]):
        total = 2000 + int(area["key"]) * 7
        for year in (2023, 2024):
            for z, (text, value) in enumerate((("Einwohner insgesamt", total + year - 2023),
                                               ("Ausländer", total // (3 + n % 5)))):
                lines.append(f"{len(lines)};1;Bevölkerung;{year};{area['key']};{area['name']};{z};{text};{value}")
    table = folder / "bevoelkerung_stadtteile.csv"
    table.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    run("stats", "import", "--db", db_path, "--level", "Stadtteil", "--map", "Einwohner insgesamt=einwohner",
        "--map", "Ausländer=auslaender", table)
    return folder, db_path, imported


def test_both_levels_come_in_with_names_and_parents(koeln):
    _folder, db_path, imported = koeln
    db = open_database(db_path)
    assert [a.name for a in areas_of(db, "stadtbezirk")][:2] == ["Innenstadt", "Rodenkirchen"]
    assert len(areas_of(db, "stadtteil")) == 86 and imported["new"] == 86
    names = {a["key"]: a for a in imported["areas"]}
    assert names["909"]["parent"] == "9"  # the first digit of a Köln Stadtteil's key is its Stadtbezirk
    assert {"Dellbrück", "Mülheim", "Höhenberg"} <= {a["name"] for a in imported["areas"]}  # Latin-1 without .cpg


def test_the_stadtbezirke_are_the_sums_of_their_stadtteile(koeln):
    _folder, db_path, imported = koeln
    db = open_database(db_path)
    bezirke = figures_at(db, "stadtbezirk", 2024, "einwohner")
    for key, total in bezirke.items():
        members = [a for a in imported["areas"] if a["parent"] == key]
        assert total == sum(2000 + int(a["key"]) * 7 + 1 for a in members)


def test_segregation_and_map_at_both_levels(koeln):
    folder, db_path, _imported = koeln
    for level, units in (("Stadtteil", 86), ("Stadtbezirk", 9)):
        data = json.loads(run("segregation", "--db", db_path, "--year", 2024, "--level", level, "--group",
                              "auslaender", "--json"))
        assert data["units"] == units and 0 < data["dissimilarity"] < 1
        picture = folder / f"karte-{level}.png"
        run("map", "--db", db_path, "--year", 2024, "--indicator", "auslaender", "--level", level, "--out", picture)
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_report_has_the_area_tables_maps_and_a_profile_per_stadtbezirk(koeln):
    from pypdf import PdfReader

    folder, db_path, _imported = koeln
    pdf = folder / "bericht.pdf"
    run("report", "--db", db_path, "--year", 2024, "--from", 2023, "--pdf", pdf, "--profiles", "Stadtbezirk",
        "--xlsx", folder / "bericht.xlsx", "--csv", folder / "csv")
    text = [page.extract_text() for page in PdfReader(pdf).pages]
    assert any("Bevölkerung nach Stadtteil 2024" in t for t in text)
    assert any("Anteil Ausländer/innen nach Stadtbezirk, 2024" in t for t in text)
    from store.areas import outline_source

    assert outline_source(open_database(db_path), "stadtbezirk") == "Stadt Köln, Offene Daten, CC BY"
    assert outline_source(open_database(db_path), "stadtteil") == "Stadtteil.shp"  # the file's name by default
    db = open_database(db_path)
    for area in areas_of(db, "stadtbezirk"):
        assert sum(t.lstrip().startswith(f"Gebietsprofil Stadtbezirk: {area.name}") or
                   f"\nGebietsprofil Stadtbezirk: {area.name}\n" in t for t in text) >= 1, area.name


def test_the_profiles_are_in_the_workbook_and_the_csv_too(koeln):
    import csv as csv_module

    from openpyxl import load_workbook

    folder, db_path, _imported = koeln
    run("report", "--db", db_path, "--year", 2024, "--from", 2023, "--profiles", "Stadtbezirk",
        "--xlsx", folder / "profile.xlsx", "--csv", folder / "profile-csv")
    sheet = load_workbook(folder / "profile.xlsx")["Gebietsprofile"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Innenstadt: Einwohner/innen" in texts and "2023" in texts
    files = [p for p in (folder / "profile-csv").iterdir() if "gebietsprofile" in p.name]
    assert len(files) == 1
    lines = list(csv_module.reader(files[0].read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert sum(line[0].startswith("Mülheim: ") for line in lines) == 2  # population and the Ausländer share
