"""Reading a GENESIS download at Gemeinde level (12411-01-01-5, 1.9 MB, 14,493 regions) and taking the town's line
(Soest, 05974040), against reading the same file with the csv module alone, in one run. Target from issue 17:
at most 3 times the csv module."""

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._machine import describe, record, timed  # noqa: E402

FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "genesis" / "12411-01-01-5_00.csv"


def main() -> None:
    from intake.genesis import read_genesis

    def plain():
        with FILE.open(encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh, delimiter=";"))

    baseline = timed(plain)
    taken = timed(lambda: read_genesis(FILE).of("05974040")[0].cells)
    print(f"machine: {describe()}; medians of 7 runs")
    print(f"csv module alone:                      {baseline * 1000:7.1f} ms (baseline)")
    print(f"GENESIS table read, the town's line:   {taken * 1000:7.1f} ms  ratio {taken / baseline:.1f} (target <= 3)")
    record("GENESIS-Tabelle auf Gemeindeebene (1,9 MB) lesen, Zeile der Stadt nehmen", taken * 1000, "ms",
           "dieselbe Datei nur mit dem csv-Modul lesen", baseline * 1000, "Verhältnis <= 3", taken / baseline <= 3)


if __name__ == "__main__":
    main()
