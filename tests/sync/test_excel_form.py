"""The fillable Excel form: what the officer sends out, and what comes back through the inbox.

The returned workbooks are real: generated here, opened and saved again by LibreOffice (headless, with a private
profile), filled in with openpyxl as a user's spreadsheet program would store the entries, and imported through
the same sources as submission files."""

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from forms.catalog import form_for, get_form
from forms.model import ValueState
from forms.values import Value
from store.database import open_database
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_draft, current_submission, load_values, revisions, set_state, set_values
from sync.excel_form import (
    COUNT,
    FORMAT,
    NOTE,
    SHEET_FORM,
    SHEET_HELP,
    SHEET_ID,
    count_rule,
    plan,
    write_excel_form,
    write_excel_forms,
)
from sync.excel_form_reader import ExcelFormError, read_returned_workbook
from sync.importer import IMPORTED, REJECTED, UNCHANGED, UPDATED, import_from
from sync.officer import unlock_officer
from sync.transports import REASON_SUFFIX, FileSource, FolderInbox
from sync.webdav import WebDavInbox
from tests.sync.conftest import PASSWORD, USER
from tests.sync.exchange_helpers import KITA, OFFICER_PASSPHRASE, SCHOOL, officer_db

YEAR = 2024
GYMNASIUM = OrgUnit(id="100002", kind="schule", name="Städtisches Gymnasium", attributes={"schulform": "Gymnasium"})
VEREIN = OrgUnit(id="verein-9", kind="verein", name="TuS Grün-Weiß 1911 e. V.")
LAST_YEAR = {("kinder", "u3", "insgesamt"): Value(number=10), ("kinder", "ue3", "insgesamt"): Value(number=30),
             ("kinder", "u3", "eltern_ausl"): Value(number=3), ("personal_gesamt", "", ""): Value(number=8),
             ("sprachfoerderung", "", ""): Value(state=ValueState.UNKNOWN)}
# What the Kita leader types: cell address → what lands in the cell.
KITA_INPUT = {("kinder", "u3", "insgesamt"): 12, ("kinder", "u3", "eltern_ausl"): 4, ("kinder", "u3", "sprache"): 3,
              ("kinder", "u3", "auslaender"): 2, ("kinder", "ue3", "insgesamt"): 35,
              ("kinder", "ue3", "eltern_ausl"): 14, ("kinder", "ue3", "sprache"): "10",
              ("kinder", "ue3", "auslaender"): "unbekannt", ("sprachfoerderung", "", ""): 6,
              ("personal_gesamt", "", ""): 9, ("personal_mh", "", ""): 2}
KITA_NOTES = {("personal_gesamt", "", ""): "eine Stelle ist seit Januar unbesetzt"}
KITA_VALUES = {**{a: Value(number=int(v)) for a, v in KITA_INPUT.items() if v != "unbekannt"},
               ("kinder", "ue3", "auslaender"): Value(state=ValueState.UNKNOWN),
               ("personal_gesamt", "", ""): Value(number=9, comment="eine Stelle ist seit Januar unbesetzt")}


def add_last_year(db) -> None:
    draft = create_draft(db, KITA.id, form_for("kita", YEAR - 1), YEAR - 1)
    set_values(db, draft.id, LAST_YEAR)
    set_state(db, draft.id, State.APPROVED)  # only approved figures are shown as last year's


def resave_with_libreoffice(path: Path, out_dir: Path, profile: Path) -> Path:
    """Opens the workbook in LibreOffice and saves it again as .xlsx, as a user's office program does."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "xlsx",
                    "--outdir", str(out_dir), str(path)], check=True, capture_output=True, timeout=300)
    return out_dir / path.name


def layout_of(path: Path):
    """Where the values are, as the form's plan says (the same plan the reader follows)."""
    book = openpyxl.load_workbook(path)
    ids = {row[0].value: row[1].value for row in book[SHEET_ID].iter_rows(max_col=2)}
    form = get_form(ids["formular"], int(ids["formular_version"]))
    return plan(form, int(ids["jahr"]), tuple(ids["abschnitte"].split(",")), ids["vorjahr"] == "ja")


def fill(path: Path, target: Path, entries: dict, notes: dict | None = None, change=None) -> Path:
    """Types the entries into the workbook (openpyxl stores them as a spreadsheet program does) and saves a copy."""
    layout = layout_of(path)
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_FORM]
    refs = {s.address: s.ref for s in layout.inputs() if s.role != NOTE}
    note_refs = {s.address: s.ref for s in layout.inputs() if s.role == NOTE}
    for address, value in entries.items():
        sheet[refs[address]] = value
    for address, text in (notes or {}).items():
        sheet[note_refs[address]] = text
    if change is not None:
        change(book)
    book.save(target)
    return target


def office(tmp_path: Path):
    inbox, archive, quarantine = tmp_path / "Eingang", tmp_path / "Archiv", tmp_path / "Quarantaene"
    inbox.mkdir(exist_ok=True)
    return inbox, archive, quarantine


def import_inbox(db, keys, tmp_path: Path, *files: tuple[str, bytes]):
    inbox, archive, quarantine = office(tmp_path)
    for name, data in files:
        (inbox / name).write_bytes(data)
    return import_from(db, keys, FolderInbox(inbox, archive, quarantine, settle_seconds=0))


def stored(db) -> tuple[int, int]:
    return (db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM cell_values").fetchone()[0])


@pytest.fixture(scope="module")
def libreoffice_profile(tmp_path_factory):
    return tmp_path_factory.mktemp("libreoffice-profile")


@pytest.fixture(scope="module")
def kita_office(tmp_path_factory, libreoffice_profile):
    """The town's database, and the Kita's workbook it made (with last year's values) after LibreOffice opened and
    saved it, not yet filled in. The workbook carries this database's seal: another database refuses it."""
    folder = tmp_path_factory.mktemp("kita-form")
    db, _keys = officer_db(folder)
    add_last_year(db)
    generated = write_excel_form(db, KITA.id, form_for("kita", YEAR), YEAR, folder / "Formulare")
    db.close()
    return folder / "rathaus.sqlite", resave_with_libreoffice(generated, folder / "LibreOffice", libreoffice_profile)


@pytest.fixture(scope="module")
def kita_resaved(kita_office):
    return kita_office[1]


@pytest.fixture
def town(tmp_path, kita_office):
    """A copy of the town's database that made the Kita's workbook."""
    shutil.copy(kita_office[0], tmp_path / "rathaus.sqlite")
    db = open_database(tmp_path / "rathaus.sqlite")
    yield db, unlock_officer(db, OFFICER_PASSPHRASE)
    db.close()


# --- what goes out ---------------------------------------------------------------------------------------------

def cells_with_text(sheet) -> dict[str, str]:
    return {c.coordinate: c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}


def test_grundschule_workbook_protection_validation_notes_and_identification(tmp_path):
    db, _keys = officer_db(tmp_path)
    path = write_excel_form(db, SCHOOL.id, form_for("schule", YEAR), YEAR, tmp_path / "out")
    assert path.name == "Grundschule Am Bach (100001) – Schule Schuljahr 2024-25.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SHEET_FORM, SHEET_HELP, SHEET_ID]
    assert [ws.sheet_state for ws in book.worksheets] == ["visible", "visible", "veryHidden"]
    assert book.security.lockStructure  # no sheet renamed, deleted or shown by accident
    sheet = book[SHEET_FORM]
    assert all(ws.protection.sheet for ws in book.worksheets)

    texts = set(cells_with_text(sheet).values())
    assert {"Grundschule Am Bach", "100001", "Schule: Grundschule", "Schüler/innen nach Klasse 1–4 *", "Klasse 4",
            "Übergang nach Klasse 4", "Schulformempfehlung *", "mit ZWG"} <= texts
    # Sections for other school types are left out: a Grundschule has no grades 5–13 and no leavers' exams.
    assert not {"Schüler/innen nach Jahrgangsstufe 5–13 *", "Abgänger/innen nach Abschluss *"} & texts
    assert not any(t.startswith("Vorjahr") for t in texts)  # nothing from last year to show

    layout = layout_of(path)
    inputs = {s.ref for s in layout.inputs()}
    counts = [s for s in layout.inputs() if s.role == COUNT]
    assert len(counts) == 7 + 12 + 3 + 18 + 24 + 3  # counts, classes 1–4, leavers, recommendations, transitions, staff
    for row in sheet.iter_rows(min_row=1, max_row=layout.last_row, max_col=layout.last_column):
        for cell in row:
            if cell.coordinate in inputs:
                assert not cell.protection.locked, cell.coordinate
            elif cell.value is not None:
                assert cell.protection.locked, cell.coordinate
    rules = {str(r.sqref): r for r in sheet.data_validations.dataValidation}
    covered = {}
    for sqref, rule in rules.items():
        if rule.type == "custom":
            first = sqref.split(":")[0]
            assert rule.formula1 == count_rule(first) and rule.errorStyle == "stop" and rule.allow_blank
            assert "ganze Zahl von 0 bis 1.000.000" in rule.error
            for cell_range in rule.sqref.ranges:
                for row in sheet[cell_range.coord] if ":" in cell_range.coord else [[sheet[cell_range.coord]]]:
                    for cell in row:
                        covered[cell.coordinate] = sqref
    assert set(covered) == {s.ref for s in counts}

    zwg = next(c for c, t in cells_with_text(sheet).items() if t == "Schüler/innen mit Zuwanderungsgeschichte *")
    assert "Verkehrssprache in der Familie ist nicht Deutsch" in sheet[zwg].comment.text
    assert "Begriff: ZWG" in sheet[zwg].comment.text

    ids = {row[0].value: row[1].value for row in book[SHEET_ID].iter_rows(max_col=2)}
    assert {k: ids[k] for k in ("format", "formular", "formular_version", "einrichtung", "jahr", "abschnitte",
                                "vorjahr")} == {
        "format": FORMAT, "formular": "schule", "formular_version": "1", "einrichtung": SCHOOL.id, "jahr": "2024",
        "abschnitte": "schueler,jahrgang_primar,uebergang,freiwillig", "vorjahr": "nein"}
    assert ids["sprache"] == "de"
    help_text = " ".join(cells_with_text(book[SHEET_HELP]).values())
    assert "gelb hinterlegten Felder" in help_text and "„unbekannt“" in help_text and ".xlsx" in help_text
    db.close()


def test_kita_workbook_shows_last_years_values_beside_the_inputs(town, tmp_path):
    db, _keys = town
    path = write_excel_form(db, KITA.id, form_for("kita", YEAR), YEAR, tmp_path / "out")
    sheet = openpyxl.load_workbook(path)[SHEET_FORM]
    layout = layout_of(path)
    u3 = layout.value_spot(("kinder", "u3", "insgesamt"))
    staff = layout.value_spot(("personal_gesamt", "", ""))
    language = layout.value_spot(("sprachfoerderung", "", ""))
    # Last year's value sits in the grey row right below the input cell.
    for spot, shown in ((u3, 10), (staff, 8), (language, "unbekannt")):
        below = sheet.cell(row=spot.row + 1, column=spot.column)
        assert below.value == shown and below.protection.locked
        assert sheet.cell(row=spot.row + 1, column=1).value == "Vorjahr (2023)"
    assert sheet.cell(row=u3.row + 1, column=u3.column + 2).value == "–"  # no value last year
    assert sheet["B5"].value == KITA.id and sheet["B7"].value == "AWO"


def test_choice_fields_offer_their_list(tmp_path):
    db, _keys = officer_db(tmp_path)
    save_org_units(db, [VEREIN])
    book = openpyxl.load_workbook(write_excel_form(db, VEREIN.id, form_for("verein", YEAR), YEAR, tmp_path))
    lists = [r for r in book[SHEET_FORM].data_validations.dataValidation if r.type == "list"]
    assert len(lists) == 2
    target = book.defined_names[lists[0].formula1].attr_text
    sheet_name, cells = target.split("!")
    values = [c.value for row in book[sheet_name.strip("'")][cells.replace("$", "")] for c in row]
    assert values == [c.label for c in form_for("verein", YEAR).field("vereinsart").choices]
    db.close()


def test_one_workbook_per_missing_institution_and_never_overwriting(town, tmp_path):
    db, _keys = town
    save_org_units(db, [GYMNASIUM, OrgUnit(id="kita-alt", kind="kita", name="Kita Alt", valid_to=2020)])
    done = create_draft(db, GYMNASIUM.id, form_for("schule", YEAR), YEAR)
    set_state(db, done.id, State.RECEIVED)  # the Gymnasium has sent; the closed Kita is not expected
    written = write_excel_forms(db, YEAR, tmp_path / "out")
    assert sorted(p.name for p in written.files) == [
        "Grundschule Am Bach (100001) – Schule Schuljahr 2024-25.xlsx",
        "Kita Löwenzahn (kita-07) – Kindertageseinrichtung 2024.xlsx"]
    again = write_excel_forms(db, YEAR, tmp_path / "out", form_id="kita")
    assert [p.name for p in again.files] == ["Kita Löwenzahn (kita-07) – Kindertageseinrichtung 2024 (2).xlsx"]
    only = write_excel_forms(db, YEAR, tmp_path / "one", institution_id=GYMNASIUM.id)
    assert [p.name for p in only.files] == ["Städtisches Gymnasium (100002) – Schule Schuljahr 2024-25.xlsx"]


# --- what comes back -------------------------------------------------------------------------------------------

def test_kita_round_trip_through_libreoffice_resend_and_correction(town, tmp_path, kita_resaved):
    db, keys = town
    filled = fill(kita_resaved, tmp_path / "Kita Löwenzahn ausgefüllt.xlsx", KITA_INPUT, KITA_NOTES)

    # The officer previews the file picked in the file dialog: nothing is stored yet.
    preview = import_from(db, keys, FileSource([filled], tmp_path / "Archiv", tmp_path / "Quarantaene"),
                          dry_run=True)
    assert [r.outcome for r in preview.results] == [IMPORTED]
    assert current_submission(db, KITA.id, "kita", YEAR) is None

    summary = import_inbox(db, keys, tmp_path, ("Kita_Loewenzahn.xlsx", filled.read_bytes()))
    result = summary.results[0]
    assert (result.outcome, result.source) == (IMPORTED, "excel")
    assert result.flags[0].startswith("Excel, nicht signiert")
    assert "Pädagogisches Personal insgesamt: – → 9" in result.changes
    submission = current_submission(db, KITA.id, "kita", YEAR)
    assert (submission.state, submission.source, submission.revision) == (State.RECEIVED, "excel", 1)
    assert load_values(db, submission.id) == KITA_VALUES
    assert (tmp_path / "Archiv" / "Kita_Loewenzahn.xlsx").exists()

    # The Kita sends the same file again: nothing changes.
    summary = import_inbox(db, keys, tmp_path, ("Kita_Loewenzahn_nochmal.xlsx", filled.read_bytes()))
    assert [(r.outcome, r.reason) for r in summary.results] == [(UNCHANGED, "gleiche Werte wie Fassung 1; nichts "
                                                                            "geändert")]
    assert len(revisions(db, KITA.id, "kita", YEAR)) == 1

    # A corrected workbook becomes the next revision; the first stays as history.
    corrected = fill(filled, tmp_path / "korrigiert.xlsx", {("personal_gesamt", "", ""): 10})
    summary = import_inbox(db, keys, tmp_path, ("Kita_Loewenzahn_korrigiert.xlsx", corrected.read_bytes()))
    assert summary.results[0].outcome == UPDATED
    assert summary.results[0].changes == ["Pädagogisches Personal insgesamt: 9 → 10"]
    history = revisions(db, KITA.id, "kita", YEAR)
    assert [(s.revision, s.source, s.state) for s in history] == [(1, "excel", State.RECEIVED),
                                                                 (2, "excel", State.RECEIVED)]
    assert load_values(db, history[0].id) == KITA_VALUES


SCHOOL_COUNTS = {"schueler_gesamt": 197, "zwg_gesamt": 78, "zwg_selbst_zugewandert": 20, "zwg_eltern_zugewandert": 51,
                 "zwg_sprache": "unbekannt", "auslaender": 30, "aussiedler": 0, "personal_gesamt": " 18 "}
CLASSES = {"k1": (50, 20, 8), "k2": (48, 18, 7), "k3": (52, 21, 9), "k4": (47, 19, 6)}
RECOMMENDED = {"hauptschule": (5, 3, 2), "haupt_eingeschr_real": (3, 1, 0), "realschule": (12, 5, 2),
               "real_eingeschr_gym": (5, 2, 1), "gymnasium": (18, 5, 1), "keine": (2, 1, 0)}
MOVED_TO = {"hauptschule": (3, 2, 1), "realschule": (10, 4, 2), "sekundarschule": (4, 2, 1), "gesamtschule": (8, 4, 1),
            "primus": (0, 0, 0), "gymnasium": (18, 4, 1), "foerderschule": (1, 1, 0), "sonstige": (1, 0, 0)}
OFFERS = "Deutschförderklasse; Herkunftssprachlicher Unterricht (Türkisch, Arabisch)"


def school_input() -> dict:
    entries = {(code, "", ""): value for code, value in SCHOOL_COUNTS.items()}
    entries |= {("schueler_klasse_primar", k, c): n for k, row in CLASSES.items()
                for c, n in zip(("anzahl", "zwg", "auslaender"), row, strict=True)}
    entries |= {("abgaenger_klasse4", "anzahl", c): n for c, n in zip(("alle", "zwg", "auslaender"), (45, 17, 6),
                                                                        strict=True)}
    for code, rows in (("empfehlung", RECOMMENDED), ("uebergang_schulform", MOVED_TO)):
        entries |= {(code, r, c): n for r, row in rows.items() for c, n in zip(("alle", "zwg", "auslaender"), row,
                                                                               strict=True)}
    return entries | {("sprachfoerderung_angebote", "", ""): OFFERS}


def test_grundschule_round_trip_through_libreoffice(tmp_path, libreoffice_profile):
    db, keys = officer_db(tmp_path)
    generated = write_excel_form(db, SCHOOL.id, form_for("schule", YEAR), YEAR, tmp_path / "Formulare")
    resaved = resave_with_libreoffice(generated, tmp_path / "LibreOffice", libreoffice_profile)
    filled = fill(resaved, tmp_path / "Grundschule.xlsx", school_input())
    summary = import_inbox(db, keys, tmp_path, ("Grundschule.xlsx", filled.read_bytes()))
    assert [(r.outcome, r.reason) for r in summary.results] == [(IMPORTED, "")], summary.results[0].reason
    values = load_values(db, current_submission(db, SCHOOL.id, "schule", YEAR).id)
    assert values[("zwg_sprache", "", "")] == Value(state=ValueState.UNKNOWN)
    assert values[("personal_gesamt", "", "")] == Value(number=18)
    assert values[("sprachfoerderung_angebote", "", "")] == Value(text=OFFERS)
    assert values[("uebergang_schulform", "gymnasium", "alle")] == Value(number=18)
    assert len(values) == len(school_input())
    db.close()


def test_a_school_form_with_a_broken_sum_is_refused_naming_the_cell(tmp_path):
    db, keys = officer_db(tmp_path)
    generated = write_excel_form(db, SCHOOL.id, form_for("schule", YEAR), YEAR, tmp_path / "Formulare")
    entries = school_input() | {("schueler_gesamt", "", ""): 198}
    filled = fill(generated, tmp_path / "Grundschule.xlsx", entries)
    result = import_inbox(db, keys, tmp_path, ("Grundschule.xlsx", filled.read_bytes())).results[0]
    ref = layout_of(generated).value_spot(("schueler_gesamt", "", "")).ref
    assert result.outcome == REJECTED
    assert f"Blatt „Formular“, Zelle {ref}: Die Summe" in result.reason
    assert stored(db) == (0, 0)
    db.close()


def test_text_in_a_count_cell_is_refused_with_cell_and_label(town, tmp_path, kita_resaved):
    db, keys = town
    before = stored(db)
    entries = KITA_INPUT | {("kinder", "u3", "insgesamt"): "zwölf", ("personal_mh", "", ""): "2,5"}
    filled = fill(kita_resaved, tmp_path / "Kita.xlsx", entries)
    layout = layout_of(kita_resaved)
    u3, staff = layout.value_spot(("kinder", "u3", "insgesamt")).ref, layout.value_spot(("personal_mh", "", "")).ref
    summary = import_inbox(db, keys, tmp_path, ("Kita.xlsx", filled.read_bytes()))
    result = summary.results[0]
    assert result.outcome == REJECTED
    assert (f"Blatt „Formular“, Zelle {u3} (Betreute Kinder nach Alter – unter 3 Jahren (U3) – insgesamt): „zwölf“ "
            "ist keine Zahl.") in result.reason
    assert f"Zelle {staff} (davon mit Migrationshintergrund (soweit bekannt)): „2,5“ ist keine ganze Zahl" in \
        result.reason
    assert stored(db) == before  # nothing of it was taken, not even the good cells
    quarantine = tmp_path / "Quarantaene"
    assert (quarantine / "Kita.xlsx").exists()
    assert "„zwölf“ ist keine Zahl" in (quarantine / ("Kita.xlsx" + REASON_SUFFIX)).read_text(encoding="utf-8")


def _delete_row(book):
    book[SHEET_FORM].delete_rows(15)


def _rename(book):
    book[SHEET_FORM].title = "Meine Zahlen"


def _drop_identification(book):
    del book[SHEET_ID]


def _other_institution(book):
    sheet = book[SHEET_ID]
    row = next(r for r in sheet.iter_rows() if r[0].value == "einrichtung")
    row[1].value = "kita-99"


def _made_in_english(book):
    sheet = book[SHEET_ID]
    next(r for r in sheet.iter_rows() if r[0].value == "sprache")[1].value = "en"


def _many_sheets(book):
    for n in range(9):
        book.create_sheet(f"Notizen {n}")


def _formula(book):
    book[SHEET_FORM]["B24"] = "=B14+B16"


def _delete_column(book):
    book[SHEET_FORM].delete_cols(3)


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<" + b" " * 60_000_000 + b">")
    return buffer.getvalue()


def _entity_bomb(data: bytes) -> bytes:
    """The workbook with a "billion laughs" document type in its shared strings."""
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                       for i in range(1, 10))
            + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, bomb if info.filename == "xl/sharedStrings.xml" else source.read(info))
    return target.getvalue()


@pytest.mark.parametrize(("case", "change", "expected"), [
    ("Zeile gelöscht", _delete_row, "Offenbar wurden Zeilen oder Spalten eingefügt, gelöscht oder verschoben"),
    ("Spalte gelöscht", _delete_column, "statt „mind. ein Elternteil ausländischer Herkunft“"),
    ("Blatt umbenannt", _rename, "Das Blatt „Formular“ fehlt (vorhanden: „Meine Zahlen“, „Anleitung“). Wurde es "
                                 "umbenannt?"),
    ("Kennung fehlt", _drop_identification, "das verborgene Blatt „Kennung“, das Formular, Einrichtung und Jahr "
                                            "nennt, fehlt"),
    ("andere Sprache", _made_in_english, "erstellt, als das Programm auf English eingestellt war; jetzt ist es auf "
                                         "Deutsch eingestellt"),
    ("zu viele Blätter", _many_sheets, "hat 12 Tabellenblätter; ein Excel-Formular hat drei"),
    ("fremde Einrichtung", _other_institution, "Die Einrichtung „kita-99“ ist in dieser Datenbank nicht bekannt."),
    ("Formel", _formula, "Zelle B24 (Pädagogisches Personal insgesamt) enthält eine Formel (=B14+B16). Formeln werden "
                         "aus Sicherheitsgründen nicht ausgerechnet."),
])
def test_a_changed_workbook_is_refused_whole(town, tmp_path, kita_resaved, case, change, expected):
    db, keys = town
    before = stored(db)
    filled = fill(kita_resaved, tmp_path / "Kita.xlsx", KITA_INPUT, change=change)
    result = import_inbox(db, keys, tmp_path, ("Kita.xlsx", filled.read_bytes())).results[0]
    assert result.outcome == REJECTED
    assert expected in result.reason, result.reason
    assert stored(db) == before
    reason = (tmp_path / "Quarantaene" / ("Kita.xlsx" + REASON_SUFFIX)).read_text(encoding="utf-8")
    assert expected in reason
    assert list((tmp_path / "Eingang").iterdir()) == []


@pytest.mark.parametrize(("case", "data", "expected"), [
    ("Text mit Excel-Namen", lambda book: b"Hallo, anbei unsere Zahlen.", "ist keine Excel-Arbeitsmappe (.xlsx), "
                                                                         "auch wenn der Name danach aussieht"),
    ("altes Excel", lambda book: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "im alten Excel-Format (.xls)"),
    ("riesig", lambda book: b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024), "ist zu groß"),
    ("Zip-Bombe", lambda book: _zip_bomb(), "ist entpackt viel zu groß"),
    ("Entitäten-Bombe", _entity_bomb, "enthält XML-Bausteine, mit denen Dateien Programme angreifen können "
                                      "(EntitiesForbidden)"),
    ("kaputt", lambda book: book[: len(book) // 2], "ist beschädigt"),
])
def test_what_is_no_workbook_is_refused(town, tmp_path, kita_resaved, case, data, expected):
    db, keys = town
    before = stored(db)
    result = import_inbox(db, keys, tmp_path, ("Formular.xlsx", data(kita_resaved.read_bytes()))).results[0]
    assert result.outcome == REJECTED
    assert expected in result.reason, result.reason
    assert stored(db) == before
    assert (tmp_path / "Quarantaene" / ("Formular.xlsx" + REASON_SUFFIX)).exists()


def test_the_reader_needs_defusedxml_and_calculates_nothing(kita_resaved, tmp_path):
    assert openpyxl.DEFUSEDXML  # openpyxl parses every part of the workbook with defusedxml
    book = openpyxl.load_workbook(kita_resaved)
    book[SHEET_FORM]["B14"] = '=WEBSERVICE("http://example.org/")'
    book.save(tmp_path / "f.xlsx")
    with pytest.raises(ExcelFormError) as raised:
        read_returned_workbook((tmp_path / "f.xlsx").read_bytes(), "f.xlsx")
    assert "Zelle B14" in raised.value.message and "enthält eine Formel" in raised.value.message


def test_a_workbook_is_told_by_its_content_not_its_name(town, tmp_path, kita_resaved):
    db, keys = town
    filled = fill(kita_resaved, tmp_path / "Kita.xlsx", KITA_INPUT, KITA_NOTES)
    # An e-mail program saved the attachment under another name; the inbox takes .imon and .xlsx files.
    result = import_inbox(db, keys, tmp_path, ("Meldung Kita.imon", filled.read_bytes())).results[0]
    assert (result.outcome, result.source) == (IMPORTED, "excel")
    assert load_values(db, current_submission(db, KITA.id, "kita", YEAR).id) == KITA_VALUES


def test_webdav_brings_an_excel_form_like_a_submission_file(town, tmp_path, kita_resaved, dav_server):
    db, keys = town
    root, url = dav_server
    folder = root / "excel-eingang"
    folder.mkdir()
    filled = fill(kita_resaved, tmp_path / "Kita.xlsx", KITA_INPUT, KITA_NOTES)
    shutil.copy(filled, folder / "Kita Löwenzahn.xlsx")
    summary = import_from(db, keys, WebDavInbox(url + "excel-eingang/", USER, PASSWORD, tmp_path / "Archiv",
                                                tmp_path / "Quarantaene"))
    assert [(r.outcome, r.source) for r in summary.results] == [(IMPORTED, "excel")]
    assert (folder / "archiv" / "Kita Löwenzahn.xlsx").exists()
    assert current_submission(db, KITA.id, "kita", YEAR).source == "excel"
