"""GENESIS tables as officers download them: the five real downloads in ../shared/data/genesis, read as they are.
The figures asserted here are the files' own (Soest: AGS 05974040, Kreis Soest: 05974)."""

import re
from pathlib import Path

import pytest

from forms.model import ValueState
from intake.genesis import GenesisError, read_genesis

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "genesis"


@pytest.mark.parametrize(("file", "code", "reference", "depth"), [
    ("12411-01-01-5_00.csv", "12411-01-01-5", "31.12.", "Gemeinden, Samt-/Verbandsgemeinden"),
    ("12411-03-03-4_00.csv", "12411-03-03-4", "31.12.", "Kreise und krfr. Städte"),
    ("12511-01-01-4.csv", "12511-01-01-4", "Jahr", "Kreise und krfr. Städte"),
    ("12711-05-02-4_00.csv", "12711-05-02-4", "Jahressumme", "Kreise und krfr. Städte"),
    ("13211-01-03-4_00.csv", "13211-01-03-4", "Jahresdurchschnitt", "Kreise und krfr. Städte"),
])
def test_each_download_says_what_table_date_and_depth_it_is(file, code, reference, depth):
    table = read_genesis(DATA / file)
    assert (table.code, table.reference, table.depth) == (code, reference, depth)
    assert table.family == code.rsplit("-", 1)[0]  # …-5 Gemeinden and …-4 Kreise share one mapping


def test_the_towns_population_by_date_and_sex_from_the_gemeinde_table():
    table = read_genesis(DATA / "12411-01-01-5_00.csv")
    [soest] = table.of("05974040")
    assert soest.name == "Soest" and soest.period == ""  # the dates stand in the stacked headings
    assert table.columns[:3] == [("31.12.2015", "Insgesamt"), ("31.12.2015", "männlich"), ("31.12.2015", "weiblich")]
    assert table.columns[-1] == ("31.12.2008", "weiblich")
    assert [c.value.number for c in soest.cells[:3]] == [47974, 23245, 24729]


def test_kreis_tables_with_a_period_and_a_category_on_each_line():
    nationality = read_genesis(DATA / "12411-03-03-4_00.csv")
    first = nationality.of("05974")[0]
    assert (first.period, first.category) == ("31.12.2015", "unter 3 Jahre")
    assert nationality.columns[6] == ("Ausländer(innen)", "Insgesamt")
    assert first.cells[6].value.number == 823
    moves = read_genesis(DATA / "12711-05-02-4_00.csv")
    german_2015 = next(line for line in moves.of("05974") if (line.period, line.category) == ("2015", "Deutsche"))
    assert moves.columns[0] == ("Zuzüge über die Kreisgrenzen", "Geschlecht", "Insgesamt", "Anzahl")
    assert german_2015.cells[0].value.number == 7434
    unemployed = read_genesis(DATA / "13211-01-03-4_00.csv")
    first = unemployed.of("05974")[0]
    assert first.period == "2001" and [c.value.number for c in first.cells[:2]] == [11522, 1446]
    assert unemployed.columns[1] == ("Arbeitslose", "und zwar", "Ausländer", "Anzahl")


def test_a_latin_1_download_reads_with_its_umlauts():
    table = read_genesis(DATA / "12511-01-01-4.csv")
    assert table.columns[0][0] == "Einbürgerungen von Ausländern"
    first = table.of("05974")[0]
    assert first.period == "2016" and first.cells[0].value.number == 304


def test_the_official_symbols_keep_their_meaning():
    table = read_genesis(DATA / "12411-01-01-5_00.csv")
    [mitte] = table.of("11001")  # Berlin-Mitte: no figures for 2015 and 2014
    unknown = mitte.cells[0]
    assert unknown.symbol == "." and unknown.value.state is ValueState.UNKNOWN and unknown.value.number is None
    assert unknown.meaning == "Zahlenwert unbekannt oder geheim zu halten"
    naturalisations = read_genesis(DATA / "12511-01-01-4.csv")
    nothing = naturalisations.of("05974")[0].cells[4]  # nobody from Australia and Oceania: a true zero
    assert nothing.symbol == "-" and nothing.value.number == 0


def write(path: Path, lines: list[str], encoding="utf-8") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


def test_a_running_number_in_front_of_the_key_and_a_year_standing_alone(tmp_path):
    table = read_genesis(write(tmp_path / "t.csv", [
        "GENESIS-Tabelle: 12521-01-01-5", "Ausländer - Stichtag 31.12. -;;", "regionale Tiefe: Gemeinden;;",
        ";;Ausländer", ";;Anzahl", "2019", "2987:05974040;  Soest;4.211", "2988:05974044;  Werl;x",
        "__________", "Stand: 01.01.2020"]))
    [soest] = table.of("05974040")
    assert soest.period == "2019" and soest.cells[0].value.number == 4211
    assert table.of("05974044")[0].cells[0].value.state is ValueState.NOT_APPLICABLE


def test_a_file_that_is_not_a_genesis_table_is_refused_in_german(tmp_path):
    with pytest.raises(GenesisError, match="keine GENESIS-Tabelle"):
        read_genesis(write(tmp_path / "liste.csv", ["Jahr;Feld;Wert", "2024;einwohner;47974"]))
    broken = read_genesis(write(tmp_path / "kaputt.csv", [
        "GENESIS-Tabelle: 12411-01-01-5", "- Stichtag 31.12. -", ";;Insgesamt", "05974040;Soest;viele"]))
    with pytest.raises(GenesisError, match="Zeile 4: „viele“ ist weder eine Zahl"):
        broken.of("05974040")[0].cells  # noqa: B018  (reading the values is what is tested)


@pytest.mark.parametrize("file", ["12411-01-01-5_00.csv", "12411-03-03-4_00.csv", "12511-01-01-4.csv",
                                  "12711-05-02-4_00.csv", "13211-01-03-4_00.csv"])
def test_each_download_names_its_publisher_and_date_from_its_footer(file):
    """Footnotes may name other offices (12711 mentions IT.NRW); the © line says who publishes the table."""
    table = read_genesis(DATA / file)
    assert table.publisher == "Statistische Ämter des Bundes und der Länder"
    assert re.fullmatch(r"\d\d\.\d\d\.20\d\d", table.stand)
