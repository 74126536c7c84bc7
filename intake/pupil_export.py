"""Reading a school's pupil export (SchILD-NRW "Datenaustausch → Export in Text-/Excel-Dateien", data kind
"Schüler") into memory, with its columns recognised by their headings.

Privacy: the rows stay in this object, in memory, for as long as the counting takes. Nothing here writes a row,
a name or a date anywhere; messages name columns and counts, never a value from a pupil's row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from common.errors import UserError
from common.i18n import N_, _
from intake.registry_import import heading_key, visible_text
from intake.tables import TableError, read_table

# column: (the display name in SchILD, further headings as found in exports, written as heading_key() leaves them)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "status": ("Status", ("status", "schuelerstatus")),
    "klasse": ("Klasse", ("klasse",)),
    "jahrgang": ("Jahrgang", ("jahrgang", "jahrgangsstufe", "asd jahrgang")),
    "staat": ("Staatsangehörigkeit (Schlüssel)", ("staatsangehoerigkeit schluessel", "staatsangehoerigkeit",
                                                 "staatsangehoerigkeit 1 schluessel", "staatkrz", "staat krz")),
    "aussiedler": ("Aussiedler", ("aussiedler", "spaetaussiedler")),
    "migration": ("Migrationshintergrund vorhanden", ("migrationshintergrund vorhanden", "migrationshintergrund",
                                                      "zuwanderungsgeschichte vorhanden", "zuwanderungsgeschichte")),
    "geburtsland": ("Geburtsland", ("geburtsland", "geburtsland schueler", "gebland")),
    "geburtsland_mutter": ("Geburtsland Mutter", ("geburtsland mutter", "gebland mutter")),
    "geburtsland_vater": ("Geburtsland Vater", ("geburtsland vater", "gebland vater")),
    "zuzugsjahr": ("Zuzugsjahr", ("zuzugsjahr", "zuzug jahr", "jahr des zuzugs")),
    "sprache": ("Verkehrssprache in der Familie", ("verkehrssprache in der familie", "verkehrssprache")),
    "empfehlung": ("Übergangsempfehlung", ("uebergangsempfehlung", "uebergangsempfehlung jg5",
                                           "uebergangsempfehlung jahrgang 5", "grundschulempfehlung",
                                           "schulformempfehlung")),
    "entlassdatum": ("Entlassdatum", ("entlassdatum", "entlassungsdatum", "abgangsdatum")),
    "abschluss": ("Abschlussart an eigener Schule (Statistik-Kürzel)", (
        "abschlussart an eigener schule statistik kuerzel", "abschlussart an eigener schule",
        "abschlussart statistik kuerzel", "abschlussart")),
    "aufnehmende_schule": ("Aufnehmende Schule: Schulnr.", (
        "aufnehmende schule schulnr", "aufnehmende schule", "aufnehmende schule schulnummer",
        "schulnr aufnehmende schule", "entlassen nach schulnr")),
}
# Without these nothing can be counted; every other column only adds figures.
REQUIRED = ("status",)
GRADE_COLUMNS = ("jahrgang", "klasse")

# What each missing column costs, so the secretary can decide whether to export again.
COLUMN_PURPOSE = {
    "staat": N_("Ausländer/innen und Abschlüsse nach Staatsangehörigkeit"),
    "aussiedler": N_("(Spät-)Aussiedler/innen"),
    "migration": N_("Kennzeichen „Migrationshintergrund vorhanden“ zum Vergleich"),
    "geburtsland": N_("Merkmal „selbst im Ausland geboren und zugewandert“"),
    "geburtsland_mutter": N_("Merkmal „Elternteil im Ausland geboren“"),
    "geburtsland_vater": N_("Merkmal „Elternteil im Ausland geboren“"),
    "zuzugsjahr": N_("Merkmal „selbst im Ausland geboren und zugewandert“"),
    "sprache": N_("Merkmal „Verkehrssprache in der Familie nicht Deutsch“"),
    "empfehlung": N_("Schulformempfehlungen (Grundschule)"),
    "entlassdatum": N_("Abgänge, Abschlüsse und Übergänge"),
    "abschluss": N_("Abgänger/innen nach Abschluss"),
    "aufnehmende_schule": N_("Übergänge nach aufnehmender Schulform (Grundschule)"),
    "klasse": N_("Klasse, wenn der Jahrgang fehlt"),
    "jahrgang": N_("Jahrgang (sonst aus der Klasse abgeleitet)"),
}

_HEADINGS = {key: column for column, (display, keys) in COLUMNS.items() for key in (heading_key(display), *keys)}


class PupilExportError(UserError):
    """The file is not a pupil export that can be counted; the message says which columns were expected."""


@dataclass(frozen=True)
class PupilExport:
    """The rows of one export as text, by column; only columns this program knows are kept."""

    columns: frozenset[str]
    rows: list[dict[str, str]]
    encoding: str
    delimiter: str

    def has(self, *columns: str) -> bool:
        return all(c in self.columns for c in columns)

    def missing(self) -> list[str]:
        return [c for c in COLUMNS if c not in self.columns]


def expected_columns() -> str:
    return ", ".join(f"„{display}“" for display, _keys in COLUMNS.values())


def read_pupil_export(path: str | Path) -> PupilExport:
    """The export as rows of text. Raises PupilExportError for a file that is not a pupil export."""
    path = Path(path)
    try:
        table = read_table(path)
    except TableError as exc:
        raise PupilExportError(exc.message) from exc
    found: dict[str, int] = {}
    for index, heading in enumerate(table.header):
        column = _HEADINGS.get(heading_key(heading))
        if column is not None and column not in found:
            found[column] = index
    lacking = [f"„{COLUMNS[c][0]}“" for c in REQUIRED if c not in found]
    if not any(c in found for c in GRADE_COLUMNS):
        lacking.append(_("„{a}“ oder „{b}“").format(a=COLUMNS["jahrgang"][0], b=COLUMNS["klasse"][0]))
    if lacking:
        raise PupilExportError(_(
            "{name} ist kein Schülerexport aus SchILD-NRW, der gezählt werden kann (fehlende Spalten: {missing}). "
            "Erwartet wird eine Textdatei aus „Datenaustausch → Export in Text-/Excel-Dateien“ (Daten: Schüler) mit "
            "einer Kopfzeile und diesen Spalten: {expected}. Die Anleitung im Programm zeigt Schritt für Schritt, "
            "wie dieser Export angelegt wird.").format(name=path.name, missing=_(" und ").join(lacking),
                                                     expected=expected_columns()))
    # A zero-width space typed into SchILD must not make "F" an unknown code.
    rows = [{column: visible_text(record[index]).strip() if index < len(record) else ""
             for column, index in found.items()}
            for record in table.rows if any(cell.strip() for cell in record)]
    return PupilExport(columns=frozenset(found), rows=rows, encoding=table.encoding, delimiter=table.delimiter)
