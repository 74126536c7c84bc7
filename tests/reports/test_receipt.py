import errno
import importlib.util
import os
import time

import pytest
from pypdf import PdfReader

from common.about import APP_NAME, APP_VERSION
from forms.catalog import form_for
from forms.model import ValueState
from forms.values import Value
from reports.errors import FontMissingError, ReceiptError
from reports.receipt import font_files, write_receipt
from store.orgunits import OrgUnit
from store.submissions import State, Submission

HASH = "sha256:3f9a1c0b7e2d4a6f8b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f1a2b3c4d5e6f70"
SCHOOL_NAME = "Städtische Gemeinschaftsgrundschule „Am Großen Teich“"


@pytest.fixture
def berlin_time():
    # A POSIX rule instead of "Europe/Berlin", so the test does not depend on tzdata being installed.
    old = os.environ.get("TZ")
    os.environ["TZ"] = "CET-1CEST,M3.5.0,M10.5.0/3"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def school(schulform="Grundschule", name=SCHOOL_NAME):
    return OrgUnit(id="193456", kind="schule", name=name, official_number="193456", traeger="Stadt Soest",
                   street="Jakobistraße 12", postcode="59494", city="Soest", attributes={"schulform": schulform})


def submission(unit, form, year=2024, revision=2):
    return Submission(id=7, org_unit_id=unit.id, form_id=form.id, form_version=form.version, year=year,
                      revision=revision, state=State.EXPORTED, source="app",
                      created_at="2024-10-20T08:00:00.000+00:00", updated_at="2024-11-02T09:00:00.000+00:00",
                      finalised_at="2024-11-02T09:00:00.000+00:00", exported_at="2024-11-02T09:05:00.000+00:00",
                      content_hash=HASH, created_by="Sekretariat")


def school_values():
    return {
        ("schueler_gesamt", "", ""): Value(number=1234),
        ("zwg_gesamt", "", ""): Value(number=412, comment="Zwei Kinder kamen erst im November."),
        ("zwg_selbst_zugewandert", "", ""): Value(state=ValueState.UNKNOWN),
        ("aussiedler", "", ""): Value(state=ValueState.NOT_APPLICABLE),
        ("personal_mh", "", ""): Value(number=0),
        ("auslaender", "", ""): Value(number=198, estimate=True),
        ("schueler_klasse_primar", "k3", "auslaender"): Value(number=11),
        ("sprachfoerderung_angebote", "", ""): Value(text="Lesepaten <jeden Dienstag> & Hausaufgabenhilfe"),
    }


def write(path, unit, form, values, **kwargs):
    kwargs.setdefault("content_hash", HASH)
    return write_receipt(path, institution=unit, form=form, submission=kwargs.pop("sub", None)
                         or submission(unit, form), values=values, **kwargs)


def text_of(path):
    # Table cells wrap wherever the column ends; whitespace-normalised text makes assertions independent of that.
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


@pytest.fixture
def school_receipt(tmp_path, berlin_time):
    form = form_for("schule", 2024)
    path = write(tmp_path / "beleg.pdf", school(), form, school_values(),
                 exported_file_name="Meldung_193456_schule_2024_Fassung2.imon")
    return path, text_of(path)


def test_header_says_who_reported_what_and_when(school_receipt):
    path, text = school_receipt
    assert path.read_bytes().startswith(b"%PDF")
    for expected in ("Beleg über die Meldung zum Integrationsmonitoring", SCHOOL_NAME, "Schulnummer", "193456",
                     "Jakobistraße 12, 59494 Soest", "Stadt Soest", "Schuljahr 2024/25", "Fassung 2",
                     "exportiert", "Woche mit dem 15. Oktober", "Meldung_193456_schule_2024_Fassung2.imon"):
        assert expected in text
    # 09:05 UTC on 2 November is 10:05 in Germany (winter time).
    assert "02.11.2024 10:05" in text


def test_full_content_hash_and_its_short_form_are_printed(school_receipt):
    _, text = school_receipt
    assert HASH in text
    assert "3f9a 1c0b 7e2d 4a6f" in text


def test_values_are_printed_the_german_way(school_receipt):
    _, text = school_receipt
    assert "1.234" in text
    assert "unbekannt" in text
    assert "nicht zutreffend" in text
    assert "Zwei Kinder kamen erst im November." in text
    assert "Kommentar zu Schüler/innen mit Zuwanderungsgeschichte" in text
    assert "Lesepaten <jeden Dienstag> & Hausaufgabenhilfe" in text


def test_estimates_are_marked_and_explained(school_receipt):
    _, text = school_receipt
    assert "198(g)" in text.replace(" ", "")
    assert "(g) = geschätzt" in text


def test_without_estimates_there_is_no_estimate_footnote(tmp_path):
    form = form_for("schule", 2024)
    path = write(tmp_path / "b.pdf", school(), form, {("schueler_gesamt", "", ""): Value(number=5)})
    assert "geschätzt" not in text_of(path)


def test_grid_shows_row_and_column_labels(school_receipt):
    _, text = school_receipt
    assert "Schüler/innen nach Klasse 1–4" in text
    assert "Klasse 3" in text
    assert "Ausländer/innen" in text


def test_grundschule_receipt_leaves_out_sections_of_other_school_types(school_receipt):
    _, text = school_receipt
    assert "Jahrgang 13" not in text
    assert "weiterführende Schule" not in text
    assert "Abgänger/innen nach Abschluss" not in text
    assert "Übergang nach Klasse 4" in text


def test_values_in_a_section_hidden_for_the_school_are_still_shown_as_sent(tmp_path):
    form = form_for("schule", 2024)
    values = {("schueler_jahrgang_sek", "j13", "zwg"): Value(number=17)}
    text = text_of(write(tmp_path / "b.pdf", school("Grundschule"), form, values))
    assert "Jahrgang 13 / Q2" in text
    assert "gilt nicht für diese Einrichtung" in text


def test_gymnasium_receipt_has_grades_5_to_13_but_no_primary_grades(tmp_path):
    form = form_for("schule", 2024)
    path = write(tmp_path / "b.pdf", school("Gymnasium", "Goethe-Gymnasium"), form,
                 {("schueler_jahrgang_sek", "j13", "zwg"): Value(number=17)})
    text = text_of(path)
    assert "Jahrgang 13 / Q2" in text
    assert "Klasse 4" not in text
    assert "Schulformempfehlung" not in text


def test_kita_receipt_shows_the_year_and_leaves_empty_cells_blank(tmp_path):
    form = form_for("kita", 2024)
    unit = OrgUnit(id="kita-12", kind="kita", name="Kita Sonnenblume", traeger="AWO")
    values = {("kinder", "u3", "insgesamt"): Value(number=0), ("kinder", "ue3", "insgesamt"): Value(number=1050)}
    text = text_of(write(tmp_path / "kita.pdf", unit, form, values))
    assert "Kennung" in text and "kita-12" in text
    assert "Schuljahr" not in text
    assert "2024" in text
    assert "1. März des Jahres" in text
    assert "unter 3 Jahren (U3)" in text
    assert "ohne deutsche Staatsangehörigkeit" in text
    assert "1.050" in text
    # "–" means exactly zero in official statistics: a blank cell must not print it, a zero prints "0".
    assert "–" not in text
    assert "unter 3 Jahren (U3) 0" in text


def test_choice_fields_show_the_label_not_the_code(tmp_path):
    form = form_for("verein", 2024)
    unit = OrgUnit(id="verein-7", kind="verein", name="TuS Musterstadt 1911")
    values = {("vereinsart", "", ""): Value(text="sport"), ("geschaetzt", "", ""): Value(text="geschaetzt")}
    text = text_of(write(tmp_path / "verein.pdf", unit, form, values))
    assert "Sportverein" in text
    assert "geschätzt" in text
    assert "geschaetzt" not in text


def test_long_column_headers_are_not_broken_inside_a_word(tmp_path):
    form = form_for("jugendtreff", 2024)
    unit = OrgUnit(id="jt-3", kind="jugendtreff", name="Jugendtreff Südstadt")
    values = {("besuche_monat", f"m{m:02d}", "insgesamt"): Value(number=1000 + m) for m in range(1, 13)}
    text = text_of(write(tmp_path / "jt.pdf", unit, form, values))
    assert "Migrationshintergrund" in text
    assert "Dezember" in text and "1.012" in text


def test_every_page_has_a_footer_with_page_count_and_app(tmp_path):
    form = form_for("schule", 2024)
    unit = school("PRIMUS-Schule")
    path = write(tmp_path / "b.pdf", unit, form, school_values())
    pages = [page.extract_text() for page in PdfReader(path).pages]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in page
        assert f"{APP_NAME} {APP_VERSION}" in page
        assert "Erstellt am" in page


def test_only_embedded_dejavu_fonts_are_used(school_receipt):
    path, _ = school_receipt
    fonts = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        assert "DejaVuSans" in name
        descriptor = font["/FontDescriptor"].get_object() if "/FontDescriptor" in font else \
            font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
    assert any("Bold" in name for name in fonts)


def test_markup_in_user_text_is_printed_literally(tmp_path):
    form = form_for("schule", 2024)
    unit = school(name="Schule <b>& Co")
    values = {("zwg_gesamt", "", ""): Value(number=3, comment="a < b & <i>c</i>")}
    text = text_of(write(tmp_path / "b.pdf", unit, form, values))
    assert "Schule <b>& Co" in text
    assert "a < b & <i>c</i>" in text


def test_a_folder_that_is_a_file_gives_a_german_error_and_no_file(tmp_path):
    blocker = tmp_path / "kein_ordner"
    blocker.write_text("x")
    form = form_for("schule", 2024)
    with pytest.raises(ReceiptError, match="Ordner .* gibt es nicht") as caught:
        write(blocker / "beleg.pdf", school(), form, school_values())
    assert "Bitte einen anderen Ordner" in str(caught.value)
    assert [p.name for p in tmp_path.iterdir()] == ["kein_ordner"]


def test_a_target_that_is_a_folder_leaves_no_temporary_file(tmp_path):
    (tmp_path / "beleg.pdf").mkdir()
    form = form_for("schule", 2024)
    with pytest.raises(ReceiptError, match="ist ein Ordner"):
        write(tmp_path / "beleg.pdf", school(), form, school_values())
    assert [p.name for p in tmp_path.iterdir()] == ["beleg.pdf"]


def test_a_full_disk_keeps_the_previous_receipt(tmp_path, monkeypatch):
    form = form_for("schule", 2024)
    path = write(tmp_path / "beleg.pdf", school(), form, school_values())
    before = path.read_bytes()

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ReceiptError, match="Datenträger ist voll"):
        write(path, school(), form, {("schueler_gesamt", "", ""): Value(number=1)})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["beleg.pdf"]


def test_missing_fonts_give_a_german_error(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    with pytest.raises(FontMissingError, match="DejaVu Sans.*neu installieren"):
        font_files()


def test_a_submission_of_another_institution_is_refused(tmp_path):
    form = form_for("schule", 2024)
    other = OrgUnit(id="other", kind="schule", name="Andere Schule")
    with pytest.raises(ValueError):
        write(tmp_path / "b.pdf", school(), form, {}, sub=submission(other, form))
    assert not (tmp_path / "b.pdf").exists()
