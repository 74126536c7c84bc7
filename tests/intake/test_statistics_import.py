"""Population by Bezirk from the register's CSV export into the town's form, as the officer does it yearly."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from forms.catalog import latest_form
from intake.statistics_import import import_statistics, propose_columns
from intake.tables import read_table
from store.database import open_database
from store.errors import StoreError
from store.review import history
from store.submissions import State, current_submission, figure_sources, load_values, revisions

ROOT = Path(__file__).resolve().parents[2]
FORM = latest_form("bevoelkerung")


def register_csv(path: Path, rows: list[tuple], encoding="cp1252") -> Path:
    lines = ["Jahr;Feld;Zeile;Spalte;Wert;Quelle"]
    lines += [";".join(map(str, r)) for r in rows]
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


def bezirk_rows(year, total=5210, foreign=412, emr=1380):
    return [(year, "Einwohner/innen nach Bezirk", "Bezirk 1", "insgesamt", f"{total:,}".replace(",", "."),
             "Einwohnermelderegister"),
            (year, "Einwohner/innen nach Bezirk", "Bezirk 1", "Ausländer/innen", foreign, "Einwohnermelderegister"),
            (year, "bevoelkerung_bezirk", "bezirk_02", "emr", emr, "Einwohnermelderegister")]


def test_population_by_bezirk_from_a_windows_csv(tmp_path, db):
    table = read_table(register_csv(tmp_path / "melderegister.csv", bezirk_rows(2024)))
    results = import_statistics(db, FORM, table, who="Integrationsbüro")
    assert [(r.year, r.values, r.written, r.problems) for r in results] == [(2024, 3, True, [])]
    assert any("noch leer" in w for w in results[0].warnings)  # the age table is still empty: said, not refused
    submission = current_submission(db, "stadt", "bevoelkerung", 2024)
    assert submission.state is State.APPROVED
    values = load_values(db, submission.id)
    assert values[("bevoelkerung_bezirk", "bezirk_01", "insgesamt")].number == 5210
    assert values[("quelle", "", "")].text == "Einwohnermelderegister"


def test_a_new_table_for_the_same_year_becomes_a_revision_with_history(tmp_path, db):
    import_statistics(db, FORM, read_table(register_csv(tmp_path / "a.csv", bezirk_rows(2024))))
    import_statistics(db, FORM, read_table(register_csv(tmp_path / "b.csv", bezirk_rows(2024, total=5230))),
                      replace=True)
    assert [r.revision for r in revisions(db, "stadt", "bevoelkerung", 2024)] == [1, 2]
    current = current_submission(db, "stadt", "bevoelkerung", 2024)
    assert any(h["old"] == "5210" and h["new"] == "5230" for h in history(db, current.id))


def test_errors_keep_a_whole_year_out(tmp_path, db):
    rows = bezirk_rows(2024, total=300, foreign=412) + [(2024, "Einwohner/innen nach Bezirk", "Bezirk 99",
                                                         "insgesamt", 1, "x")]
    results = import_statistics(db, FORM, read_table(register_csv(tmp_path / "f.csv", rows)))
    problems = " ".join(results[0].problems)
    assert "(412) ist größer als" in problems and "keine Zeile „Bezirk 99“" in problems
    assert not results[0].written and current_submission(db, "stadt", "bevoelkerung", 2024) is None


def test_stats_import_command(tmp_path):
    db_path = tmp_path / "rathaus.sqlite"
    open_database(db_path).close()
    csv = register_csv(tmp_path / "m.csv", bezirk_rows(2023) + bezirk_rows(2024, total=5300))
    dry = subprocess.run([sys.executable, "-m", "cli.main", "stats", "import", "--db", db_path, "--form",
                          "bevoelkerung", "--dry-run", "--json", csv], cwd=ROOT, capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert [r["year"] for r in json.loads(dry.stdout)] == [2023, 2024]
    assert current_submission(open_database(db_path), "stadt", "bevoelkerung", 2024) is None
    real = subprocess.run([sys.executable, "-m", "cli.main", "stats", "import", "--db", db_path, "--form",
                           "bevoelkerung", csv], cwd=ROOT, capture_output=True, text=True)
    assert real.returncode == 0, real.stderr
    assert "2024: 3 Werte – übernommen" in real.stdout


def test_a_second_source_stands_beside_the_main_one_without_mixing(tmp_path, db):
    # The 2010 report found the register and IT.NRW disagreeing for the same year.
    import_statistics(db, FORM, read_table(register_csv(tmp_path / "register.csv", bezirk_rows(2024))))
    itnrw = [(2024, "bevoelkerung_bezirk", "bezirk_01", "insgesamt", 5260, "IT.NRW, Fortschreibung")]
    import_statistics(db, FORM, read_table(register_csv(tmp_path / "itnrw.csv", itnrw)), figure_source="IT.NRW")
    assert figure_sources(db, "stadt", "bevoelkerung", 2024) == ["", "IT.NRW"]
    main, second = (current_submission(db, "stadt", "bevoelkerung", 2024, s) for s in ("", "IT.NRW"))
    assert load_values(db, main.id)[("bevoelkerung_bezirk", "bezirk_01", "insgesamt")].number == 5210
    assert load_values(db, second.id)[("bevoelkerung_bezirk", "bezirk_01", "insgesamt")].number == 5260
    assert load_values(db, second.id)[("quelle", "", "")].text == "IT.NRW, Fortschreibung"
    # A new register table revises the register's figures only.
    import_statistics(db, FORM, read_table(register_csv(tmp_path / "r2.csv", bezirk_rows(2024, total=5215))),
                      replace=True)
    assert [r.revision for r in revisions(db, "stadt", "bevoelkerung", 2024)] == [1, 3]
    assert current_submission(db, "stadt", "bevoelkerung", 2024, "IT.NRW").id == second.id


def test_columns_with_other_headings_are_mapped_by_the_officer(tmp_path, db):
    path = tmp_path / "export.csv"
    path.write_text("Stichjahr;Merkmal;Bezirk;Gruppe;Anzahl\n2024;bevoelkerung_bezirk;bezirk_01;insgesamt;5210\n",
                    encoding="utf-8")
    table = read_table(path)
    assert propose_columns(table) == {"field": 1, "value": 4}
    with pytest.raises(StoreError, match="Für Jahr ist keine Spalte"):
        import_statistics(db, FORM, table, source="Melderegister")
    columns = {"year": 0, "field": 1, "row": 2, "column": 3, "value": 4}
    results = import_statistics(db, FORM, table, source="Melderegister", columns=columns)
    assert results[0].written and not results[0].problems
    values = load_values(db, current_submission(db, "stadt", "bevoelkerung", 2024).id)
    assert values[("bevoelkerung_bezirk", "bezirk_01", "insgesamt")].number == 5210
    with pytest.raises(StoreError, match="mehreren Angaben"):
        import_statistics(db, FORM, table, columns=columns | {"row": 3})


def test_stats_import_command_for_a_second_source(tmp_path):
    db_path = tmp_path / "rathaus.sqlite"
    open_database(db_path).close()
    csv = register_csv(tmp_path / "i.csv", bezirk_rows(2024, total=5300))
    run = subprocess.run([sys.executable, "-m", "cli.main", "stats", "import", "--db", db_path, "--form",
                          "bevoelkerung", "--second-source", "IT.NRW", csv], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    db = open_database(db_path)
    assert current_submission(db, "stadt", "bevoelkerung", 2024) is None
    assert current_submission(db, "stadt", "bevoelkerung", 2024, "IT.NRW").state is State.APPROVED


NATURALISATIONS = latest_form("einbuergerung")


def test_a_table_split_by_bezirk_is_refused_for_a_town_level_field(tmp_path, db):
    """Measured in the issue: such a table went into the town's single naturalisations figure, row and column were
    ignored and the last row won (22 became 1). Every line must fit the field's shape, and nothing changes."""
    import_statistics(db, NATURALISATIONS, read_table(register_csv(tmp_path / "stadt.csv", [
        (2004, "einbuergerungen", "", "", 22, "Ausländerbehörde")])))
    by_bezirk = [(2004, "einbuergerungen", f"Bezirk {n}", "insgesamt", n, "IT.NRW") for n in (9, 12, 1)]
    results = import_statistics(db, NATURALISATIONS, read_table(register_csv(tmp_path / "bezirke.csv", by_bezirk)))
    assert not results[0].written and len(results[0].problems) == 3
    assert "Zeile 2:" in results[0].problems[0] and "ohne Zeilen und Spalten" in results[0].problems[0]
    assert "Bezirk 9" in results[0].problems[0]
    current = current_submission(db, "stadt", "einbuergerung", 2004)
    assert load_values(db, current.id)[("einbuergerungen", "", "")].number == 22
    assert [r.revision for r in revisions(db, "stadt", "einbuergerung", 2004)] == [1]


def test_two_lines_for_one_cell_are_refused(tmp_path, db):
    """Measured in the issue: a duplicate line for one cell passed, and Einwohner 2009 became the later figure."""
    rows = bezirk_rows(2009) + [(2009, "Einwohner/innen nach Bezirk", "Bezirk 1", "insgesamt", 99, "x")]
    results = import_statistics(db, FORM, read_table(register_csv(tmp_path / "doppelt.csv", rows)))
    assert not results[0].written
    assert any("Zeile 5:" in p and "schon in Zeile 2" in p for p in results[0].problems), results[0].problems
    assert current_submission(db, "stadt", "bevoelkerung", 2009) is None


def test_replacing_approved_figures_is_shown_and_needs_confirmation(tmp_path, db):
    """A table that would change figures already approved shows each change as old → new; without the officer's
    confirmation (--replace) nothing is written."""
    import_statistics(db, FORM, read_table(register_csv(tmp_path / "a.csv", bezirk_rows(2024))))
    newer = read_table(register_csv(tmp_path / "b.csv", bezirk_rows(2024, total=5230)))
    dry = import_statistics(db, FORM, newer, dry_run=True)
    assert dry[0].replaced == ["Einwohner/innen nach Bezirk – Bezirk 1 – insgesamt: 5.210 → 5.230"]
    held = import_statistics(db, FORM, newer)
    assert not held[0].written and "--replace" in " ".join(held[0].problems)
    assert [r.revision for r in revisions(db, "stadt", "bevoelkerung", 2024)] == [1]
    done = import_statistics(db, FORM, newer, replace=True)
    assert done[0].written and [r.revision for r in revisions(db, "stadt", "bevoelkerung", 2024)] == [1, 2]
    again = import_statistics(db, FORM, newer)  # the same figures once more: nothing to confirm
    assert again[0].replaced == [] and again[0].problems == []


def test_stats_import_command_asks_for_replace(tmp_path):
    db_path = tmp_path / "rathaus.sqlite"
    open_database(db_path).close()

    def stats(*args):
        return subprocess.run([sys.executable, "-m", "cli.main", "stats", "import", "--db", db_path, "--form",
                               "bevoelkerung", *map(str, args)], cwd=ROOT, capture_output=True, text=True)

    assert stats(register_csv(tmp_path / "a.csv", bezirk_rows(2024))).returncode == 0
    newer = register_csv(tmp_path / "b.csv", bezirk_rows(2024, total=5230))
    held = stats(newer)
    assert held.returncode == 1 and "5.210 → 5.230" in held.stdout and "--replace" in held.stdout
    taken = stats("--replace", newer)
    assert taken.returncode == 0 and "2024: 3 Werte – übernommen" in taken.stdout
