"""Making the report files in one go: PDF, workbook and CSV from the same report, each written completely or not
at all. The desktop runs this on a worker thread; the command line runs it directly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from common.i18n import _
from reports.disclosure import Rules
from reports.errors import ReportCancelled, ReportError
from reports.report_builder import build_report
from reports.report_model import INTERNAL, Report
from store.database import Database


@dataclass
class ReportRequest:
    year: int
    first_year: int | None = None
    variant: str = INTERNAL
    include_received: bool = False
    threshold: int = 3
    min_denominator: int = 20
    pdf: Path | None = None
    xlsx: Path | None = None
    csv: Path | None = None
    profiles: str | None = None  # the level whose areas each get a profile page, by name


@dataclass
class ReportFiles:
    report: Report
    written: list[Path] = field(default_factory=list)


def long_data(db: Database, request: ReportRequest) -> list[dict] | None:
    """The data sheet of the internal workbook: every indicator value, exact. The publishable workbook takes its data
    sheet from the protected tables instead (None), so nothing hidden in a table reappears there."""
    if request.variant != INTERNAL:
        return None
    from reports.indicator_values import all_indicator_values
    from store.counted_values import counted_values, registry
    from store.orgunits import bezirke as list_bezirke

    bezirke = list_bezirke(db)
    values = all_indicator_values(counted_values(db, request.include_received), bezirke, registry=registry(db))
    first = request.first_year if request.first_year is not None else request.year - 9
    values = values[values["year"].between(first, request.year)]
    columns = ["indicator", "level", "key", "label", "year", "breakdown", "numerator", "denominator", "value",
               "approved", "compare_value", "ratio"]
    headers = [_("Indikator"), _("Ebene"), _("Kennung"), _("Name"), _("Jahr"), _("Aufgliederung"), _("Zähler"),
               _("Nenner"), _("Wert"), _("freigegeben"), _("Vergleichswert Bezirk"), _("Verhältnis")]
    records = []
    for row in values[columns].itertuples(index=False):
        records.append({h: (None if v != v else v.item() if hasattr(v, "item") else v)
                        for h, v in zip(headers, row, strict=True)})
    return records


def make_report(db: Database, request: ReportRequest, progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> ReportFiles:
    rules = Rules(request.threshold, request.min_denominator)
    steps = 1 + sum(p is not None for p in (request.pdf, request.xlsx, request.csv))

    def part(step: int) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, total: progress(step * 100 + (done * 100 // max(total, 1)), steps * 100)

    def check() -> None:
        if cancelled is not None and cancelled():
            raise ReportCancelled(_("Der Bericht wurde abgebrochen; es wurde nichts gespeichert."))

    report = build_report(db, request.year, request.first_year, request.variant, request.include_received, rules,
                          part(0), cancelled, profiles_level=request.profiles)
    files = ReportFiles(report)
    step = 1
    failed: ReportError | None = None
    if request.pdf is not None:
        from reports.report_pdf import write_report_pdf

        check()
        try:
            write_report_pdf(report, request.pdf, part(step), cancelled)
            files.written.append(request.pdf)
        except ReportCancelled:
            raise
        except ReportError as exc:
            failed = exc  # the workbook and the CSV asked for in the same call are still written
        step += 1
    if request.xlsx is not None:
        from reports.report_xlsx import write_report_xlsx

        check()
        write_report_xlsx(report, request.xlsx, long_data(db, request))
        files.written.append(request.xlsx)
        step += 1
    if request.csv is not None:
        from reports.report_csv import write_report_csv

        check()
        files.written += write_report_csv(report, request.csv)
    if failed is not None:
        raise ReportError(failed.message + (" " + _("Geschrieben wurden: {files}.").format(
            files=", ".join(str(p) for p in files.written)) if files.written else ""))
    if progress is not None:
        progress(steps * 100, steps * 100)
    return files
