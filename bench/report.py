"""The statistical report for the Soest-sized demo town against an NRW-sized workspace (all 5,407 schools of the
official directory with 10 years of approved school submissions), in one run.
Target: the NRW report takes at most 5 times the Soest time, for about 80 times the data."""

import csv
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._machine import describe, record, timed  # noqa: E402

DIRECTORY = Path(__file__).resolve().parents[2] / "shared" / "data" / "nrw-schulverzeichnis-2024-25.csv"
YEARS = range(2015, 2025)


def school_values(rng: random.Random, primary: bool) -> dict[tuple[str, str, str], int]:
    pupils = rng.randint(80, 1200)
    zwg = rng.randint(0, pupils)
    values = {("schueler_gesamt", "", ""): pupils, ("zwg_gesamt", "", ""): zwg,
              ("zwg_selbst_zugewandert", "", ""): rng.randint(0, zwg), ("zwg_sprache", "", ""): rng.randint(0, zwg),
              ("auslaender", "", ""): rng.randint(0, zwg), ("aussiedler", "", ""): rng.randint(0, pupils - zwg)}
    if primary:
        leavers = rng.randint(10, 120)
        values[("abgaenger_klasse4", "anzahl", "alle")] = leavers
        left = leavers
        for kind in ("hauptschule", "realschule", "gesamtschule", "gymnasium"):
            n = rng.randint(0, left)
            values[("uebergang_schulform", kind, "alle")] = n
            left -= n
        values[("uebergang_schulform", "sonstige", "alle")] = left
    else:
        for grade in ("ohne", "esa", "msa", "ahr"):
            values[("abgaenger_abschluss", grade, "deutsche")] = rng.randint(0, 60)
            values[("abgaenger_abschluss", grade, "auslaender")] = rng.randint(0, 15)
    return values


def nrw(folder: Path):
    from store.database import open_database, write
    from store.orgunits import OrgUnit, save_org_units

    db = open_database(folder / "nrw.sqlite")
    with DIRECTORY.open(encoding="utf-8") as fh:
        schools = [OrgUnit(id=r["Schulnummer"], kind="schule", name=r["Amtliche Bezeichnung 1"],
                           attributes={"schulform": r["Schulform"]}) for r in csv.DictReader(fh)]
    save_org_units(db, [OrgUnit("land", "stadt", "Nordrhein-Westfalen (synthetische Zahlen)")] + schools)
    rng = random.Random(1)
    submissions, values = [], []
    for number, unit in enumerate(schools, start=1):
        for year in YEARS:
            sid = number * 100 + year - 2000
            submissions.append((sid, unit.id, "schule", 1, year, 1, "freigegeben", "bench", "2024", "2024"))
            primary = unit.attributes["schulform"] == "Grundschule"
            values += [(sid, *address, n, "2024") for address, n in school_values(rng, primary).items()]
    with write(db):
        db.conn.executemany("INSERT INTO submissions(id, org_unit_id, form_id, form_version, year, revision, state, "
                            "source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", submissions)
        db.conn.executemany("INSERT INTO cell_values(submission_id, field, row, col, number, updated_at) "
                            "VALUES (?, ?, ?, ?, ?, ?)", values)
    return db, len(schools), len(submissions), len(values)


def main() -> None:
    from demo.town import build_demo
    from reports.report_builder import build_report
    from reports.report_model import INTERNAL, PUBLIC
    from store.database import open_database

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        soest = open_database(folder / "soest.sqlite")
        build_demo(soest, seed=1)
        soest_values = soest.execute("SELECT COUNT(*) FROM cell_values").fetchone()[0]
        big, schools, submissions, values = nrw(folder)
        print(f"machine: {describe()}; medians of 3 runs")
        for variant in (INTERNAL, PUBLIC):
            small = timed(lambda v=variant: build_report(soest, 2024, 2015, v), runs=3)
            large = timed(lambda v=variant: build_report(big, 2024, 2015, v), runs=3)
            print(f"report {variant:<18} Soest demo ({soest_values} values): {small:6.2f} s (baseline)   "
                  f"NRW ({schools} schools, {submissions} submissions, {values} values, "
                  f"{values / soest_values:.0f}x the data): {large:6.2f} s   ratio {large / small:.1f} (target <= 5)")
            record(f"Bericht ({variant}) für alle Schulen NRW, 10 Jahre", large, "s", "Bericht der Soest-Demo", small,
                   "Verhältnis <= 5", large / small <= 5)


if __name__ == "__main__":
    main()
