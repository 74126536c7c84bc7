"""Reading a table the officer got from somewhere (a CSV export, an Excel list) into a header and rows of text.

Everything comes back as text, exactly as written: a Gemeindeschlüssel "05974040" or a Schulnummer keeps its
leading zeros. The kind of file is told by its first bytes, not by its name, because lists arrive renamed
("liste.csv" that is really an Excel file). Limits are checked before and while reading, so a wrong or hostile
file stops with a German message instead of filling the memory.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from common.errors import UserError
from common.file_names import safe_name
from common.i18n import _
from common.numbers import format_number

MAX_FILE_BYTES = 50_000_000
MAX_UNPACKED_BYTES = 500_000_000  # an XLSX is a zip: a small file may unpack to gigabytes
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_TEXT_RUNS = 200_000  # formatted pieces of text in an XLSX; about a second for openpyxl to read
_RUN_TAGS = (b"<r>", b"<r ", b":r>", b":r ")  # a run, with or without attributes or a namespace prefix
DELIMITERS = ",;\t"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Excel format (.xls)
_ZEROS_FORMAT = re.compile(r'^"?(0+)"?$')


class TableError(UserError):
    """A table file cannot be read; the message names the file and what to do."""


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]  # each as long as the header; blank rows kept so row numbers match the file
    encoding: str = ""  # CSV only, e.g. "utf-8", "utf-8-sig", "cp1252"
    delimiter: str = ""  # CSV only
    sheet: str = ""  # XLSX only
    first_row: int = 2  # the row number (as Excel shows it) of rows[0]; blank lines above the header shift it

    def row_number(self, index: int) -> int:
        return self.first_row + index


def read_table(path: str | Path, sheet: str | None = None) -> Table:
    """A CSV or XLSX file as text; `sheet` picks an Excel sheet by name (default: the first)."""
    path = Path(path)
    name = safe_name(path.name)
    data = _read_capped(path, name)
    if data.startswith(_ZIP_MAGIC) and data[30:84] == b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet":
        raise TableError(_("{name} ist eine LibreOffice-Tabelle (.ods). Bitte in LibreOffice als „Excel 2007-365 "
                           "(.xlsx)“ oder als CSV speichern und diese Datei wählen.").format(name=name))
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, name, sheet)
    if data.startswith(_OLE_MAGIC):
        raise TableError(_("{name} ist im alten Excel-Format (.xls). Bitte in Excel als „Excel-Arbeitsmappe "
                           "(.xlsx)“ oder als „CSV (Trennzeichen-getrennt)“ speichern und diese Datei wählen."
                           ).format(name=name))
    return _read_csv(data, name)


def read_records(path: str | Path, delimiter: str) -> tuple[list[list[str]], str]:
    """The records of a CSV file whose delimiter is known (a GENESIS download: ";", though its title lines hold
    commas), as the csv module gives them: not stripped, not padded, for a reader that knows its layout. The same
    size limit and encoding detection as read_table; an XLSX comes back as read_table reads it. Also the name to
    show in messages."""
    path = Path(path)
    name = safe_name(path.name)
    data = _read_capped(path, name)
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        table = read_table(path)
        return [list(table.header), *map(list, table.rows)], name
    text, _encoding = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise TableError(_("{name} kann in Zeile {line} nicht gelesen werden ({err}). Ist es wirklich eine "
                           "CSV-Datei?").format(name=name, line=reader.line_num, err=exc)) from exc
    if len(records) > MAX_ROWS:
        raise TableError(_("{name} hat mehr als {limit} Zeilen. Bitte nur die benötigten Zeilen speichern, "
                           "z. B. die Einrichtungen eines Kreises.").format(name=name, limit=format_number(MAX_ROWS)))
    return records, name


def _read_capped(path: Path, name: str) -> bytes:
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise TableError(_("{name} ist ein Ordner. Bitte eine Tabellendatei (CSV oder Excel) wählen.").format(
                name=name))
        if not stat.S_ISREG(st.st_mode):
            raise TableError(_("{name} ist keine gewöhnliche Datei.").format(name=name))
        if st.st_size > MAX_FILE_BYTES:
            raise TableError(_too_big(name, st.st_size))
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise TableError(_("Die Datei {path} gibt es nicht. Bitte den Namen prüfen.").format(path=path)) from exc
    except OSError as exc:
        raise TableError(_("{name} kann nicht gelesen werden ({err}).").format(
            name=name, err=exc.strerror or exc)) from exc
    if len(data) > MAX_FILE_BYTES:  # grew after the check
        raise TableError(_too_big(name, len(data)))
    if not data.strip():
        raise TableError(_("{name} ist leer.").format(name=name))
    return data


def _too_big(name: str, size: int) -> str:
    return _("{name} ist zu groß ({mb:.0f} MB) für eine Tabelle (höchstens {limit:.0f} MB). Bitte "
             "nur die benötigten Zeilen und Spalten speichern.").format(name=name, mb=size / 1e6,
                                                                        limit=MAX_FILE_BYTES / 1e6)


def _not_a_table(name: str) -> TableError:
    return TableError(_("{name} ist keine Tabelle im Format CSV oder Excel (.xlsx). Bitte die Liste in Excel oder "
                        "LibreOffice öffnen und als CSV oder .xlsx speichern.").format(name=name))


# --- CSV ---------------------------------------------------------------------------------------------------------

def _decode(data: bytes, name: str) -> tuple[str, str]:
    # Excel's "Unicode-Text" export is UTF-16 with a byte order mark; anything else with NUL bytes is binary.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _not_a_table(name) from exc
    if b"\x00" in data:
        raise _not_a_table(name)
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Excel on a German Windows saves "CSV" as Windows-1252. Its five unassigned bytes become "�", not a crash.
        return data.decode("cp1252", errors="replace"), "cp1252"


def _delimiter(text: str) -> str:
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # a cut line in the middle would mislead the sniffer
    first_line = next(iter(sample.splitlines()), "")
    counts = {d: _count_unquoted(first_line, d) for d in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    # The sniffer guesses from character frequencies and sometimes picks a character that only occurs in the data
    # ("Soest, Stadt" in a semicolon file); a header never names a column with a delimiter in it.
    if sniffed in counts and counts[sniffed] > 0:
        return sniffed
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _count_unquoted(line: str, char: str) -> int:
    return re.sub(r'"[^"]*"', "", line).count(char)


def _read_csv(data: bytes, name: str) -> Table:
    text, encoding = _decode(data, name)
    delimiter = _delimiter(text)
    rows = _Rows(name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)
    try:
        strip, add = str.strip, rows.add
        for record in reader:
            cells = list(map(strip, record))
            while cells and not cells[-1]:
                cells.pop()  # trailing delimiters, as Excel writes them for empty cells at the right
            add(cells)
    except csv.Error as exc:
        raise TableError(_("{name} kann in Zeile {line} nicht gelesen werden ({err}). Ist es wirklich eine "
                           "CSV-Datei?").format(name=name, line=reader.line_num, err=exc)) from exc
    return rows.table(encoding=encoding, delimiter=delimiter)


# --- XLSX --------------------------------------------------------------------------------------------------------

def _read_xlsx(data: bytes, name: str, sheet: str | None) -> Table:
    import openpyxl

    # openpyxl parses the workbook's XML with defusedxml whenever that is installed (it is a dependency of ours)
    # and says so in openpyxl.DEFUSEDXML; without it a crafted file could expand entities without bound.
    if not openpyxl.DEFUSEDXML:
        raise TableError(_("Excel-Dateien können nicht sicher gelesen werden, weil das Paket „defusedxml“ fehlt. "
                           "Bitte das Programm neu installieren oder die Liste als CSV speichern."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked <= MAX_UNPACKED_BYTES:
                runs = _text_runs(archive)
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise _not_a_table(name) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise TableError(_("{name} ist entpackt zu groß ({mb:.0f} MB, höchstens {limit:.0f} MB). Bitte nur die "
                           "benötigten Zeilen und Spalten speichern.").format(
            name=name, mb=unpacked / 1e6, limit=MAX_UNPACKED_BYTES / 1e6))
    if runs > MAX_TEXT_RUNS:
        raise TableError(_("{name} enthält ungewöhnlich viele Textformatierungen ({n} Abschnitte) und würde sehr "
                           "lange zum Lesen brauchen. Bitte die Liste in Excel öffnen, als CSV speichern und diese "
                           "Datei wählen.").format(name=name, n=format_number(runs)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not need here
            # data_only: a formula is never evaluated; its cell gives the value Excel saved with it, or nothing.
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return _read_sheet(book, name, sheet)
            finally:
                book.close()
    except TableError:
        raise
    except Exception as exc:  # openpyxl raises anything from KeyError to ValueError on a broken workbook
        raise TableError(_("{name} kann nicht als Excel-Datei gelesen werden ({err}). Bitte die Datei in Excel "
                           "öffnen und neu speichern.").format(name=name, err=type(exc).__name__)) from exc


def _text_runs(archive: zipfile.ZipFile) -> int:
    """How many formatted pieces ("rich text runs", <r>) the shared strings hold. openpyxl needs a few microseconds
    for each, so a small file with millions of them would hold the program for minutes; real lists have a few."""
    try:
        member = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return 0
    count, tail = 0, b""
    with member:
        while chunk := member.read(1 << 20):
            block = tail + chunk
            count += sum(block.count(tag) for tag in _RUN_TAGS)
            tail = block[-2:]  # too short for a whole tag, long enough to complete one cut by the chunk border
    return count


def _read_sheet(book, name: str, sheet: str | None) -> Table:
    sheets = book.worksheets
    if not sheets:
        raise TableError(_("{name} enthält kein Tabellenblatt.").format(name=name))
    if sheet is None:
        ws = sheets[0]
    else:
        found = [ws for ws in sheets if ws.title == sheet]
        if not found:
            raise TableError(_("{name} hat kein Tabellenblatt „{sheet}“. Vorhanden: {names}.").format(
                name=name, sheet=sheet, names=", ".join(f"„{ws.title}“" for ws in sheets)))
        ws = found[0]
    # The stored dimension ("A1:XFD1048576" after formatting whole columns) would pad every row to its size;
    # without it each row is as wide as its last written cell.
    ws.reset_dimensions()
    rows = _Rows(name)
    for row in ws.iter_rows():
        cells = [_cell_text(cell) for cell in row]
        while cells and not cells[-1]:
            cells.pop()  # formatted but empty cells at the right end
        rows.add(cells)
    return rows.table(sheet=ws.title)


def _cell_text(cell) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAHR" if value else "FALSCH"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        text = str(int(value))
        # A key typed as a number with the format "00000000" shows its leading zeros in Excel: keep them.
        zeros = _ZEROS_FORMAT.match(getattr(cell, "number_format", "") or "")
        return text.zfill(len(zeros.group(1))) if zeros and not text.startswith("-") else text
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


# --- both --------------------------------------------------------------------------------------------------------

class _Rows:
    """Collects records as they are read and enforces the limits on the way, so an oversized file stops early.

    Blank rows are only counted until a row with content follows: a sheet formatted down to row 1,048,576 costs
    nothing, and blank rows between data stay in place so that row numbers match what Excel shows."""

    def __init__(self, name: str):
        self.name = name
        self.leading = 0  # blank rows above the header
        self.records: list[list[str]] = []  # the header, then the data rows
        self.blank = 0  # blank rows since the last row with content

    def add(self, cells: list[str]) -> None:
        if not any(cells):
            if self.records:
                self.blank += 1
            else:
                self.leading += 1
            return
        if len(cells) > MAX_COLUMNS:
            raise TableError(_("{name} hat in Zeile {line} mehr als {limit} Spalten. Bitte nur die benötigten "
                               "Spalten speichern.").format(name=self.name, line=self.line(), limit=MAX_COLUMNS))
        if self.records and len(self.records) + self.blank > MAX_ROWS:  # the header is not a data row
            raise TableError(_("{name} hat mehr als {limit} Zeilen. Bitte nur die benötigten Zeilen speichern, "
                               "z. B. die Einrichtungen eines Kreises.").format(
                name=self.name, limit=format_number(MAX_ROWS)))
        if self.blank:
            self.records.extend([] for _ in range(self.blank))
            self.blank = 0
        self.records.append(cells)

    def line(self) -> int:
        """The row number, as Excel counts, of the record being added."""
        return self.leading + len(self.records) + self.blank + 1

    def table(self, **kind) -> Table:
        if not self.records:
            raise TableError(_("{name} enthält keine Zeilen.").format(name=self.name))
        width = max(len(r) for r in self.records)
        first = self.records[0]
        # A column without a heading still holds data: it gets a name instead of being dropped.
        header = tuple(first[i] if i < len(first) and first[i] else _("Spalte {n}").format(n=i + 1)
                       for i in range(width))
        rows = [tuple(r) if len(r) == width else tuple(r) + ("",) * (width - len(r)) for r in self.records[1:]]
        return Table(header=header, rows=rows, first_row=self.leading + 2, **kind)
