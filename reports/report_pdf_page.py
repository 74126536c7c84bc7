"""The page furniture of the report PDF: fonts, the document template with its table-of-contents hooks, and the
canvas that prints header and footer ("Seite n von m", the notice on synthetic data) on every page."""

from __future__ import annotations

from collections.abc import Callable

from common.i18n import _
from reports.errors import FontMissingError
from reports.report_model import Report
from reports.report_pdf_tables import CM, FONT, FONT_BOLD, MUTED

SYNTHETIC_NOTICE = "Synthetische Daten – nur zur Erprobung, keine echten Zahlen"
MARGIN = 2 * CM
ALERT, ALERT_BG = "#b00020", "#fdecee"


def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from reports.receipt import font_files

    if FONT_BOLD in pdfmetrics.getRegisteredFontNames():
        return
    try:
        regular, bold = font_files()
    except FontMissingError as exc:
        raise FontMissingError(_("Die Schrift „DejaVu Sans“ für den Bericht fehlt. Die Installation ist "
                                 "unvollständig: bitte das Programm neu installieren.")) from exc
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    # So that <b> inside a Paragraph picks the bold face instead of falling back to Helvetica.
    for italic in (0, 1):
        addMapping(FONT, 0, italic, FONT)
        addMapping(FONT, 1, italic, FONT_BOLD)


def document(buffer, report: Report, check: Callable[[], None]):
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from common import about

    class ReportDocument(BaseDocTemplate):
        def afterFlowable(self, flowable):  # noqa: N802 - reportlab's name
            key = getattr(flowable, "toc_key", None)
            if key is None:
                return
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=0)
            self.notify("TOCEntry", (0, flowable.toc_text, self.page, key))

        def afterPage(self):  # noqa: N802 - reportlab's name
            # Layout of a long report takes a while too: a cancel must not wait for it.
            check()

    doc = ReportDocument(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, title=report.title, author="Integrationsmonitor",
                         subject=_("Statistischer Integrationsbericht {subtitle}").format(subtitle=report.subtitle),
                         creator=f"{about.APP_NAME} {about.APP_VERSION}", lang="de-DE", initialFontName=FONT)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="text", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    return doc


def canvas_class(report: Report):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reports.pdf_canvas import numbered_canvas

    class ReportCanvas(numbered_canvas()):
        def decorate(self, number: int, total: int) -> None:
            width, height = self._pagesize
            right_edge = width - MARGIN
            self.setStrokeColor(MUTED)
            self.setFillColor(MUTED)
            self.setLineWidth(0.4)
            if number > 1:  # the title page carries the title already
                self.setFont(FONT, 7.5)
                half = (right_edge - MARGIN) / 2 - 6
                title = self.fit(report.title, FONT, 7.5, half)
                # The subtitle (town, years, variant) gets all the room the short title leaves.
                room = right_edge - MARGIN - stringWidth(title, FONT, 7.5) - 12
                self.drawString(MARGIN, height - 1.3 * CM, title)
                self.drawRightString(right_edge, height - 1.3 * CM, self.fit(report.subtitle, FONT, 7.5, room))
                self.line(MARGIN, height - 1.45 * CM, right_edge, height - 1.45 * CM)
            self.line(MARGIN, 1.55 * CM, right_edge, 1.55 * CM)
            self.setFont(FONT, 7.5)
            self.drawRightString(right_edge, 1.0 * CM, _("Seite {page} von {pages}").format(page=number, pages=total))
            if report.synthetic:
                text_w = stringWidth(SYNTHETIC_NOTICE, FONT_BOLD, 7.5)
                self.setStrokeColor(ALERT)
                self.setFillColor(ALERT_BG)
                self.setLineWidth(0.9)
                self.rect(MARGIN, 0.78 * CM, text_w + 10, 0.55 * CM, stroke=1, fill=1)
                self.setFillColor(ALERT)
                self.setFont(FONT_BOLD, 7.5)
                self.drawString(MARGIN + 5, 1.0 * CM, SYNTHETIC_NOTICE)
            else:
                self.drawString(MARGIN, 1.0 * CM, _("Erstellt am {date}").format(date=report.created))

    return ReportCanvas
