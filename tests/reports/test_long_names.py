"""An institution name that is one unbroken 5,000-character word (a paste gone wrong) must not stop the report:
the PDF is set with the word broken, and the workbook and the CSV asked for in the same call are written too."""

from dataclasses import replace

from demo.town import build_demo
from reports.report_files import ReportRequest, make_report
from reports.report_model import INTERNAL
from store.database import open_database
from store.orgunits import list_org_units, save_org_units


def test_a_5000_character_word_in_a_name_breaks_nothing(tmp_path):
    db = open_database(tmp_path / "demo.sqlite")
    build_demo(db)
    kita = list_org_units(db, "kita")[0]
    save_org_units(db, [replace(kita, name="Kita" + "x" * 5000)])
    request = ReportRequest(2024, 2022, INTERNAL, pdf=tmp_path / "bericht.pdf", xlsx=tmp_path / "bericht.xlsx",
                            csv=tmp_path / "csv")
    files = make_report(db, request)
    assert {p.name for p in files.written} >= {"bericht.pdf", "bericht.xlsx"}
    assert (tmp_path / "bericht.pdf").stat().st_size > 10_000
    assert any((tmp_path / "csv").iterdir())


def test_a_pdf_that_cannot_be_set_does_not_keep_back_the_workbook_and_csv(tmp_path, monkeypatch):
    import pytest

    from reports import report_pdf
    from reports.errors import ReportError

    db = open_database(tmp_path / "demo.sqlite")
    build_demo(db)

    def cannot(*_args, **_kwargs):
        raise ReportError("Der Bericht lässt sich nicht setzen.")

    monkeypatch.setattr(report_pdf, "write_report_pdf", cannot)
    request = ReportRequest(2024, 2023, INTERNAL, pdf=tmp_path / "bericht.pdf", xlsx=tmp_path / "bericht.xlsx",
                            csv=tmp_path / "csv")
    with pytest.raises(ReportError, match="nicht setzen.*Geschrieben wurden: .*bericht.xlsx"):
        make_report(db, request)
    assert (tmp_path / "bericht.xlsx").exists() and any((tmp_path / "csv").iterdir())


def test_right_to_left_and_empty_names_lay_out_in_every_file(tmp_path):
    db = open_database(tmp_path / "demo.sqlite")
    build_demo(db)
    first, second = list_org_units(db, "kita")[:2]
    save_org_units(db, [replace(first, name="روضة الأطفال الشمس"), replace(second, name="")])
    request = ReportRequest(2024, 2023, INTERNAL, pdf=tmp_path / "bericht.pdf", xlsx=tmp_path / "bericht.xlsx",
                            csv=tmp_path / "csv")
    files = make_report(db, request)
    assert {p.name for p in files.written} >= {"bericht.pdf", "bericht.xlsx"}
    from openpyxl import load_workbook

    texts = {str(c.value) for ws in load_workbook(tmp_path / "bericht.xlsx") for row in ws.iter_rows()
             for c in row if c.value is not None}
    assert "روضة الأطفال الشمس" in texts
