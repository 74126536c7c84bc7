"""Official statistics tables as downloaded, into the town's forms: the real downloads in ../shared/data/genesis,
through the shipped mappings, with the reference date and source on every value. Expected figures are read from
the file's own line with the csv module, as an officer would check them against the download."""

import csv
from pathlib import Path

import pytest

from forms.catalog import latest_form
from forms.model import ValueState
from intake.genesis import GenesisError, parse_genesis, read_genesis
from intake.genesis_import import import_genesis, take
from intake.genesis_mapping import Mapping, mapping_for, shipped_mappings
from store.database import open_database
from store.submissions import current_submission, figure_sources, load_values, revisions
from store.table_mappings import remember_mapping, remembered_mapping
from store.value_origins import origins_of

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "genesis"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "genesis"


def file_line(name: str, starts: str) -> list[str]:
    """The file's line for a region, as the csv module reads it."""
    data = (DATA / name).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # 12511 comes in Latin-1, as downloads sometimes do
    return next(row for row in csv.reader(text.splitlines(), delimiter=";") if ";".join(row).startswith(starts))


@pytest.fixture
def db(tmp_path):
    return open_database(tmp_path / "rathaus.sqlite")


def load(name: str, folder: Path = DATA):
    table = read_genesis(folder / name)
    mapping = mapping_for(table)
    return table, mapping, latest_form(mapping.form)


def town_values(db, form_id: str, year: int, series: str = "") -> dict:
    submission = current_submission(db, "stadt", form_id, year, series)
    return {a: v.number for a, v in load_values(db, submission.id).items() if v.number is not None}


def test_soest_takes_its_population_of_2008_to_2015_with_source_and_reference_date(db):
    table, mapping, form = load("12411-01-01-5_00.csv")
    taken = take(table, mapping, form, "05974040")
    results = import_genesis(db, form, table, taken, who="test")
    assert [r.year for r in results if r.written] == list(range(2008, 2016))
    line = file_line("12411-01-01-5_00.csv", "05974040")
    # The years stand side by side, newest first, each with insgesamt, männlich, weiblich.
    for i, year in enumerate(range(2015, 2007, -1)):
        total, male, female = (int(v) for v in line[2 + 3 * i: 5 + 3 * i])
        values = town_values(db, "bevoelkerung", year)
        assert values[("einwohner_amtlich", "insgesamt", "insgesamt")] == total
        assert values[("einwohner_amtlich", "insgesamt", "maennlich")] == male
        assert values[("einwohner_amtlich", "insgesamt", "weiblich")] == female
    submission = current_submission(db, "stadt", "bevoelkerung", 2015)
    origin = origins_of(db, submission.id)["einwohner_amtlich"]
    assert origin.reference == "31.12."
    assert origin.source.startswith("Statistische Ämter des Bundes und der Länder, Tabelle 12411-01-01-5, Stand ")
    assert load_values(db, submission.id)[("quelle", "", "")].text == origin.source


def test_the_same_table_again_changes_nothing(db):
    table, mapping, form = load("12411-01-01-5_00.csv")
    taken = take(table, mapping, form, "05974040")
    import_genesis(db, form, table, taken, who="test")
    before = {year: len(revisions(db, "stadt", "bevoelkerung", year)) for year in range(2008, 2016)}
    again = import_genesis(db, form, table, taken, who="test")
    assert all(r.unchanged and not r.written and not r.replaced for r in again)
    assert {year: len(revisions(db, "stadt", "bevoelkerung", year)) for year in range(2008, 2016)} == before


def test_a_table_counted_on_30_june_never_joins_the_31_december_series(db):
    table, mapping, form = load("12411-01-01-5_00.csv")
    import_genesis(db, form, table, take(table, mapping, form, "05974040"), who="test")
    december = town_values(db, "bevoelkerung", 2015)
    text = (DATA / "12411-01-01-5_00.csv").read_text(encoding="utf-8")
    june = parse_genesis(list(csv.reader(text.replace("31.12.", "30.06.").splitlines(), delimiter=";")), "juni.csv")
    assert june.reference == "30.06."
    taken = take(june, mapping_for(june), form, "05974040")
    assert {t.series for t in taken} == {"Stichtag 30.06."}
    results = import_genesis(db, form, june, taken, who="test")
    assert all(r.written and r.series == "Stichtag 30.06." for r in results)
    assert town_values(db, "bevoelkerung", 2015) == december
    assert len(revisions(db, "stadt", "bevoelkerung", 2015)) == 1
    assert figure_sources(db, "stadt", "bevoelkerung", 2015) == ["", "Stichtag 30.06."]


def test_a_kreis_takes_its_unemployed_and_unemployed_foreigners(db):
    table, mapping, form = load("13211-01-03-4_00.csv")
    results = import_genesis(db, form, table, take(table, mapping, form, "05974"), who="test")
    assert results and all(r.written for r in results)
    first = file_line("13211-01-03-4_00.csv", "2001;05974;")
    values = town_values(db, "arbeitsmarkt", 2001)
    assert values[("arbeitsmarkt", "arbeitslose", "insgesamt")] == int(first[3])
    assert values[("arbeitsmarkt", "arbeitslose", "auslaender")] == int(first[4])
    origin = origins_of(db, current_submission(db, "stadt", "arbeitsmarkt", 2001).id)["arbeitsmarkt"]
    assert origin.reference == "Jahresdurchschnitt"


def test_moves_by_nationality_come_from_the_lines(db):
    table, mapping, form = load("12711-05-02-4_00.csv")
    import_genesis(db, form, table, take(table, mapping, form, "05974"), who="test")
    values = town_values(db, "bevoelkerung", 2015)
    for category, col in (("Deutsche", "deutsche"), ("Ausländer(innen)", "auslaender"), ("Insgesamt", "insgesamt")):
        line = file_line("12711-05-02-4_00.csv", f"2015;05974;      Soest, Kreis;{category}")
        assert values[("wanderung", "zuzuege", col)] == int(line[4])
        assert values[("wanderung", "fortzuege", col)] == int(line[7])


def test_an_official_table_keeps_the_forms_other_figures(db):
    """The population table fills the official fields; moves already taken stay, and vice versa."""
    moves, mapping, form = load("12711-05-02-4_00.csv")
    import_genesis(db, form, moves, take(moves, mapping, form, "05974"), who="test")
    people, mapping, form = load("12411-03-03-4_00.csv")
    results = import_genesis(db, form, people, take(people, mapping, form, "05974"), who="test")
    assert not any(r.replaced or r.problems for r in results)
    values = town_values(db, "bevoelkerung", 2015)
    assert ("wanderung", "zuzuege", "insgesamt") in values
    total = file_line("12411-03-03-4_00.csv", "31.12.2015;05974;      Soest, Kreis;Insgesamt")
    assert values[("einwohner_amtlich", "auslaender", "insgesamt")] == int(total[10])


def test_replacing_approved_naturalisations_needs_confirmation_and_shows_old_and_new(db):
    table, mapping, form = load("12511-01-01-4.csv")
    taken = take(table, mapping, form, "05974")
    import_genesis(db, form, table, taken, who="test")
    changed = [t if t.year != 2016 else t.__class__(**{**t.__dict__, "value": t.value.__class__(number=1)})
               for t in taken]
    results = {r.year: r for r in import_genesis(db, form, table, changed, who="test")}
    line = file_line("12511-01-01-4.csv", "2016;05974;")
    assert not results[2016].written and results[2016].problems
    assert any(f"{int(line[3])} → 1" in r.replace("\u202f", "").replace(".", "") for r in results[2016].replaced)
    assert town_values(db, "einbuergerung", 2016)[("einbuergerungen", "", "")] == int(line[3])
    results = {r.year: r for r in import_genesis(db, form, table, changed, who="test", replace=True)}
    assert results[2016].written
    assert town_values(db, "einbuergerung", 2016)[("einbuergerungen", "", "")] == 1
    assert len(revisions(db, "stadt", "einbuergerung", 2016)) == 2  # the earlier figure stays in the history


def test_the_official_symbols_become_what_they_mean():
    text = (DATA / "13211-01-03-4_00.csv").read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if row.startswith("2001;05974;"))
    cells = line.split(";")
    cells[4], cells[3] = ".", "-"
    table = parse_genesis(list(csv.reader(text.replace(line, ";".join(cells)).splitlines(), delimiter=";")), "x.csv")
    form = latest_form("arbeitsmarkt")
    taken = {(t.year, t.address[2]): t for t in take(table, mapping_for(table), form, "05974")}
    assert taken[(2001, "auslaender")].value.state is ValueState.UNKNOWN and taken[(2001, "auslaender")].symbol == "."
    assert taken[(2001, "insgesamt")].value.number == 0 and taken[(2001, "insgesamt")].symbol == "-"


def test_a_region_not_in_the_table_is_refused_saying_which_depth_to_download():
    table, mapping, form = load("13211-01-03-4_00.csv")
    with pytest.raises(GenesisError, match="keine Zeile für den Gemeindeschlüssel 05974040.*Gemeindeebene"):
        take(table, mapping, form, "05974040")


def test_two_lines_for_one_cell_are_refused_naming_both_lines():
    text = (DATA / "13211-01-03-4_00.csv").read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if row.startswith("2001;05974;"))
    table = parse_genesis(list(csv.reader(text.replace(line, line + "\n" + line).splitlines(), delimiter=";")),
                          "doppelt.csv")
    with pytest.raises(GenesisError, match=r"doppelt\.csv, Zeile \d+, Spalte .*steht schon in Zeile \d+"):
        take(table, mapping_for(table), latest_form("arbeitsmarkt"), "05974")


def test_a_mapping_that_fits_several_columns_is_refused():
    table, _mapping, form = load("12411-03-03-4_00.csv")
    vague = Mapping.from_json({"key": table.code, "form": "bevoelkerung", "cells": [
        {"column": ["Insgesamt"], "line": "Insgesamt", "field": "einwohner_amtlich", "row": "insgesamt",
         "col": "insgesamt"}]})
    with pytest.raises(GenesisError, match="passt auf mehrere Spalten"):
        take(table, vague, form, "05974")


def test_school_pupils_by_type_and_nationality():
    table, mapping, form = load("21111-01-03-4_00.csv", FIXTURES)
    assert (table.reference, mapping.form) == ("Schuljahresbeginn", "schulstatistik")
    taken = {t.address: t.value.number for t in take(table, mapping, form, "01001")}
    assert taken[("schueler_schulart", "grundschulen", "insgesamt")] == 2853
    assert taken[("schueler_schulart", "grundschulen", "auslaender")] == 239
    assert taken[("schueler_schulart", "insgesamt", "auslaender")] == 589
    assert {t.year for t in take(table, mapping, form, "01001")} == {2015}


def test_every_shipped_mapping_fits_its_form_and_keeps_one_definition():
    for mapping in shipped_mappings().values():
        form = latest_form(mapping.form)
        for cell in mapping.cells:
            f = form.field(cell.field)
            assert (cell.row, cell.col) in f.cells(), (mapping.key, cell)
            assert f.reference, (mapping.key, f.code)  # every field a table fills says on which day it counts
            assert "Staatsangehörigkeit" in f.definition or not f.definition, (mapping.key, f.code)


def test_the_officers_own_mapping_is_remembered_under_the_table_code_and_comes_first(db):
    table, shipped, form = load("13211-01-03-4_00.csv")
    own = Mapping.from_json({"key": table.code, "form": "arbeitsmarkt", "title": "nur Ausländer", "cells": [
        {"column": ["Ausländer"], "line": "", "field": "arbeitsmarkt", "row": "arbeitslose", "col": "auslaender"}]})
    remember_mapping(db, table.code, own.to_json())
    chosen = mapping_for(table, remembered_mapping(db, table.code))
    assert chosen == own != shipped
    assert {t.address[2] for t in take(table, chosen, form, "05974")} == {"auslaender"}
    assert remembered_mapping(db, "13211-01-03-5") is None


def test_a_kreis_takes_its_gemeinden_as_areas_and_they_add_up_to_the_kreis(tmp_path):
    from cli.main import parse_args, run
    from store.areas import areas_of, figures_at, find_level

    path = tmp_path / "kreis.sqlite"
    open_database(path).close()
    assert run(parse_args(["stats", "import", "--db", str(path), "--ags", "05974", "--areas",
                           str(DATA / "12411-01-01-5_00.csv")])) == 0
    db = open_database(path)
    level = find_level(db, "Gemeinde")
    gemeinden = areas_of(db, level.code)
    assert len(gemeinden) == 14 and {"Soest", "Lippstadt", "Werl"} <= {a.name for a in gemeinden}
    kreis = file_line("12411-01-01-5_00.csv", "05974;")
    for i, year in enumerate(range(2015, 2007, -1)):
        assert sum(figures_at(db, level.code, year, "einwohner").values()) == int(kreis[2 + 3 * i])
    # The Kreis's own line went into the town's form as before.
    assert town_values(db, "bevoelkerung", 2015)[("einwohner_amtlich", "insgesamt", "insgesamt")] == int(kreis[2])


def test_the_same_table_downloaded_as_xlsx_gives_the_same_values(tmp_path):
    """GENESIS offers XLSX too: numbers as numbers, symbols and headings as text, the title lines in column A."""
    from openpyxl import Workbook

    text = (DATA / "13211-01-03-4_00.csv").read_text(encoding="utf-8")
    book = Workbook()
    sheet = book.active
    for row in csv.reader(text.splitlines(), delimiter=";"):
        # Keys stay text (leading zeros), values become numbers, as in the offices' XLSX downloads.
        sheet.append([int(c) if i >= 3 and c.isdigit() else c for i, c in enumerate(row)])
    path = tmp_path / "13211-01-03-4.xlsx"
    book.save(path)
    from_csv, _mapping, form = load("13211-01-03-4_00.csv")
    from_xlsx = read_genesis(path)
    assert (from_xlsx.code, from_xlsx.reference) == (from_csv.code, from_csv.reference)
    mapping = mapping_for(from_csv)
    assert [(t.year, t.address, t.value) for t in take(from_xlsx, mapping, form, "05974")] == \
        [(t.year, t.address, t.value) for t in take(from_csv, mapping, form, "05974")]
