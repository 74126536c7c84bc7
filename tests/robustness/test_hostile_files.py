"""A corpus of hostile inputs: each is refused with a German message or neutralised, and no export turns user text
into a formula. Small files are committed in tests/robustness/hostile/; big ones (a zip bomb, a 2 GB sparse file)
are made in tmp_path by tests/robustness/make_hostile.py."""

import csv
import io
import os
import resource
import zipfile
from pathlib import Path

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from hypothesis import given, settings
from hypothesis import strategies as st

from common.file_names import safe_name
from forms.catalog import form_for
from forms.values import Value
from intake import tables
from intake.registry_import import import_registry
from intake.tables import TableError, read_table
from reports.report_files import ReportRequest, make_report
from reports.report_model import INTERNAL
from store.orgunits import OrgUnit, get_org_unit, list_org_units, save_org_units
from store.submissions import State, create_draft, set_state, set_values
from sync.excel_form import build_workbook, workbook_bytes
from sync.excel_form_reader import ExcelFormError, read_returned_workbook
from sync.importer import REJECTED, import_from, import_one
from sync.transports import FileSource, FolderInbox, Incoming, keep_copy
from tests.robustness import make_hostile
from tests.robustness.make_hostile import CORPUS, XML_ATTACKS
from tests.sync.exchange_helpers import KITA

PASSWD_LINE = "root:x:0:0"
GERMAN = ("Datei", "Excel", "nicht", "Bitte")
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd", "-1+2", "@SUM(A1)", "=1+1", "-2-2"]
HIDDEN = {"Grundschule \x07Glocke\x1b": "Grundschule Glocke", "Grundschule \u202eeid Gauner": "Grundschule eid Gauner",
          "Grundschule Zero\u200bBreit": "Grundschule ZeroBreit", "Schule\x0b\x1f\x7f Eins": "Schule Eins"}


def causes(exc: BaseException) -> list[BaseException]:
    found = []
    while exc is not None and len(found) < 10:
        found.append(exc)
        exc = exc.__cause__ or exc.__context__
    return found


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


# --- XML attacks inside XLSX --------------------------------------------------------------------------------------

def test_the_committed_corpus_is_what_the_generator_makes():
    for name, make in make_hostile.CORPUS_FILES.items():
        with zipfile.ZipFile(CORPUS / name) as committed, zipfile.ZipFile(io.BytesIO(make())) as fresh:
            assert {i.filename: committed.read(i) for i in committed.infolist()} == {
                i.filename: fresh.read(i) for i in fresh.infolist()}, name


def test_the_harmless_twin_is_read_so_the_refusals_below_mean_something():
    table = read_table(CORPUS / "plain_table.xlsx")
    assert table.header == ("Kennung", "Name", "Art") and table.rows == [("kita-1", "Kita Sonnenschein", "Kita")]


@pytest.mark.parametrize("name", XML_ATTACKS)
def test_entity_bombs_and_external_entities_in_a_table_are_refused(name):
    before = peak_rss_mb()
    with pytest.raises(TableError) as caught:
        read_table(CORPUS / name)
    message = caught.value.message
    assert name in message and "Excel" in message and "Bitte" in message
    assert PASSWD_LINE not in message and "lollol" not in message
    assert any(isinstance(c, DefusedXmlException) for c in causes(caught.value)), "refused by defusedxml"
    assert peak_rss_mb() - before < 100


@pytest.fixture(scope="module")
def genuine_form() -> bytes:
    return workbook_bytes(build_workbook(form_for("kita", 2024), KITA, 2024, {}))


def test_a_genuine_form_is_read(genuine_form):
    assert read_returned_workbook(genuine_form, "formular.xlsx").institution_id == KITA.id


def _with_doctype(data: bytes, member: str, doctype) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(member).decode("utf-8")
    declaration = ""
    if xml.startswith("<?xml"):
        declaration, xml = xml.split("?>", 1)
        declaration += "?>"
    root = xml.lstrip()[1:].split(None, 1)[0].rstrip(">")
    return make_hostile.replace_member(data, member, declaration + doctype(root) + xml)


PARSED_MEMBERS = ["[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml", "docProps/core.xml",
                  "xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml"]  # the form and the hidden id sheet


@pytest.mark.parametrize("member", PARSED_MEMBERS)
@pytest.mark.parametrize("doctype", [make_hostile.billion_laughs, make_hostile.external_entity])
def test_entity_attacks_in_a_returned_excel_form_are_refused(genuine_form, member, doctype):
    data = _with_doctype(genuine_form, member, doctype)
    with pytest.raises(ExcelFormError) as caught:
        read_returned_workbook(data, "formular.xlsx")
    message = caught.value.message
    assert "formular.xlsx" in message and "XML-Bausteine" in message and "nicht gelesen" in message
    assert PASSWD_LINE not in message


def test_a_hostile_form_in_the_inbox_goes_to_the_quarantine_with_its_reason(db, genuine_form, tmp_path):
    save_org_units(db, [KITA])
    inbox, archive, quarantine = tmp_path / "eingang", tmp_path / "archiv", tmp_path / "quarantaene"
    inbox.mkdir()
    hostile = _with_doctype(genuine_form, "xl/worksheets/sheet3.xml", make_hostile.external_entity)
    (inbox / "formular.xlsx").write_bytes(hostile)
    summary = import_from(db, None, FolderInbox(inbox, archive, quarantine, settle_seconds=0))
    [result] = summary.results
    assert result.outcome == REJECTED and "XML-Bausteine" in result.reason and PASSWD_LINE not in result.reason
    assert (quarantine / "formular.xlsx").read_bytes() == hostile and not list(inbox.iterdir())
    assert db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 0


# --- zip bombs ----------------------------------------------------------------------------------------------------

def test_a_zip_bomb_as_a_table_is_refused_by_its_unpacked_size(tmp_path):
    path = make_hostile.zip_bomb(tmp_path / "liste.xlsx", 600)  # 600 MB of zeros in about 3 MB
    assert path.stat().st_size < 5_000_000
    before = peak_rss_mb()
    with pytest.raises(TableError, match=r"entpackt zu groß \(629 MB, höchstens 500 MB\)"):
        read_table(path)
    assert peak_rss_mb() - before < 100


def test_millions_of_formatted_text_pieces_are_refused_before_parsing(tmp_path):
    hostile = tmp_path / "liste.xlsx"
    hostile.write_bytes(make_hostile.rich_text_table(2_000_000))
    assert hostile.stat().st_size < 100_000  # a small file that would hold the program for about a minute
    with pytest.raises(TableError, match=r"ungewöhnlich viele Textformatierungen \(2\.000\.000 Abschnitte\)"):
        read_table(hostile)
    harmless = tmp_path / "formatiert.xlsx"
    harmless.write_bytes(make_hostile.rich_text_table(1_000))  # some formatting, as real lists have: read
    table = read_table(harmless)
    assert [row[1] for row in table.rows] == ["Kita Sonnenschein", "ab" * 1_000]


def test_a_zip_bomb_as_an_excel_form_is_refused_before_parsing(genuine_form, tmp_path):
    path = make_hostile.zip_bomb(tmp_path / "formular.xlsx", 200, base=genuine_form)
    before = peak_rss_mb()
    with pytest.raises(ExcelFormError, match="entpackt viel zu groß"):
        read_returned_workbook(path.read_bytes(), "formular.xlsx")
    assert peak_rss_mb() - before < 50


# --- formula-like, control and invisible characters in names -------------------------------------------------------

def _registry_csv(path: Path) -> Path:
    names = FORMULAS + list(HIDDEN)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["Kennung", "Name", "Schulform", "Bezirk", "Träger"])
        for i, name in enumerate(names, 1):
            writer.writerow([f"gs{i}", name, "Grundschule", "Nord" if i % 2 else "Süd", "@SUM(A1)"])
    return path


def test_hostile_names_are_stored_as_text_and_invisible_characters_are_dropped(db, tmp_path):
    save_org_units(db, [OrgUnit("stadt", "stadt", "Kleinstadt"),
                        OrgUnit("bz1", "bezirk", "Nord", parent_id="stadt"),
                        OrgUnit("bz2", "bezirk", "Süd", parent_id="stadt")])
    result = import_registry(db, read_table(_registry_csv(tmp_path / "schulen.csv")))
    assert result.ok and len(result.new) == len(FORMULAS) + len(HIDDEN)
    names = {u.name for u in list_org_units(db, "schule")}
    assert names == set(FORMULAS) | set(HIDDEN.values())
    for name in names:
        assert not any(ch in name for ch in "\x07\x0b\x1b\x1f\x7f\u202e\u200b")
    assert get_org_unit(db, "gs1").traeger == "@SUM(A1)"


def test_a_list_with_a_nul_byte_is_refused_as_binary(tmp_path):
    (tmp_path / "liste.csv").write_bytes(b"Kennung;Name\ngs1;Schule\x00Null\n")
    with pytest.raises(TableError, match="keine Tabelle im Format CSV"):
        read_table(tmp_path / "liste.csv")


@pytest.fixture
def hostile_town(db, tmp_path):
    save_org_units(db, [OrgUnit("stadt", "stadt", "Kleinstadt"),
                        OrgUnit("bz1", "bezirk", "=HYPERLINK(\"http://x\",\"Nord\")", parent_id="stadt"),
                        OrgUnit("bz2", "bezirk", "+Süd", parent_id="stadt")])
    csv_path = _registry_csv(tmp_path / "schulen.csv")
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace(";Nord;", ';"=HYPERLINK(""http://x"",""Nord"")";')
                        .replace(";Süd;", ";+Süd;"), encoding="utf-8")
    assert import_registry(db, read_table(csv_path)).ok
    for i, unit in enumerate(list_org_units(db, "schule")):
        submission = create_draft(db, unit.id, form_for("schule", 2024), 2024)
        set_values(db, submission.id, {("zwg_gesamt", "", ""): Value(number=10 + i),
                                       ("schueler_gesamt", "", ""): Value(number=100 + i)})
        set_state(db, submission.id, State.APPROVED)
    return db


def test_the_internal_report_has_no_formula_from_user_text(hostile_town, tmp_path):
    files = make_report(hostile_town, ReportRequest(2024, 2024, INTERNAL, xlsx=tmp_path / "bericht.xlsx",
                                                    csv=tmp_path / "csv"))
    book = openpyxl.load_workbook(tmp_path / "bericht.xlsx")
    texts = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not any(ch in cell.value for ch in "\x00\x07\x1b\u202e\u200b"), cell.value
    shown = "\n".join(texts)
    for name in FORMULAS:
        assert name in texts or f"{name} *" in texts, f"{name} should appear as text in the workbook"
    assert '=HYPERLINK("http://x","Nord")' in shown

    csv_files = [p for p in files.written if p.suffix == ".csv"]
    assert csv_files
    cells = []
    for path in csv_files:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            cells += [c for row in csv.reader(fh, delimiter=";") for c in row]
    for cell in cells:
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), (cell, "an unneutralised formula")
        if cell.startswith("-"):
            assert cell[1:].replace(".", "").replace(",", "").isdigit(), (cell, "only a printed number may start -")
    for name in FORMULAS:
        assert "'" + name in cells, name
    assert "'=HYPERLINK(\"http://x\",\"Nord\")" in cells


# --- file names ---------------------------------------------------------------------------------------------------

def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().parent == folder.resolve()


@pytest.mark.parametrize("name", ["../../etc/evil.imon", "..\\..\\evil.imon", "/etc/passwd", "C:\\Windows\\x.imon",
                                  "..", ".", "", "a/../../b.imon", "\u202egnp.imon", "CON.imon", "x" * 500 + ".imon",
                                  "..imon", "sub/dir/\x00nul.imon"])
def test_names_with_separators_from_the_incoming_api_stay_in_the_quarantine_and_archive(tmp_path, name):
    archive, quarantine = tmp_path / "archiv", tmp_path / "quarantaene"
    item = Incoming(name, b"{}", "Test")
    rejected = keep_copy(quarantine, item, "kaputt")
    accepted = keep_copy(archive, item, None)
    assert _inside(rejected, quarantine) and _inside(accepted, archive)
    assert sorted(p.parent for p in tmp_path.rglob("*") if p.is_file()) == [archive, quarantine, quarantine]
    source = FileSource([], archive, quarantine)
    source.rejected(item, "kaputt")
    assert all(_inside(p, quarantine) for p in quarantine.iterdir())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("./\\:.\x00\u202e\u200b aZ*?<>|~"), max_size=30) | st.text(max_size=60))
def test_safe_name_never_leaves_the_folder(name):
    folder = Path("/quarantaene")
    cleaned = safe_name(name)
    assert cleaned and "/" not in cleaned and "\\" not in cleaned and cleaned not in (".", "..")
    assert os.path.normpath(folder / cleaned).startswith("/quarantaene/")
    assert len(cleaned.encode("utf-8")) <= 210


def test_dotted_names_in_the_inbox_are_filed_inside_the_archive_and_quarantine(db, tmp_path):
    inbox, archive, quarantine = tmp_path / "eingang", tmp_path / "archiv", tmp_path / "quarantaene"
    inbox.mkdir()
    names = ["..\\..\\boese.imon", "..boese..imon", "x..imon", "..\\..\\..\\formular.xlsx", "a\\b\\c.imon"]
    for name in names:
        (inbox / name).write_bytes(b"{kein json")
    summary = import_from(db, None, FolderInbox(inbox, archive, quarantine, settle_seconds=0))
    taken = [n for n in names if n != "..boese..imon"]  # a name starting with a dot is a hidden file: left alone
    assert len(summary.results) == len(taken) and all(r.outcome == REJECTED for r in summary.results)
    assert [p.name for p in inbox.iterdir()] == ["..boese..imon"] and not archive.exists()
    filed = list(quarantine.iterdir())
    assert len(filed) == 2 * len(taken)  # each file and its reason
    for path in filed:
        assert _inside(path, quarantine) and "\\" not in path.name and not path.name.startswith(".")
    assert {p.name for p in tmp_path.iterdir()} <= {"eingang", "quarantaene", "test.sqlite", "test.sqlite-wal",
                                                    "test.sqlite-shm"}


# --- a 2 GB sparse file -------------------------------------------------------------------------------------------

def test_a_2_gb_table_is_refused_by_its_size_without_reading_it(tmp_path, monkeypatch):
    path = make_hostile.sparse_file(tmp_path / "liste.csv")

    def never(*args, **kwargs):
        raise AssertionError("the file was opened for reading")

    monkeypatch.setattr(tables.Path, "open", never)
    with pytest.raises(TableError, match=r"liste\.csv ist zu groß \(2147 MB\).*höchstens 50 MB"):
        read_table(path)


def test_a_2_gb_file_in_the_inbox_is_moved_to_the_quarantine_unread(db, tmp_path):
    inbox, archive, quarantine = tmp_path / "eingang", tmp_path / "archiv", tmp_path / "quarantaene"
    inbox.mkdir()
    make_hostile.sparse_file(inbox / "riesig.imon")
    source = FolderInbox(inbox, archive, quarantine, settle_seconds=0)
    items = list(source.fetch())
    assert [(i.name, i.data) for i in items] == [("riesig.imon", b"")]
    assert "zu groß (2147 MB)" in items[0].problem
    result = import_one(db, None, items[0])
    assert result.outcome == REJECTED and "2147 MB" in result.reason
    source.rejected(items[0], result.reason)
    assert (quarantine / "riesig.imon").stat().st_size == 2 * 1024**3 and not list(inbox.iterdir())
    assert "2147 MB" in (quarantine / "riesig.imon.grund.txt").read_text(encoding="utf-8")
