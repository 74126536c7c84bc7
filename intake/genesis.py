"""Official statistics tables as officers download them from GENESIS (Landesdatenbank NRW, Regionalstatistik), CSV
in UTF-8 or Latin-1, or XLSX: the table code, the reference date, the regional depth, the stacked header lines and
the data lines by official regional key (AGS), with the official symbols kept as what they mean.

Only reading: which column of which table goes into which form field is decided elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from common.i18n import N_, _
from forms.model import ValueState
from forms.values import Value
from intake.tables import TableError, read_records

# The official symbols (Zeichenerklärung of the statistical offices) and what each becomes.
SYMBOLS: dict[str, tuple[Value, str]] = {
    "-": (Value(number=0), N_("nichts vorhanden (genau null)")),
    ".": (Value(state=ValueState.UNKNOWN), N_("Zahlenwert unbekannt oder geheim zu halten")),
    "x": (Value(state=ValueState.NOT_APPLICABLE), N_("Tabellenfach gesperrt, weil Aussage nicht sinnvoll")),
    "/": (Value(state=ValueState.UNKNOWN), N_("keine Angabe, da Zahlenwert nicht sicher genug")),
    "...": (Value(state=ValueState.UNKNOWN), N_("Angabe fällt später an")),
}
# "Stichtag 31.12.", "30.06.", "Jahresdurchschnitt", "Jahressumme", 12511's plain "- Jahr -", and the school
# statistics' "- Stichtag: Schuljahresbeginn -" and "- Schuljahr -".
_REFERENCE = re.compile(r"Stichtag:?\s+(\d\d\.\d\d\.|Schuljahresbeginn)|(Jahresdurchschnitt)|(Jahressumme)"
                        r"|-\s*(Jahr|Schuljahr)\s*-")
_STAND = re.compile(r"Stand:\s*(\d\d\.\d\d\.\d{4})")
_CODE = re.compile(r"GENESIS-Tabelle:\s*([0-9A-Za-z][0-9A-Za-z-]*)")
# An AGS: "DG" for Germany or 2 to 12 digits; downloads sometimes put a running number in front ("2987:05974040").
_KEY = re.compile(r"(?:\d+:)?(DG|\d{2,12})")
_PERIOD = re.compile(r"(\d\d\.\d\d\.)?(\d{4})")
_END = ("__________", "©", "Stand:", '"©')


class GenesisError(TableError):
    """The file is not a GENESIS table as downloaded; the message says what is missing."""


@dataclass(frozen=True)
class Cell:
    value: Value
    symbol: str = ""  # the official symbol as written, "" for a number

    @property
    def meaning(self) -> str:
        return _(SYMBOLS[self.symbol][1]) if self.symbol else ""


@dataclass(frozen=True)
class Line:
    """One data line: the region, its period (from the line or the column), a category where the table has one.
    The values are read when asked for: an office takes a few of the 14,000 lines of a Gemeinde table."""

    number: int  # as the file counts, for messages
    key: str
    name: str
    period: str  # "2015", or "31.12.2015" where the table names the day; "" where the columns carry it
    category: str
    raw: tuple[str, ...]
    file: str = ""

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(_cell(text, self.file, self.number) for text in self.raw)


@dataclass
class GenesisTable:
    code: str  # e.g. "12411-01-01-5"
    title: str
    reference: str  # "31.12.", "30.06.", "Jahresdurchschnitt", "Jahressumme", "Jahr", or ""
    depth: str  # e.g. "Gemeinden, Samt-/Verbandsgemeinden"
    columns: list[tuple[str, ...]]  # each value column's stacked headings, top to bottom, blanks dropped
    lines: list[Line] = field(default_factory=list)
    stand: str = ""  # the day of the download's data ("10.10.2017"), from the "Stand:" line at the end
    publisher: str = ""  # from the © line: the Regionalstatistik's offices or IT.NRW's Landesdatenbank

    @property
    def family(self) -> str:
        """The table without its regional depth: "12411-01-01-5" and "12411-01-01-4" are one family."""
        return self.code.rsplit("-", 1)[0] if self.code.count("-") >= 3 else self.code

    def of(self, ags: str) -> list[Line]:
        """The lines of one region, by its official key (the Gemeinde for a town, the Kreis for a Kreis)."""
        return [line for line in self.lines if line.key == ags]


def _cell(text: str, name: str, number: int) -> Cell:
    text = text.strip()
    if text in SYMBOLS:
        return Cell(SYMBOLS[text][0], text)
    digits = text.replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", text) else text
    if not re.fullmatch(r"\d{1,12}", digits):
        raise GenesisError(_("{name}, Zeile {n}: „{text}“ ist weder eine Zahl noch ein Zeichen der amtlichen "
                             "Statistik (-, ., x, /, ...).").format(name=name, n=number, text=text[:40]))
    return Cell(Value(number=int(digits)))


def _publisher(copyright_line: str) -> str:
    """Who publishes the table, from its © line (footnotes may name other offices)."""
    if "IT.NRW" in copyright_line or "Information und Technik" in copyright_line:
        return "IT.NRW"
    if "Statistische Ämter des Bundes und der Länder" in copyright_line:
        return "Statistische Ämter des Bundes und der Länder"
    return ""


def period_of(text: str) -> tuple[str, int] | None:
    """("31.12.", 2015) for "31.12.2015", ("", 2015) for "2015"; None for anything else."""
    found = _PERIOD.fullmatch(text.strip())
    return (found.group(1) or "", int(found.group(2))) if found else None


def _key_column(cells: tuple[str, ...]) -> int | None:
    """The key is followed by the region's name; a year in front ("2016;05974;Soest, Kreis") looks like a key."""
    return next((i for i, c in enumerate(cells) if _KEY.fullmatch(c) and i + 1 < len(cells) and cells[i + 1]
                 and not _KEY.fullmatch(cells[i + 1])), None)


def read_genesis(path: str | Path) -> GenesisTable:
    records, name = read_records(path, ";")
    return parse_genesis(records, name)


def genesis_or_none(path: str | Path) -> GenesisTable | None:
    """The table, where the file is a GENESIS download (its first line names the table code); None for any other
    table, which is then read in the long layout."""
    records, name = read_records(path, ";")
    first = records[0][0] if records and records[0] else ""
    return parse_genesis(records, name) if _CODE.search(first) else None


def parse_genesis(records: list[list[str]], name: str) -> GenesisTable:
    """`records` as the file holds them, the first line first."""
    first_cell = records[0][0] if records and records[0] else ""
    code = _CODE.search(first_cell)
    if code is None:
        raise GenesisError(_("{name} ist keine GENESIS-Tabelle: die erste Zeile nennt keinen Tabellencode "
                             "(„GENESIS-Tabelle: …“). Bitte die Tabelle als CSV oder XLSX aus der Landesdatenbank "
                             "oder der Regionalstatistik herunterladen.").format(name=name))
    titles, headers, body = [], [], []
    period, footer = "", []
    for number, record in enumerate(records[1:], start=2):
        first = record[0].strip() if record else ""
        if first.startswith(_END):
            footer = records[number - 1:]  # the footnotes, the © line, "Stand: …"
            break
        if body:  # the data lines: thousands of them, taken as they are
            if any(record):
                body.append((number, record))
            continue
        row = [cell.strip() for cell in record]
        while row and not row[-1]:
            row.pop()  # the trailing delimiters of title lines
        if not row:
            continue
        if headers and first:
            body.append((number, record))
        elif first and len(row) == 1 and _PERIOD.fullmatch(first):
            period = first  # a year standing alone above the headings: the period of every line
        elif first:
            titles.append(" ".join(c for c in row if c))
        else:
            headers.append(row)
    if not headers or not body:
        raise GenesisError(_("{name}: Kopfzeilen oder Datenzeilen fehlen; ist die Datei vollständig "
                             "heruntergeladen?").format(name=name))
    labels = min(next((i for i, c in enumerate(h) if c), len(h)) for h in headers)
    width = max(len(h) for h in headers)
    columns = [tuple(h[i] for h in headers if i < len(h) and h[i]) for i in range(labels, width)]
    text = " ".join(titles)
    reference = next((g for m in _REFERENCE.finditer(text) for g in m.groups() if g), "")
    depth = next((line.split("regionale Tiefe:", 1)[1].strip() for line in titles if "regionale Tiefe:" in line), "")
    tail = [record[0] for record in footer if record]
    stand = next((m.group(1) for cell in reversed(tail) if (m := _STAND.search(cell))), "")
    result = GenesisTable(code.group(1), titles[0] if titles else "", reference, depth, columns, stand=stand,
                          publisher=_publisher(next((c for c in tail if c.lstrip('"').startswith("©")), "")))
    key_at = None
    strip = str.strip
    for number, row in body:
        cells = list(map(strip, row[:labels]))
        if len(row) <= labels or not "".join(row[labels:]).strip():
            if cells and _PERIOD.fullmatch(cells[0]):
                period = cells[0]  # a year standing alone before its block
            continue
        # The key column is the same on every line of a table: found once, checked on each line.
        key = _KEY.fullmatch(cells[key_at]) if key_at is not None else None
        if key is None or not cells[key_at + 1]:
            key_at = _key_column(cells)
            if key_at is None:
                raise GenesisError(_("{name}, Zeile {n}: kein amtlicher Gemeindeschlüssel in den ersten Spalten."
                                     ).format(name=name, n=number))
            key = _KEY.fullmatch(cells[key_at])
        line_period = next((c for c in cells[:key_at] if c and _PERIOD.fullmatch(c)), period) if key_at else period
        category = " ".join(c for c in cells[key_at + 2:] if c) if len(cells) > key_at + 2 else ""
        result.lines.append(Line(number, key.group(1), cells[key_at + 1], line_period, category,
                                 tuple(row[labels:width]), name))
    return result
