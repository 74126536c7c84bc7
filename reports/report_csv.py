"""The report's tables as CSV files, one per table, the way a German Excel opens them by double-click.

UTF-8 with a byte order mark (without it Excel reads the umlauts as Windows-1252), semicolons between the fields
and the printed German numbers ("48.043", "12,5"). A CSV cannot say "this is text", so user text that starts like
a formula gets a leading apostrophe (the OWASP advice against CSV injection); real numbers such as "-7" are left
alone, because they are numbers and Excel must read them as such.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from common.file_names import safe_name
from common.i18n import _
from reports.errors import ReportError
from reports.report_model import TEXT, Report, Table
from store.files import describe_write_error, write_atomically

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A NUL byte makes many programs (and intake.tables) take the file for binary; surrogates cannot be encoded.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def neutralise(text: str) -> str:
    text = _CONTROL.sub("\ufffd", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_file_name(chapter_code: str, table_code: str, taken: set[str]) -> str:
    """ASCII letters, digits, "_" and "-" only, so the name survives every file system and mail program."""
    stem = "_".join(re.sub(r"[^A-Za-z0-9-]+", "_", part.translate(_UMLAUTS)).strip("_-")
                    for part in (chapter_code, table_code))
    stem = stem.strip("_")[:80] or "tabelle"
    name, n = safe_name(f"{stem}.csv"), 2  # the cleaner still has work: "CON" or "nul" is a device on Windows
    while name.casefold() in taken:  # Windows and macOS do not tell "A1.csv" from "a1.csv"
        name, n = safe_name(f"{stem}_{n}.csv"), n + 1
    taken.add(name.casefold())
    return name


def table_csv(table: Table) -> str:
    """The header line and one line per row; provisional values are named in a last column, not marked in the
    value, so the numbers stay readable as numbers."""
    provisional = any(cell.provisional for row in table.cells for cell in row)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    header = [table.row_header, *table.columns] + ([_("vorläufige Werte")] if provisional else [])
    writer.writerow([neutralise(text) for text in header])
    for label, cells in zip(table.rows, table.cells, strict=True):
        line = [neutralise(label)]
        for cell, kind in zip(cells, table.kinds, strict=True):
            is_text = kind == TEXT or cell.number is None
            line.append(neutralise(cell.text) if is_text else cell.text)  # numbers: printed by us, no user text
        if provisional:
            line.append(neutralise(", ".join(c for c, cell in zip(table.columns, cells, strict=True)
                                             if cell.provisional)))
        writer.writerow(line)
    return buffer.getvalue()


def write_report_csv(report: Report, folder: Path) -> list[Path]:
    """One CSV file per table of the report (methods tables included) in `folder`; returns the files written."""
    folder = Path(folder)
    sources = [(c.code, t) for c in report.chapters for t in c.tables]
    sources += [("methoden", m.table) for m in report.methods if m.table is not None]
    if report.profiles:
        from reports.area_profiles import profiles_table

        sources.append(("gebiete", profiles_table(report.profiles)))
    taken: set[str] = set()
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(describe_write_error(exc, folder / "x.csv", _("Die CSV-Datei"))) from exc
    for chapter_code, table in sources:
        path = folder / csv_file_name(chapter_code, table.code, taken)
        try:
            write_atomically(path, table_csv(table).encode("utf-8-sig", errors="replace"), prefix=".csv-")
        except OSError as exc:
            raise ReportError(describe_write_error(exc, path, _("Die CSV-Datei"))) from exc
        written.append(path)
    return written
