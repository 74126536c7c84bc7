"""The report's pages on the town's areas: a Stadtbezirk's figures are the sums of its Stadtteile, every group the
figures have gets its share and its segregation measures, and small areas are withheld in the public variant."""

import pytest

from forms.values import Value
from reports.area_measures import group_named
from reports.area_tables import shares
from reports.disclosure import Rules
from reports.report_builder import build_report
from reports.report_model import PUBLIC
from store.areas import Area, ensure_level, save_areas, save_figures
from store.database import open_database

STADTTEILE = {"101": ("Altstadt/Süd", "1", 30000, 6000), "102": ("Neustadt/Süd", "1", 40000, 5000),
              "901": ("Mülheim", "9", 42000, 14000), "909": ("Dellbrück", "9", 22000, 2000),
              "910": ("Flittard", "9", 15, 2)}


@pytest.fixture
def db(tmp_path):
    db = open_database(tmp_path / "koeln.sqlite")
    ensure_level(db, "Stadtbezirk")
    ensure_level(db, "Stadtteil", "stadtbezirk")
    save_areas(db, "stadtbezirk", [Area("stadtbezirk", "1", "Innenstadt"), Area("stadtbezirk", "9", "Mülheim")])
    save_areas(db, "stadtteil", [Area("stadtteil", k, n, p) for k, (n, p, _t, _a) in STADTTEILE.items()])
    save_figures(db, "stadtteil", {(k, year, c): Value(number=v - (2024 - year) * 10 if c == "einwohner" else v)
                                   for k, (_n, _p, total, foreign) in STADTTEILE.items() for year in (2023, 2024)
                                   for c, v in (("einwohner", total), ("auslaender", foreign))}, "Test")
    return db


def table(report, code):
    return next(t for c in report.chapters for t in c.tables if t.code == code)


def test_the_stadtbezirk_figures_are_the_sums_of_their_stadtteile(db):
    report = build_report(db, 2024, 2023)
    bezirke = table(report, "gebiete_stadtbezirk_2024")
    rows = dict(zip(bezirke.rows, bezirke.cells, strict=True))
    for key, name in (("1", "Innenstadt"), ("9", "Mülheim")):
        members = [v for v in STADTTEILE.values() if v[1] == key]
        assert rows[name][0].number == sum(v[2] for v in members)
        assert rows[name][1].number == round(100 * sum(v[3] for v in members) / sum(v[2] for v in members), 1)
    assert rows["Stadt insgesamt"][0].number == sum(v[2] for v in STADTTEILE.values())
    assert table(report, "gebiete_stadtteil_2024").rows == [v[0] for v in STADTTEILE.values()]


def test_segregation_stands_at_both_levels_for_each_year(db):
    report = build_report(db, 2024, 2023)
    for level, units in (("stadtteil", 5), ("stadtbezirk", 2)):
        seg = table(report, f"segregation_{level}")
        assert seg.rows == ["Ausländer/innen, 2023", "Ausländer/innen, 2024"]
        assert {row[0].number for row in seg.cells} == {units}
        d, isolation, exposure = (seg.cells[1][i].number for i in (2, 3, 4))
        assert 0 < d < 1 and isolation + exposure == pytest.approx(1, abs=1e-3)


def test_a_small_area_is_withheld_in_the_public_variant_and_never_coloured(db):
    internal = table(build_report(db, 2024, 2023), "gebiete_stadtteil_2024")
    public = table(build_report(db, 2024, 2023, variant=PUBLIC), "gebiete_stadtteil_2024")
    flittard = internal.rows.index("Flittard")
    assert internal.cells[flittard][1].number is not None
    assert public.cells[flittard][1].text == "." and public.cells[flittard][1].number is None
    small = {s.key: s for s in shares(db, "stadtteil", 2024, group_named("auslaender"), True, Rules())}["910"]
    assert small.withheld and small.percent is None
