"""Importing 5,000 signed and sealed submission files, against two baselines measured in the same run:

- the floor: the same values read from plain JSON files and inserted with bare sqlite3 executemany in one
  transaction (no crypto, no validation, no merge rules, no archive). Target: at most 3 times the floor.
- what officers do today: one Excel workbook per institution, merged with pandas.read_excel and concat.
  Target: the import at least 20 times faster.
- reading the files and opening and verifying their seals alone, in the same run. Target: the import as the
  officer runs it (with archive copies and receipts) at most 1.5 times that.
"""

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._machine import describe, record  # noqa: E402

FILES = int(os.environ.get("BENCH_FILES", "5000"))
YEAR = 2024


def kita_values(i: int):
    from forms.values import Value

    children = 30 + i % 60
    values = {("personal_gesamt", "", ""): Value(number=5 + i % 10)}
    for row, total in (("u3", children // 4), ("ue3", children - children // 4)):
        values[("kinder", row, "insgesamt")] = Value(number=total)
        for col, share in (("eltern_ausl", 3), ("sprache", 4), ("auslaender", 6)):
            values[("kinder", row, col)] = Value(number=total // share)
    return values


def prepare(folder: Path):
    from nacl.signing import SigningKey

    from store.database import open_database, write
    from store.orgunits import OrgUnit, save_org_units
    from store.submissions import Submission
    from sync.officer import init_officer
    from sync.sealed_file import seal
    from sync.submission_file import build_body

    db = open_database(folder / "rathaus.sqlite")
    keys = init_officer(db, "Rathaus-Integration-2026")
    units = [OrgUnit(id=f"kita-{i:05d}", kind="kita", name=f"Kita {i}") for i in range(FILES)]
    save_org_units(db, units)
    sealed, plain = folder / "versiegelt", folder / "json"
    sealed.mkdir()
    plain.mkdir()
    with write(db):
        for i, unit in enumerate(units):
            key = SigningKey.generate()
            db.execute("INSERT INTO institution_keys(org_unit_id, verify_key, created_at) VALUES (?, ?, '2024')",
                       [unit.id, key.verify_key.encode().hex()])
            submission = Submission(org_unit_id=unit.id, institution_name=unit.name, form_id="kita", form_version=1,
                                    year=YEAR, revision=1, values=kita_values(i), app_version="bench",
                                    created_at="2024-03-05T10:00:00+00:00")
            (sealed / f"{unit.id}.imon").write_bytes(seal(submission, key, keys.public.box))
            (plain / f"{unit.id}.json").write_text(json.dumps(build_body(submission)))
    return db, keys, sealed, plain


def floor(plain: Path, folder: Path) -> float:
    began = time.perf_counter()
    conn = sqlite3.connect(folder / "floor.sqlite", isolation_level=None)
    conn.execute("CREATE TABLE cell_values (institution TEXT, field TEXT, row TEXT, col TEXT, number INTEGER)")
    rows = []
    for path in sorted(plain.iterdir()):
        body = json.loads(path.read_text())
        rows += [(body["institution"]["id"], v["field"], v["row"], v["column"], v.get("number"))
                 for v in body["values"]]
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO cell_values VALUES (?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - began


def excel_today(plain: Path, folder: Path) -> float:
    """One workbook per institution as officers collect them today; timed only the reading and merging."""
    import openpyxl
    import pandas as pd

    books = folder / "excel"
    books.mkdir()
    for path in sorted(plain.iterdir()):
        body = json.loads(path.read_text())
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Feld", "Zeile", "Spalte", "Anzahl"])
        for v in body["values"]:
            sheet.append([v["field"], v["row"], v["column"], v.get("number")])
        book.save(books / (path.stem + ".xlsx"))
    began = time.perf_counter()
    frames = [pd.read_excel(p).assign(einrichtung=p.stem) for p in sorted(books.iterdir())]
    merged = pd.concat(frames)
    assert len(merged) == FILES * 9
    return time.perf_counter() - began


def main() -> None:
    from store.database import open_database
    from sync.importer import import_from
    from sync.officer import exchange_folders, institution_keys
    from sync.sealed_file import unseal
    from sync.transports import FileSource

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, keys, sealed, plain = prepare(folder)
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(folder / "rathaus.sqlite", folder / "kopie.sqlite")
        began = time.perf_counter()
        summary = import_from(db, keys, ReadOnly(sealed))
        core = time.perf_counter() - began
        assert summary.counts["importiert"] == FILES, summary.counts

        second = open_database(folder / "kopie.sqlite")
        folders = exchange_folders(folder / "kopie.sqlite")
        began = time.perf_counter()
        summary = import_from(second, keys, FileSource([sealed], folders.archive, folders.quarantine),
                              outbox=folders.outbox)
        full = time.perf_counter() - began
        assert summary.counts["importiert"] == FILES, summary.counts

        began = time.perf_counter()
        for path in sorted(sealed.iterdir()):
            unseal(path.read_bytes(), keys.box, lambda unit_id, db=second: institution_keys(db, unit_id))
        crypto = time.perf_counter() - began
        base = floor(plain, folder)
        excel = excel_today(plain, folder)
    print(f"machine: {describe()}; {FILES} files of the Kita form (9 values each)")
    print(f"floor, plain JSON + sqlite3 executemany:             {base:7.2f} s")
    print(f"reading and opening the seals alone (no database):   {crypto:7.2f} s  ratio {crypto / base:.1f}")
    print(f"import: open, verify, validate, merge, log:          {core:7.2f} s  ratio {core / base:.1f} "
          f"(target <= 3)")
    print(f"import as the officer runs it (+ archive, receipts): {full:7.2f} s  ratio {full / base:.1f}; "
          f"{full / crypto:.2f} times opening the seals alone (target <= 1.5)")
    print(f"Excel today, pandas.read_excel + concat:             {excel:7.2f} s  import is {excel / core:.1f} "
          f"(as run: {excel / full:.1f}) times faster (target >= 20)")
    record("5.000 Meldungsdateien: nur Siegel öffnen und Unterschrift prüfen", crypto, "s",
           "Untergrenze: JSON lesen + executemany", base, "(Anteil der Kryptographie)")
    record("5.000 Meldungsdateien importieren", core, "s", "Untergrenze: JSON lesen + executemany", base,
           "Verhältnis <= 3", core / base <= 3)
    record("5.000 Meldungsdateien importieren wie im Betrieb (mit Archiv und Quittungen)", full, "s",
           "nur Dateien lesen, Siegel öffnen und Unterschrift prüfen", crypto, "Verhältnis <= 1,5",
           full / crypto <= 1.5)
    record("5.000 Excel-Arbeitsmappen zusammenführen (heutiges Verfahren)", excel, "s",
           "Import der 5.000 Meldungsdateien", core, "Verhältnis >= 20", excel / core >= 20)


class ReadOnly:
    """The files read from disk like the floor reads its JSON, without archive copies or receipts."""

    def __init__(self, folder: Path):
        self.folder = folder

    def fetch(self):
        from sync.transports import Incoming

        for path in sorted(self.folder.iterdir()):
            yield Incoming(path.name, path.read_bytes(), str(path))

    def accepted(self, item) -> None:
        pass

    def rejected(self, item, reason: str) -> None:
        raise AssertionError(reason)


if __name__ == "__main__":
    main()
