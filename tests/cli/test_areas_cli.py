"""The areas on the command line: listing them, and an area that ends when boundaries are re-cut."""

import json

from cli.main import parse_args, run
from store.areas import Area, areas_of, ensure_level, save_areas, successors
from store.database import open_database


def workspace(tmp_path):
    path = tmp_path / "rathaus.sqlite"
    db = open_database(path)
    ensure_level(db, "Stadtbezirk")
    ensure_level(db, "Stadtteil", "stadtbezirk")
    save_areas(db, "stadtbezirk", [Area("stadtbezirk", "9", "Mülheim")])
    save_areas(db, "stadtteil", [Area("stadtteil", "909", "Dellbrück", "9"), Area("stadtteil", "911", "Dellbrück-Nord",
                                                                                 "9", valid_from=2025),
                                 Area("stadtteil", "912", "Dellbrück-Süd", "9", valid_from=2025)])
    return path, db


def test_areas_list_names_levels_and_parents(tmp_path, capsys):
    path, _db = workspace(tmp_path)
    assert run(parse_args(["areas", "list", "--db", str(path), "--json"])) == 0
    data = json.loads(capsys.readouterr().out)
    assert [lv["level"] for lv in data] == ["Stadtbezirk", "Stadtteil"]
    assert data[1]["parent"] == "Stadtbezirk" and data[1]["areas"][0] == {
        "key": "909", "name": "Dellbrück", "parent": "9", "from": None, "to": None}


def test_a_re_cut_area_ends_and_names_its_successors(tmp_path, capsys):
    path, db = workspace(tmp_path)
    assert run(parse_args(["areas", "retire", "--db", str(path), "--level", "Stadtteil", "--key", "909",
                           "--last-year", "2024", "--successor", "911=0,6", "--successor", "912"])) == 0
    assert [a.key for a in areas_of(db, "stadtteil", 2024)] == ["909"]
    assert [a.key for a in areas_of(db, "stadtteil", 2025)] == ["911", "912"]
    assert successors(db, "stadtteil", "909") == {"911": 0.6, "912": None}
    assert run(parse_args(["areas", "retire", "--db", str(path), "--level", "Stadtteil", "--key", "909",
                           "--last-year", "2024", "--successor", "911=1,5"])) == 1
    assert "zwischen 0 und 1" in capsys.readouterr().err
