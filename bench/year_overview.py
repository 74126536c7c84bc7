"""The year overview for an NRW-sized registry (the 5,407 schools of the official directory plus 10,000
synthetic Kitas, 10 years of submissions) against the Soest-sized demo town, in one run.
Targets: under 1 second, and at most 5 times the Soest time."""

import csv
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._machine import describe, record, timed  # noqa: E402

DIRECTORY = Path(__file__).resolve().parents[2] / "shared" / "data" / "nrw-schulverzeichnis-2024-25.csv"
YEARS = range(2016, 2026)
STATES = ["freigegeben"] * 7 + ["eingegangen", "rueckfrage"]


def nrw(folder: Path):
    from store.database import open_database, write
    from store.orgunits import OrgUnit, save_org_units

    db = open_database(folder / "nrw.sqlite")
    with DIRECTORY.open(encoding="utf-8") as fh:
        schools = [OrgUnit(id=r["Schulnummer"], kind="schule", name=r["Amtliche Bezeichnung 1"],
                           attributes={"schulform": r["Schulform"]}) for r in csv.DictReader(fh)]
    kitas = [OrgUnit(id=f"kita-{i:05d}", kind="kita", name=f"Kita {i} (synthetisch)") for i in range(10_000)]
    save_org_units(db, schools + kitas)
    rng = random.Random(1)
    rows = [(u.id, u.kind if u.kind == "kita" else "schule", 1, year, 1, rng.choice(STATES), "bench", "2024",
             "2024") for u in schools + kitas for year in YEARS if rng.random() < 0.93]
    with write(db):
        db.conn.executemany("INSERT INTO submissions(org_unit_id, form_id, form_version, year, revision, state, "
                            "source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return db, len(schools), len(kitas), len(rows)


def main() -> None:
    from demo.town import build_demo
    from store.database import open_database
    from store.overview import year_overview

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        soest = open_database(folder / "soest.sqlite")
        build_demo(soest, seed=1)
        big, schools, kitas, submissions = nrw(folder)
        small_time = timed(lambda: year_overview(soest, 2025))
        big_time = timed(lambda: year_overview(big, 2025))
        expected = sum(o.expected for o in year_overview(big, 2025))
    print(f"machine: {describe()}; medians of 7 runs")
    print(f"Soest demo (94 institutions, 11 years):                 {small_time * 1000:8.1f} ms (baseline)")
    print(f"NRW ({schools} schools + {kitas} Kitas, {submissions} submissions): {big_time * 1000:8.1f} ms  "
          f"ratio {big_time / small_time:.1f}  (targets: < 1000 ms, ratio <= 5); {expected} expected in 2025")
    record("Jahresübersicht NRW-Größe (15.407 Einrichtungen)", big_time * 1000, "ms", "Soest-Demo (94 Einrichtungen)",
           small_time * 1000, "< 1.000 ms und Verhältnis <= 5", big_time < 1 and big_time / small_time <= 5)


if __name__ == "__main__":
    main()
