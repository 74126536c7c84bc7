"""The officer takes lists of institutions into the registry: the real NRW school directory, a Kita list saved by
Excel on a German Windows PC, an XLSX from another office. What is checked is what the officer would check."""

import csv
import io
import json
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from intake import tables
from intake.registry_import import (
    MISSING,
    NEW,
    UNCHANGED,
    UPDATED,
    RegistryError,
    import_registry,
    preview,
    propose_mapping,
)
from intake.tables import TableError, read_table
from store.database import open_database
from store.orgunits import OrgUnit, get_org_unit, list_org_units, save_org_units

ROOT = Path(__file__).resolve().parents[2]
NRW = Path(__file__).resolve().parents[3] / "shared" / "data" / "nrw-schulverzeichnis-2024-25.csv"
SOEST, KREIS_SOEST = "05974040", "05974"


@pytest.fixture(scope="module")
def nrw():
    return read_table(NRW)


@pytest.fixture(scope="module")
def nrw_rows():
    """The directory as the csv module reads it, independent of the code under test."""
    with NRW.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def units_by_id(db, kind=None):
    return {u.id: u for u in list_org_units(db, kind)}


def write_csv(path: Path, rows: list[list[str]], encoding="utf-8", delimiter=",") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# --- the real NRW directory --------------------------------------------------------------------------------------

def test_the_whole_nrw_directory_imports(db, nrw, nrw_rows):
    result = import_registry(db, nrw, propose_mapping(nrw))
    assert result.ok, result.refused[:5]
    assert result.counts[NEW] == len(nrw_rows) == 5407
    schools = units_by_id(db, "schule")
    assert set(schools) == {r["Schulnummer"] for r in nrw_rows}
    assert all(u.official_number == u.id for u in schools.values())
    # Every school type the directory uses is known, the Förderschule subtypes included.
    assert result.warnings == []
    assert {u.attributes["schulform"] for u in schools.values()} == {r["Schulform"] for r in nrw_rows}


def test_soest_gets_exactly_its_22_schools_with_the_directory_data(db, nrw, nrw_rows):
    result = import_registry(db, nrw, propose_mapping(nrw), ags=SOEST)
    expected = {r["Schulnummer"]: r for r in nrw_rows if r["Amtlicher Gemeindeschlüssel"] == SOEST}
    assert result.ok and result.rows == 5407 and result.in_area == 22
    schools = units_by_id(db)
    assert set(schools) == set(expected) and len(expected) == 22
    for number, row in expected.items():
        unit = schools[number]
        assert (unit.kind, unit.official_number) == ("schule", number)
        assert unit.attributes["schulform"] == row["Schulform"]
        assert (unit.street, unit.postcode, unit.city) == (row["Straße und Hausnummer"], row["Postleitzahl"], "Soest")
        parts = unit.name.split(", ")
        assert parts[0] == row["Amtliche Bezeichnung 1"]
        assert not any(p.startswith("-") for p in parts)  # "- Primarstufe -", "- Sekundarstufe II -" are dropped
        if row["Amtliche Bezeichnung 2"] and not row["Amtliche Bezeichnung 2"].startswith("-"):
            assert parts[1] == row["Amtliche Bezeichnung 2"]
    assert sum(u.attributes["schulform"] == "Grundschule" for u in schools.values()) == 8


def test_a_known_soest_school_reads_as_in_the_directory(db, nrw, nrw_rows):
    row = next(r for r in nrw_rows if r["Amtlicher Gemeindeschlüssel"] == SOEST and r["Schulform"] == "Gesamtschule")
    import_registry(db, nrw, propose_mapping(nrw), ags=SOEST)
    unit = get_org_unit(db, row["Schulnummer"])
    # Its second part is only a note on the stages ("- Sekundarstufen I und II -"); the third part is kept.
    assert row["Amtliche Bezeichnung 2"].strip(" -").startswith("Sekundarstufe")
    assert unit.name == f"{row['Amtliche Bezeichnung 1']}, {row['Amtliche Bezeichnung 3']}"
    assert unit.street == row["Straße und Hausnummer"] and unit.postcode == row["Postleitzahl"]
    assert unit.attributes == {"schulform": "Gesamtschule", "gemeindeschluessel": SOEST,
                               "rechtsstatus": row["Rechtsstatus"]}


def test_a_kreis_prefix_takes_all_107_schools_of_the_kreis(db, nrw, nrw_rows):
    result = import_registry(db, nrw, propose_mapping(nrw), ags=KREIS_SOEST)
    assert result.counts[NEW] == result.in_area == 107
    assert set(units_by_id(db)) == {r["Schulnummer"] for r in nrw_rows
                                    if r["Amtlicher Gemeindeschlüssel"].startswith(KREIS_SOEST)}


def test_importing_the_same_list_again_changes_nothing(db, nrw):
    import_registry(db, nrw, propose_mapping(nrw))
    again = import_registry(db, nrw, propose_mapping(nrw))
    assert again.counts == {NEW: 0, UPDATED: 0, UNCHANGED: 5407, "abgelehnt": 0, MISSING: 0}
    assert len(list_org_units(db)) == 5407


def test_a_newer_list_updates_without_duplicating_and_reports_what_is_gone(db, nrw_rows, tmp_path):
    soest = [r for r in nrw_rows if r["Amtlicher Gemeindeschlüssel"] == SOEST]
    header = list(nrw_rows[0])
    write_csv(tmp_path / "2024.csv", [header] + [list(r.values()) for r in soest])
    import_registry(db, read_table(tmp_path / "2024.csv"), ags=SOEST)
    # The officer put the first school into a Bezirk by hand; a newer list must not take that away.
    first, closed = soest[0], soest[1]
    save_org_units(db, [OrgUnit("bz01", "bezirk", "Altstadt")])
    save_org_units(db, [replace(get_org_unit(db, first["Schulnummer"]), parent_id="bz01")])

    newer = [dict(r) for r in soest if r is not closed]
    newer[0].update({"Amtliche Bezeichnung 1": "Grundschule am Hellweg", "Straße und Hausnummer": "Am Hellweg 17"})
    write_csv(tmp_path / "2025.csv", [header] + [list(r.values()) for r in newer])
    result = import_registry(db, read_table(tmp_path / "2025.csv"), ags=SOEST)

    assert result.counts[UPDATED] == 1 and result.counts[UNCHANGED] == 20 and result.counts[NEW] == 0
    changes = result.updated[first["Schulnummer"]]
    assert any(c.startswith("Name:") and "Grundschule am Hellweg" in c for c in changes)
    assert any(c.startswith("Straße:") and "„Am Hellweg 15“ → „Am Hellweg 17“" in c for c in changes)
    unit = get_org_unit(db, first["Schulnummer"])
    assert (unit.street, unit.parent_id) == ("Am Hellweg 17", "bz01")
    assert len(list_org_units(db, "schule")) == 22  # nothing doubled, nothing deleted
    assert [u.id for u in result.missing] == [closed["Schulnummer"]]
    assert get_org_unit(db, closed["Schulnummer"]).valid_to is None  # the officer decides whether it closed
    assert any(closed["Schulnummer"] in line for line in result.describe())


def test_the_dry_run_writes_nothing_and_previews_the_first_rows(db, nrw):
    result = import_registry(db, nrw, propose_mapping(nrw), ags=KREIS_SOEST, dry_run=True)
    assert result.dry_run and result.counts[NEW] == 107
    assert list_org_units(db) == []
    shown = preview(db, nrw, ags=KREIS_SOEST)
    assert len(shown.rows) == 20 and {r.status for r in shown.rows} == {NEW}
    assert shown.rows[0].row == 2 + next(i for i, r in enumerate(nrw.rows) if r[2].startswith(KREIS_SOEST))
    assert list_org_units(db) == []


# --- lists from elsewhere ----------------------------------------------------------------------------------------

def test_a_windows_1252_semicolon_list_with_german_headings(db, tmp_path):
    path = write_csv(tmp_path / "einrichtungen.csv", [
        ["Kennung", "Einrichtung", "Art", "Träger", "Straße", "PLZ", "Ort", "Gültig ab"],
        ["KT-01", "Kita Sonnenblümchen", "Kindertageseinrichtung", "Ev. Kirchengemeinde", "Lütgen Grandweg 3",
         "59494", "Soest", "01.08.2019"],
        ["JZ-01", "Jugendzentrum Süd; „Alter Schlachthof“", "Jugendzentrum", "Stadt Soest", "Ulricher Str. 4",
         "59494", "Soest", ""],
        ["VR-01", "Türkischer Sportverein Soest e. V.", "Verein", "", "", "", "Soest", "1987"],
    ], encoding="cp1252", delimiter=";")
    table = read_table(path)
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    result = import_registry(db, table)
    assert result.ok and result.counts[NEW] == 3
    units = units_by_id(db)
    assert {i: u.kind for i, u in units.items()} == {"KT-01": "kita", "JZ-01": "jugendtreff", "VR-01": "verein"}
    assert units["KT-01"].name == "Kita Sonnenblümchen" and units["KT-01"].traeger == "Ev. Kirchengemeinde"
    assert units["JZ-01"].name == "Jugendzentrum Süd; „Alter Schlachthof“"
    assert (units["KT-01"].valid_from, units["VR-01"].valid_from, units["JZ-01"].valid_from) == (2019, 1987, None)


@pytest.mark.parametrize(("raw", "encoding"), [
    ("\ufeffKennung,Name\r\nV1,Schützenverein\r\n".encode(), "utf-8-sig"),
    (b"Kennung,Name\r\nV1,Sch\xfctzenverein \x81\r\n", "cp1252"),  # 0x81 is unassigned in Windows-1252
    ("Kennung\tName\r\nV1\tSchützenverein\r\n".encode("utf-16"), "utf-16"),
])
def test_encodings_are_detected_and_bad_bytes_do_not_crash(tmp_path, raw, encoding):
    (tmp_path / "liste.csv").write_bytes(raw)
    table = read_table(tmp_path / "liste.csv")
    assert table.encoding == encoding
    assert table.header == ("Kennung", "Name") and table.rows[0][1].startswith("Schützenverein")


def _xlsx_with_cached_formula(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Notizen"
    sheet.append(["Dieses Blatt ist nicht die Liste"])
    sheet = book.create_sheet("Einrichtungen")
    sheet.append(["Kennung", "Name", "Art", "Amtlicher Gemeindeschlüssel", "PLZ", "Plätze", "Summe"])
    sheet.append([4711, "Kita Regenbogen", "Kita", "05974040", 1067, 45.0, "=F2*2"])
    sheet.append(["0815", "Jugendtreff Bahnhof", "Jugendtreff", 5974040, "59494", 12.5, "=F3*2"])
    sheet.append(["JT-9", "Jugendtreff Werl", "Jugendtreff", "05974044", "59457", None, None])
    sheet["D3"].number_format = "00000000"
    book.save(path)
    # openpyxl writes formulas without a result; Excel would save the last one it computed. F2*2 got one, F3*2 not.
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/") and b"F2*2" in parts[n])
    parts[name] = parts[name].replace(b"<f>F2*2</f><v />", b"<f>F2*2</f><v>90</v>")
    with zipfile.ZipFile(path, "w") as target:
        for part, data in parts.items():
            target.writestr(part, data)
    return path


def test_an_xlsx_list_keeps_leading_zeros_and_never_evaluates_formulas(db, tmp_path):
    path = _xlsx_with_cached_formula(tmp_path / "Jugendamt Liste.xlsx")
    table = read_table(path, sheet="Einrichtungen")
    assert table.sheet == "Einrichtungen"
    assert table.rows[0] == ("4711", "Kita Regenbogen", "Kita", "05974040", "1067", "45", "90")
    assert table.rows[1] == ("0815", "Jugendtreff Bahnhof", "Jugendtreff", "05974040", "59494", "12.5", "")
    assert read_table(path).header == ("Dieses Blatt ist nicht die Liste",)  # the first sheet unless named
    result = import_registry(db, table, ags=SOEST)
    assert result.ok and result.in_area == 2
    units = units_by_id(db)
    assert {i: u.kind for i, u in units.items()} == {"4711": "kita", "0815": "jugendtreff"}
    assert units["4711"].postcode == "01067"  # a postcode that Excel took for a number gets its zero back


def test_openpyxl_reads_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_an_unknown_sheet_names_the_sheets_there_are(tmp_path):
    path = _xlsx_with_cached_formula(tmp_path / "liste.xlsx")
    with pytest.raises(TableError, match="kein Tabellenblatt „Kitas“. Vorhanden: „Notizen“, „Einrichtungen“"):
        read_table(path, sheet="Kitas")


# --- refusals and limits ----------------------------------------------------------------------------------------

def test_rows_without_name_or_id_are_refused_with_their_row_number(db, tmp_path):
    path = write_csv(tmp_path / "vereine.csv", [
        ["Kennung", "Name", "Art"],
        ["V1", "Schützenbruderschaft", "Verein"],
        ["V2", "", "Verein"],
        ["", "Angelverein", "Verein"],
        [],
        ["V1", "Schützenbruderschaft (doppelt)", "Verein"],
        ["V5", "Tanzgruppe", "Tanzschule und Kita"],
    ])
    result = import_registry(db, read_table(path))
    assert not result.ok and result.counts[NEW] == 1
    assert result.refused == [
        "Zeile 3: Name fehlt (Spalte „Name“)",
        "Zeile 4: Kennung fehlt",
        "Zeile 6: Kennung V1 steht schon in Zeile 2",
        "Zeile 7: Art „Tanzschule und Kita“ ist unbekannt (möglich: Schule, Kita, Jugendtreff, Verein)",
    ]
    assert list(units_by_id(db)) == ["V1"]


def test_ids_that_no_file_could_carry_are_refused_at_the_import(db, tmp_path):
    """The one id pattern every file checks: an id it refuses would get no setup file, so it is refused here, with
    its row, before the institution is in the registry at all."""
    path = write_csv(tmp_path / "vereine.csv", [
        ["Kennung", "Name", "Art"],
        ["TuS 1911", "TuS Grün-Weiß", "Verein"],
        ["schützen", "Schützenbruderschaft", "Verein"],
        ["../../boese", "Böse", "Verein"],
        ["-x", "Strich", "Verein"],
        ["tus-1911", "TuS Grün-Weiß", "Verein"],
    ])
    result = import_registry(db, read_table(path))
    assert [line.split(":")[0] for line in result.refused] == ["Zeile 2", "Zeile 3", "Zeile 4", "Zeile 5"]
    assert all("unzulässige Zeichen" in line and "ohne Umlaute" in line for line in result.refused)
    assert list(units_by_id(db)) == ["tus-1911"]


def test_a_school_list_without_schulnummer_says_which_row(db, nrw_rows, tmp_path):
    row = dict(next(r for r in nrw_rows if r["Amtlicher Gemeindeschlüssel"] == SOEST), Schulnummer="")
    path = write_csv(tmp_path / "schulen.csv", [list(row), list(row.values())])
    assert import_registry(db, read_table(path)).refused == ["Zeile 2: Schulnummer fehlt"]


def test_a_list_without_kind_needs_a_default_kind(db, tmp_path):
    path = write_csv(tmp_path / "kitas.csv", [["ID", "Name"], ["K1", "Kita Pusteblume"]])
    assert import_registry(db, read_table(path), dry_run=True).refused[0].startswith("Zeile 2: Art fehlt")
    assert import_registry(db, read_table(path), default_kind="kita").ok
    assert get_org_unit(db, "K1").kind == "kita"


def test_an_id_of_another_kind_is_not_turned_into_a_school(db, tmp_path):
    save_org_units(db, [OrgUnit("100020", "kita", "Kita Kunterbunt")])
    path = write_csv(tmp_path / "s.csv", [["Schulnummer", "Name", "Schulform"],
                                          ["100020", "Grundschule", "Grundschule"]])
    result = import_registry(db, read_table(path))
    assert result.refused == ["Zeile 2: Kennung 100020 gehört schon zu „Kita Kunterbunt“ (Kindertageseinrichtung); "
                              "die Art wird beim Import nicht geändert"]
    assert get_org_unit(db, "100020").kind == "kita"


def test_bezirke_are_found_by_name_and_unknown_ones_refused(db, tmp_path):
    save_org_units(db, [OrgUnit("stadt", "stadt", "Soest"), OrgUnit("bz1", "bezirk", "Altstadt", parent_id="stadt"),
                        OrgUnit("bz1-a", "unterbezirk", "Domviertel", parent_id="bz1")])
    path = write_csv(tmp_path / "k.csv", [["Kennung", "Name", "Art", "Bezirk", "Unterbezirk"],
                                          ["K1", "Kita am Dom", "Kita", "altstadt", "Domviertel"],
                                          ["K2", "Kita West", "Kita", "Weststadt", ""]])
    result = import_registry(db, read_table(path))
    assert get_org_unit(db, "K1").parent_id == "bz1-a"
    assert result.refused == ["Zeile 3: Bezirk „Weststadt“ ist im Verzeichnis nicht angelegt"]


def test_a_wrong_gemeindeschluessel_or_a_list_without_ids_stops_before_anything(db, nrw, tmp_path):
    with pytest.raises(RegistryError, match="kein Gemeindeschlüssel"):
        import_registry(db, nrw, ags="Soest")
    path = write_csv(tmp_path / "x.csv", [["Einrichtung", "Ort"], ["Kita Sonnenschein", "Soest"]])
    with pytest.raises(RegistryError, match="fehlt eine Spalte für: Kennung"):
        import_registry(db, read_table(path), default_kind="kita")
    assert list_org_units(db) == []


@pytest.mark.parametrize(("heading", "field"), [
    ("Schulnummer", "official_number"), ("  STRASSE ", "street"), ("Straße und Hausnummer", "street"),
    ("Gültig ab", "valid_from"), ("gueltig_bis", "valid_to"), ("Trager", "traeger"), ("Träger", "traeger"),
    ("PLZ", "postcode"), ("Gemeindeschlüssel", "ags"), ("Einrichtung", "name"), ("ID", "id"),
])
def test_common_headings_are_recognised(heading, field):
    table = tables.Table(header=(heading, "Sonstiges"), rows=[])
    mapping = propose_mapping(table)
    assert mapping.columns == {field: 0} and mapping.unused == (1,)


def test_a_file_over_the_size_cap_is_not_read(tmp_path):
    path = tmp_path / "riesig.csv"
    with path.open("wb") as fh:
        fh.truncate(tables.MAX_FILE_BYTES + 1)  # sparse: nothing is written, the size alone must stop it
    with pytest.raises(TableError, match=r"riesig.csv ist zu groß \(50 MB\) .* \(höchstens 50 MB\)"):
        read_table(path)


def test_row_and_column_caps(tmp_path, monkeypatch):
    wide = write_csv(tmp_path / "breit.csv", [[f"S{i}" for i in range(tables.MAX_COLUMNS + 1)]])
    with pytest.raises(TableError, match="mehr als 200 Spalten"):
        read_table(wide)
    monkeypatch.setattr(tables, "MAX_ROWS", 10)
    write_csv(tmp_path / "lang.csv", [["Kennung", "Name"]] + [[f"K{i}", "Kita"] for i in range(11)])
    with pytest.raises(TableError, match="mehr als 10 Zeilen"):
        read_table(tmp_path / "lang.csv")
    write_csv(tmp_path / "genau.csv", [["Kennung", "Name"]] + [[f"K{i}", "Kita"] for i in range(10)] + [[""]] * 50)
    assert len(read_table(tmp_path / "genau.csv").rows) == 10  # blank lines at the end are not rows


@pytest.mark.parametrize(("data", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "ist keine Tabelle im Format CSV oder Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "im alten Excel-Format"),
    (b"PK\x03\x04 kaputt", "ist keine Tabelle im Format CSV oder Excel"),
    (b"", "ist leer"),
])
def test_files_that_are_no_table_get_a_german_message(tmp_path, data, message):
    (tmp_path / "liste.csv").write_bytes(data)
    with pytest.raises(TableError, match=message):
        read_table(tmp_path / "liste.csv")


def test_a_libreoffice_sheet_is_named_as_such(tmp_path):
    with zipfile.ZipFile(tmp_path / "liste.ods", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # stored first, as ODF says
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(TableError, match=r"LibreOffice-Tabelle \(.ods\)"):
        read_table(tmp_path / "liste.ods")


def test_a_zip_that_is_no_workbook(tmp_path):
    with zipfile.ZipFile(tmp_path / "liste.xlsx", "w") as archive:
        archive.writestr("hallo.txt", "kein Excel")
    with pytest.raises(TableError, match="kann nicht als Excel-Datei gelesen werden"):
        read_table(tmp_path / "liste.xlsx")


# --- the command line --------------------------------------------------------------------------------------------

def run(*args):
    return subprocess.run([sys.executable, "-m", "cli.main", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def officer_db(tmp_path):
    path = tmp_path / "buero.sqlite"
    open_database(path).close()
    return path


def test_cli_imports_soest_and_prints_mapping_and_counts(officer_db):
    result = run("registry", "import", "--db", officer_db, "--ags", SOEST, NRW)
    assert result.returncode == 0, result.stderr
    assert "Spalte „Schulnummer“ → Schulnummer" in result.stdout
    assert "5407 Zeilen, davon 22 im gewählten Gebiet" in result.stdout and "neu: 22" in result.stdout
    assert len(list_org_units(open_database(officer_db))) == 22


def test_cli_json_and_exit_status_on_refusals(officer_db, tmp_path):
    path = write_csv(tmp_path / "kitas.csv", [["Kennung", "Name"], ["K1", "Kita Pusteblume"], ["K2", ""]])
    result = run("registry", "import", "--db", officer_db, "--kind", "kita", "--dry-run", "--json", path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["dry_run"] is True and report["counts"][NEW] == 1
    assert report["refused"] == ["Zeile 3: Name fehlt (Spalte „Name“)"]
    assert report["mapping"]["columns"] == {"id": "Kennung", "name": "Name"}
    assert list_org_units(open_database(officer_db)) == []


def test_cli_reports_a_bad_file_in_german_without_loading_qt(officer_db, tmp_path):
    (tmp_path / "bild.csv").write_bytes(bytes(range(256)))
    script = (f"import sys\nfrom cli.main import main\n"
              f"code = main(['registry', 'import', '--db', r'{officer_db}', r'{tmp_path / 'bild.csv'}'])\n"
              f"assert code == 1, code\nassert not [m for m in sys.modules if m.startswith('PySide6')]\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "bild.csv ist keine Tabelle" in result.stderr
