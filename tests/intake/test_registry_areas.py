"""Institutions placed in the town's areas by a column of the registry list, by key or by name."""

from intake.registry_import import import_registry
from intake.tables import read_table
from store.areas import Area, area_of_units, ensure_level, save_areas
from store.database import open_database


def test_the_registry_list_puts_each_institution_in_its_area(tmp_path):
    db = open_database(tmp_path / "koeln.sqlite")
    ensure_level(db, "Stadtbezirk")
    ensure_level(db, "Stadtteil", "stadtbezirk")
    save_areas(db, "stadtbezirk", [Area("stadtbezirk", "9", "Mülheim")])
    save_areas(db, "stadtteil", [Area("stadtteil", "909", "Dellbrück", "9"), Area("stadtteil", "905", "Buchheim", "9")])
    path = tmp_path / "kitas.csv"
    path.write_text("Kennung;Name;Art;Stadtteil\r\nkita-1;Kita Sonne;Kita;909\r\nkita-2;Kita Mond;Kita;Buchheim\r\n"
                    "kita-3;Kita Stern;Kita;Atlantis\r\n", encoding="utf-8")
    result = import_registry(db, read_table(path))
    assert area_of_units(db) == {"kita-1": ("stadtteil", "909"), "kita-2": ("stadtteil", "905")}
    assert len(result.refused) == 1 and "das Gebiet „Atlantis“ gibt es nicht" in result.refused[0]
