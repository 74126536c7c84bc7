"""A school's pupil export from SchILD-NRW, read and counted into the school form.

The export files are written here with invented rows; every expected count below is worked out by hand from the
rows, with the reason beside it. The form year 2025 is the school year 2025/26: pupils are counted as exported,
leavers and transitions from 01.08.2024 to 31.07.2025.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from intake.pupil_counts import BY_FLAG, count_pupils, parse_school_year
from intake.pupil_export import PupilExportError, read_pupil_export

YEAR = 2025
SCHOOLS = {"123456": "Gymnasium", "234567": "Gesamtschule", "345678": "Förderschule"}

# A Grundschule; columns in an order of the secretary's choosing, with a name and a birth date she ticked too.
PRIMARY_HEADER = ["Jahrgang", "Klasse", "Status", "Name", "Geburtsdatum", "Geburtsland",
                  "Staatsangehörigkeit (Schlüssel)", "Verkehrssprache in der Familie", "Geburtsland Mutter",
                  "Geburtsland Vater", "Zuzugsjahr", "Migrationshintergrund vorhanden", "Aussiedler",
                  "Übergangsempfehlung", "Entlassdatum", "Aufnehmende Schule: Schulnr."]
PRIMARY_ROWS = [
    # 1: active, class 1, nothing foreign
    ["01", "1a", "2", "Ahrens", "01.02.2019", "Deutschland", "000", "Deutsch", "Deutschland", "Deutschland", "", "0",
     "", "", "", ""],
    # 2: active, class 1, born in Syria, came 2022, Syrian, Arabic at home: all three criteria, flag set, foreign
    ["01", "1b", "2", "Bauer", "02.03.2019", "Syrien", "475", "Arabisch", "Syrien", "Syrien", "2022", "1", "", "", "",
     ""],
    # 3: active, class 2, nationality missing (German), language empty (German), mother born in Turkey: parents
    ["02", "2a", "2", "Cem", "03.04.2018", "Deutschland", "", "", "Türkei", "Deutschland", "", "1", "", "", "", ""],
    # 4: active, class 3, Polish at home, flag not set: ZWG by the criteria, not by the flag
    ["03", "3a", "2", "Dorn", "04.05.2017", "Deutschland", "000", "Polnisch", "Deutschland", "Deutschland", "", "",
     "", "", "", ""],
    # 5: active, class 4, born in Korea (the name holds the separator, quoted), German, no year of arrival
    ["04", "4a", "2", "Eun", "05.06.2016", "Korea; Republik", "000", "Deutsch", "Deutschland", "Deutschland", "", "1",
     "", "", "", ""],
    # 6: active, no Jahrgang but class "4b"; Aussiedler from Kazakhstan, came 2019, German
    ["", "4b", "2", "Fries", "06.07.2016", "Kasachstan", "000", "Deutsch", "Kasachstan", "Kasachstan", "2019", "1",
     "1", "", "", ""],
    # 7: external pupil (status 6): not counted
    ["02", "2a", "6", "Gans", "07.08.2018", "Deutschland", "000", "Deutsch", "", "", "", "", "", "", "", ""],
    # 8: left class 4 in July 2025 for a Gymnasium, recommendation Gymnasium
    ["04", "4a", "8", "Hahn", "08.09.2014", "Deutschland", "000", "Deutsch", "Deutschland", "Deutschland", "", "", "",
     "GY", "15.07.2025", "123456"],
    # 9: left class 4 for a Gesamtschule, recommendation Realschule/Gymnasium (eingeschränkt), Turkish, ZWG
    ["04", "4b", "9", "Ilgaz", "09.10.2014", "Deutschland", "163", "Türkisch", "Türkei", "Türkei", "", "1", "", "R/GY",
     "15.07.2025", "234567"],
    # 10: left class 4, no recommendation entered, receiving school not in the town's list
    ["04", "4b", "8", "Jung", "10.11.2014", "Deutschland", "000", "Deutsch", "Deutschland", "Deutschland", "", "", "",
     "", "15.07.2025", "999999"],
    # 11: left class 4 a year earlier: outside the window
    ["04", "4a", "8", "Kehl", "11.12.2013", "Deutschland", "000", "Deutsch", "", "", "", "", "", "H", "20.07.2024",
     "123456"],
    # 12: moved away from class 2 in March 2025: a leaver without a qualification, not a transition
    ["02", "2a", "9", "Lenz", "12.01.2018", "Deutschland", "000", "Deutsch", "", "", "", "", "", "", "03.03.2025", ""],
    # 13: left in September 2025: belongs to the next report
    ["03", "3a", "9", "Mohr", "13.02.2017", "Deutschland", "000", "Deutsch", "", "", "", "", "", "", "02.09.2025", ""],
]


def export_text(header, rows) -> str:
    def line(cells):
        return ";".join(f'"{c}"' for c in cells)
    return "\r\n".join([line(header), *(line(r) for r in rows)]) + "\r\n"


def write(tmp_path: Path, name: str, text: str, encoding: str) -> Path:
    path = tmp_path / name
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data  # SchILD's "Unicode": UTF-16 with a byte order mark
    path.write_bytes(data)
    return path


@pytest.fixture(params=["utf-16-le", "cp1252", "utf-8-sig", "utf-8"])
def primary_export(request, tmp_path):
    return write(tmp_path, f"schueler-{request.param}.txt", export_text(PRIMARY_HEADER, PRIMARY_ROWS), request.param)


def test_grundschule_export_in_every_encoding_counts_as_worked_out_by_hand(primary_export):
    export = read_pupil_export(primary_export)
    counts = count_pupils(export, YEAR, SCHOOLS)
    v = counts.values
    assert counts.rows_read == 13
    assert v[("schueler_gesamt", "", "")] == 6  # rows 1–6
    assert v[("zwg_selbst_zugewandert", "", "")] == 3  # 2 (Syria), 5 (Korea), 6 (Kazakhstan)
    assert v[("zwg_eltern_zugewandert", "", "")] == 3  # 2, 3 (mother born in Turkey), 6 (Kazakhstan)
    assert v[("zwg_sprache", "", "")] == 2  # 2 (Arabic), 4 (Polish); 3's empty language counts as German
    assert v[("zwg_gesamt", "", "")] == 5  # 2, 3, 4, 5, 6: any of the three criteria
    assert (counts.zwg_by_criteria, counts.zwg_by_flag) == (5, 4)  # row 4 has no flag
    assert v[("auslaender", "", "")] == 1  # 2; row 3's missing nationality counts as German
    assert v[("aussiedler", "", "")] == 1  # 6
    grid = "schueler_klasse_primar"
    assert [v[(grid, k, "anzahl")] for k in ("k1", "k2", "k3", "k4")] == [2, 1, 1, 2]  # 6 is in k4 by class "4b"
    assert [v[(grid, k, "zwg")] for k in ("k1", "k2", "k3", "k4")] == [1, 1, 1, 2]
    assert [v[(grid, k, "auslaender")] for k in ("k1", "k2", "k3", "k4")] == [1, 0, 0, 0]
    # Transitions: rows 8, 9, 10 left class 4 within the window; 9 is foreign and has ZWG.
    assert [v[("abgaenger_klasse4", "anzahl", c)] for c in ("alle", "zwg", "auslaender")] == [3, 1, 1]
    assert v[("empfehlung", "gymnasium", "alle")] == 1
    assert [v[("empfehlung", "real_eingeschr_gym", c)] for c in ("alle", "zwg", "auslaender")] == [1, 1, 1]
    assert v[("empfehlung", "keine", "alle")] == 1  # row 10: nothing entered
    assert sum(v[("empfehlung", r, "alle")] for r in ("hauptschule", "haupt_eingeschr_real", "realschule")) == 0
    assert v[("uebergang_schulform", "gymnasium", "alle")] == 1
    assert [v[("uebergang_schulform", "gesamtschule", c)] for c in ("alle", "zwg", "auslaender")] == [1, 1, 1]
    assert v[("uebergang_schulform", "sonstige", "alle")] == 1  # 999999 is not in the list
    notes = "\n".join(counts.notes)
    assert "Status 6 (1)" in notes
    assert "Ohne Angabe der Staatsangehörigkeit, als Deutsche gezählt: 1." in notes
    assert "Abgänge seit dem 1. August 2025: 1." in notes
    assert "Abgänge ohne Abschlussart (z. B. Schulwechsel): 1." in notes
    assert "ohne eingetragene Übergangsempfehlung: 1." in notes
    assert "Schulnummer 999999" in notes
    assert "01.08.2024 bis 31.07.2025" in notes
    # The sums the form checks hold for the suggestions.
    assert sum(v[("uebergang_schulform", r, "alle")] for r in (
        "hauptschule", "realschule", "sekundarschule", "gesamtschule", "primus", "gymnasium", "foerderschule",
        "sonstige")) == v[("abgaenger_klasse4", "anzahl", "alle")]


def test_the_flag_rule_counts_zwg_by_migrationshintergrund_vorhanden(tmp_path):
    path = write(tmp_path, "s.txt", export_text(PRIMARY_HEADER, PRIMARY_ROWS), "utf-8")
    counts = count_pupils(read_pupil_export(path), YEAR, SCHOOLS, BY_FLAG)
    assert counts.values[("zwg_gesamt", "", "")] == 4  # 2, 3, 5, 6 carry the flag; 4 does not
    assert counts.values[("schueler_klasse_primar", "k3", "zwg")] == 0
    assert counts.values[("zwg_sprache", "", "")] == 2  # the criteria themselves do not depend on the rule


def test_without_the_towns_school_list_transitions_by_school_type_are_not_suggested(tmp_path):
    path = write(tmp_path, "s.txt", export_text(PRIMARY_HEADER, PRIMARY_ROWS), "utf-8")
    counts = count_pupils(read_pupil_export(path), YEAR, None)
    assert not any(a[0] == "uebergang_schulform" for a in counts.values)
    assert counts.values[("empfehlung", "gymnasium", "alle")] == 1
    assert any("Schulliste der Stadt fehlt" in n for n in counts.notes)


SECONDARY = (
    'Status;Klasse;Jahrgang;Staatsangehörigkeit (Schlüssel);Geburtsland;Geburtsland Mutter;Geburtsland Vater;'
    'Zuzugsjahr;Verkehrssprache in der Familie;Aussiedler;Entlassdatum;'
    'Abschlussart an eigener Schule (Statistik-Kürzel)\r\n'
    '2;05a;05;000;Deutschland;Deutschland;Deutschland;;Deutsch;;;\r\n'  # a
    '2;05b;;163;Türkei;Türkei;Türkei;2021;Türkisch;;;\r\n'  # b: no Jahrgang, class 05b
    '2;EF;EF;000;Deutschland;Österreich;;;Deutsch;;;\r\n'  # c: mother born in Austria
    '2;Q1;Q1;000;Deutschland;;;;Deutsch;1;;\r\n'  # d: Aussiedler
    '2;06a;06;000\r\n'  # l: trailing fields left out altogether
    '8;10a;10;000;Deutschland;;;;Deutsch;;15.07.2025;F\r\n'  # e: MSA, German
    '8;10b;10;475;Syrien;Syrien;Syrien;2016;Arabisch;;15.07.2025;G\r\n'  # f: MSA with Q, foreign
    '9;09a;09;000;Deutschland;;;;Deutsch;;01.02.2025;A\r\n'  # g: without qualification
    '8;Q2;Q2;000;;;;;;;2025-06-12;K\r\n'  # h: Abitur, ISO date
    '8;Q2;Q2;000;;;;;;;2024-06-20;K\r\n'  # i: the year before: outside the window
    '9;07a;07;000;;;;;;;10.10.2025;\r\n'  # j: left this school year
    '8;10a;10;000;;;;;;;15.07.2025;X\r\n'  # k: unknown code
)


def test_secondary_export_in_windows_1252_with_missing_fields(tmp_path):
    path = write(tmp_path, "sek.csv", SECONDARY, "cp1252")
    export = read_pupil_export(path)
    assert export.encoding == "cp1252"
    counts = count_pupils(export, YEAR, SCHOOLS)
    v = counts.values
    assert v[("schueler_gesamt", "", "")] == 5  # a, b, c, d, l
    sek = "schueler_jahrgang_sek"
    assert [v[(sek, "j05", c)] for c in ("anzahl", "zwg", "auslaender")] == [2, 1, 1]  # a and b (class 05b)
    assert v[(sek, "j06", "anzahl")] == 1  # l
    assert [v[(sek, "j11", c)] for c in ("anzahl", "zwg")] == [1, 1]  # c: EF, mother born in Austria
    assert v[(sek, "j12", "anzahl")] == 1
    assert v[(sek, "j13", "anzahl")] == 0
    assert v[("zwg_gesamt", "", "")] == 2  # b, c
    assert v[("zwg_selbst_zugewandert", "", "")] == 1  # b
    assert v[("zwg_eltern_zugewandert", "", "")] == 2  # b, c
    assert v[("zwg_sprache", "", "")] == 1  # b
    assert v[("auslaender", "", "")] == 1 and v[("aussiedler", "", "")] == 1
    leavers = {(a[1], a[2]): n for a, n in v.items() if a[0] == "abgaenger_abschluss" and n}
    assert leavers == {("msa", "deutsche"): 1, ("msa_q", "auslaender"): 1, ("ohne", "deutsche"): 1,
                       ("ahr", "deutsche"): 1}
    assert counts.zwg_by_flag is None  # no column "Migrationshintergrund vorhanden"
    # The flag would only be a comparison when all three criteria are there; the class is not needed either.
    assert not any(m.startswith(("Migrationshintergrund vorhanden", "Klasse")) for m in counts.missing)
    assert any(m.startswith("Übergangsempfehlung") for m in counts.missing)
    gymnasium = {"schueler_gesamt", "schueler_jahrgang_sek", "abgaenger_abschluss"}
    at_a_gymnasium = count_pupils(export, YEAR, SCHOOLS, fields=gymnasium)
    assert not any(m.startswith(("Übergangsempfehlung", "Aufnehmende Schule")) for m in at_a_gymnasium.missing)
    assert at_a_gymnasium.values == counts.values
    assert any("Abschlussart „X“ ist unbekannt (1-mal)" in n for n in counts.notes)
    assert any("Abgänge seit dem 1. August 2025: 1." in n for n in counts.notes)


def test_tab_separated_utf8_export_without_quotes(tmp_path):
    path = write(tmp_path, "tab.txt", "Status\tJahrgang\tStaatsangehörigkeit (Schlüssel)\n2\t05\t000\n2\t05\t160\n",
                 "utf-8")
    counts = count_pupils(read_pupil_export(path), YEAR)
    assert counts.values[("schueler_jahrgang_sek", "j05", "auslaender")] == 1
    assert ("zwg_gesamt", "", "") not in counts.values  # no ZWG column at all: nothing guessed
    assert any("Zuwanderungsgeschichte insgesamt werden nicht vorgeschlagen" in n for n in counts.notes)


def test_without_entlassdatum_leavers_are_left_out_and_not_called_another_status(tmp_path):
    path = write(tmp_path, "s.txt", "Status;Jahrgang\n2 - aktiv;05\n8;10\n9;09\n6;07\n", "utf-8")
    counts = count_pupils(read_pupil_export(path), YEAR)
    assert counts.pupils == 1  # "2 - aktiv" is status 2
    assert not any(a[0] == "abgaenger_abschluss" for a in counts.values)
    assert any("Status 6 (1)" in n and "Status 6 (1), 8" not in n for n in counts.notes)
    assert any(m.startswith("Entlassdatum") for m in counts.missing)


@pytest.mark.parametrize("text", [
    "Name;Kinder;Gruppen\nKita Sonnenschein;45;3\n",  # the Kita list
    "Schulnummer;Schulform\n100020;Grundschule\n",  # a school list
    "Status;Name\n2;Ahrens\n",  # status but no grade
])
def test_a_file_that_is_not_a_pupil_export_names_the_expected_columns(tmp_path, text):
    path = write(tmp_path, "liste.csv", text, "utf-8")
    with pytest.raises(PupilExportError) as error:
        read_pupil_export(path)
    message = error.value.message
    assert "liste.csv ist kein Schülerexport aus SchILD-NRW" in message
    assert "„Jahrgang“ oder „Klasse“" in message
    assert "„Staatsangehörigkeit (Schlüssel)“" in message and "„Aufnehmende Schule: Schulnr.“" in message
    assert "Ahrens" not in message  # no pupil data in messages


def test_a_binary_or_empty_file_gets_a_message_too(tmp_path):
    empty = tmp_path / "leer.txt"
    empty.write_bytes(b"")
    with pytest.raises(PupilExportError, match="leer"):
        read_pupil_export(empty)
    binary = tmp_path / "bild.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(PupilExportError):
        read_pupil_export(binary)


@pytest.mark.parametrize(("text", "year"), [("2025/26", 2025), ("2025/2026", 2025), ("2025", 2025)])
def test_school_year_forms(text, year):
    assert parse_school_year(text) == year


@pytest.mark.parametrize("text", ["2025/27", "25/26", "nächstes", ""])
def test_wrong_school_years_are_refused(text):
    with pytest.raises(ValueError):
        parse_school_year(text)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=Path(__file__).resolve().parents[2])


def test_command_line_prints_the_counts_as_json(tmp_path):
    path = write(tmp_path, "s.txt", export_text(PRIMARY_HEADER, PRIMARY_ROWS), "utf-16-le")
    schools = tmp_path / "schulen.csv"
    schools.write_text("Schulnummer;Schulform\n" + "".join(f"{k};{v}\n" for k, v in SCHOOLS.items()),
                       encoding="utf-8")
    done = run_cli("count-export", str(path), "--school-year", "2025/26", "--schulliste", str(schools), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    values = {(w["feld"], w["zeile"], w["spalte"]): w["wert"] for w in data["werte"]}
    assert data["schuljahr"] == "2025/26" and data["schueler"] == 6
    assert values[("uebergang_schulform", "gesamtschule", "alle")] == 1
    assert (data["zwg_nach_merkmalen"], data["zwg_nach_kennzeichen"]) == (5, 4)
    assert "Bauer" not in done.stdout and "02.03.2019" not in done.stdout


def test_command_line_in_words_and_its_errors(tmp_path):
    path = write(tmp_path, "s.txt", export_text(PRIMARY_HEADER, PRIMARY_ROWS), "cp1252")
    done = run_cli("count-export", str(path), "--school-year", "2025/26")
    assert done.returncode == 0, done.stderr
    assert "13 Zeilen gelesen, 6 Schüler/innen gezählt" in done.stdout
    assert "5 nach den drei Merkmalen, 4 nach dem Kennzeichen" in done.stdout
    assert "Schüler/innen nach Klasse 1–4 – Klasse 1 – Anzahl" in done.stdout
    assert "Jahrgang 5" not in done.stdout  # the secondary grades of a Grundschule are all zero: left out
    wrong = run_cli("count-export", str(path), "--school-year", "letztes")
    assert wrong.returncode == 1 and "ist kein Schuljahr" in wrong.stderr
    kita = write(tmp_path, "kita.csv", "Name;Kinder\nKita;4\n", "utf-8")
    refused = run_cli("count-export", str(kita), "--school-year", "2025/26")
    assert refused.returncode == 1 and "kein Schülerexport" in refused.stderr and "Traceback" not in refused.stderr


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "Schuelerexport.txt"
    with huge.open("wb") as fh:
        fh.truncate(2 * 1024**3)  # sparse: takes no disk space
    with pytest.raises(PupilExportError, match=r"Schuelerexport\.txt ist zu groß \(2147 MB\)"):
        read_pupil_export(huge)


def test_formula_like_text_is_counted_nowhere_and_invisible_characters_are_dropped(tmp_path):
    text = ('Status;Jahrgang;Abschlussart an eigener Schule (Statistik-Kürzel);Entlassdatum;Staatsangehörigkeit\n'
            '2;05;;;000\n'
            '8;10;=HYPERLINK("http://x");15.07.2025;000\n'
            '8;10;F\u200b;15.07.2025;000\n')
    counts = count_pupils(read_pupil_export(write(tmp_path, "s.csv", text, "utf-8")), YEAR)
    assert counts.pupils == 1
    leavers = {a: n for a, n in counts.values.items() if a[0] == "abgaenger_abschluss" and n}
    assert leavers == {("abgaenger_abschluss", "msa", "deutsche"): 1}  # the zero-width space is dropped
    unknown = [n for n in counts.notes if "ist unbekannt" in n]
    assert len(unknown) == 1 and "=HYPERLINK" in unknown[0]  # named, for the secretary to check in SchILD


def test_an_excel_export_counts_the_same_as_the_text_export(tmp_path):
    import csv
    import io

    import openpyxl

    text_path = write(tmp_path, "sek.csv", SECONDARY, "cp1252")
    book = openpyxl.Workbook()
    for record in csv.reader(io.StringIO(SECONDARY), delimiter=";"):
        book.active.append(record)
    excel_path = tmp_path / "sek.xlsx"
    book.save(excel_path)
    from_text = count_pupils(read_pupil_export(text_path), YEAR)
    from_excel = count_pupils(read_pupil_export(excel_path), YEAR)
    assert from_excel.values == from_text.values and from_excel.pupils == 5
