import io
import re

import pytest
from pypdf import PdfReader

from reports import charts
from reports.errors import ReportCancelled, ReportError
from reports.report_model import COUNT, PERCENT, Cell, Chapter, Chart, Table
from reports.report_pdf import SYNTHETIC_NOTICE, write_report_pdf
from reports.report_pdf_tables import CM, column_widths
from tests.reports.report_sample import LONG_NAME, sample_report

FRAME = 21 * CM - 4 * CM


def page_texts(path) -> list[str]:
    # Cells wrap wherever their column ends; whitespace-normalised text keeps assertions independent of that.
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("bericht") / "Integrationsbericht 2024.pdf"
    calls = []
    write_report_pdf(sample_report(), path, progress=lambda done, total: calls.append((done, total)))
    return path, page_texts(path), calls


def test_title_page_has_title_subtitle_date_and_notices(sample_pdf):
    _, pages, _ = sample_pdf
    first = pages[0]
    for text in ("Integrationsbericht 2024", "Soest · 2015–2024 · intern", "Erstellt am 24.11.2025",
                 SYNTHETIC_NOTICE, "enthält noch nicht freigegebene Meldungen (markiert mit *)"):
        assert text in first


def test_every_page_has_synthetic_notice_and_page_of_pages(sample_pdf):
    _, pages, _ = sample_pdf
    for number, text in enumerate(pages, start=1):
        assert SYNTHETIC_NOTICE in text
        assert f"Seite {number} von {len(pages)}" in text
    assert "Integrationsbericht 2024" in pages[1]  # running header


def test_page_count_is_plausible(sample_pdf):
    _, pages, _ = sample_pdf
    # Title, contents, key figures, three chapters (one with two pages), methods.
    assert 7 <= len(pages) <= 12


def test_contents_lists_every_chapter_with_its_page(sample_pdf):
    path, pages, _ = sample_pdf
    # Layout mode keeps each entry on one line with its page number; plain extraction draws the numbers first.
    contents = PdfReader(path).pages[1].extract_text(extraction_mode="layout")
    assert "Inhalt" in contents
    titles = ["Wichtige Kennzahlen auf einen Blick", *(f"{n} {c.title}" for n, c in
                                                       enumerate(sample_report().chapters, start=1)), "Methoden"]
    found = []
    for title in titles:
        match = re.search(re.escape(title) + r"[ .]*?(\d+)\s*$", contents, re.MULTILINE)
        assert match, title
        found.append(int(match.group(1)))
        assert title in pages[found[-1] - 1]
    assert found == sorted(found) and found[0] == 3


def test_chapters_start_on_their_own_page(sample_pdf):
    _, pages, _ = sample_pdf
    for number, chapter in enumerate(sample_report().chapters, start=1):
        assert sum(f"{number} {chapter.title}" in text for text in pages) == 2  # contents and the chapter


def test_tables_key_figures_and_values_are_printed(sample_pdf):
    _, pages, _ = sample_pdf
    text = " ".join(pages)
    for table in sample_report().tables():
        assert table.title in text
    for value in ("48.043", "12,5", "46.121", "Stadt insgesamt", "Röllingsen", "Quelle: Melderegister",
                  "Stichtag: 01.03.2024", "Anmerkung: Die drei ZWG-Merkmale", "Veränderung zum Vorjahr", "+0,4 %"):
        assert value in text


def test_provisional_cells_carry_a_star_and_markup_characters_print_literally(sample_pdf):
    _, pages, _ = sample_pdf
    text = " ".join(pages)
    assert "84* 41* 48,8* 35* 2,41" in text
    assert "300* 78* 26,0* 41* x" in text
    assert " ".join(LONG_NAME.split()) in text  # "&" and "<Soest-Mitte>" as written


def test_fonts_are_embedded_dejavu(sample_pdf):
    path, _, _ = sample_pdf
    seen = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            seen.add(font["/BaseFont"].split("+")[-1])
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
    assert seen == {"DejaVuSans", "DejaVuSans-Bold"}


def test_document_metadata(sample_pdf):
    path, _, _ = sample_pdf
    meta = PdfReader(path).metadata
    assert meta.title == "Integrationsbericht 2024"
    assert meta.author == "Integrationsmonitor"
    assert "Soest" in meta.subject


def test_progress_reaches_total_in_order(sample_pdf):
    _, _, calls = sample_pdf
    total = calls[-1][1]
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert {t for _, t in calls} == {total}
    assert total >= len(sample_report().chapters)


@pytest.mark.parametrize("cancel_after", [0, 1, 3, 6])
def test_cancel_raises_and_leaves_the_folder_as_it_was(tmp_path, cancel_after):
    path = tmp_path / "bericht.pdf"
    path.write_bytes(b"previous report")
    asked = []

    def cancelled():
        asked.append(1)
        return len(asked) > cancel_after  # 6: cancels while pages are laid out

    with pytest.raises(ReportCancelled) as raised:
        write_report_pdf(sample_report(), path, cancelled=cancelled)
    assert str(raised.value).startswith("Die Erstellung des Berichts wurde abgebrochen")
    assert path.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["bericht.pdf"]


def test_cancel_without_earlier_file_leaves_no_file(tmp_path):
    path = tmp_path / "bericht.pdf"
    with pytest.raises(ReportCancelled):
        write_report_pdf(sample_report(), path, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_is_a_report_error(tmp_path):
    with pytest.raises(ReportError):
        write_report_pdf(sample_report(chapters=1), tmp_path / "fehlt" / "bericht.pdf")


def test_a_row_label_longer_than_a_page_is_shortened_and_the_report_written(tmp_path):
    """Such a row could not be set at all (reportlab cannot break a table row over pages); the PDF shows its start
    and "…", the workbook and the CSV keep it whole."""
    report = sample_report(chapters=1)
    report.chapters[0].tables[0].rows[0] = "Bezirk " * 3000
    path = tmp_path / "bericht.pdf"
    write_report_pdf(report, path)
    text = " ".join(page_texts(path))
    assert "Bezirk Bezirk" in text and "…" in text and text.count("Bezirk") < 200


def test_a_report_that_cannot_be_set_is_a_report_error_without_a_file(tmp_path, monkeypatch):
    from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError

    def cannot(*_args, **_kwargs):
        raise LayoutError("too large")

    monkeypatch.setattr(BaseDocTemplate, "multiBuild", cannot)
    with pytest.raises(ReportError, match="länger als eine Seite"):
        write_report_pdf(sample_report(chapters=1), tmp_path / "bericht.pdf")
    assert list(tmp_path.iterdir()) == []


def test_user_markup_is_printed_literally(tmp_path):
    report = sample_report(chapters=1)
    report.title = "Bericht <b>&amp; Co"
    report.chapters[0].title = "Träger <b>& Partner"
    report.chapters[0].intro = "Text mit <b>&</b> und <br/> bleibt Text."
    report.chapters[0].tables[0].rows[0] = "Bezirk <i>&"
    path = tmp_path / "bericht.pdf"
    write_report_pdf(report, path)
    pages = page_texts(path)
    text = " ".join(pages)
    for literal in ("Bericht <b>&amp; Co", "Text mit <b>&</b> und <br/> bleibt Text.", "Bezirk <i>&"):
        assert literal in text
    assert sum("Träger <b>& Partner" in page for page in pages) == 2  # contents and chapter


def test_without_synthetic_data_there_is_no_notice(tmp_path):
    path = tmp_path / "bericht.pdf"
    write_report_pdf(sample_report(variant="veroeffentlichbar", synthetic=False, chapters=1), path)
    pages = page_texts(path)
    assert not any("Synthetische Daten" in text for text in pages)
    assert "Soest · 2015–2024 · veröffentlichbar" in pages[0]
    assert all("Erstellt am 24.11.2025" in text for text in pages)


def test_chart_with_empty_series_is_printed(tmp_path):
    report = sample_report(chapters=1)
    report.chapters[0].charts = [Chart("zeitreihe", "Keine Werte vorhanden", "Anteil in %", {"A": [], "B": []}),
                                 Chart("balken", "Nur gesperrte Werte", "Anzahl", {"": [("Ampen", None)]})]
    path = tmp_path / "bericht.pdf"
    write_report_pdf(report, path)
    text = " ".join(page_texts(path))
    assert "Abbildung 1: Keine Werte vorhanden" in text and "Abbildung 2: Nur gesperrte Werte" in text


@pytest.mark.parametrize("series", [{}, {"": []}, {"A": [(2020, None)]}, {"Einrichtung": [], "Bezirk": []}])
@pytest.mark.parametrize("kind", ["zeitreihe", "balken", "punkte"])
def test_empty_chart_renders_a_png(kind, series):
    png = charts.render(Chart(kind, "Leer", "Anteil in %", series), 10, 5)
    assert png.startswith(b"\x89PNG")


def png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_every_chart_of_the_sample_renders_at_the_asked_size():
    drawn = [c for chapter in sample_report().chapters for c in chapter.charts]
    assert {c.kind for c in drawn} == {"zeitreihe", "balken", "punkte"}
    for chart in drawn:
        height = charts.height_cm(chart, 17)
        width_px, height_px = png_size(charts.render(chart, 17, height))
        assert width_px == pytest.approx(17 / 2.54 * charts.DPI, abs=2)
        assert height_px == pytest.approx(height / 2.54 * charts.DPI, abs=2)


def test_a_dollar_sign_in_a_label_is_not_mathtext():
    chart = Chart("balken", "Kosten", "Euro", {"": [("Verein $1 & $2", 3.5), ("Kita", 1)]})
    assert charts.render(chart, 12, 4).startswith(b"\x89PNG")


def test_axis_decimals_follow_the_values():
    assert charts.decimals_for([0, 5, 10]) == 0
    assert charts.decimals_for([0, 2.5, 5]) == 1
    assert charts.decimals_for([0.25, 0.5]) == 2
    assert charts.decimals_for([]) == 0


def wide_table(columns: int, label: str = "Bezirk") -> Table:
    return Table(code="t", title="t", definition="", source="", reference_date="", row_header="Bezirk",
                 columns=[f"Spalte mit langer Überschrift {i}" for i in range(columns)], kinds=[COUNT] * columns,
                 rows=[label, "Summe"], cells=[[Cell("1.234.567", 1234567, True)] * columns] * 2)


@pytest.mark.parametrize("columns", [1, 5, 11, 16, 30])
def test_table_columns_always_fit_the_frame(columns):
    widths, size = column_widths(wide_table(columns, LONG_NAME), FRAME)
    assert sum(widths) == pytest.approx(FRAME)
    assert 6.5 <= size <= 8.5


def test_eleven_year_columns_keep_their_numbers_unbroken():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reports.report_pdf_page import register_fonts

    register_fonts()
    table = sample_report().chapters[0].tables[1]
    widths, size = column_widths(table, FRAME)
    assert len(widths) == 12
    for width in widths[1:]:
        assert width >= stringWidth("48.043", "DejaVuSans-Bold", size)


def test_percent_table_from_scratch_prints(tmp_path):
    table = Table(code="x", title="Anteile", definition="ZWG", source="Schulen", reference_date="15.10.2024",
                  row_header="Schule", columns=["Anteil in %"], kinds=[PERCENT], rows=["A & B", "Summe"],
                  cells=[[Cell("12,5", 12.5)], [Cell("–", 0)]], total_rows={1})
    report = sample_report(chapters=1)
    report.chapters = [Chapter("c", "Kurz", "", tables=[table])]
    path = tmp_path / "bericht.pdf"
    write_report_pdf(report, path)
    assert "A & B 12,5 Summe –" in " ".join(page_texts(path))
    assert io.BytesIO(path.read_bytes()).read(5) == b"%PDF-"
