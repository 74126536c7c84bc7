"""The one file-name cleaner, attacked directly and through every builder that composes a name from outside text
(an institution's name or id, a table code)."""

import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.file_names import file_name_for, numbered, safe_name
from forms.catalog import form_for
from reports.report_csv import csv_file_name
from store.orgunits import OrgUnit
from sync.excel_form import file_name as excel_file_name
from sync.receipt_file import Receipt, receipt_name
from sync.submission_file import suggested_name

FOLDER = Path("/ziel")


def assert_bare(name: str) -> None:
    """One plain name that stays inside the folder it is created in, on every system."""
    assert name and name not in (".", "..") and os.path.basename(name) == name
    assert "/" not in name and "\\" not in name and not name.startswith(".") and name[-1] not in " ."
    assert os.path.normpath(FOLDER / name).startswith(f"{FOLDER}{os.sep}")
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in name)
    assert len(name) <= 120 and len(name.encode()) <= 200
    assert safe_name(name) == name  # nothing left for the cleaner to do: no device name, no forbidden character


@pytest.mark.parametrize(("raw", "expected"), [
    ("Meldung_schule-1_2024.imon", "Meldung_schule-1_2024.imon"),
    ("../../etc/passwd", "passwd"),
    ("..\\..\\boot.ini", "boot.ini"),
    ("C:\\Windows\\system.ini", "system.ini"),
    ("/etc/passwd", "passwd"),
    ("\\\\server\\share\\x.imon", "x.imon"),
    ("\u202eexe.imon", "exe.imon"),
    ("Rechnung\u202excod.exe", "Rechnungxcod.exe"),
    ("Mel\u200bdung\u2066.imon", "Meldung.imon"),
    ("a\x00b\nc.imon", "abc.imon"),
    ("a\x1b[31mb.imon", "a[31mb.imon"),
    ("a..b.imon", "a..b.imon"),
    (".versteckt.imon", "versteckt.imon"),
    ("Schüler?.imon", "Schüler_.imon"),
    ('a<b>c:d"e|f*g.imon', "a_b_c_d_e_f_g.imon"),
    ("CON.imon", "_CON.imon"),
    ("CON.xlsx", "_CON.xlsx"),
    ("con.xlsx", "_con.xlsx"),
    ("nul", "_nul"),
    ("LPT9.tar.gz", "_LPT9.tar.gz"),
    ("COM10.imon", "COM10.imon"),
    ("name. . .", "name"),
    ("name.imon. ", "name.imon"),
    ("  name.imon", "name.imon"),
    ("\udcff.imon", "_.imon"),  # os.fsdecode() of a name that is not UTF-8
    ("a\ud800b.imon", "a_b.imon"),
    ("Scho\u0308ler.imon", "Schöler.imon"),  # NFC: macOS hands out decomposed umlauts
    ("", "Datei"),
    ("..", "Datei"),
    ("/", "Datei"),
    ("...", "Datei"),
    ("\u202e", "Datei"),
])
def test_safe_name(raw, expected):
    assert safe_name(raw) == expected
    assert_bare(safe_name(raw))


def test_long_names_are_cut_in_characters_and_bytes_but_keep_the_suffix():
    assert len(safe_name("x" * 500 + ".imon")) == 120 and safe_name("x" * 500 + ".imon").endswith("x.imon")
    cut = safe_name("Ü" * 300 + ".imon")
    assert cut.endswith(".imon") and len(cut.encode()) <= 200
    assert_bare(safe_name("x" * 299 + "."))
    assert_bare(safe_name("a" * 117 + " . .imon"))  # the cut must not leave a trailing space or dot before it


def test_numbered_counts_before_the_suffix():
    assert [numbered("x.imon", n) for n in (1, 2, 3)] == ["x.imon", "x (2).imon", "x (3).imon"]


TRICKY = st.sampled_from(["/", "\\", ".", "..", " ", "~", "\u202e", "\u200b", "\udcff", "\x00", ":", "CON", ".imon"])


@given(st.lists(st.one_of(st.characters(), TRICKY)).map("".join))
def test_safe_name_is_always_one_plain_name(raw):
    assert_bare(safe_name(raw))


@given(st.lists(st.one_of(st.characters(), TRICKY)).map("".join))
def test_a_title_always_gives_one_plain_name_with_its_suffix(title):
    name = file_name_for(title, ".xlsx")
    assert_bare(name)
    assert name.endswith(".xlsx")


def test_a_slash_in_a_title_is_text_not_a_folder():
    assert file_name_for("Kita Sonne/Mond – Kita 2024", ".xlsx") == "Kita Sonne-Mond – Kita 2024.xlsx"
    assert file_name_for("Zeile\neins\tzwei", ".txt") == "Zeile eins zwei.txt"


# --- every builder of a name from outside text ----------------------------------------------------------------------

HOSTILE = ["../../evil", "..\\..\\evil", "/etc/passwd", "C:\\Windows\\evil", "CON", "nul", "evil. . ",
           "Kita \u202exslx.exe", "a\x00b\x1fc", "\udcff", "Ü" * 300, "x" * 300, ""]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_excel_form_name_from_any_institution_name_or_id(hostile):
    form = form_for("kita", 2024)
    assert_bare(excel_file_name(OrgUnit(id="kita-1", kind="kita", name=hostile), form, 2024))
    assert_bare(excel_file_name(OrgUnit(id=hostile, kind="kita", name="Kita"), form, 2024))
    assert excel_file_name(OrgUnit(id="kita-1", kind="kita", name=hostile), form, 2024).endswith(".xlsx")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_submission_and_receipt_names_from_any_institution_id(hostile):
    assert_bare(suggested_name(hostile, "kita", 2024, 1))
    # An id as long as a real one (a Schulnummer, "kita-sonnenschein") keeps form, year and revision in the name.
    tail = "_kita_2024_Fassung1.imon" if len(hostile) < 60 else ".imon"
    assert suggested_name(hostile, "kita", 2024, 1).endswith(tail)
    receipt = Receipt(hostile, "kita", 2024, 1, "sha256:0", "importiert", "", (), "")
    assert_bare(receipt_name(receipt))


@pytest.mark.parametrize("hostile", HOSTILE)
def test_csv_names_from_any_table_code(hostile):
    taken: set[str] = set()
    names = [csv_file_name(hostile, hostile, taken), csv_file_name(hostile, "", taken),
             csv_file_name("", hostile, taken)]
    for name in names:
        assert_bare(name)
        assert name.isascii() and name.endswith(".csv")
    assert len({n.casefold() for n in names}) == 3


def test_everyday_names_stay_as_they_were():
    form = form_for("kita", 2024)
    unit = OrgUnit(id="kita-07", kind="kita", name="Kita Sonnenschein")
    assert excel_file_name(unit, form, 2024) == f"Kita Sonnenschein (kita-07) – {form.title} 2024.xlsx"
    assert suggested_name("verein-7", "verein", 2024, 1) == "Meldung_verein-7_verein_2024_Fassung1.imon"
    assert csv_file_name("Übergänge", "T 1/2", set()) == "Uebergaenge_T_1_2.csv"
