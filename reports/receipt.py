"""The holder's receipt ("Beleg"): a PDF of one submission, with the content hash that proves what was sent."""

from __future__ import annotations

import importlib.util
import io
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from common import about
from common.about import APP_NAME
from common.i18n import _
from common.numbers import format_number
from forms.model import MAX_COUNT, Field, FieldType, Form
from forms.validation import cell_label
from forms.values import Address, Value
from reports.errors import FontMissingError, ReceiptError
from store.files import describe_write_error, write_atomically
from store.orgunits import OrgUnit
from store.submissions import STATE_LABELS, Submission

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
_MM = 72 / 25.4
_MARGIN = 20 * _MM
_GRID, _HEAD_BG = "#9a9a9a", "#e9e9e9"


def font_files() -> tuple[Path, Path]:
    # matplotlib ships DejaVu; locating it via its spec avoids the cost of importing matplotlib itself.
    spec = importlib.util.find_spec("matplotlib")
    folders = [Path(p) / "mpl-data" / "fonts" / "ttf" for p in (spec.submodule_search_locations or [])] if spec else []
    for folder in folders:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    where = ", ".join(str(f) for f in folders) or _("(matplotlib ist nicht installiert)")
    raise FontMissingError(_("Die Schrift „DejaVu Sans“ für den Beleg fehlt ({where}). Die Installation ist "
                            "unvollständig: bitte das Programm neu installieren.").format(where=where))


def _register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_BOLD in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = font_files()
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    # So that <b> inside a Paragraph picks the bold face instead of falling back to Helvetica.
    for italic in (0, 1):
        addMapping(FONT, 0, italic, FONT)
        addMapping(FONT, 1, italic, FONT_BOLD)


def year_label(form: Form, year: int) -> str:
    if form.kind == "schule":
        return _("Schuljahr {year}/{next:02d}").format(year=year, next=(year + 1) % 100)
    return str(year)


def german_time(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def _shown(field: Field, value: Value | None) -> str:
    """Paragraph markup of one value. Empty stays blank: in official statistics "–" would mean zero."""
    if value is None:
        return ""
    text = value.display()
    if field.type is FieldType.CHOICE and value.text:
        text = next((c.label for c in field.choices if c.code == value.text), value.text)
    return _markup(text) + ("<super>(g)</super>" if value.estimate else "")


class _Builder:
    def __init__(self, form: Form, values: dict[Address, Value], width: float):
        from reportlab.lib.styles import ParagraphStyle

        self.form, self.values, self.width = form, values, width
        self.any_estimate = False
        base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5)
        self.s = {
            "base": base,
            "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=4),
            "name": ParagraphStyle("name", base, fontName=FONT_BOLD, fontSize=12, leading=15, spaceAfter=6),
            "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=12,
                                 spaceAfter=4, keepWithNext=1),
            "caption": ParagraphStyle("caption", base, fontName=FONT_BOLD, spaceBefore=6, spaceAfter=3,
                                      keepWithNext=1),
            "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
            "head": ParagraphStyle("head", base, fontName=FONT_BOLD, fontSize=8, leading=9.5, alignment=1),
            "number": ParagraphStyle("number", base, fontSize=8.5, leading=10.5, alignment=2),
            "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5, spaceBefore=2),
            "note": ParagraphStyle("note", base, fontSize=7.5, leading=9.5, spaceAfter=2, keepWithNext=1),
            "legend": ParagraphStyle("legend", base, fontSize=7.5, leading=9.5, spaceBefore=10, keepWithNext=1),
            "tiny": ParagraphStyle("tiny", base, fontSize=6.5, leading=8),
        }

    def p(self, markup: str, style: str = "base"):
        from reportlab.platypus import Paragraph

        return Paragraph(markup, self.s[style])

    def table(self, rows: list, widths: list[float], header: bool = False, spans: tuple = ()):
        from reportlab.platypus import Table, TableStyle

        # FONTNAME too: reportlab draws even empty plain-string cells, in Helvetica unless told otherwise.
        every = ((0, 0), (-1, -1))
        style = [("FONTNAME", *every, FONT), ("GRID", *every, 0.25, _GRID), ("VALIGN", *every, "TOP"),
                 ("TOPPADDING", *every, 2), ("BOTTOMPADDING", *every, 3), ("LEFTPADDING", *every, 4),
                 ("RIGHTPADDING", *every, 4), *spans]
        if header:
            style += [("BACKGROUND", (0, 0), (-1, 0), _HEAD_BG), ("VALIGN", (0, 0), (-1, 0), "BOTTOM")]
        return Table(rows, colWidths=widths, style=TableStyle(style), repeatRows=1 if header else 0, hAlign="LEFT")

    def value(self, field: Field, address: Address, style: str):
        value = self.values.get(address)
        self.any_estimate |= bool(value and value.estimate)
        return self.p(_shown(field, value), style)

    def comments(self, field: Field) -> list:
        order = {cell: i for i, cell in enumerate(field.cells())}
        found = [(a, v.comment) for a, v in self.values.items()
                 if a[0] == field.code and (a[1], a[2]) in order and v.comment]
        found.sort(key=lambda item: order[item[0][1], item[0][2]])
        return [self.p(_("Kommentar zu {cell}: {text}").format(
            cell=f"<b>{_markup(cell_label(self.form, code, row, col))}</b>", text=_markup(text)), "small")
            for (code, row, col), text in found]

    def singles(self, fields: list[Field]) -> list:
        rows, spans, value_w = [], [], 150
        for f in fields:
            if f.type is FieldType.TEXT:
                # Free text needs the full width; a label row above it keeps the reading order.
                rows.append([self.p(_markup(f.label), "cell"), ""])
                rows.append([self.value(f, (f.code, "", ""), "cell"), ""])
                first, last = len(rows) - 2, len(rows) - 1
                spans += [("SPAN", (0, first), (1, first)), ("SPAN", (0, last), (1, last)),
                          ("BACKGROUND", (0, first), (1, first), "#f4f4f4")]
            else:
                style = "number" if f.type is FieldType.COUNT else "cell"
                rows.append([self.p(_markup(f.label), "cell"), self.value(f, (f.code, "", ""), style)])
        flow = [self.table(rows, [self.width - value_w, value_w], spans=tuple(spans))]
        return flow + [c for f in fields for c in self.comments(f)]

    def grid(self, f: Field, section_title: str) -> list:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        n = len(f.columns)
        # Columns as wide as their longest header word (no word is broken) and a seven-digit count with its
        # estimate marker; when the page is too narrow for that, the font shrinks instead of the text overflowing.
        word = max(stringWidth(w, FONT_BOLD, 8) for c in f.columns for w in c.label.split())
        count = stringWidth(format_number(MAX_COUNT) + "(g)", FONT, 8.5)
        value_w = min(self.width * 0.75 / n, max(60.0, word + 8, count + 8))
        head, number = f"head-{f.code}", f"number-{f.code}"
        self.s[head] = self.s["head"].clone(head, fontSize=min(8.0, 8 * (value_w - 8) / word))
        self.s[number] = self.s["number"].clone(number, fontSize=min(8.5, 8.5 * (value_w - 8) / count))
        rows = [[self.p("", "cell"), *(self.p(_markup(c.label), head) for c in f.columns)]]
        rows += [[self.p(_markup(r.label), "cell"), *(self.value(f, (f.code, r.code, c.code), number)
                                                      for c in f.columns)] for r in f.rows]
        table = self.table(rows, [self.width - n * value_w] + [value_w] * n, header=True)
        # The caption's keepWithNext moves heading, caption and grid to the next page together; a grid longer
        # than a page breaks and repeats its header row. An explicit KeepTogether here would defeat keepWithNext.
        caption = [] if f.label == section_title else [self.p(_markup(f.label), "caption")]
        return [*caption, table, *self.comments(f)]

    def section(self, title: str, fields: list[Field], note: str = "") -> list:
        flow = [self.p(_markup(title), "h2")] + ([self.p(note, "note")] if note else [])
        pending: list[Field] = []
        for f in [*fields, None]:
            if f is not None and f.type is not FieldType.GRID:
                pending.append(f)
                continue
            if pending:
                flow += self.singles(pending)
                pending = []
            if f is not None:
                flow += self.grid(f, title)
        return flow


def _hash_cell(b: _Builder, content_hash: str) -> list:
    if not content_hash:
        return [b.p(_("keine (die Meldung wurde noch nicht exportiert)"), "cell")]
    digest = content_hash.split(":", 1)[-1]
    # Four groups of four are easy to read out on the phone; the full hash below is what proves the content.
    short = " ".join(digest[i:i + 4] for i in range(0, 16, 4))
    return [b.p(f"<b>{escape(short)} …</b>", "cell"), b.p(escape(content_hash), "tiny")]


def _header(b: _Builder, unit: OrgUnit, form: Form, sub: Submission, content_hash: str, file_name: str) -> list:
    school = unit.kind == "schule" and unit.official_number
    facts = [(_("Schulnummer") if school else _("Kennung"), unit.official_number or unit.id)]
    if unit.official_number and unit.official_number != unit.id:
        facts.append((_("Kennung im Programm"), unit.id))
    town = " ".join(x for x in (unit.postcode, unit.city) if x)
    facts += [(_("Anschrift"), ", ".join(x for x in (unit.street, town) if x)), (_("Träger"), unit.traeger),
              (_("Schulform"), unit.attributes.get("schulform", "")),
              (_("Formular"), _("{title}, Version {version}").format(title=form.title, version=form.version)),
              (_("Berichtsjahr"), year_label(form, sub.year)), (_("Stichtag"), form.reference_date),
              (_("Meldung"), _("Fassung {revision}, Stand: {state}").format(
                  revision=sub.revision, state=_(STATE_LABELS[sub.state]))),
              (_("Abgeschlossen am"), german_time(sub.finalised_at)),
              (_("Exportiert am"), german_time(sub.exported_at)), (_("Datei"), file_name)]
    rows = [[b.p(escape(k), "cell"), b.p(_markup(v), "cell")] for k, v in facts if v]
    rows.append([b.p(_("Prüfsumme"), "cell"), _hash_cell(b, content_hash)])
    label_w = 34 * _MM
    return [b.p(_("Beleg über die Meldung zum Integrationsmonitoring"), "title"),
            b.p(_markup(unit.name), "name"), b.table(rows, [label_w, b.width - label_w]),
            b.p(_("Dieser Beleg ist für Ihre Unterlagen. Die Prüfsumme wird aus den gemeldeten Angaben berechnet: "
                  "Stimmt sie mit der Prüfsumme der eingegangenen Meldung überein, sind die Angaben unverändert "
                  "angekommen."), "small")]


def _values(b: _Builder, unit: OrgUnit, form: Form, values: dict[Address, Value]) -> list:
    flow = []
    for section in form.sections:
        if section.applies_to(unit.attributes):
            flow += b.section(section.title, list(section.fields))
            continue
        codes = {f.code for f in section.fields}
        # The hash covers every stored value, so what was sent must be visible even where the form hides it.
        if any(a[0] in codes and not v.is_blank for a, v in values.items()):
            flow += b.section(section.title, list(section.fields), _(
                "Dieser Abschnitt gilt nicht für diese Einrichtung; die Angaben sind trotzdem in der Meldung "
                "enthalten."))
    legend = [_("Leere Felder: keine Angabe. 0 bedeutet: genau null.")]
    if b.any_estimate:
        legend.append(_("(g) = geschätzt"))
    return flow + [b.p(escape(_("Zeichenerklärung:")), "legend")] + [b.p(escape(line), "small") for line in legend]


def _canvas_class(left_lines: list[str]):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reports.pdf_canvas import numbered_canvas

    class FooterCanvas(numbered_canvas()):
        def decorate(self, number: int, total: int) -> None:
            width = self._pagesize[0]
            right = _("Seite {page} von {pages}").format(page=number, pages=total)
            room = width - 2 * _MARGIN - stringWidth(right, FONT, 7.5) - 12
            self.setFont(FONT, 7.5)
            self.setStrokeColor(_GRID)
            self.setLineWidth(0.25)
            self.line(_MARGIN, 16 * _MM, width - _MARGIN, 16 * _MM)
            for i, line in enumerate(left_lines):
                self.drawString(_MARGIN, (12.5 - 3.5 * i) * _MM, self.fit(line, FONT, 7.5, room))
            self.drawRightString(width - _MARGIN, 12.5 * _MM, right)

    return FooterCanvas


def render_receipt(*, institution: OrgUnit, form: Form, submission: Submission, values: dict[Address, Value],
                   content_hash: str, exported_file_name: str = "") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    _register_fonts()
    buffer = io.BytesIO()
    title = _("Beleg über die Meldung zum Integrationsmonitoring")
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=18 * _MM,
                            bottomMargin=24 * _MM, initialFontName=FONT, title=title, author=institution.name,
                            creator=f"{APP_NAME} {about.APP_VERSION}")
    b = _Builder(form, values, doc.width)
    flow = _header(b, institution, form, submission, content_hash or submission.content_hash or "", exported_file_name)
    flow += _values(b, institution, form, values)
    footer = [_("Beleg: {name}, {form}, {year}, Fassung {revision}").format(
                  name=institution.name, form=form.title, year=year_label(form, submission.year),
                  revision=submission.revision),
              _("Erstellt am {when} mit {app} {version}").format(
                  when=datetime.now().astimezone().strftime("%d.%m.%Y %H:%M"), app=APP_NAME, version=about.APP_VERSION)]
    doc.build(flow, canvasmaker=_canvas_class(footer))
    return buffer.getvalue()


def write_receipt(path: str | Path, *, institution: OrgUnit, form: Form, submission: Submission,
                  values: dict[Address, Value], content_hash: str, exported_file_name: str = "") -> Path:
    """Writes the receipt as an A4 PDF, atomically: either the whole file is there or nothing changed."""
    if (submission.org_unit_id, submission.form_id, submission.form_version) != (institution.id, form.id,
                                                                                  form.version):
        raise ValueError(f"submission {submission.id} does not belong to {institution.id} / {form.key}")
    path = Path(path)
    data = render_receipt(institution=institution, form=form, submission=submission, values=values,
                          content_hash=content_hash, exported_file_name=exported_file_name)
    try:
        write_atomically(path, data, prefix=".beleg-")
    except OSError as exc:
        raise ReceiptError(describe_write_error(exc, path, _("Der Beleg"))) from exc
    return path
