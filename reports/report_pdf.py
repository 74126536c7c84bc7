"""The statistical integration report as an A4 PDF, written from the report model only (reports.report_model).

Layout: title page, table of contents, key figures, one chapter per page run, methods. reportlab and matplotlib
are imported inside the functions: they cost start-up time the desktop app should not pay.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from common.i18n import _
from reports import charts
from reports.errors import ReportCancelled, ReportError
from reports.report_model import INTERNAL, RATIO, TEXT, VARIANT_LABELS, Cell, Chapter, Chart, Report, Table
from reports.report_pdf_page import ALERT, ALERT_BG, SYNTHETIC_NOTICE, canvas_class, document, register_fonts
from reports.report_pdf_tables import CM, FONT, column_parts, make_styles, markup, table_caption, table_flowable
from store.files import describe_write_error, write_atomically

RECEIVED_NOTICE = "Vorläufig: Dieser Bericht enthält noch nicht freigegebene Meldungen (markiert mit *)."
_WARN, _WARN_BG = "#8a5a00", "#fff4d6"

Progress = Callable[[int, int], None]
_CANCELLED = "Die Erstellung des Berichts wurde abgebrochen; es wurde keine Datei gespeichert."


def write_report_pdf(report: Report, path: Path, progress: Progress | None = None,
                     cancelled: Callable[[], bool] | None = None) -> None:
    """Writes the report; on cancel (ReportCancelled) or any error the file at `path` is left as it was."""
    path = Path(path)
    total = len(report.chapters) + 2  # chapters, methods, layout and writing
    report_progress = progress or (lambda done, total: None)
    report_progress(0, total)
    data = _render(report, report_progress, cancelled or (lambda: False), total)
    try:
        write_atomically(path, data, prefix=".bericht-")
    except OSError as exc:
        raise ReportError(describe_write_error(exc, path, _("Der Bericht"))) from exc
    report_progress(total, total)


def _render(report: Report, progress: Progress, cancelled: Callable[[], bool], total: int) -> bytes:
    from reportlab.platypus import PageBreak
    from reportlab.platypus.doctemplate import LayoutError

    register_fonts()
    buffer = io.BytesIO()
    doc = document(buffer, report, lambda: _check(cancelled))
    b = _Builder(report, doc.width, doc.height)
    story = b.title_page() + b.contents() + b.key_figures()
    for number, chapter in enumerate(report.chapters, start=1):
        _check(cancelled)
        story += [PageBreak(), *b.chapter(number, chapter)]
        progress(number, total)
    for profile in report.profiles:
        _check(cancelled)
        story += [PageBreak(), *b.profile(profile)]
    _check(cancelled)
    story += [PageBreak(), *b.methods()]
    progress(len(report.chapters) + 1, total)
    try:
        doc.multiBuild(story, canvasmaker=canvas_class(report))
    except ReportCancelled:
        # reportlab prefixes exceptions raised in its hooks with internals ("handle_frameEnd args=…").
        raise ReportCancelled(_(_CANCELLED)) from None
    except LayoutError as exc:
        raise ReportError(_("Der Bericht lässt sich nicht setzen: eine Tabellenzeile oder ein Text ist länger als "
                            "eine Seite. Bitte die betroffenen Bezeichnungen kürzen.")) from exc
    return buffer.getvalue()


def sparkline(trend, width: float, height: float):
    """The area's values over the years as a small line, drawn as vectors: a page of profiles has dozens."""
    from reportlab.graphics.shapes import Circle, Drawing, PolyLine
    from reportlab.lib.colors import HexColor

    drawing = Drawing(width, height)
    known = [(i, v) for i, (_y, v) in enumerate(trend) if v is not None]
    if len(known) < 2:
        return drawing
    low, high = min(v for _i, v in known), max(v for _i, v in known)
    span = (high - low) or 1.0
    step = width / max(len(trend) - 1, 1)
    points = [(i * step, 2 + (v - low) / span * (height - 4)) for i, v in known]
    drawing.add(PolyLine([c for p in points for c in p], strokeColor=HexColor("#0072B2"), strokeWidth=1))
    drawing.add(Circle(*points[-1], 1.6, fillColor=HexColor("#0072B2"), strokeColor=None))
    return drawing


def _check(cancelled: Callable[[], bool]) -> None:
    if cancelled():
        raise ReportCancelled(_(_CANCELLED))


def _boxed(text: str, style, colour: str, background: str):
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as RLTable

    box = RLTable([[Paragraph(markup(text), style.clone("boxed", textColor=colour))]], hAlign="LEFT")
    # FONTNAME: reportlab's Table otherwise selects Helvetica, which would be listed (unembedded) in the PDF.
    box.setStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("BOX", (0, 0), (-1, -1), 1.6, colour),
                  ("BACKGROUND", (0, 0), (-1, -1), background),
                  ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                  ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 9)])
    return box


class _Builder:
    def __init__(self, report: Report, width: float, height: float):
        self.report, self.width, self.height, self.s = report, width, height, make_styles()
        self.s["caption-free"] = self.s["caption"].clone("caption-free", keepWithNext=0)
        self.tables = self.figures = 0

    def p(self, markup_text: str, style: str = "body"):
        from reportlab.platypus import Paragraph

        return Paragraph(markup_text, self.s[style])

    def heading(self, text: str, key: str):
        flowable = self.p(markup(text), "h1")
        flowable.toc_key, flowable.toc_text = key, markup(text)
        return flowable

    def title_page(self) -> list:
        from reportlab.platypus import PageBreak, Spacer

        r = self.report
        flow = [Spacer(1, 3.5 * CM), self.p(_("Statistischer Integrationsbericht"), "kicker"),
                self.p(markup(r.title), "title"), self.p(markup(r.subtitle), "subtitle"),
                self.p(_("Erstellt am {date}").format(date=markup(r.created)), "fact"),
                self.p(_("Fassung: {variant}").format(variant=markup(VARIANT_LABELS.get(r.variant, r.variant))),
                       "fact")]
        if r.variant == INTERNAL:
            flow.append(self.p(_("Nur für den Dienstgebrauch: enthält Angaben einzelner Einrichtungen und Werte "
                                 "ohne Geheimhaltung."), "fact"))
        if r.synthetic:
            flow += [Spacer(1, 1.2 * CM), _boxed(SYNTHETIC_NOTICE, self.s["notice"], ALERT, ALERT_BG)]
        if r.include_received:
            flow += [Spacer(1, 0.6 * CM), _boxed(RECEIVED_NOTICE, self.s["fact"], _WARN, _WARN_BG)]
        return [*flow, PageBreak()]

    def contents(self) -> list:
        from reportlab.platypus import PageBreak, TableStyle
        from reportlab.platypus.tableofcontents import TableOfContents

        layout = TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
        toc = TableOfContents(dotsMinLevel=0, levelStyles=[self.s["toc"]], tableStyle=layout)
        return [self.p(_("Inhalt"), "h1"), toc, PageBreak()]

    def key_figures(self) -> list:
        r = self.report
        table = Table(code="kennzahlen", title="", definition="", source="", reference_date="",
                      row_header=_("Kennzahl"), columns=[_("Wert"), _("Jahr"), _("Veränderung zum Vorjahr"),
                                                         _("Definition")],
                      kinds=[RATIO, RATIO, RATIO, TEXT], rows=[k.title for k in r.key_figures],
                      cells=[[Cell(k.value), Cell(str(k.year)), Cell(k.change), Cell(k.definition)]
                             for k in r.key_figures])
        flow = [self.heading(_("Wichtige Kennzahlen auf einen Blick"), "kennzahlen")]
        if not r.key_figures:
            return [*flow, self.p(_("Für diesen Bericht sind keine Kennzahlen festgelegt."))]
        return [*flow, table_flowable(table, self.width, self.s)]

    def chapter(self, number: int, chapter: Chapter) -> list:
        flow = [self.heading(f"{number}  {chapter.title}", f"kapitel-{number}")]
        if chapter.intro:
            flow.append(self.p(markup(chapter.intro)))
        for chart in chapter.charts:
            flow += self.chart(chart)
        for picture in chapter.maps:
            flow += self.map(picture)
        for table in chapter.tables:
            flow += self.table(table)
        if chapter.notes:
            flow.append(self.p(_("Hinweise"), "h2"))
            flow += [self.p(markup(note), "note") for note in chapter.notes]
        return flow

    def table(self, table: Table, lead: list | None = None) -> list:
        """`lead`: a heading that must not stay behind at the foot of a page without its table."""
        self.tables += 1
        caption = _("Tabelle {n}: {title}").format(n=self.tables, title=markup(table.title))
        parts = column_parts(table, self.width)
        flow = []
        for number, part in enumerate(parts, start=1):
            title = caption if len(parts) == 1 else _("{caption} (Teil {part} von {parts})").format(
                caption=caption, part=number, parts=len(parts))
            flow += self._placed([*(lead or []), self.p(title, "caption-free")] if number == 1
                                 else [self.p(title, "caption-free")], table_flowable(part, self.width, self.s),
                                 table_caption(table, self.s) if number == len(parts) else [])
        return flow

    def _placed(self, titles: list, grid, notes: list) -> list:
        from reportlab.platypus import CondPageBreak, KeepTogether

        # A short table moves to the next page whole. A long one starts where it is, given room for its title,
        # header and a few rows, and breaks with a repeated header: keepWithNext would push it to a new page and
        # leave most of the current one empty (and it cannot hold on to a KeepTogether anyway).
        if grid.wrap(self.width, 10**6)[1] < 0.4 * self.height:
            return [KeepTogether([*titles, grid, *notes])]
        return [CondPageBreak(5 * CM), *titles, grid, *notes]

    def chart(self, chart: Chart) -> list:
        from reportlab.platypus import Image, KeepTogether

        self.figures += 1
        width_cm = self.width / CM
        # Never taller than a page with its title: many two-line labels would otherwise stop the whole report.
        height_cm = min(charts.height_cm(chart, width_cm), 0.85 * self.height / CM)
        png = charts.render(chart, width_cm, height_cm, title=False)
        image = Image(io.BytesIO(png), width=self.width, height=height_cm * CM)
        title = self.p(_("Abbildung {n}: {title}").format(n=self.figures, title=markup(chart.title)), "caption")
        note = [self.p(markup(chart.note), "small")] if chart.note else []
        return [KeepTogether([title, image, *note])]

    def profile(self, profile) -> list:
        """One page per area: where it lies, and each key figure beside the town's with the area's trend."""
        from reportlab.platypus import Image
        from reportlab.platypus import Table as RLTable

        flow = [self.heading(_("Gebietsprofil {level}: {name}").format(level=markup(profile.level),
                                                                       name=markup(profile.name)),
                             f"profil-{profile.key}")]
        rows = [[self.p(_("Kennzahl"), "small"), self.p(markup(profile.name), "small"), self.p(_("Stadt"), "small"),
                 self.p(_("Entwicklung"), "small")]]
        for row in profile.rows:
            unit = f" {row.unit}" if row.unit and row.area != "." else ""
            town_unit = f" {row.unit}" if row.unit and row.town != "." else ""
            rows.append([self.p(markup(row.label), "small"), self.p(markup(row.area + unit), "small"),
                         self.p(markup(row.town + town_unit), "small"), sparkline(row.trend, 4 * CM, 0.9 * CM)])
        grid = RLTable(rows, colWidths=[0.42 * self.width, 0.17 * self.width, 0.17 * self.width, 0.24 * self.width])
        if profile.locator is not None:
            flow.append(Image(io.BytesIO(profile.locator), width=5 * CM, height=5 * CM, hAlign="LEFT"))
        flow.append(grid)
        years = [y for y, _v in profile.rows[0].trend] if profile.rows else []
        if years:
            flow.append(self.p(_("Entwicklung {first}–{last}; „.“: keine Angabe oder gesperrt.").format(
                first=years[0], last=years[-1]), "small"))
        return flow

    def map(self, picture) -> list:
        from reportlab.platypus import Image, KeepTogether

        self.figures += 1
        width = min(self.width, self.height * 0.8 / picture.aspect)
        image = Image(io.BytesIO(picture.png), width=width, height=width * picture.aspect)
        title = self.p(_("Abbildung {n}: {title}").format(n=self.figures, title=markup(picture.title)), "caption")
        return [KeepTogether([title, image])]

    def methods(self) -> list:
        from reportlab.platypus import Table as RLTable

        flow = [self.heading(_("Methoden"), "methoden")]
        for section in self.report.methods:
            heading = self.p(markup(section.title), "h2")
            texts = [self.p(markup(text)) for text in section.paragraphs]
            if section.table:
                flow += [heading, *texts, *self.table(section.table)] if texts else self.table(section.table, [heading])
            else:
                flow += [heading, *texts]
        flow.append(self.p(_("Zeichenerklärung"), "h2"))
        symbols = [("–", _("genau null")), (".", _("unbekannt oder geheim zu halten")),
                   ("/", _("keine Angabe, da der Wert nicht sicher genug ist")),
                   ("x", _("Tabellenfach gesperrt, weil eine Aussage nicht sinnvoll ist"))]
        if self.report.include_received:
            symbols.append(("*", _("vorläufig: aus einer noch nicht freigegebenen Meldung")))
        legend = RLTable([[self.p(f"<b>{markup(sign)}</b>", "note"), self.p(text, "note")] for sign, text in symbols],
                         colWidths=[0.7 * CM, self.width - 0.7 * CM], hAlign="LEFT")
        legend.setStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                         ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                         ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
        return [*flow, legend]
