"""Reading a returned Excel form (sync.excel_form) into values, defensively: the file came by e-mail, from anywhere.

Limits are checked before anything is parsed (file size, unpacked size, number of zip members and sheets), the XML
is parsed with defusedxml (openpyxl uses it whenever it is installed, and this module refuses to read without it),
and only the cells of the planned layout are read. Nothing is evaluated: the workbook is read with its formulas
as formulas, and a formula where a value belongs is refused with a message. Where each value is comes from
sync.excel_form.plan(), never from the file; the fixed labels around the inputs must be unchanged, so a deleted or
inserted row or column is noticed instead of shifting every figure into the wrong field. Either the whole form is
read, or nothing: every problem found is listed in one German message naming the sheet and the cell.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from common.errors import InputError, UserError
from common.i18n import LANGUAGE, LANGUAGES, _
from forms.catalog import get_form
from forms.model import Form
from forms.validation import cell_label
from forms.values import Address, Value, parse_input
from sync.excel_form import (
    COUNT,
    FORMAT,
    FORMAT_VERSION,
    ID_KEYS,
    MAX_NOTE_CHARS,
    NOTE,
    SHEET_FORM,
    SHEET_ID,
    SUFFIX,
    TEXT,
    Layout,
    plan,
)

MAX_WORKBOOK_BYTES = 5 * 1024 * 1024  # the inbox reads no more than this anyway (sync.submission_file)
MAX_UNPACKED_BYTES = 20_000_000  # a generated form unpacks to well under 1 MB
MAX_MEMBERS = 200
MAX_SHEETS = 10
MAX_PROBLEMS = 8

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Excel format (.xls)
EXCEL_NAMES = (SUFFIX, ".xlsm", ".xls", ".ods")


class ExcelFormError(UserError):
    """A returned Excel form cannot be taken; the message names the sheet and cell and says what to do."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


@dataclass(frozen=True)
class ReturnedWorkbook:
    institution_id: str
    institution_name: str
    form: Form
    year: int
    values: dict[Address, Value]
    created_at: str  # when the officer made the workbook
    cells: dict[Address, str] = field(default_factory=dict)  # where each value of the form is, e.g. "B14"
    format_version: int = FORMAT_VERSION
    nonce: str = ""  # the access code and the officer's seal (sync.excel_form.seal), checked by the importer
    seal: str = ""

    def where(self, address: Address) -> str:
        """ "Blatt „Formular“, Zelle B14" for a value, or for a whole grid its first cell."""
        ref = self.cells.get(address) or next((r for a, r in self.cells.items() if a[0] == address[0]), "")
        return _("Blatt „{sheet}“, Zelle {cell}").format(sheet=SHEET_FORM, cell=ref) if ref else ""


def looks_like_workbook(data: bytes, name: str = "") -> bool:
    """A spreadsheet by its first bytes (a zip or the old .xls format), or by its name when it is not a JSON file:
    then the reader says what is wrong with it instead of the submission file reader."""
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return True
    return name.lower().endswith(EXCEL_NAMES) and data.lstrip()[:1] != b"{"


def _fail(message: str) -> ExcelFormError:
    return ExcelFormError(message)


def _check_container(data: bytes, name: str) -> None:
    if len(data) > MAX_WORKBOOK_BYTES:
        raise _fail(_("{name} ist zu groß ({mb:.1f} MB) für ein Excel-Formular (höchstens {limit:.0f} MB). Es wurde "
                      "nicht gelesen.").format(name=name, mb=len(data) / 1e6, limit=MAX_WORKBOOK_BYTES / 1e6))
    if data.startswith(OLE_MAGIC):
        raise _fail(_("{name} ist im alten Excel-Format (.xls). Bitte die Einrichtung, die Datei in Excel als "
                      "„Excel-Arbeitsmappe (.xlsx)“ zu speichern und erneut zu senden.").format(name=name))
    if not data.startswith(ZIP_MAGIC):
        raise _fail(_("{name} ist keine Excel-Arbeitsmappe (.xlsx), auch wenn der Name danach aussieht. Bitte die "
                      "Einrichtung, das Formular in Excel oder LibreOffice zu öffnen, als „Excel-Arbeitsmappe "
                      "(.xlsx)“ zu speichern und erneut zu senden.").format(name=name))
    if data[30:84] == b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet":
        raise _fail(_("{name} ist eine LibreOffice-Tabelle (.ods). Bitte die Einrichtung, das Formular in "
                      "LibreOffice mit „Datei > Speichern unter…“ als „Excel 2007-365 (.xlsx)“ zu speichern und "
                      "erneut zu senden.").format(name=name))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _fail(_("{name} ist beschädigt und lässt sich nicht als Excel-Arbeitsmappe öffnen. Bitte die "
                      "Einrichtung, die Datei erneut zu senden.").format(name=name)) from exc
    # The sizes declared here are the most zipfile will unpack per member, so they bound what openpyxl reads.
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise _fail(_("{name} ist entpackt viel zu groß ({mb:.0f} MB in {n} Teilen) für ein Excel-Formular und wurde "
                      "nicht gelesen. Bitte die Einrichtung, das ursprüngliche Formular auszufüllen.").format(
                          name=name, mb=unpacked / 1e6, n=len(members)))
    if not any(m.filename == "xl/workbook.xml" for m in members):
        raise _fail(_("{name} ist keine Excel-Arbeitsmappe (.xlsx). Bitte die Einrichtung, das Formular als "
                      "„Excel-Arbeitsmappe (.xlsx)“ zu speichern und erneut zu senden.").format(name=name))


def _open_book(data: bytes, name: str):
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise _fail(_("Excel-Dateien können nicht sicher gelesen werden, weil das Paket „defusedxml“ fehlt. Bitte "
                      "das Programm neu installieren."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions (data validation, styles) it skips
            # data_only=False: a formula stays a formula (and is refused); nothing is ever calculated.
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False,
                                          keep_vba=False)
    except Exception as exc:  # openpyxl raises anything from KeyError to ValueError on a broken workbook
        from defusedxml import DefusedXmlException

        causes = _causes(exc)
        if any(isinstance(c, DefusedXmlException) for c in causes):
            raise _fail(_("{name} enthält XML-Bausteine, mit denen Dateien Programme angreifen können ({err}). Sie "
                          "wurde nicht gelesen. Bitte die Einrichtung, das ursprüngliche Formular auszufüllen und "
                          "erneut zu senden.").format(name=name, err=type(causes[-1]).__name__)) from exc
        raise _fail(_("{name} kann nicht als Excel-Arbeitsmappe gelesen werden ({err}). Bitte die Einrichtung, die "
                      "Datei in Excel oder LibreOffice zu öffnen, als .xlsx neu zu speichern und erneut zu "
                      "senden.").format(name=name, err=type(causes[-1]).__name__)) from exc


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it, innermost last (openpyxl wraps the parser's error in a ValueError)."""
    chain = [exc]
    while chain[-1].__cause__ is not None and len(chain) < 10:
        chain.append(chain[-1].__cause__)
    return chain


def _grid(ws, rows: int, columns: int) -> dict[tuple[int, int], object]:
    cells = {}
    for row in ws.iter_rows(min_row=1, max_row=rows, max_col=columns):
        for cell in row:
            if getattr(cell, "value", None) is not None:
                cells[(cell.row, cell.column)] = cell
    return cells


def _text(cell) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _identification(book, name: str) -> dict[str, str]:
    if SHEET_ID not in book.sheetnames:
        raise _fail(_("{name} ist kein Excel-Formular des Integrationsmonitors: das verborgene Blatt „{sheet}“, das "
                      "Formular, Einrichtung und Jahr nennt, fehlt. Eingelesen werden nur Formulare, die das "
                      "Integrationsbüro mit dem Integrationsmonitor erstellt hat; wurden die Zahlen in eine andere "
                      "Datei übertragen, bitte für die Einrichtung ein neues Excel-Formular erstellen.").format(
                          name=name, sheet=SHEET_ID))
    cells = _grid(book[SHEET_ID], len(ID_KEYS) + 5, 2)
    found = {_text(cells.get((r, 1))): _text(cells.get((r, 2))) for r in range(1, len(ID_KEYS) + 6)}
    if found.get("format") != FORMAT:
        raise _fail(_("{name}: das verborgene Blatt „{sheet}“ ist verändert oder gehört nicht zu einem Formular des "
                      "Integrationsmonitors. Bitte für die Einrichtung ein neues Excel-Formular erstellen.").format(
                          name=name, sheet=SHEET_ID))
    version = found.get("format_version", "")
    if not version.isdigit() or int(version) > FORMAT_VERSION:
        raise _fail(_("{name} wurde mit einer neueren Version des Integrationsmonitors erstellt. Bitte das Programm "
                      "aktualisieren.").format(name=name))
    return found


def _layout(found: dict[str, str], name: str) -> tuple[Layout, str, int]:
    broken = _("{name}: die Kennung im verborgenen Blatt „{sheet}“ ist beschädigt ({what}). Bitte für die Einrichtung "
               "ein neues Excel-Formular erstellen.")
    if not found.get("formular_version", "").isdigit():
        raise _fail(broken.format(name=name, sheet=SHEET_ID, what=_("Formularversion")))
    try:
        form = get_form(found.get("formular", ""), int(found["formular_version"]))
    except UserError as exc:
        raise _fail(f"{name}: {exc.message}") from exc
    year_text = found.get("jahr", "")
    if not (year_text.isdigit() and 1900 < int(year_text) < 2200):
        raise _fail(broken.format(name=name, sheet=SHEET_ID, what=_("Jahr")))
    institution = found.get("einrichtung", "")
    if not institution or len(institution) > 100:
        raise _fail(broken.format(name=name, sheet=SHEET_ID, what=_("Einrichtung")))
    sections = tuple(s for s in found.get("abschnitte", "").split(",") if s)
    known = {s.code for s in form.sections}
    if not sections or any(s not in known for s in sections) or found.get("vorjahr") not in ("ja", "nein"):
        raise _fail(broken.format(name=name, sheet=SHEET_ID, what=_("Abschnitte")))
    language = found.get("sprache", "de")
    if language != LANGUAGE and language in LANGUAGES:
        raise _fail(_("{name} wurde erstellt, als das Programm auf {made} eingestellt war; jetzt ist es auf {now} "
                      "eingestellt. Die festen Texte des Formulars lassen sich so nicht prüfen. Bitte die Sprache "
                      "wieder auf {made} stellen (Menü „Datei“), das Programm neu starten und die Datei erneut "
                      "einlesen.").format(name=name, made=LANGUAGES[language], now=LANGUAGES[LANGUAGE]))
    layout = plan(form, int(year_text), sections, found["vorjahr"] == "ja")
    if layout.fingerprint != found.get("layout"):
        raise _fail(_("{name} wurde mit einer anderen Version des Integrationsmonitors erstellt, deren Formular anders "
                      "aufgebaut ist, oder die Kennung wurde verändert. Bitte für die Einrichtung ein neues "
                      "Excel-Formular erstellen.").format(name=name))
    return layout, institution, int(year_text)


def _check_labels(layout: Layout, cells: dict, name: str) -> None:
    for spot in layout.anchors():
        found = _text(cells.get((spot.row, spot.column)))
        if found != " ".join(spot.text.split()):
            shown = f"„{found[:60]}“" if found else _("eine leere Zelle")
            raise _fail(_("{name}: Im Blatt „{sheet}“ steht in Zelle {cell} {found} statt „{expected}“. Offenbar "
                          "wurden Zeilen oder Spalten eingefügt, gelöscht oder verschoben, oder ein fester Text wurde "
                          "geändert. So lassen sich die Zahlen nicht sicher zuordnen; es wurde nichts übernommen. "
                          "Bitte die Einrichtung, die Zahlen in das unveränderte Formular einzutragen (oder ein neues "
                          "Excel-Formular erstellen) und erneut zu senden.").format(
                              name=name, sheet=SHEET_FORM, cell=spot.ref, found=shown, expected=spot.text))


def _raw(cell, where: str) -> str:
    """What a user put into an input cell, as text for parse_input; refuses formulas, errors and dates."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    data_type = getattr(cell, "data_type", "")
    if data_type == "f" or not isinstance(value, str | int | float | bool | datetime | date | time):
        formula = value if isinstance(value, str) else getattr(value, "text", "") or "…"
        raise InputError(_("{where} enthält eine Formel ({formula}). Formeln werden aus Sicherheitsgründen nicht "
                           "ausgerechnet. Bitte die Zahl selbst eintragen.").format(where=where,
                                                                                     formula=str(formula)[:40]))
    if data_type == "e":
        raise InputError(_("{where} enthält einen Fehlerwert ({v}). Bitte die Zahl selbst eintragen.").format(
            where=where, v=value))
    if isinstance(value, bool):
        raise InputError(_("{where} enthält einen Wahrheitswert ({v}) statt einer Angabe.").format(
            where=where, v="WAHR" if value else "FALSCH"))
    if isinstance(value, datetime | date | time):
        shown = value.strftime("%d.%m.%Y") if isinstance(value, date) else str(value)
        raise InputError(_("{where} enthält ein Datum ({v}) statt einer Anzahl. Vermutlich wurde eine Zahl mit Punkt "
                           "eingegeben (z. B. 1.5); bitte die Anzahl als ganze Zahl eintragen.").format(
                               where=where, v=shown))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(_("{where} enthält keine gültige Zahl.").format(where=where))
        if value.is_integer():
            return str(int(value))
        return f"{value:.6g}".replace(".", ",")
    return str(value)


def _read_inputs(layout: Layout, cells: dict) -> tuple[dict[Address, Value], list[str]]:
    form = layout.form
    values: dict[Address, Value] = {}
    notes: dict[Address, str] = {}
    problems: list[str] = []
    for spot in layout.inputs():
        label = cell_label(form, *spot.address)
        where = _("Blatt „{sheet}“, Zelle {cell} ({label})").format(sheet=SHEET_FORM, cell=spot.ref, label=label) \
            if spot.role != NOTE else _("Blatt „{sheet}“, Zelle {cell} (Bemerkung zu {label})").format(
                sheet=SHEET_FORM, cell=spot.ref, label=label)
        try:
            raw = _raw(cells.get((spot.row, spot.column)), where)
            if spot.role == NOTE:
                note = raw.strip()
                if len(note) > MAX_NOTE_CHARS:
                    raise InputError(_("{where}: Die Bemerkung ist {n} Zeichen lang, erlaubt sind {max}. Bitte "
                                       "kürzen.").format(where=where, n=len(note), max=MAX_NOTE_CHARS))
                if note:
                    notes[spot.address] = note
                continue
            value = parse_input(form.field(spot.address[0]), raw, where)
        except InputError as exc:
            problems.append(exc.message)
            continue
        if not value.is_blank:
            values[spot.address] = value
    for address, note in notes.items():
        values[address] = values.get(address, Value()).with_comment(note)
    return values, problems


def read_returned_workbook(data: bytes, name: str = "") -> ReturnedWorkbook:
    """The values of a returned Excel form, or ExcelFormError: the whole form or nothing."""
    name = name or _("Die Excel-Datei")
    _check_container(data, name)
    book = _open_book(data, name)
    try:
        if len(book.sheetnames) > MAX_SHEETS:
            raise _fail(_("{name} hat {n} Tabellenblätter; ein Excel-Formular hat drei. Bitte die Einrichtung, das "
                          "ursprüngliche Formular auszufüllen.").format(name=name, n=len(book.sheetnames)))
        found = _identification(book, name)
        layout, institution, year = _layout(found, name)
        if SHEET_FORM not in book.sheetnames:
            others = ", ".join(f"„{s}“" for s in book.sheetnames if s != SHEET_ID)
            raise _fail(_("{name}: Das Blatt „{sheet}“ fehlt (vorhanden: {others}). Wurde es umbenannt? Bitte den "
                          "Namen des Blatts wieder in „{sheet}“ ändern (Rechtsklick auf den Reiter unten, "
                          "„Umbenennen“) und die Datei erneut einlesen; es wurde nichts übernommen.").format(
                              name=name, sheet=SHEET_FORM, others=others or "–"))
        try:
            cells = _grid(book[SHEET_FORM], layout.last_row, layout.last_column)
        except Exception as exc:
            raise _fail(_("{name}: Das Blatt „{sheet}“ kann nicht gelesen werden ({err}). Bitte die Datei in Excel "
                          "oder LibreOffice als .xlsx neu speichern lassen.").format(
                              name=name, sheet=SHEET_FORM, err=type(exc).__name__)) from exc
    finally:
        book.close()
    _check_labels(layout, cells, name)
    values, problems = _read_inputs(layout, cells)
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        message = _("{name} wurde nicht übernommen, weil Eingaben nicht stimmen:\n{list}{more}\nBitte die Einrichtung, "
                    "diese Zellen zu korrigieren und die Datei erneut zu senden.").format(
                        name=name, list="\n".join(f"• {p}" for p in shown),
                        more=_("\n• und {n} weitere").format(n=more) if more else "")
        raise ExcelFormError(message, problems)
    cells_of = {s.address: s.ref for s in layout.inputs() if s.role in (COUNT, TEXT)}
    return ReturnedWorkbook(institution, found.get("einrichtung_name", "")[:200], layout.form, year, values,
                            found.get("erstellt", "")[:40], cells_of, int(found["format_version"]),
                            found.get("zugang", "")[:100], found.get("siegel", "")[:100])
