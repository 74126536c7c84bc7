"""An institution's place from the registry list (UTM 32N as NRW writes it, or longitude and latitude) becomes a
point on the maps; a place outside Germany is refused for its row."""

from pathlib import Path

from forms.values import Value
from intake.registry_import import import_registry
from intake.tables import read_table
from reports.area_measures import group_named
from reports.disclosure import Rules
from reports.map_figures import share_map
from store.areas import Area, Boundary, ensure_level, save_areas, save_figures
from store.database import open_database
from store.orgunits import located_institutions
from tests.reports.test_maps import legend_texts

KOELN = Path(__file__).resolve().parents[3] / "shared" / "data" / "koeln"


def test_places_become_points_inside_the_town(tmp_path):
    from intake.gis import read_boundaries

    db = open_database(tmp_path / "koeln.sqlite")
    bezirke = read_boundaries(KOELN / "stadtbezirke.geojson")
    ensure_level(db, "Stadtbezirk")
    save_areas(db, "stadtbezirk", [Area("stadtbezirk", f.attributes["STB_NR"], f.attributes["STB_NAME"])
                                   for f in bezirke.features],
               {f.attributes["STB_NR"]: Boundary(f.rings, f.representative_point) for f in bezirke.features})
    save_figures(db, "stadtbezirk", {(f.attributes["STB_NR"], 2024, c): Value(number=n) for f in bezirke.features
                                     for c, n in (("einwohner", 100000), ("auslaender", 20000))}, "Test")
    path = tmp_path / "schulen.csv"
    # Köln Dom (UTM 32N 356,600 / 5,645,600, once with the zone in front) and Köln-Porz (longitude/latitude).
    path.write_text("Kennung;Name;Art;Rechtswert;Hochwert;Längengrad;Breitengrad\r\n"
                    "s1;Schule am Dom;Schule;32356600;5645600;;\r\n"
                    "s2;Schule in Porz;Schule;;;7,06;50,88\r\n"
                    "s3;Schule am Nordpol;Schule;;;7,0;89,9\r\n", encoding="utf-8")
    result = import_registry(db, read_table(path))
    assert len(result.refused) == 1 and "nicht in Deutschland" in result.refused[0]
    places = located_institutions(db)
    assert [name for name, _x, _y in places] == ["Schule am Dom", "Schule in Porz"]
    xs = [x for f in bezirke.features for ring in f.rings for x, _y in ring]
    ys = [y for f in bezirke.features for ring in f.rings for _x, y in ring]
    assert all(min(xs) < x < max(xs) and min(ys) < y < max(ys) for _n, x, y in places)
    figure = share_map(db, "stadtbezirk", 2024, group_named("auslaender"), False, Rules(), "Karte")
    assert "Einrichtung" in legend_texts(figure)
