"""The fillable Excel form: for offices whose PCs cannot run the app, one workbook per institution, form and year.

The sheet "Formular" shows the institution's profile, the form's sections with yellow input cells (the only
unlocked cells of a protected sheet), last year's values in grey rows below them and the help texts as cell notes.
"Anleitung" says in plain German how to fill it in; the hidden sheet "Kennung" names the form, its version, the
institution, the year and the layout, and the officer's seal: a random access code recorded in the officer's
database (store.excel_permissions) and an HMAC-SHA256 over institution, form, version, year and code with a key only
that database holds. The importer takes a returned workbook only with a valid seal and a recorded, unrevoked code
for the same institution, form and year: making the workbook is the officer's permission to report without a
signature (also for an institution that has a key), and nobody else can make one. The layout is computed by plan(),
which the reader (sync.excel_form_reader) calls again to know where each value must be: nothing about positions is
taken from the returned file itself. Every text is written as a string cell, never as a formula (see
reports.report_xlsx).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from common.about import APP_NAME
from common.errors import UserError
from common.file_names import file_name_for
from common.i18n import _
from forms.catalog import all_forms, form_for
from forms.model import STATE_LABELS, FieldType, Form, ValueState
from forms.values import Address, Value
from store.database import Database, now
from store.errors import StoreError
from store.excel_permissions import allow_excel, seal_key
from store.files import describe_write_error, write_atomically
from store.keys import institution_keys
from store.orgunits import KIND_LABELS, OrgUnit, get_org_unit
from store.overview import MISSING, year_overview
from store.submissions import previous_values

SHEET_FORM, SHEET_HELP, SHEET_ID = "Formular", "Anleitung", "Kennung"
FORMAT, FORMAT_VERSION = "integrationsmonitor-excel-formular", 2  # 2: with the officer's seal
SUFFIX = ".xlsx"
MAX_COUNT_TEXT = "1.000.000"
MAX_NOTE_CHARS = 2000

# What a planned cell is for. LABEL texts are fixed and checked on the way back (a shifted row or column shows);
# INFO texts (title, profile) are not. COUNT, TEXT and NOTE are the unlocked input cells.
LABEL, INFO, COUNT, TEXT, NOTE, PREVIOUS = "label", "info", "count", "text", "note", "previous"
INPUTS = (COUNT, TEXT, NOTE)

LABEL_WIDTH, VALUE_WIDTH, NOTE_WIDTH = 52, 20, 40
FIRST_SECTION_ROW = 11
HELP_WIDTH = 60  # wider does not fit an A4 page in LibreOffice, which ignores "fit to width" here
PROFILE_KEYS = ("Einrichtung", "Kennung", "Art", "Träger", "Anschrift", "Stichtag")
# Identification rows of the hidden sheet: key in column A, value in column B.
# "sprache": the form's labels are in the program's language, and the reader checks them in its own language.
ID_KEYS = ("format", "format_version", "formular", "formular_version", "einrichtung", "einrichtung_name", "jahr",
           "abschnitte", "vorjahr", "sprache", "layout", "erstellt", "programm", "zugang", "siegel")
CHOICE_COLUMN = 4  # choice lists on the hidden sheet start in column D, one column per choice field

_INPUT_FILL, _PREVIOUS_FILL, _SECTION_FILL, _HEAD_FILL = "FFF2CC", "F2F2F2", "DDEBF7", "EDEDED"
_GREY, _BORDER = "595959", "BFBFBF"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class ExcelFormWriteError(UserError):
    """An Excel form cannot be made or saved; the message says why and what to do."""


@dataclass(frozen=True)
class Spot:
    """One planned cell of the sheet "Formular"."""

    row: int
    column: int
    role: str
    text: str = ""
    address: Address | None = None
    span: int = 1  # merged with the cells to its right
    style: str = ""
    note: str = ""  # a help text, shown as the cell's note (comment)

    @property
    def ref(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


@dataclass(frozen=True)
class Layout:
    form: Form
    year: int
    sections: tuple[str, ...]
    with_previous: bool
    note_column: int
    spots: tuple[Spot, ...]

    @property
    def last_row(self) -> int:
        return max(s.row for s in self.spots)

    @property
    def last_column(self) -> int:
        return max(s.column + s.span - 1 for s in self.spots)

    def inputs(self) -> list[Spot]:
        return [s for s in self.spots if s.role in INPUTS]

    def anchors(self) -> list[Spot]:
        return [s for s in self.spots if s.role == LABEL]

    def value_spot(self, address: Address) -> Spot | None:
        return next((s for s in self.spots if s.role in (COUNT, TEXT) and s.address == address), None)

    @property
    def fingerprint(self) -> str:
        described = [[s.row, s.column, s.role, s.text if s.role == LABEL else "", list(s.address or ()), s.span]
                     for s in self.spots if s.role in (LABEL, *INPUTS)]
        return hashlib.sha256(json.dumps(described, ensure_ascii=False).encode()).hexdigest()[:32]


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def previous_label(form: Form, year: int) -> str:
    previous = year - 1
    period = f"{previous}/{(previous + 1) % 100:02d}" if form.period == "schuljahr" else str(previous)
    return _("Vorjahr ({period})").format(period=period)


def plan(form: Form, year: int, sections: tuple[str, ...], with_previous: bool,
         profile: dict[str, str] | None = None) -> Layout:
    """Where everything goes. Depends only on the form, the year, the sections shown and whether last year's values
    are shown; `profile` fills the (unchecked) profile cells."""
    shown = [s for s in form.sections if s.code in sections]
    widest = max((len(f.columns) for s in shown for f in s.fields if f.type is FieldType.GRID), default=1)
    note_column = 2 + widest
    spots: list[Spot] = []
    add = spots.append
    full = note_column  # columns A .. note column
    add(Spot(1, 1, INFO, _("Integrationsmonitoring: {form} – {period}").format(
        form=form.title, period=form.period_label(year)), span=full, style="title"))
    add(Spot(2, 1, INFO, _("So geht's: Bitte nur in die gelben Felder eintragen. Eine Anzahl ist eine ganze Zahl "
                           "(0, wenn es keine gibt). Kennen Sie eine Zahl nicht, schreiben Sie „unbekannt“. Felder "
                           "mit * bitte immer ausfüllen. Mehr dazu im Blatt „Anleitung“ (Reiter unten)."),
               span=full, style="hint"))
    profile = profile or {}
    for i, key in enumerate(PROFILE_KEYS):
        add(Spot(4 + i, 1, LABEL, _(key), style="key"))
        add(Spot(4 + i, 2, INFO, profile.get(key, ""), span=full - 1, style="profile"))
    row = FIRST_SECTION_ROW
    for section in shown:
        add(Spot(row, 1, LABEL, section.title, span=full, style="section"))
        row += 1
        if section.help:
            add(Spot(row, 1, INFO, section.help, span=full, style="help"))
            row += 1
        previous_kind = None
        for f in section.fields:
            label = f.label + (" *" if f.required else "")
            help_text = _help(f)
            if f.type is FieldType.COUNT:
                if previous_kind is not FieldType.COUNT:
                    add(Spot(row, 2, LABEL, _("Anzahl"), style="header"))
                    add(Spot(row, note_column, LABEL, _("Bemerkung (freiwillig)"), style="header"))
                    row += 1
                address = (f.code, "", "")
                add(Spot(row, 1, LABEL, label, style="field", note=help_text))
                add(Spot(row, 2, COUNT, address=address))
                add(Spot(row, note_column, NOTE, address=address))
                row += 1
                if with_previous:
                    add(Spot(row, 1, LABEL, previous_label(form, year), style="previous"))
                    add(Spot(row, 2, PREVIOUS, address=address, style="previous"))
                    row += 1
            elif f.type is FieldType.GRID:
                add(Spot(row, 1, LABEL, label, style="field", note=help_text))
                for c, axis in enumerate(f.columns):
                    add(Spot(row, 2 + c, LABEL, axis.label, style="header"))
                add(Spot(row, note_column, LABEL, _("Bemerkung (freiwillig)"), style="header"))
                row += 1
                for axis_row in f.rows:
                    add(Spot(row, 1, LABEL, axis_row.label, style="row"))
                    for c, axis in enumerate(f.columns):
                        add(Spot(row, 2 + c, COUNT, address=(f.code, axis_row.code, axis.code)))
                    add(Spot(row, note_column, NOTE, address=(f.code, axis_row.code, f.columns[0].code)))
                    row += 1
                    if with_previous:
                        add(Spot(row, 1, LABEL, previous_label(form, year), style="previous"))
                        for c, axis in enumerate(f.columns):
                            add(Spot(row, 2 + c, PREVIOUS, address=(f.code, axis_row.code, axis.code),
                                     style="previous"))
                        row += 1
            else:
                address = (f.code, "", "")
                add(Spot(row, 1, LABEL, label, style="field", note=help_text))
                add(Spot(row, 2, TEXT, address=address, span=full - 1,
                         style="long" if f.type is FieldType.TEXT else "choice"))
                row += 1
                if with_previous:
                    add(Spot(row, 1, LABEL, previous_label(form, year), style="previous"))
                    add(Spot(row, 2, PREVIOUS, address=address, span=full - 1, style="previous"))
                    row += 1
            previous_kind = f.type
        row += 1
    add(Spot(row, 1, INFO, _("Vielen Dank! Bitte die Datei speichern (Dateityp Excel-Arbeitsmappe, .xlsx) und per "
                             "E-Mail an das Integrationsbüro zurückschicken."), span=full, style="hint"))
    return Layout(form, year, tuple(s.code for s in shown), with_previous, note_column, tuple(spots))


def _help(f) -> str:
    parts = [f.help.strip()] if f.help.strip() else []
    if f.definition:
        parts.append(_("Begriff: {d}").format(d=f.definition))
    if f.type is FieldType.CHOICE:
        parts.append(_("Bitte aus der Liste wählen (Pfeil rechts neben dem gelben Feld)."))
    return "\n\n".join(parts)


def instructions(form: Form, year: int, with_previous: bool) -> list[tuple[str, str]]:
    """The sheet "Anleitung" as (style, text) lines."""
    lines = [
        ("title", _("So füllen Sie dieses Formular aus")),
        ("text", _("Dieses Formular gehört zum Integrationsmonitoring der Stadt: {form}, {period}. Sie brauchen "
                   "dafür kein besonderes Programm, Excel oder LibreOffice genügt.").format(
                       form=form.title, period=form.period_label(year))),
        ("step", _("1. Wechseln Sie unten zum Blatt „Formular“. Oben stehen die Angaben zu Ihrer Einrichtung. "
                   "Stimmt dort etwas nicht, schreiben Sie es bitte in Ihre E-Mail.")),
        ("step", _("2. Tragen Sie Ihre Zahlen in die gelb hinterlegten Felder ein. Nur diese Felder lassen sich "
                   "ändern; alles andere ist geschützt.")),
        ("step", _("3. Eine Anzahl ist eine ganze Zahl von 0 bis {max}, zum Beispiel 12. Gibt es keine, tragen Sie "
                   "0 ein. Kennen Sie eine Zahl nicht, schreiben Sie „unbekannt“. Passt eine Frage nicht zu Ihrer "
                   "Einrichtung, schreiben Sie „nicht zutreffend“.").format(max=MAX_COUNT_TEXT)),
        ("step", _("4. Felder mit einem * sind Pflichtfelder. Die übrigen Felder dürfen leer bleiben.")),
        ("step", _("5. Zellen mit einem kleinen roten Dreieck in der Ecke haben einen Hinweis: Zeigen Sie mit der "
                   "Maus darauf, dann erscheint er.")),
    ]
    if with_previous:
        lines.append(("step", _("6. Die grauen Zeilen „Vorjahr“ zeigen Ihre Angaben aus dem Vorjahr zum Vergleich. "
                                "Weicht eine Zahl stark davon ab, schreiben Sie bitte kurz den Grund in die Spalte "
                                "„Bemerkung“.")))
    else:
        lines.append(("step", _("6. In die Spalte „Bemerkung“ können Sie zu jeder Zeile kurz etwas erklären, zum "
                                "Beispiel warum eine Zahl nur geschätzt ist.")))
    lines += [
        ("step", _("7. Bitte keine Zeilen, Spalten oder Blätter einfügen, löschen oder umbenennen und keine Formeln "
                   "eintragen. Sonst kann das Integrationsbüro die Datei nicht einlesen.")),
        ("step", _("8. Speichern Sie die Datei als Excel-Arbeitsmappe (.xlsx). In LibreOffice: „Datei > Speichern "
                   "unter…“, Dateityp „Excel 2007-365 (.xlsx)“, dann „Aktuelles Format beibehalten“. Den "
                   "Dateinamen dürfen Sie ändern.")),
        ("step", _("9. Schicken Sie die Datei per E-Mail an das Integrationsbüro zurück. Das Integrationsbüro prüft "
                   "die Angaben und meldet sich bei Rückfragen.")),
        ("text", ""),
        ("head", _("Gut zu wissen")),
        ("text", _("Es werden nur Anzahlen gemeldet, keine Angaben zu einzelnen Personen.")),
        ("text", _("Stichtag: {date}").format(date=form.reference_date)),
    ]
    if form.description:
        lines.append(("text", " ".join(form.description.split())))
    lines.append(("text", _("Fragen? Rufen Sie das Integrationsbüro gern an.")))
    return lines


def _profile(db: Database, unit: OrgUnit, form: Form) -> dict[str, str]:
    kind = _(KIND_LABELS.get(unit.kind, unit.kind))
    if unit.attributes.get("schulform"):
        kind = f"{kind}: {unit.attributes['schulform']}"
    address = ", ".join(p for p in (unit.street, " ".join(p for p in (unit.postcode, unit.city) if p)) if p)
    return {"Einrichtung": unit.name, "Kennung": unit.official_number or unit.id, "Art": kind,
            "Träger": unit.traeger or "–", "Anschrift": address or "–", "Stichtag": form.reference_date}


# --- writing -----------------------------------------------------------------------------------------------------

class _Styles:
    def __init__(self):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        def font(**style):
            # Named, because a font without a name falls back to a serif font in LibreOffice.
            return Font(name="Calibri", **{"size": 11, **style})

        thin = Side(style="thin", color=_BORDER)
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = font()
        self.bold, self.italic = font(bold=True), font(italic=True)
        self.title = font(bold=True, size=14)
        self.grey = font(italic=True, color=_GREY, size=10)
        self.input_fill = PatternFill("solid", fgColor=_INPUT_FILL)
        self.previous_fill = PatternFill("solid", fgColor=_PREVIOUS_FILL)
        self.section_fill = PatternFill("solid", fgColor=_SECTION_FILL)
        self.head_fill = PatternFill("solid", fgColor=_HEAD_FILL)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.center = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self.right = Alignment(horizontal="right", vertical="center")
        self.left = Alignment(vertical="center", wrap_text=True)
        self.open = Protection(locked=False)


def clean_text(text: str) -> str:
    """Text XML can hold: control characters and lone surrogates become "\ufffd", line ends become LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub("\ufffd", text)[:32767]


def _put_text(cell, text: str) -> None:
    cell.value = clean_text(text)
    cell.data_type = "s"  # after the value: openpyxl has just made "=…" a formula


def _lines(text: str, width: float) -> int:
    per_line = max(8, int(width * 1.05))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n")) if text else 1


def _write_form_sheet(ws, layout: Layout, previous: dict[Address, Value], st: _Styles,
                      choice_ranges: dict[str, str]) -> None:
    from openpyxl.comments import Comment

    widths = {1: LABEL_WIDTH, layout.note_column: NOTE_WIDTH}
    for column in range(2, layout.note_column):
        widths[column] = VALUE_WIDTH
    for column, width in widths.items():
        ws.column_dimensions[column_letter(column)].width = width
    heights: dict[int, float] = {}
    count_cells: list[Spot] = []
    for spot in layout.spots:
        cell = ws.cell(row=spot.row, column=spot.column)
        span_width = sum(widths.get(c, VALUE_WIDTH) for c in range(spot.column, spot.column + spot.span))
        if spot.span > 1:
            ws.merge_cells(start_row=spot.row, start_column=spot.column, end_row=spot.row,
                           end_column=spot.column + spot.span - 1)
        if spot.role in (LABEL, INFO):
            _put_text(cell, spot.text)
            cell.font = {"title": st.title, "section": st.bold, "field": st.bold, "key": st.bold,
                         "header": st.bold, "previous": st.grey, "help": st.italic}.get(spot.style, st.font)
            cell.alignment = st.center if spot.style == "header" else st.wrap if spot.style in (
                "hint", "help") else st.left
            if spot.style == "section":
                cell.fill = st.section_fill
            elif spot.style == "header":
                cell.fill = st.head_fill
                cell.border = st.box
            elif spot.style == "previous":
                cell.fill = st.previous_fill
            lines = _lines(spot.text, span_width)
            if spot.style == "title":
                heights[spot.row] = 22
            elif lines > 1 or spot.style in ("hint", "help"):
                heights[spot.row] = max(heights.get(spot.row, 15), 15 * lines + 3)
            if spot.note:
                comment = Comment(spot.note, APP_NAME)
                comment.width, comment.height = 320, min(400, 16 * _lines(spot.note, 45) + 20)
                cell.comment = comment
        elif spot.role == PREVIOUS:
            value = previous.get(spot.address, Value())
            if value.number is not None:
                cell.value = value.number
                cell.number_format = "#,##0"
            else:
                _put_text(cell, _display(value, layout.form, spot.address) or "–")
            cell.font, cell.fill, cell.alignment = st.grey, st.previous_fill, st.right if spot.span == 1 else st.wrap
            if spot.span > 1:
                heights[spot.row] = max(heights.get(spot.row, 15), 15 * min(6, _lines(str(cell.value), span_width)))
        else:
            cell.protection, cell.fill, cell.border, cell.font = st.open, st.input_fill, st.box, st.font
            if spot.role == COUNT:
                cell.number_format = "#,##0"
                cell.alignment = st.right
                count_cells.append(spot)
            else:
                cell.alignment = st.wrap
                cell.number_format = "@"  # text: "0815" stays "0815"
                if spot.style == "long":
                    heights[spot.row] = 60
            for column in range(spot.column + 1, spot.column + spot.span):  # the merged cells look the same
                other = ws.cell(row=spot.row, column=column)
                other.protection, other.fill, other.border = st.open, st.input_fill, st.box
    for row, height in heights.items():
        ws.row_dimensions[row].height = height
    _validations(ws, layout, count_cells, choice_ranges)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widening a column is allowed; it moves nothing
    ws.protection.formatRows = False
    first = next((s for s in layout.inputs()), None)
    if first is not None:
        ws.sheet_view.selection[0].activeCell = first.ref
        ws.sheet_view.selection[0].sqref = first.ref
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "&P / &N"


def _display(value: Value, form: Form, address: Address) -> str:
    if value.text is not None and form.field(address[0]).type is FieldType.CHOICE:
        choice = next((c for c in form.field(address[0]).choices if c.code == value.text), None)
        return choice.label if choice else value.text
    return value.display()


def count_rule(ref: str) -> str:
    """The data validation of a count cell: a whole number from 0 to 1,000,000, or one of the state words."""
    words = ",".join(f'{ref}="{_(STATE_LABELS[s]).split(" (")[0]}"' for s in ValueState)
    return f"IF(ISNUMBER({ref}),AND({ref}=INT({ref}),{ref}>=0,{ref}<=1000000),OR({words}))"


def _validations(ws, layout: Layout, count_cells: list[Spot], choice_ranges: dict[str, str]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    # One rule per row of inputs: a relative reference in a rule is relative to its first cell.
    by_row: dict[int, list[Spot]] = {}
    for spot in count_cells:
        by_row.setdefault(spot.row, []).append(spot)
    for spots in by_row.values():
        first, last = spots[0], spots[-1]
        rule = DataValidation(type="custom", formula1=count_rule(first.ref), allow_blank=True,
                              showErrorMessage=True, errorStyle="stop", errorTitle=_("Bitte eine Anzahl eintragen"),
                              error=_("Hier gehört eine ganze Zahl von 0 bis {max} hin, zum Beispiel 12. Wenn Sie die "
                                      "Zahl nicht kennen: „unbekannt“. Wenn die Frage nicht passt: „nicht "
                                      "zutreffend“.").format(max=MAX_COUNT_TEXT))
        rule.add(f"{first.ref}:{last.ref}" if last is not first else first.ref)
        ws.add_data_validation(rule)
    for spot in layout.inputs():
        if spot.role == TEXT and spot.address[0] in choice_ranges:
            f = layout.form.field(spot.address[0])
            rule = DataValidation(type="list", formula1=choice_ranges[f.code], allow_blank=True,
                                  showErrorMessage=True, errorStyle="stop", errorTitle=_("Bitte aus der Liste wählen"),
                                  error=_("Bitte eine der Angaben aus der Liste wählen (Pfeil rechts neben dem "
                                          "Feld)."))
            rule.add(spot.ref)
            ws.add_data_validation(rule)


def _write_help_sheet(ws, layout: Layout, st: _Styles) -> None:
    ws.column_dimensions["A"].width = HELP_WIDTH
    for row, (style, text) in enumerate(instructions(layout.form, layout.year, layout.with_previous), 1):
        cell = ws.cell(row=row, column=1)
        _put_text(cell, text)
        cell.font = st.title if style == "title" else st.bold if style == "head" else st.font
        cell.alignment = st.wrap
        ws.row_dimensions[row].height = 24 if style == "title" else 15 * _lines(text, HELP_WIDTH) + 4
    ws.protection.sheet = True
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def seal(key: bytes, institution_id: str, form_id: str, form_version: int, year: int, nonce: str) -> str:
    """The officer's seal of a workbook: HMAC-SHA256 over what it is for and its access code."""
    message = json.dumps([FORMAT, institution_id, form_id, int(form_version), int(year), nonce], ensure_ascii=False)
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def identification(layout: Layout, unit: OrgUnit, created_at: str,
                   sealed: tuple[str, str] = ("", "")) -> dict[str, str]:
    from common.about import APP_VERSION
    from common.i18n import LANGUAGE

    return {"format": FORMAT, "format_version": str(FORMAT_VERSION), "formular": layout.form.id,
            "formular_version": str(layout.form.version), "einrichtung": unit.id, "einrichtung_name": unit.name,
            "jahr": str(layout.year), "abschnitte": ",".join(layout.sections),
            "vorjahr": "ja" if layout.with_previous else "nein", "sprache": LANGUAGE, "layout": layout.fingerprint,
            "erstellt": created_at, "programm": f"{APP_NAME} {APP_VERSION}", "zugang": sealed[0], "siegel": sealed[1]}


def _write_id_sheet(ws, layout: Layout, unit: OrgUnit, created_at: str, sealed: tuple[str, str]) -> dict[str, str]:
    """The identification, and the lists of the choice fields; returns the range of each list by field code."""
    for row, (key, value) in enumerate(identification(layout, unit, created_at, sealed).items(), 1):
        _put_text(ws.cell(row=row, column=1), key)
        _put_text(ws.cell(row=row, column=2), value)
    ranges = {}
    choice_fields = [s.address[0] for s in layout.inputs() if s.role == TEXT
                     and layout.form.field(s.address[0]).type is FieldType.CHOICE]
    for i, code in enumerate(choice_fields):
        column = CHOICE_COLUMN + i
        _put_text(ws.cell(row=1, column=column), code)
        choices = layout.form.field(code).choices
        for row, choice in enumerate(choices, 2):
            _put_text(ws.cell(row=row, column=column), choice.label)
        letter = column_letter(column)
        ranges[code] = f"'{SHEET_ID}'!${letter}$2:${letter}${len(choices) + 1}"
    ws.sheet_state = "veryHidden"  # Excel's menu cannot show it again; LibreOffice keeps it as "hidden"
    ws.protection.sheet = True
    return ranges


def build_workbook(form: Form, unit: OrgUnit, year: int, previous: dict[Address, Value],
                   profile: dict[str, str] | None = None, created_at: str | None = None,
                   sealed: tuple[str, str] = ("", "")):
    """The workbook for one institution, form and year (not yet saved); `sealed` is (access code, seal), without
    which the import refuses it."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.workbook.protection import WorkbookProtection

    sections = tuple(s.code for s in form.sections if s.applies_to(unit.attributes))
    layout = plan(form, year, sections, bool(previous), profile)
    st = _Styles()
    book = Workbook()
    form_sheet = book.active
    form_sheet.title = SHEET_FORM
    help_sheet = book.create_sheet(SHEET_HELP)
    id_sheet = book.create_sheet(SHEET_ID)
    ranges = _write_id_sheet(id_sheet, layout, unit, created_at or now(), sealed)
    names = {}
    for i, (code, target) in enumerate(ranges.items(), 1):
        name = f"Auswahl_{i}"
        book.defined_names[name] = DefinedName(name, attr_text=target)
        names[code] = name
    _write_form_sheet(form_sheet, layout, previous, st, names)
    _write_help_sheet(help_sheet, layout, st)
    book.active = 0
    book.security = WorkbookProtection(lockStructure=True)  # no sheet added, renamed, deleted or shown by accident
    book.properties.title = f"{form.title} {form.period_label(year)} – {unit.name}"
    book.properties.creator = APP_NAME
    return book


def workbook_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def file_name(unit: OrgUnit, form: Form, year: int) -> str:
    """E.g. "Kita Sonnenschein (kita-07) – Kindertageseinrichtung 2024.xlsx"."""
    return file_name_for(f"{unit.name} ({unit.id}) – {form.title} {form.period_label(year)}", SUFFIX)


def write_excel_form(db: Database, unit_id: str, form: Form, year: int, folder: Path) -> Path:
    """Writes the workbook into `folder` under a new name (an existing file is never replaced); returns its path.

    Records the officer's permission for this institution, form and year (store.excel_permissions) and seals the
    workbook with it: also an institution with a key may then report once in Excel, unsigned, for review."""
    from sync.transports import free_path

    unit = get_org_unit(db, unit_id)
    if form.kind != unit.kind:
        raise ExcelFormWriteError(_("Das Formular „{form}“ passt nicht zu {name}.").format(
            form=form.title, name=unit.name))
    previous = previous_values(db, unit.id, form.id, year)
    nonce = allow_excel(db, unit.id, form.id, form.version, year)
    sealed = (nonce, seal(seal_key(db), unit.id, form.id, form.version, year, nonce))
    data = workbook_bytes(build_workbook(form, unit, year, previous, _profile(db, unit, form), sealed=sealed))
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = free_path(folder, file_name(unit, form, year))
        write_atomically(path, data, prefix=".formular-")
    except OSError as exc:
        raise ExcelFormWriteError(describe_write_error(exc, folder / file_name(unit, form, year),
                                                       _("Das Excel-Formular"))) from exc
    return path


def _form_by_id(form_id: str, kind: str | None, year: int) -> Form:
    candidates = [f for f in all_forms() if f.id == form_id and f.applies_to_year(year)
                  and (kind is None or f.kind == kind)]
    if not candidates:
        raise ExcelFormWriteError(_("Ein Formular „{id}“ für {year} gibt es nicht{kind}.").format(
            id=form_id, year=year, kind=_(" für diese Einrichtung") if kind else ""))
    return max(candidates, key=lambda f: f.version)


@dataclass
class Written:
    files: list[Path] = field(default_factory=list)
    cancelled: bool = False
    keyed: list[str] = field(default_factory=list)  # institutions with a key that may now report once in Excel
    # Institutions with a key that were left out: they report signed, and a workbook would open an unsigned way.
    skipped_keyed: list[str] = field(default_factory=list)


def has_key(db: Database, unit_id: str) -> bool:
    return any(not revoked for _key, revoked in institution_keys(db, unit_id))


def write_excel_forms(db: Database, year: int, folder: Path, form_id: str | None = None,
                      institution_id: str | None = None, progress: Callable[[int, str], None] | None = None,
                      cancelled: Callable[[], bool] | None = None, allow_keyed: bool = False) -> Written:
    """One workbook per institution whose submission for the year is missing (optionally of one form only); with
    `institution_id` just that institution's workbook, missing or not.

    An institution with a key reports signed. A workbook for it is the officer's permission to report once without
    a signature, so it is made only when asked for by name (`allow_keyed`); otherwise it is left out."""
    written = Written()
    if institution_id is not None:
        try:
            unit = get_org_unit(db, institution_id)
        except StoreError as exc:
            raise ExcelFormWriteError(exc.message) from exc
        form = _form_by_id(form_id, unit.kind, year) if form_id else form_for(unit.kind, year)
        if form is None:
            raise ExcelFormWriteError(_("Für {name} gibt es {year} kein Formular.").format(name=unit.name, year=year))
        if has_key(db, unit.id) and not allow_keyed:
            raise ExcelFormWriteError(_(
                "{name} meldet mit dem Programm und unterschreibt ihre Meldungen. Ein Excel-Formular wäre nicht "
                "unterschrieben; es wird nur mit ausdrücklicher Erlaubnis erstellt, wenn die Einrichtung das Programm "
                "nicht mehr nutzen kann (Befehl excel-forms mit --allow-excel).").format(name=unit.name))
        jobs = [(unit.id, unit.name, form)]
    else:
        if form_id is not None:
            _form_by_id(form_id, None, year)
        jobs = [(e.institution_id, e.name, form_for(o.kind, year)) for o in year_overview(db, year, form_id)
                for e in o.entries if e.status == MISSING]
    for i, (unit_id, name, form) in enumerate(jobs, 1):
        if cancelled is not None and cancelled():
            written.cancelled = True
            break
        keyed = has_key(db, unit_id)
        if keyed and not allow_keyed:
            written.skipped_keyed.append(name)
            continue
        written.files.append(write_excel_form(db, unit_id, form, year, folder))
        if keyed:
            written.keyed.append(name)
        if progress is not None:
            progress(i, name)
    return written
