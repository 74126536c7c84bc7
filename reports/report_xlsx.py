"""The report as an Excel workbook: an overview, one sheet per chapter, the methods and all values in long format.

Numbers are stored as numbers with a number format, so Excel shows them with the reader's own separators and they
can be computed with; suppressed values keep their DIN 55301 symbol as text. Every string (institution names and
comments come from users) is stored as a string cell, never as a formula: openpyxl would otherwise turn "=…" into
a formula that Excel runs when the officer opens the file.
"""

from __future__ import annotations

import io
import math
import re
from numbers import Integral, Number
from pathlib import Path

from common.about import APP_NAME
from common.i18n import _
from reports.errors import ReportError
from reports.report_model import COUNT, PERCENT, RATIO, TEXT, VARIANT_LABELS, Cell, Report, Table
from store.files import describe_write_error, write_atomically

NUMBER_FORMATS = {COUNT: "#,##0", PERCENT: "0.0", RATIO: "0.00"}
_DECIMALS = {COUNT: None, PERCENT: 1, RATIO: 2}
MAX_WIDTH, MAX_CELL_CHARS, MAX_SHEET_NAME = 60, 32767, 31
DATA_COLUMNS = ("Kapitel", "Tabelle", "Zeile", "Spalte", "Wert", "Text", "vorläufig")
# Control characters, lone surrogates and U+FFFE/U+FFFF are not allowed in XML; openpyxl refuses the first.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_HEAD_FILL, _RED = "E9E9E9", "C00000"


def clean_text(text: str) -> str:
    # XML readers turn a bare CR into LF anyway; making it LF here means every program reads the same text.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub("\ufffd", text)[:MAX_CELL_CHARS]


def sheet_name(title: str, taken: set[str], fallback: str) -> str:
    """A name Excel accepts: at most 31 characters, none of []:*?/\\, not quoted, unique regardless of case."""
    name = re.sub(r"\s+", " ", _SHEET_FORBIDDEN.sub(" ", clean_text(title).replace("\ufffd", " "))).strip(" '")
    if len(name) > MAX_SHEET_NAME:
        name = name[: MAX_SHEET_NAME - 1].rstrip(" '") + "…"
    name = name or fallback
    if name.casefold() == "history":  # reserved by Excel for change tracking
        name = fallback
    candidate, n = name, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = name[: MAX_SHEET_NAME - len(suffix)].rstrip(" '") + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


def _font(**style):
    from openpyxl.styles import Font

    # Named, because a font without a name falls back to a serif font in LibreOffice.
    return Font(name="Calibri", **{"size": 11, **style})


class _Sheet:
    """A worksheet being filled from the top, remembering how wide each column's content is."""

    def __init__(self, book, title: str):
        from openpyxl.styles import Alignment, PatternFill

        self.ws = book.create_sheet(title)
        self.row, self.widths = 1, {}
        self.bold, self.italic = _font(bold=True), _font(italic=True)
        self.head_fill = PatternFill("solid", fgColor=_HEAD_FILL)
        self.wrap, self.right = Alignment(wrap_text=True, vertical="top"), Alignment(horizontal="right")
        self.wrap_right = Alignment(wrap_text=True, vertical="top", horizontal="right")

    def put(self, row: int, column: int, value, sized: bool = True, number_format: str | None = None,
            shown: str | None = None):
        """Set a cell; `shown` is the text Excel will display for a number, for the column width."""
        cell = self.ws.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = clean_text(value)
            cell.data_type = "s"  # set after the value: openpyxl has just made "=…" a formula
        elif isinstance(value, Number) and not isinstance(value, bool):
            # numpy and Decimal values become plain numbers; NaN or infinity would make an invalid file.
            value = int(value) if isinstance(value, Integral) else float(value)
            cell.value = value if math.isfinite(value) else None
        else:
            cell.value = value
        if number_format and cell.value is not None:
            cell.number_format = number_format
        if sized and cell.value is not None:
            width = len(shown if shown is not None else str(cell.value))
            self.widths[column] = max(self.widths.get(column, 0), width)
        return cell

    def line(self, text: str, font=None) -> None:
        """A line of text in column A that may run over the empty cells to its right."""
        cell = self.put(self.row, 1, text, sized=False)
        if font is not None:
            cell.font = font
        self.row += 1

    def fit_columns(self, minimum: int = 8) -> None:
        from openpyxl.utils import get_column_letter

        for column, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, max(minimum, width + 2))


def write_report_xlsx(report: Report, path: Path, long_data: list[dict] | None = None) -> None:
    """Write the workbook to `path` atomically; `long_data` (dicts with the same keys) fills the sheet "Daten",
    by default one row per printed value of the report's tables."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    book.properties.title = clean_text(f"{report.title} – {report.subtitle}")
    book.properties.creator = APP_NAME
    taken = {"übersicht", "methoden", "daten"}
    _overview(_Sheet(book, "Übersicht"), report)
    for number, chapter in enumerate(report.chapters, 1):
        sheet = _Sheet(book, sheet_name(chapter.title, taken, f"Kapitel {number}"))
        sheet.line(chapter.title, sheet.bold)
        for index, table in enumerate(chapter.tables):
            header_row = _table(sheet, table)
            if index == 0:
                sheet.ws.freeze_panes = sheet.ws.cell(row=header_row + 1, column=2)
        for note in chapter.notes:
            sheet.line(note, sheet.italic)
        sheet.fit_columns()
    if report.profiles:
        from reports.area_profiles import profiles_table

        sheet = _Sheet(book, sheet_name(_("Gebietsprofile"), taken, "Gebietsprofile"))
        header_row = _table(sheet, profiles_table(report.profiles))
        sheet.ws.freeze_panes = sheet.ws.cell(row=header_row + 1, column=2)
        sheet.fit_columns()
    _methods(_Sheet(book, "Methoden"), report)
    _data(_Sheet(book, "Daten"), long_data if long_data is not None else report_long_data(report))
    buffer = io.BytesIO()
    book.save(buffer)
    try:
        write_atomically(Path(path), buffer.getvalue(), prefix=".bericht-")
    except OSError as exc:
        raise ReportError(describe_write_error(exc, Path(path), _("Die Arbeitsmappe"))) from exc


def _overview(sheet: _Sheet, report: Report) -> None:
    sheet.line(report.title, _font(bold=True, size=14))
    sheet.line(report.subtitle)
    sheet.line(_("Erstellt: {date}").format(date=report.created))
    sheet.line(_("Variante: {variant}").format(variant=VARIANT_LABELS.get(report.variant, report.variant)))
    if report.synthetic:
        sheet.line(_("SYNTHETISCHE DATEN – nur zum Erproben. Diese Zahlen beschreiben keine wirkliche Stadt und "
                     "dürfen nicht veröffentlicht werden."), _font(bold=True, size=13, color=_RED))
    if report.include_received:
        sheet.line(_("Enthält Werte aus eingegangenen, noch nicht freigegebenen Meldungen (vorläufig, mit * "
                     "markiert)."), _font(bold=True, color=_RED))
    sheet.row += 1
    if report.key_figures:
        sheet.line(_("Kennzahlen"), sheet.bold)
        header = [_("Kennzahl"), _("Wert"), _("Jahr"), _("Veränderung zum Vorjahr"), _("Definition")]
        _header(sheet, header, frozenset({2, 3, 4}))
        for figure in report.key_figures:
            for column, value in enumerate(
                    [figure.title, figure.value, figure.year, figure.change, figure.definition], 1):
                cell = sheet.put(sheet.row, column, value)
                if column in (2, 4):
                    cell.alignment = sheet.right
            sheet.row += 1
    sheet.fit_columns()


def _header(sheet: _Sheet, texts: list[str], right: frozenset[int] = frozenset()) -> None:
    for column, text in enumerate(texts, 1):
        # Headers wrap, so they widen a column only up to a point.
        cell = sheet.put(sheet.row, column, text, sized=False)
        sheet.widths[column] = max(sheet.widths.get(column, 0), min(len(cell.value), 20 if column > 1 else 30))
        cell.font, cell.fill = sheet.bold, sheet.head_fill
        cell.alignment = sheet.wrap_right if column in right else sheet.wrap
    sheet.row += 1


def _table(sheet: _Sheet, table: Table) -> int:
    """Write one table from the current row; return the row of its header."""
    from openpyxl.comments import Comment

    sheet.line(f"{table.code} {table.title}".strip(), sheet.bold)
    header_row = sheet.row
    _header(sheet, [table.row_header, *table.columns], frozenset(i for i, k in enumerate(table.kinds, 2) if k != TEXT))
    provisional = False
    for index, (label, cells) in enumerate(zip(table.rows, table.cells, strict=True)):
        total = index in table.total_rows
        sheet.put(sheet.row, 1, label).font = _font(bold=total)
        for column, (cell, column_kind) in enumerate(zip(cells, table.kinds, strict=True), 2):
            kind = cell.kind or column_kind
            numeric = kind != TEXT and cell.number is not None
            marker = " *" if cell.provisional else ""
            written = sheet.put(sheet.row, column, stored_number(kind, cell) if numeric else cell.text + marker,
                                number_format=number_format(kind, cell) if numeric else None, shown=cell.text + marker)
            written.font = _font(bold=total)
            if kind != TEXT:
                written.alignment = sheet.right
            if cell.provisional:
                provisional = True
                written.comment = Comment(_("vorläufig: aus einer eingegangenen, noch nicht freigegebenen Meldung"),
                                          APP_NAME)
        sheet.row += 1
    sheet.line(caption(table), sheet.italic)
    for note in table.notes:
        sheet.line(note)
    if provisional:
        sheet.line(_("* vorläufig: aus eingegangenen, noch nicht freigegebenen Meldungen."))
    sheet.row += 1
    return header_row


def stored_number(kind: str, cell: Cell) -> float | int:
    """The number as printed: a share stored with all its digits would let a reader recompute counts that the
    publishable variant rounds or hides, and the workbook must show the figures of the PDF."""
    number = cell.number
    if isinstance(number, int) or not math.isfinite(number):
        return number
    return round(number, _DECIMALS.get(kind)) + 0  # "+ 0" turns -0.0 into 0.0


def number_format(kind: str, cell: Cell) -> str:
    """The format for a number cell. A provisional value shows its "*" through the format, so it stays a number;
    an exact zero printed as "–" (DIN 55301: nothing there) shows "–" through the format's section for zero."""
    fmt, star = NUMBER_FORMATS[kind], '" *"' if cell.provisional else ""
    if cell.number == 0 and cell.text.strip() == "–":
        return f'{fmt}{star};-{fmt}{star};"–"{star}'
    return fmt + star


def caption(table: Table) -> str:
    """Definition · source · reference date, as under the table in the PDF."""
    parts = [table.definition, _("Quelle: {source}").format(source=table.source) if table.source else "",
             _("Stand: {date}").format(date=table.reference_date) if table.reference_date else ""]
    return " · ".join(p for p in parts if p)


def _methods(sheet: _Sheet, report: Report) -> None:
    sheet.line(_("Methoden"), _font(bold=True, size=14))
    for section in report.methods:
        sheet.row += 1
        sheet.line(section.title, sheet.bold)
        for paragraph in section.paragraphs:
            cell = sheet.put(sheet.row, 1, paragraph, sized=False)
            cell.alignment = sheet.wrap
            sheet.row += 1
        if section.table is not None:
            _table(sheet, section.table)
    sheet.widths[1] = max(sheet.widths.get(1, 0), 100)  # room for the paragraphs, which wrap within column A
    sheet.fit_columns()


def report_long_data(report: Report) -> list[dict]:
    """One row per value of every table, for filtering and pivot tables."""
    chapters = [(c.title, c.tables) for c in report.chapters]
    chapters.append((_("Methoden"), [m.table for m in report.methods if m.table is not None]))
    rows = []
    for chapter, tables in chapters:
        for table in tables:
            for label, cells in zip(table.rows, table.cells, strict=True):
                for column, kind, cell in zip(table.columns, table.kinds, cells, strict=True):
                    number = stored_number(kind, cell) if kind != TEXT and cell.number is not None else None
                    rows.append(dict(zip(DATA_COLUMNS, (chapter, table.code, label, column, number, cell.text,
                                                        _("ja") if cell.provisional else ""), strict=True)))
    return rows


def _data(sheet: _Sheet, rows: list[dict]) -> None:
    from openpyxl.utils import get_column_letter

    keys = list(dict.fromkeys(key for row in rows for key in row)) or list(DATA_COLUMNS)
    _header(sheet, [str(k) for k in keys])
    for row in rows:
        for column, key in enumerate(keys, 1):
            value = row.get(key)
            if value is not None and not isinstance(value, str | Number):
                value = str(value)
            sheet.put(sheet.row, column, value)
        sheet.row += 1
    sheet.ws.freeze_panes = "A2"
    sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{max(sheet.row - 1, 1)}"
    sheet.fit_columns()
