"""Taking a list of institutions (the NRW school directory, a Kita list from the youth office, a club list) into
the registry.

The columns are recognised by their headings; the officer sees the mapping and a dry run before anything is
written. Institutions are matched by their id (for schools the Schulnummer): a newer list updates names and
addresses and never makes a second copy. An institution missing from the list is only reported, never deleted or
closed: it may have closed, merged or simply be missing from this export, and only the officer can tell.
A cell left empty never erases what the registry knows; the file is not the only source of the registry.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache

from common.errors import UserError
from common.i18n import N_, _
from common.ids import is_valid_ags, is_valid_id
from common.numbers import format_number
from intake.tables import Table
from store.areas import areas_of, assign_area, levels
from store.database import Database, write
from store.orgunits import INSTITUTION_KINDS, KIND_LABELS, SCHOOL_TYPES, OrgUnit, list_org_units, save_org_units
from store.settings import add_to_school_directory

PREVIEW_ROWS = 20
NEW, UPDATED, UNCHANGED, REFUSED = "neu", "aktualisiert", "unverändert", "abgelehnt"
MISSING = "nicht mehr in der Liste"

# field: (label for the officer, headings as found in the lists, written as heading_key() leaves them)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "id": (N_("Kennung"), ("kennung", "id", "nummer", "einrichtungsnummer", "einrichtungs id", "kennziffer")),
    "official_number": (N_("Schulnummer"), ("schulnummer", "schul nr", "schulnr")),
    "name": (N_("Name"), ("amtliche bezeichnung 1", "amtliche bezeichnung", "name", "einrichtung", "einrichtungsname",
                      "name der einrichtung", "bezeichnung", "schulname")),
    "name_2": (N_("Namenszusatz"), ("amtliche bezeichnung 2", "namenszusatz", "zusatz")),
    "name_3": (N_("Namenszusatz 2"), ("amtliche bezeichnung 3",)),
    "kind": (N_("Art"), ("art", "einrichtungsart", "art der einrichtung", "typ")),
    "schulform": (N_("Schulform"), ("schulform", "schulart")),
    "traeger": (N_("Träger"), ("traeger", "traegerschaft", "traeger der einrichtung")),
    "street": (N_("Straße"), ("strasse und hausnummer", "strasse", "str", "anschrift", "adresse")),
    "house_number": (N_("Hausnummer"), ("hausnummer", "hausnr", "haus nr")),
    "postcode": (N_("PLZ"), ("postleitzahl", "plz")),
    "city": (N_("Ort"), ("ort", "gemeinde", "ortsname")),
    "ags": (N_("Gemeindeschlüssel"), ("amtlicher gemeindeschluessel", "gemeindeschluessel", "ags",
                                      "gemeindekennziffer")),
    "rechtsstatus": (N_("Rechtsstatus"), ("rechtsstatus",)),
    "bezirk": (N_("Bezirk"), ("bezirk", "stadtbezirk")),
    "unterbezirk": (N_("Unterbezirk"), ("unterbezirk",)),
    "gebiet": (N_("Gebiet"), ("gebiet", "gebietsschluessel", "stadtteil", "stadtteil nr", "sozialraum")),
    # Where the institution lies, for the maps: UTM zone 32N (ETRS89) as NRW's lists give it, or WGS84.
    "east": (N_("Rechtswert"), ("rechtswert", "utm rechtswert", "ostwert", "utm x")),
    "north": (N_("Hochwert"), ("hochwert", "utm hochwert", "nordwert", "utm y")),
    "lon": (N_("Längengrad"), ("laengengrad", "longitude", "lon", "lng")),
    "lat": (N_("Breitengrad"), ("breitengrad", "latitude", "lat")),
    "valid_from": (N_("gültig ab"), ("gueltig ab", "gueltig von", "gueltig seit")),
    "valid_to": (N_("gültig bis"), ("gueltig bis",)),
}
_ATTRIBUTES = {"schulform": "schulform", "rechtsstatus": "rechtsstatus", "ags": "gemeindeschluessel"}
_CHANGE_LABELS = {
    "name": N_("Name"), "official_number": N_("Schulnummer"), "traeger": N_("Träger"), "street": N_("Straße"),
    "postcode": N_("PLZ"), "city": N_("Ort"), "parent_id": N_("Bezirk/Unterbezirk"), "valid_from": N_("gültig ab"),
    "valid_to": N_("gültig bis"), "schulform": N_("Schulform"), "rechtsstatus": N_("Rechtsstatus"),
    "gemeindeschluessel": N_("Gemeindeschlüssel"),
}
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# "- Primarstufe -", "Sekundarstufen I und II", "I und II": notes on the school's stages, not part of its name.
_STAGE_WORDS = {"primarstufe", "sekundarstufe", "sekundarstufen", "i", "ii", "und", "der", "schule", "mit"}
_STAGE_CORE = {"primarstufe", "sekundarstufe", "sekundarstufen", "i", "ii"}
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")


class RegistryError(UserError):
    """The list cannot be imported as a whole (no id column, a wrong Gemeindeschlüssel); the message says why."""


def heading_key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold().translate(_UMLAUTS)).split())


def _plain(key: str) -> str:
    return key.replace("ae", "a").replace("oe", "o").replace("ue", "u")  # "Gultig", "Trager" typed without umlaut


_HEADINGS = {variant: name for name, (_label, keys) in FIELDS.items() for key in keys for variant in (key, _plain(key))}


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, int]  # field -> column index
    unused: tuple[int, ...]  # columns that are not taken

    def describe(self, table: Table) -> list[str]:
        lines = [_("Spalte „{col}“ → {label}").format(col=table.header[i], label=_(FIELDS[f][0]))
                 for f, i in sorted(self.columns.items(), key=lambda item: item[1])]
        if self.unused:
            lines.append(_("nicht übernommen: {cols}").format(cols=", ".join(f"„{table.header[i]}“"
                                                                             for i in self.unused)))
        return lines

    def as_dict(self, table: Table) -> dict:
        return {"columns": {f: table.header[i] for f, i in self.columns.items()},
                "unused": [table.header[i] for i in self.unused]}


def propose_mapping(table: Table) -> Mapping:
    """The field of each column by its heading; the leftmost column wins when two headings mean the same."""
    columns: dict[str, int] = {}
    for index, heading in enumerate(table.header):
        name = _HEADINGS.get(heading_key(heading))
        if name and name not in columns:
            columns[name] = index
    taken = set(columns.values())
    return Mapping(columns, tuple(i for i in range(len(table.header)) if i not in taken))


@dataclass
class RegistryResult:
    dry_run: bool = False
    rows: int = 0  # data rows with content
    in_area: int = 0  # of those, the rows that passed the Gemeindeschlüssel filter
    new: list[str] = field(default_factory=list)  # ids
    updated: dict[str, list[str]] = field(default_factory=dict)  # id -> "Feld: „alt“ → „neu“"
    unchanged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "Zeile 17: Schulnummer fehlt …"
    warnings: list[str] = field(default_factory=list)
    missing: list[OrgUnit] = field(default_factory=list)  # in the registry, not in the list
    schools_listed: int = 0  # rows with Schulnummer and Schulform, kept for the Grundschulen's transitions

    @property
    def ok(self) -> bool:
        return not self.refused

    @property
    def counts(self) -> dict[str, int]:
        return {NEW: len(self.new), UPDATED: len(self.updated), UNCHANGED: len(self.unchanged),
                REFUSED: len(self.refused), MISSING: len(self.missing)}

    def describe(self) -> list[str]:
        """The result in German, one line each, as the officer reads it."""
        counts = ", ".join(f"{_(label)}: {n}" for label, n in self.counts.items())
        head = _("Probelauf, nichts gespeichert.") if self.dry_run else _("Gespeichert.")
        rows = _("{rows} Zeilen").format(rows=self.rows) if self.in_area == self.rows else _(
            "{rows} Zeilen, davon {area} im gewählten Gebiet").format(rows=self.rows, area=self.in_area)
        lines = [f"{head} {rows}. {counts}"]
        lines += [_("geändert {id}: {changes}").format(id=i, changes="; ".join(c)) for i, c in self.updated.items()]
        lines += self.refused + self.warnings
        if self.schools_listed:
            lines.append(_("Schulliste für die Übergänge nach Klasse 4: {n} Schulen mit Schulform, auch außerhalb "
                           "des gewählten Gebiets. Sie geht mit den Einrichtungsdateien an die Schulen.").format(
                n=format_number(self.schools_listed)))
        if self.missing:
            lines.append(_("Nicht mehr in der Liste (vielleicht geschlossen; bitte prüfen, es wurde nichts "
                           "gelöscht):"))
            lines += [f"  {u.id} {u.name}" for u in self.missing]
        return lines

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "rows": self.rows, "in_area": self.in_area, "counts": self.counts,
                "new": self.new, "updated": self.updated, "refused": self.refused, "warnings": self.warnings,
                "missing": [{"id": u.id, "name": u.name} for u in self.missing],
                "schools_listed": self.schools_listed}


@dataclass(frozen=True)
class PreviewRow:
    row: int  # as Excel numbers it
    status: str  # NEW, UPDATED or UNCHANGED
    unit: OrgUnit


@dataclass(frozen=True)
class Preview:
    mapping: Mapping
    rows: list[PreviewRow]  # the first PREVIEW_ROWS institutions as they would be saved
    result: RegistryResult


def preview(db: Database, table: Table, mapping: Mapping | None = None, ags: str | None = None,
            default_kind: str | None = None) -> Preview:
    """What an import would do, computed without writing."""
    plan = _Plan(table, mapping or propose_mapping(table), ags, default_kind, area_index(db))
    plan.run(list_org_units(db))
    plan.result.dry_run = True
    return Preview(plan.mapping, plan.sample, plan.result)


def import_registry(db: Database, table: Table, mapping: Mapping | None = None, ags: str | None = None,
                    default_kind: str | None = None, dry_run: bool = False) -> RegistryResult:
    if dry_run:
        return preview(db, table, mapping, ags, default_kind).result
    plan = _Plan(table, mapping or propose_mapping(table), ags, default_kind, area_index(db))
    # Read and write in one transaction, so that nothing can change between the comparison and the save.
    with write(db):
        plan.run(list_org_units(db))
        if plan.to_save:
            save_org_units(db, plan.to_save)  # once for all rows: one upsert_all, not 5,407 round trips
        for unit_id, (level, key) in plan.areas_of.items():
            assign_area(db, unit_id, level, key)
        if plan.directory:
            add_to_school_directory(db, plan.directory)
    return plan.result



def area_index(db: Database) -> dict[str, list[tuple[str, str]]]:
    """Every area's key and name (folded) → its (level, key), to place an institution by the registry's column."""
    index: dict[str, list[tuple[str, str]]] = {}
    for level in levels(db):
        for area in areas_of(db, level.code):
            for text in {area.key, heading_key(area.name)}:
                index.setdefault(text, []).append((level.code, area.key))
    return index


class _Plan:
    def __init__(self, table: Table, mapping: Mapping, ags: str | None, default_kind: str | None,
                 areas: dict[str, list[tuple[str, str]]] | None = None):
        self.table, self.mapping = table, mapping
        self.area_index = areas or {}
        self.areas_of: dict[str, tuple[str, str]] = {}
        self.ags = (ags or "").strip() or None
        self.default_kind = default_kind
        self.result = RegistryResult()
        self.to_save: list[OrgUnit] = []
        self.sample: list[PreviewRow] = []
        self.directory: dict[str, str] = {}
        self._check_arguments()

    def _check_arguments(self) -> None:
        cols = self.mapping.columns
        if "name" not in cols or not ({"id", "official_number"} & cols.keys()):
            missing = [_(FIELDS[f][0]) for f in ("id", "name") if f not in cols
                       and not (f == "id" and "official_number" in cols)]
            raise RegistryError(_("In der Tabelle fehlt eine Spalte für: {fields}. Erkannt werden Überschriften wie "
                                  "„Kennung“, „ID“ oder „Schulnummer“ und „Name“, „Einrichtung“ oder „Amtliche "
                                  "Bezeichnung 1“. Vorhanden: {header}.").format(
                fields=", ".join(missing), header=", ".join(f"„{h}“" for h in self.table.header)))
        if self.ags is not None:
            if not is_valid_ags(self.ags):
                raise RegistryError(_("„{ags}“ ist kein Gemeindeschlüssel. Bitte 8 Ziffern angeben (Soest: "
                                      "05974040) oder den Anfang davon für einen Kreis (Kreis Soest: 05974).").format(
                    ags=self.ags))
            if "ags" not in cols:
                raise RegistryError(_("Die Tabelle hat keine Spalte „Amtlicher Gemeindeschlüssel“; ohne sie kann nicht "
                                      "nach Gemeinde ausgewählt werden."))
        if self.default_kind is not None and self.default_kind not in INSTITUTION_KINDS:
            raise RegistryError(_("Unbekannte Art „{kind}“. Möglich: {kinds}.").format(
                kind=self.default_kind, kinds=", ".join(INSTITUTION_KINDS)))

    def cell(self, row: tuple[str, ...], name: str) -> str:
        index = self.mapping.columns.get(name)
        return " ".join(visible_text(row[index]).split()) if index is not None else ""

    def run(self, known: list[OrgUnit]) -> None:
        existing = {u.id: u for u in known}
        areas = _Areas(known)
        first_row: dict[str, int] = {}
        other_types: Counter[str] = Counter()
        for index, row in enumerate(self.table.rows):
            if not any(row):
                continue
            self.result.rows += 1
            self._note_school(row)
            ags = _digits(self.cell(row, "ags"), 8)
            if self.ags and not ags.startswith(self.ags):
                continue
            self.result.in_area += 1
            number = self.table.row_number(index)
            fields, problems = self._fields(row, areas)
            unit_id = fields.get("id", "")
            if unit_id in first_row:
                problems.append(_("Kennung {id} steht schon in Zeile {row}").format(id=unit_id, row=first_row[unit_id]))
            elif unit_id:
                first_row[unit_id] = number
            old = existing.get(unit_id)
            if old is not None and old.kind != fields.get("kind", old.kind):
                problems.append(_("Kennung {id} gehört schon zu „{name}“ ({kind}); die Art wird beim Import nicht "
                                  "geändert").format(id=unit_id, name=old.name, kind=_(KIND_LABELS[old.kind])))
            if problems:
                self.result.refused.append(_("Zeile {row}: {problems}").format(row=number,
                                                                                problems="; ".join(problems)))
                self.areas_of.pop(unit_id, None)  # a refused row changes nothing, not even its area
                continue
            unit = _merge(old, fields)
            if unit.kind == "schule" and unit.attributes.get("schulform") not in (None, *SCHOOL_TYPES):
                other_types[unit.attributes["schulform"]] += 1
            status = self._compare(old, unit)
            if len(self.sample) < PREVIEW_ROWS:
                self.sample.append(PreviewRow(number, status, unit))
        self._warn(other_types)
        self._missing(known, set(first_row))
        self.result.schools_listed = len(self.directory)

    def _note_school(self, row: tuple[str, ...]) -> None:
        number, school_type = self.cell(row, "official_number"), self.cell(row, "schulform")
        if not school_type and self._art_is_school_type(row):
            school_type = self.cell(row, "kind")
        if number.isdigit() and school_type:
            self.directory[number] = school_type

    def _fields(self, row: tuple[str, ...], areas: _Areas) -> tuple[dict, list[str]]:
        cols, problems = self.mapping.columns, []
        fields: dict = {}
        kind = self._kind(row, problems)
        number = self.cell(row, "official_number")
        unit_id = self.cell(row, "id") if "id" in cols else number
        id_field = "id" if "id" in cols else "official_number"
        id_label = _(FIELDS[id_field][0])
        if not unit_id:
            problems.append(_("{label} fehlt").format(label=id_label))
        elif not is_valid_id(unit_id):  # the one pattern every file checks: an id it refuses gets no setup file
            problems.append(_("{label} „{id}“ enthält unzulässige Zeichen oder ist zu lang (erlaubt: Buchstaben ohne "
                              "Umlaute, Ziffern, Punkt, Bindestrich, Unterstrich; vorn ein Buchstabe oder eine "
                              "Ziffer; höchstens 64 Zeichen)").format(label=id_label, id=unit_id))
        name = _name(self.cell(row, "name"), self.cell(row, "name_2"), self.cell(row, "name_3"))
        if not name:
            problems.append(_("Name fehlt (Spalte „{col}“)").format(col=self.table.header[cols["name"]]))
        fields.update(id=unit_id, name=name)
        if kind:
            fields["kind"] = kind
        street = " ".join(p for p in (self.cell(row, "street"), self.cell(row, "house_number")) if p)
        values = {"official_number": number, "traeger": self.cell(row, "traeger"), "street": street,
                  "postcode": _digits(self.cell(row, "postcode"), 5), "city": self.cell(row, "city")}
        fields.update({k: v for k, v in values.items() if v})
        attributes = {attr: _digits(self.cell(row, f), 8) if f == "ags" else self.cell(row, f)
                      for f, attr in _ATTRIBUTES.items()}
        if kind != "schule":
            attributes.pop("schulform")
        elif not attributes["schulform"] and self._art_is_school_type(row):
            attributes["schulform"] = self.cell(row, "kind")
        fields["attributes"] = {k: v for k, v in attributes.items() if v}
        place = self._place(row, problems)
        if place is not None:
            fields["attributes"] |= {"lage_x": f"{place[0]:.0f}", "lage_y": f"{place[1]:.0f}"}
        for name_ in ("valid_from", "valid_to"):
            text = self.cell(row, name_)
            if text:
                year = _YEAR.search(text)
                if year:
                    fields[name_] = int(year.group(1))
                else:
                    problems.append(_("„{label}“ ist kein Jahr: „{text}“").format(label=_(FIELDS[name_][0]),
                                                                                  text=text))
        if fields.get("valid_from") and fields.get("valid_to") and fields["valid_from"] > fields["valid_to"]:
            problems.append(_("gültig ab {a} liegt nach gültig bis {b}").format(a=fields["valid_from"],
                                                                                b=fields["valid_to"]))
        parent = areas.resolve(self.cell(row, "bezirk"), self.cell(row, "unterbezirk"), problems)
        if parent:
            fields["parent_id"] = parent
        area = self.cell(row, "gebiet")
        if area:
            found = self.area_index.get(area) or self.area_index.get(heading_key(area), [])
            if len(found) == 1:
                self.areas_of[unit_id] = found[0]
            else:
                problems.append(_("das Gebiet „{area}“ gibt es nicht") if not found else
                                _("„{area}“ gibt es auf mehreren Ebenen; bitte den Schlüssel angeben"))
                problems[-1] = problems[-1].format(area=area[:60])
        return fields, problems

    def _place(self, row: tuple[str, ...], problems: list[str]) -> tuple[float, float] | None:
        """The institution's place in the maps' metres (EPSG:3035), from UTM 32N or from longitude and latitude."""
        for a, b, crs in (("east", "north", "EPSG:25832"), ("lon", "lat", "EPSG:4326")):
            first, second = self.cell(row, a), self.cell(row, b)
            if not first and not second:
                continue
            try:
                x, y = float(first.replace(",", ".")), float(second.replace(",", "."))
            except ValueError:
                problems.append(_("„{a}“/„{b}“ ist keine Lage: „{x}“, „{y}“").format(
                    a=_(FIELDS[a][0]), b=_(FIELDS[b][0]), x=first[:20], y=second[:20]))
                return None
            # A zone prefix ("32" in front of the Rechtswert) is how many NRW lists write UTM.
            if crs == "EPSG:25832" and 32_000_000 < x < 33_000_000:
                x -= 32_000_000
            ok = (200_000 < x < 900_000 and 5_200_000 < y < 6_200_000) if crs == "EPSG:25832" else (
                5 < x < 16 and 47 < y < 56)
            if not ok:
                problems.append(_("die Lage {x}, {y} liegt nicht in Deutschland (erwartet: {what})").format(
                    x=first[:20], y=second[:20], what=_("UTM-Koordinaten der Zone 32") if crs == "EPSG:25832"
                    else _("Längen- und Breitengrad")))
                return None
            return _to_map_metres(crs)(x, y)
        return None

    def _art_is_school_type(self, row: tuple[str, ...]) -> bool:
        return heading_key(self.cell(row, "kind")) in _SCHOOL_TYPE_KEYS

    def _kind(self, row: tuple[str, ...], problems: list[str]) -> str:
        art = self.cell(row, "kind")
        if art:
            kind = _kind_of(art)
            if kind:
                return kind
            problems.append(_("Art „{art}“ ist unbekannt (möglich: Schule, Kita, Jugendtreff, Verein)").format(art=art))
            return ""
        if "schulform" in self.mapping.columns:
            return "schule"
        if self.default_kind:
            return self.default_kind
        problems.append(_("Art fehlt (Schule, Kita, Jugendtreff oder Verein; oder beim Import eine Art vorgeben)"))
        return ""

    def _compare(self, old: OrgUnit | None, unit: OrgUnit) -> str:
        if old is None:
            self.result.new.append(unit.id)
            self.to_save.append(unit)
            return NEW
        if old == unit:
            self.result.unchanged.append(unit.id)
            return UNCHANGED
        self.result.updated[unit.id] = _changes(old, unit)
        self.to_save.append(unit)
        return UPDATED

    def _warn(self, other_types: Counter[str]) -> None:
        for schulform, n in sorted(other_types.items()):
            self.result.warnings.append(_("Schulform „{form}“ ist keine der bekannten Schulformen ({n}-mal); so "
                                          "übernommen.").format(form=schulform, n=n))
        if self.ags and self.result.rows and not self.result.in_area:
            self.result.warnings.append(_("Keine Zeile hat den Gemeindeschlüssel {ags}. Bitte den Schlüssel "
                                          "prüfen.").format(ags=self.ags))

    def _missing(self, known: list[OrgUnit], listed: set[str]) -> None:
        kinds = {u.kind for u in self.to_save} | {u.kind for u in known if u.id in listed}
        for unit in known:
            if unit.kind not in kinds or unit.id in listed or unit.valid_to is not None:
                continue
            ags = unit.attributes.get("gemeindeschluessel")
            if self.ags and ags and not ags.startswith(self.ags):
                continue  # outside the area this list was filtered to
            self.result.missing.append(unit)


class _Areas:
    """Bezirke and Unterbezirke, found by id or by name as the list writes them."""

    def __init__(self, known: list[OrgUnit]):
        self.units = [u for u in known if u.kind in ("bezirk", "unterbezirk")]

    def find(self, kind: str, text: str, parent: str | None, problems: list[str]) -> str | None:
        found = [u for u in self.units if u.kind == kind and (u.id == text or heading_key(u.name) == heading_key(text))
                 and (parent is None or u.parent_id == parent)]
        if len({u.id for u in found}) == 1:
            return found[0].id
        if found:
            problems.append(_("{kind} „{text}“ ist nicht eindeutig").format(kind=_(KIND_LABELS[kind]), text=text))
        else:
            problems.append(_("{kind} „{text}“ ist im Verzeichnis nicht angelegt").format(
                kind=_(KIND_LABELS[kind]), text=text))
        return None

    def resolve(self, bezirk: str, unterbezirk: str, problems: list[str]) -> str | None:
        bezirk_id = self.find("bezirk", bezirk, None, problems) if bezirk else None
        if bezirk and bezirk_id is None:
            return None
        if unterbezirk:
            return self.find("unterbezirk", unterbezirk, bezirk_id, problems)
        return bezirk_id


@cache
def _to_map_metres(crs: str):
    from pyproj import Transformer

    return Transformer.from_crs(crs, "EPSG:3035", always_xy=True).transform


def visible_text(text: str) -> str:
    """A cell without control characters (a bell or escape becomes a space) and without invisible format characters:
    a right-to-left override or a zero-width space in a name would show one institution under another's name.
    Zero-width (non-)joiners stay: Persian and Indic names need them."""
    if text.isprintable():  # no control or format character in it: the common case, and fast
        return text
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ""
                   if unicodedata.category(ch) == "Cf" and ch not in "\u200c\u200d" else ch for ch in text)


def _digits(text: str, length: int) -> str:
    """A key that a spreadsheet once took for a number lost its leading zero ("5974040"): it gets it back."""
    compact = text.replace(" ", "")
    return compact.zfill(length) if compact.isdigit() and len(compact) == length - 1 else text


def _is_stage_note(text: str) -> bool:
    words = set(re.findall(r"[a-zäöüß]+", text.casefold()))
    return bool(words) and words <= _STAGE_WORDS and bool(words & _STAGE_CORE)


def _name(first: str, second: str, third: str) -> str:
    parts = [first] + [p for p in (second, third) if p and not _is_stage_note(p)]
    return ", ".join(p for p in parts if p)


_KIND_WORDS = {"schule": "schule", "kita": "kita", "kitas": "kita", "kindergarten": "kita",
               "kindertageseinrichtung": "kita", "kindertagesstaette": "kita", "familienzentrum": "kita",
               "jugendtreff": "jugendtreff", "jugendzentrum": "jugendtreff", "jugendhaus": "jugendtreff",
               "jugendfreizeitstaette": "jugendtreff", "jugendfreizeiteinrichtung": "jugendtreff",
               "jugendeinrichtung": "jugendtreff", "jugendclub": "jugendtreff", "verein": "verein"}
_KIND_WORDS |= {_plain(word): kind for word, kind in _KIND_WORDS.items()}
_SCHOOL_TYPE_KEYS = {heading_key(t) for t in SCHOOL_TYPES}


def _kind_of(art: str) -> str:
    key = heading_key(art)
    if key in _SCHOOL_TYPE_KEYS:
        return "schule"
    found = set()
    for word in key.split():
        kind = _KIND_WORDS.get(word)
        if kind is None and word.endswith("verein"):
            kind = "verein"  # Sportverein, Turnverein, Förderverein
        if kind is None and word.endswith("schule"):
            kind = "schule"
        if kind:
            found.add(kind)
    return found.pop() if len(found) == 1 else ""


def _merge(old: OrgUnit | None, fields: dict) -> OrgUnit:
    if old is None:
        return OrgUnit(**fields)
    return replace(old, **{**fields, "attributes": {**old.attributes, **fields["attributes"]}})


def _changes(old: OrgUnit, new: OrgUnit) -> list[str]:
    pairs = [(f, getattr(old, f), getattr(new, f)) for f in _CHANGE_LABELS if hasattr(old, f)]
    pairs += [(k, old.attributes.get(k), new.attributes.get(k))
              for k in sorted(old.attributes.keys() | new.attributes.keys())]
    return [_("{label}: „{old}“ → „{new}“").format(label=_(_CHANGE_LABELS.get(f, f)), old=a or "", new=b or "")
            for f, a, b in pairs if a != b]
