import csv
import os
import shutil
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest

from reports.report_csv import csv_file_name, neutralise, write_report_csv
from reports.report_model import (
    COUNT,
    INTERNAL,
    PERCENT,
    RATIO,
    TEXT,
    Cell,
    Chapter,
    KeyFigure,
    MethodSection,
    Report,
    Table,
)
from reports.report_xlsx import report_long_data, sheet_name, write_report_xlsx

HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd", "-1+2", "@SUM(A1)", "\tTab", "\rCR"]
LONG_TITLE = "Bildung: Kitas [Anteil]/Schulen *ohne* Abschluss? \\ mit sehr langem Titel"


def _table(code="T1", provisional=False) -> Table:
    return Table(
        code=code, title="Kinder mit Migrationshintergrund", definition="Migrationshintergrund (KJH)",
        source="Kita-Erhebung", reference_date="01.03.2024", row_header="Bezirk",
        columns=["Anzahl", "Anteil in %", "Verhältnis", "Hinweis"], kinds=[COUNT, PERCENT, RATIO, TEXT],
        rows=["Nord", "Süd", "Mitte", "Insgesamt"],
        cells=[
            [Cell("48.043", 48043), Cell("12,5", 12.5, provisional), Cell("1,23", 1.23), Cell("ok")],
            [Cell("–"), Cell("."), Cell("/"), Cell("-7")],
            [Cell("x"), Cell("-7,0", -7.0), Cell("0,50", 0.5), Cell("=1+1")],
            [Cell("50.000", 50000), Cell("12,0", 12.0), Cell("1,00", 1.0), Cell("")],
        ],
        total_rows={3}, notes=["Ohne Horte."])


def _institutions() -> Table:
    names = [*HOSTILE, "Kita \x00Sonnen\x07schein\x1b", "Surrogat \ud800"]
    return Table(
        code="T2", title="Einrichtungen", definition="Staatsangehörigkeit", source="Meldungen",
        reference_date="2024", row_header="Einrichtung", columns=["Kinder", "Bemerkung"], kinds=[COUNT, TEXT],
        rows=names, cells=[[Cell(str(i + 1), i + 1), Cell(name)] for i, name in enumerate(names)],
        per_institution=True)


def make_report(synthetic=True, include_received=True) -> Report:
    return Report(
        title="Integrationsbericht", town="Musterstadt", first_year=2020, year=2024, variant=INTERNAL,
        created="05.05.2025", synthetic=synthetic, include_received=include_received,
        key_figures=[KeyFigure("Einwohner mit Migrationshintergrund", "48.043", 2024, "ZWG", "+1,2 %")],
        chapters=[
            Chapter("bildung", LONG_TITLE, "Einleitung.", tables=[_table(provisional=True), _table("T1b")],
                    notes=["Kapitelhinweis."]),
            Chapter("einr", LONG_TITLE, "Zweites Kapitel mit gleichem Titel.", tables=[_institutions()]),
            Chapter("leer", "Daten", "Ein Kapitel, das wie ein festes Blatt heißt, ohne Tabellen."),
        ],
        methods=[MethodSection("Geheimhaltung", ["Werte unter 3 werden unterdrückt."], table=_table("M1"))])


@pytest.fixture
def book_path(tmp_path):
    path = tmp_path / "bericht.xlsx"
    write_report_xlsx(make_report(), path)
    return path


@pytest.fixture
def book(book_path):
    return openpyxl.load_workbook(book_path, data_only=False)


def _cells(sheet):
    return [c for row in sheet.iter_rows() for c in row if c.value is not None]


def _find(sheet, value):
    return next(c for c in _cells(sheet) if c.value == value)


# --- workbook ------------------------------------------------------------------------------------------------------

def test_sheets_are_named_safely_and_uniquely(book):
    names = book.sheetnames
    assert names[0] == "Übersicht" and names[-2:] == ["Methoden", "Daten"]
    assert len(names) == 6 and len({n.casefold() for n in names}) == 6
    for name in names:
        assert len(name) <= 31 and not set("[]:*?/\\") & set(name)
    assert names[1] == "Bildung Kitas Anteil Schulen o…"
    assert names[2].endswith(" (2)")


@pytest.mark.parametrize("title, taken, expected", [
    ("a" * 40, set(), "a" * 30 + "…"),
    ("Was? [Alles]: a/b\\c*", set(), "Was Alles a b c"),
    ("'Zitat'", set(), "Zitat"),
    ("History", set(), "Kapitel 9"),
    ("?*", set(), "Kapitel 9"),
    ("Daten", {"daten"}, "Daten (2)"),
    ("b" * 31, {"b" * 31}, "b" * 27 + " (2)"),
    ("c" * 29 + " de", set(), "c" * 29 + "…"),
])
def test_sheet_name(title, taken, expected):
    assert sheet_name(title, set(taken), "Kapitel 9") == expected


def test_header_of_first_table_stays_visible(book):
    for sheet in book.worksheets[1:3]:
        header = next(c for c in sheet["A"] if c.value in ("Bezirk", "Einrichtung"))
        assert sheet.freeze_panes == f"B{header.row + 1}"
        assert header.font.b and header.fill.fgColor.rgb.endswith("E9E9E9") and header.alignment.wrap_text
    assert book["Daten"].freeze_panes == "A2"


def test_numbers_are_numbers_with_formats(book):
    sheet = book.worksheets[1]
    for value, fmt in [(48043, "#,##0"), (1.23, "0.00"), (-7.0, "0.0")]:
        cell = _find(sheet, value)
        assert cell.data_type == "n" and cell.number_format == fmt
    assert _find(sheet, 50000).font.b  # total row


def test_symbols_and_text_columns_are_text(book):
    sheet = book.worksheets[1]
    row = next(c.row for c in sheet["A"] if c.value == "Süd")
    assert [(c.value, c.data_type) for c in sheet[row][1:5]] == [("–", "s"), (".", "s"), ("/", "s"), ("-7", "s")]


def test_user_text_is_never_a_formula(tmp_path):
    path = tmp_path / "b.xlsx"
    write_report_xlsx(make_report(), path, long_data=[{"Einrichtung": h, "Wert": 1} for h in HOSTILE])
    book = openpyxl.load_workbook(path, data_only=False)
    assert not [c.coordinate for s in book.worksheets for c in _cells(s) if c.data_type == "f"]
    texts = {c.value for s in book.worksheets for c in _cells(s) if c.data_type == "s"}
    assert set(HOSTILE[:-1]) <= texts and "=1+1" in texts
    assert "\nCR" in texts  # a carriage return is stored as the line break Excel uses within a cell
    with zipfile.ZipFile(path) as archive:
        assert not [n for n in archive.namelist() if n.startswith("xl/worksheets/") and b"<f>" in archive.read(n)]


def test_control_characters_are_replaced(book):
    texts = {c.value for s in book.worksheets for c in _cells(s) if isinstance(c.value, str)}
    assert "Kita \ufffdSonnen\ufffdschein\ufffd" in texts and "Surrogat \ufffd" in texts


def test_overview_notices_and_properties(book, tmp_path):
    texts = [c for c in _cells(book["Übersicht"])]
    synthetic = next(c for c in texts if str(c.value).startswith("SYNTHETISCHE DATEN"))
    assert synthetic.font.b and synthetic.font.color.rgb.endswith("C00000")
    assert any("noch nicht freigegebenen" in str(c.value) for c in texts)
    assert _find(book["Übersicht"], "48.043").data_type == "s"
    assert book.properties.creator == "Integrationsmonitor"
    assert book.properties.title.startswith("Integrationsbericht – Musterstadt · 2020–2024")

    path = tmp_path / "echt.xlsx"
    write_report_xlsx(make_report(synthetic=False, include_received=False), path)
    real = [str(c.value) for c in _cells(openpyxl.load_workbook(path)["Übersicht"])]
    assert not [t for t in real if "SYNTHETISCH" in t or "freigegeben" in t]


def test_caption_notes_and_provisional_comment(book):
    sheet = book.worksheets[1]
    texts = [c.value for c in sheet["A"]]
    assert "Migrationshintergrund (KJH) · Quelle: Kita-Erhebung · Stand: 01.03.2024" in texts
    assert "Ohne Horte." in texts and "Kapitelhinweis." in texts
    assert "vorläufig" in _find(sheet, 12.5).comment.text
    assert sum(str(t).startswith("* vorläufig") for t in texts) == 1  # only under the provisional table
    assert _find(sheet, 12.5).number_format == '0.0" *"'  # still a number, shown as "12,5 *"
    assert sheet.column_dimensions["B"].width == 8  # "48.043" and "Anzahl", with a little room
    assert sheet.column_dimensions["C"].width == 13  # the header "Anteil in %"


def test_long_data_built_from_report(book):
    rows = list(book["Daten"].values)
    expected = report_long_data(make_report())
    assert rows[0] == ("Kapitel", "Tabelle", "Zeile", "Spalte", "Wert", "Text", "vorläufig")
    assert len(rows) == 1 + len(expected) == 1 + 3 * 16 + 8 * 2
    assert (LONG_TITLE, "T1", "Nord", "Anteil in %", 12.5, "12,5", "ja") in rows
    assert (LONG_TITLE, "T1", "Süd", "Anzahl", None, "–", None) in rows
    assert book["Daten"].auto_filter.ref == f"A1:G{len(rows)}"


def test_long_data_given(tmp_path):
    data = [{"jahr": 2024, "einrichtung": "Kita A", "wert": 3.5}, {"jahr": 2023, "einrichtung": "@x", "wert": None}]
    path = tmp_path / "b.xlsx"
    write_report_xlsx(make_report(), path, long_data=data)
    sheet = openpyxl.load_workbook(path)["Daten"]
    assert list(sheet.values) == [("jahr", "einrichtung", "wert"), (2024, "Kita A", 3.5), (2023, "@x", None)]
    assert sheet.auto_filter.ref == "A1:C3"


def test_unwritable_target_gives_a_german_message(tmp_path):
    from reports.errors import ReportError

    with pytest.raises(ReportError, match="Ordner"):
        write_report_xlsx(make_report(), tmp_path / "fehlt" / "b.xlsx")


# --- CSV -----------------------------------------------------------------------------------------------------------

def test_csv_files(tmp_path):
    paths = write_report_csv(make_report(), tmp_path / "csv")
    assert [p.name for p in paths] == ["bildung_T1.csv", "bildung_T1b.csv", "einr_T2.csv", "methoden_M1.csv"]
    raw = paths[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Bezirk;Anzahl;Anteil in %;Verhältnis;Hinweis;vorläufige Werte"
    assert lines[1] == "Nord;48.043;12,5;1,23;ok;Anteil in %"
    assert lines[2] == "Süd;–;.;/;'-7;"  # "-7" in a text column is text
    assert lines[3] == "Mitte;x;-7,0;0,50;'=1+1;"  # a real negative number stays a number
    frame = pd.read_csv(paths[0], sep=";", encoding="utf-8-sig")
    assert frame.shape == (4, 6) and frame["Anteil in %"].tolist() == ["12,5", ".", "-7,0", "12,0"]
    numbers = pd.read_csv(paths[0], sep=";", encoding="utf-8-sig", decimal=",", thousands=".",
                          na_values=["–", ".", "/", "x"], keep_default_na=False)
    assert numbers["Anzahl"].tolist()[::3] == [48043, 50000] and numbers["Verhältnis"].tolist()[2] == 0.5


def test_csv_neutralises_user_text(tmp_path):
    path = write_report_csv(make_report(), tmp_path)[2]
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert [r[0] for r in rows[1:7]] == ["'" + h for h in HOSTILE]
    assert [r[2] for r in rows[1:7]] == ["'" + h for h in HOSTILE]
    assert rows[1][1] == "1"
    assert rows[7][0] == "Kita \ufffdSonnen\ufffdschein\ufffd" and rows[8][0] == "Surrogat \ufffd"
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig")
    assert frame["Einrichtung"].tolist()[0] == "'" + HOSTILE[0] and len(frame) == 8


def test_csv_names_and_neutralise():
    taken: set[str] = set()
    assert csv_file_name("Übergänge", "T 1/2", taken) == "Uebergaenge_T_1_2.csv"
    assert csv_file_name("übergänge", "t 1/2", taken) == "uebergaenge_t_1_2_2.csv"
    assert csv_file_name("", "../..", taken) == "tabelle.csv"
    assert neutralise("Kita") == "Kita" and neutralise("=A1") == "'=A1" and neutralise("–") == "–"


# --- real office software ------------------------------------------------------------------------------------------

def test_libreoffice_opens_the_workbook(book_path, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    # Not skipped when missing: .ci/run installs it, and a skip would hide that the check never ran.
    assert office is not None, "LibreOffice fehlt: apt-get install libreoffice-calc-nogui"
    out = tmp_path / "out"
    # Own profile: with a shared one, a LibreOffice already running would take the job and convert nothing. The
    # filter options export every sheet (-1) as UTF-8 (76), values as shown.
    subprocess.run([office, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,-1",
                    "--outdir", str(out), str(book_path)], check=True, capture_output=True, timeout=120,
                   env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})  # a locale every system has
    names = openpyxl.load_workbook(book_path).sheetnames
    files = {p.name.removeprefix("bericht-"): p for p in out.glob("*.csv")}
    assert set(files) == {f"{name}.csv" for name in names}
    # In the English locale a number shows as "48,043"; had it been stored as text it would read "48.043".
    assert "Nord;48,043;12.5 *;1.23;ok" in files[f"{names[1]}.csv"].read_text("utf-8").splitlines()
    institutions = files[f"{names[2]}.csv"].read_text("utf-8")
    for hostile in HOSTILE[:4]:
        assert hostile.replace('"', '""') in institutions  # shown as typed, not run
    overview = files["Übersicht.csv"].read_text("utf-8")
    assert "SYNTHETISCHE DATEN" in overview


def test_sample_report(tmp_path):
    from tests.reports.report_sample import LONG_NAME, sample_report

    report = sample_report(chapters=4)
    path = tmp_path / "sample.xlsx"
    write_report_xlsx(report, path)
    book = openpyxl.load_workbook(path, data_only=False)
    assert book.sheetnames == ["Übersicht", "Bevölkerung", "Kindergärten & Kindertageseinr…", "Schulen",
                               "Zusatzauswertung 4", "Methoden", "Daten"]
    assert not [c for s in book.worksheets for c in _cells(s) if c.data_type == "f"]
    kita = book["Kindergärten & Kindertageseinr…"]
    row = next(c.row for c in kita["A"] if c.value == "Kath. Kita St. Bruno")
    assert kita.cell(row, 3).value == 0 and kita.cell(row, 3).number_format == '#,##0;-#,##0;"–"'  # shows "–"
    assert kita.cell(row, 6).value == "x" and _find(kita, LONG_NAME).data_type == "s"
    assert _find(kita, 84).number_format == '#,##0" *"'
    assert book["Übersicht"].freeze_panes is None and book["Bevölkerung"].freeze_panes == "B4"
    assert book["Daten"].max_row == 1 + sum(len(r) for t in report.tables() for r in t.cells)
    assert _find(book["Bevölkerung"], "Innenstadt").offset(column=3).value == 16.4  # 16.43 printed as 16,4
    assert ("Bevölkerung", "bev_bezirk", "Innenstadt", "Ausländeranteil in %", 16.4, "16,4", None) in list(
        book["Daten"].values)
    assert len(write_report_csv(report, tmp_path / "csv")) == len(report.tables())


def test_a_row_of_counts_under_shares_keeps_the_count_format(tmp_path):
    from reports.report_model import COUNT, PERCENT, Cell, Chapter, Report, Table

    table = Table("t", "Übergänge", "ZWG", "Schulen", "15. Oktober", "", ["2023", "2024"], [PERCENT, PERCENT],
                  ["Gymnasium", "Bezugsgröße (Anzahl)"],
                  [[Cell("35,3", 35.3), Cell("36,0", 36.0)], [Cell("1.204", 1204, kind=COUNT), Cell("201", 201,
                                                                                                    kind=COUNT)]])
    report = Report("Bericht", "Stadt", 2023, 2024, "intern", "24.11.2026", False, False, [],
                    [Chapter("schulen", "Schulen", "", [table])], [])
    write_report_xlsx(report, tmp_path / "b.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx")["Schulen"]
    cells = {c.value: c.number_format for row in sheet.iter_rows() for c in row if isinstance(c.value, (int, float))}
    assert cells[35.3] == "0.0" and cells[1204] == "#,##0"
