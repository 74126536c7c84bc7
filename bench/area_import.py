"""Figures by area at Köln size (86 Stadtteile × 10 years × 20 characteristics = 17,200 rows in Köln's open-data
layout) taken with the statistics import, against reading the same file with the csv module and inserting its rows
with executemany into a plain table, in one run. Target from issue 16: at most 3 times that."""

import csv
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._machine import describe, record, timed  # noqa: E402

AREAS, YEARS = 86, range(2015, 2025)


def write_table(path: Path, characteristics: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(["id", "tab_id", "tabelle", "jahr", "raum_id", "raum", "zei_id", "zeile", "zahl"])
        n = 0
        for year in YEARS:
            for a in range(AREAS):
                for z, label in enumerate(characteristics):
                    n += 1
                    out.writerow([n, 12, "Bevölkerung", year, f"{100 + a}", f"Stadtteil {a}", z, label,
                                  1000 + (a * 37 + z * 11 + year) % 5000])


def main() -> None:
    from forms.area_characteristics import characteristics
    from intake.area_figures import import_area_figures
    from intake.tables import read_table
    from store.areas import Area, ensure_level, save_areas
    from store.database import open_database

    labels = [c.label for c in characteristics().values()][:20]
    folder = Path(tempfile.mkdtemp())
    table_path = folder / "koeln.csv"
    write_table(table_path, labels)

    def plain():
        db = sqlite3.connect(folder / "plain.sqlite")
        db.execute("DROP TABLE IF EXISTS t")
        db.execute("CREATE TABLE t (year INTEGER, area TEXT, characteristic TEXT, number INTEGER)")
        with table_path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter=";")
            next(reader)
            with db:
                db.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", ((r[3], r[4], r[7], int(r[8])) for r in reader))
        db.close()

    runs = iter(range(1000))

    def ours():
        db = open_database(folder / f"rathaus-{next(runs)}.sqlite")
        ensure_level(db, "Stadtteil")
        save_areas(db, "stadtteil", [Area("stadtteil", f"{100 + a}", f"Stadtteil {a}") for a in range(AREAS)])
        result = import_area_figures(db, read_table(table_path), "Stadtteil")
        assert result.written and not result.problems, result.problems[:3]
        db.close()

    def setup_only():
        db = open_database(folder / f"leer-{next(runs)}.sqlite")
        ensure_level(db, "Stadtteil")
        save_areas(db, "stadtteil", [Area("stadtteil", f"{100 + a}", f"Stadtteil {a}") for a in range(AREAS)])
        db.close()

    baseline = timed(plain)
    empty = timed(setup_only)
    taken = timed(ours) - empty  # creating the workspace and its areas is not the import
    rows = AREAS * len(YEARS) * len(labels)
    print(f"machine: {describe()}; medians of 7 runs; {rows} rows")
    print(f"csv module + executemany:           {baseline * 1000:7.1f} ms (baseline)")
    print(f"statistics import by area:          {taken * 1000:7.1f} ms  ratio {taken / baseline:.1f} (target <= 3)")
    record(f"Zahlen nach Gebieten in Köln-Größe ({rows:,} Zeilen) übernehmen".replace(",", "."), taken * 1000, "ms",
           "dieselbe Datei mit dem csv-Modul lesen und mit executemany speichern", baseline * 1000,
           "Verhältnis <= 3", taken / baseline <= 3)


if __name__ == "__main__":
    main()
