"""Counting a large school's SchILD pupil export (5,000 pupils, UTF-16) into the school form, against reading the
same file with the csv module alone, in one run. No target was set; the secretary waits for this after choosing
the file, so it is recorded to notice if it ever grows past a blink."""

import csv
import io
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._machine import describe, record, timed  # noqa: E402
from common.numbers import format_number  # noqa: E402

PUPILS = 5_000
HEADER = ("Status;Klasse;Jahrgang;Staatsangehörigkeit (Schlüssel);Aussiedler;Migrationshintergrund vorhanden;"
          "Geburtsland;Geburtsland Mutter;Geburtsland Vater;Zuzugsjahr;Verkehrssprache in der Familie;"
          "Übergangsempfehlung;Entlassdatum;Abschlussart an eigener Schule (Statistik-Kürzel);"
          "Aufnehmende Schule: Schulnr.")


def export_file(folder: Path) -> Path:
    rng = random.Random(1)
    countries = [("Deutschland", "000", "Deutsch")] * 6 + [("Türkei", "163", "Türkisch"), ("Syrien", "475", "Arabisch")]
    lines = [HEADER]
    for i in range(PUPILS):
        country, key, language = rng.choice(countries)
        grade = rng.randint(5, 13)
        left = i % 12 == 0
        lines.append(";".join(f'"{c}"' for c in (
            "8" if left else "2", f"{grade:02d}{'abc'[i % 3]}", f"{grade:02d}", key, "", "1" if key != "000" else "",
            country, country, "Deutschland", "2019" if country != "Deutschland" else "", language, "",
            "10.07.2025" if left else "", rng.choice("ABDFGK") if left else "", "")))
    path = folder / "Schuelerexport.txt"
    path.write_bytes(b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
    return path


def main() -> None:
    from intake.pupil_counts import count_pupils
    from intake.pupil_export import read_pupil_export

    with tempfile.TemporaryDirectory() as tmp:
        path = export_file(Path(tmp))
        plain = timed(lambda: list(csv.reader(io.StringIO(path.read_bytes().decode("utf-16")), delimiter=";")))
        counted = timed(lambda: count_pupils(read_pupil_export(path), 2025))
    print(f"machine: {describe()}; medians of 7 runs")
    print(f"csv module alone:            {plain * 1000:7.1f} ms (baseline)")
    print(f"read, recognise and count:   {counted * 1000:7.1f} ms  ratio {counted / plain:.1f}")
    record(f"Schülerexport mit {format_number(PUPILS)} Schüler/innen zählen", counted * 1000, "ms",
           "dieselbe Datei nur mit dem csv-Modul lesen", plain * 1000, "–")


if __name__ == "__main__":
    main()
