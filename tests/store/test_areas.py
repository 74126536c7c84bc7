"""The town's own geography as data: levels, areas with parents and lifetimes, figures by area key, sums from the
level below, and a workspace from before that keeps its Bezirk figures."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from forms.values import Value
from store.areas import (
    Area,
    areas_of,
    ensure_level,
    figures_at,
    find_level,
    levels,
    save_areas,
    save_figures,
    set_successors,
    stored_figures,
    successors,
)
from store.database import open_database
from store.errors import StoreError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def db(tmp_path):
    return open_database(tmp_path / "rathaus.sqlite")


def koeln_like(db):
    """Two Stadtbezirke with two and one Stadtteile."""
    ensure_level(db, "Stadtbezirk")
    ensure_level(db, "Stadtteil", "stadtbezirk")
    save_areas(db, "stadtbezirk", [Area("stadtbezirk", "1", "Innenstadt"), Area("stadtbezirk", "9", "Mülheim")])
    save_areas(db, "stadtteil", [Area("stadtteil", "101", "Altstadt/Süd", "1"),
                                 Area("stadtteil", "102", "Neustadt/Süd", "1"),
                                 Area("stadtteil", "909", "Dellbrück", "9", valid_from=2010)])


def test_levels_come_top_down_and_are_found_by_name_or_code(db):
    koeln_like(db)
    assert [(lv.name, lv.parent) for lv in levels(db)] == [("Stadtbezirk", None), ("Stadtteil", "stadtbezirk")]
    assert find_level(db, "stadtteil").name == "Stadtteil" and find_level(db, " Stadtteil ").code == "stadtteil"
    assert find_level(db, "Sozialraum") is None
    assert ensure_level(db, "Statistischer Bezirk", "stadtteil").code == "statistischer-bezirk"


def test_a_level_has_one_parent_and_at_most_one_level_below(db):
    koeln_like(db)
    with pytest.raises(StoreError, match="liegt schon unter"):
        ensure_level(db, "Stadtteil", "sozialraum")
    with pytest.raises(StoreError, match="höchstens eine Ebene"):
        ensure_level(db, "Sozialraum", "stadtbezirk")


def test_a_higher_level_is_the_sum_of_its_complete_areas_below_and_never_counted_twice(db):
    koeln_like(db)
    save_figures(db, "stadtteil", {("101", 2024, "einwohner"): Value(number=1000),
                                   ("102", 2024, "einwohner"): Value(number=500),
                                   ("909", 2024, "einwohner"): Value(number=700),
                                   ("101", 2023, "einwohner"): Value(number=990)}, "Test")
    at_2024 = figures_at(db, "stadtbezirk", 2024, "einwohner")
    assert at_2024 == {"1": 1500, "9": 700}
    # 2023: Neustadt/Süd has no figure, so Innenstadt has no sum; Dellbrück did not exist yet.
    assert figures_at(db, "stadtbezirk", 2023, "einwohner") == {"1": None, "9": None}
    # The office's own figure for the Stadtbezirk wins over the sum; nothing is added on top.
    save_figures(db, "stadtbezirk", {("1", 2024, "einwohner"): Value(number=1510)}, "Amt")
    assert figures_at(db, "stadtbezirk", 2024, "einwohner") == {"1": 1510, "9": 700}


def test_areas_have_lifetimes_and_successors(db):
    koeln_like(db)
    assert [a.key for a in areas_of(db, "stadtteil", 2005)] == ["101", "102"]
    set_successors(db, "stadtteil", "102", {"103": 0.6, "104": None})
    assert successors(db, "stadtteil", "102") == {"103": 0.6, "104": None}


def test_a_workspace_from_before_keeps_its_bezirk_figures_as_figures_by_area(tmp_path):
    """Schema 6 with two Bezirke, a Kita in the second and the town's population by numbered Bezirk rows."""
    path = tmp_path / "alt.sqlite"
    shutil.copy(FIXTURES / "schema-v6.sqlite", path)
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO org_units(id, kind, name, parent_id) VALUES (?, ?, ?, ?)", [
            ("bz-nord", "bezirk", "Nord", "stadt"), ("bz-sued", "bezirk", "Süd", "stadt"),
            ("bz-sued-1", "unterbezirk", "Süd-Ost", "bz-sued"), ("kita-9", "kita", "Kita Sonne", "bz-sued-1")])
        conn.execute("INSERT INTO submissions(org_unit_id, form_id, form_version, year, revision, state, created_at, "
                     "updated_at) VALUES ('stadt', 'bevoelkerung', 1, 2022, 1, 'freigegeben', '2023', '2023')")
        sid = conn.execute("SELECT MAX(id) FROM submissions").fetchone()[0]
        conn.executemany("INSERT INTO cell_values(submission_id, field, row, col, number, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, '2023')", [
                             (sid, "bevoelkerung_bezirk", "bezirk_01", "insgesamt", 21000),
                             (sid, "bevoelkerung_bezirk", "bezirk_01", "auslaender", 1800),
                             (sid, "bevoelkerung_bezirk", "bezirk_02", "insgesamt", 27000),
                             (sid, "kinder_bezirk", "bezirk_02", "a3_6_mit", 300),
                             (sid, "kinder_bezirk", "bezirk_02", "a3_6_ohne", 500)])
    db = open_database(path)
    assert [(lv.code, lv.parent) for lv in levels(db)] == [("bezirk", None), ("unterbezirk", "bezirk")]
    assert [(a.key, a.name) for a in areas_of(db, "bezirk")] == [("bz-nord", "Nord"), ("bz-sued", "Süd")]
    assert areas_of(db, "unterbezirk")[0].parent_key == "bz-sued"
    figures = stored_figures(db, "bezirk", 2022)
    # "Bezirk 1" was the first Bezirk by id: Nord.
    assert figures[("bz-nord", 2022, "einwohner")].number == 21000
    assert figures[("bz-nord", 2022, "auslaender")].number == 1800
    assert figures[("bz-sued", 2022, "einwohner")].number == 27000
    assert figures[("bz-sued", 2022, "kinder_3_6")].number == 800
    assert figures[("bz-sued", 2022, "kinder_3_6_mh")].number == 300
    assert db.execute("SELECT area_level, area_key FROM org_units WHERE id = 'kita-9'").fetchone() == (
        "unterbezirk", "bz-sued-1")
