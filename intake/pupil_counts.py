"""Counting a pupil export into the school form: the counts the app suggests, and plain notes on how they came about.

The reporting year is the first year of the school year (2025 for 2025/26), as on the form. Pupils are those
active when the export was made (status 2). Leavers and transitions belong to the end of the previous school year,
as the form's reference date says: leavers with an Entlassdatum from 1 August of the year before to 31 July.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from common.i18n import N_, _, ngettext
from forms.model import Form
from forms.values import Address
from intake import pupil_codes as codes
from intake.pupil_export import COLUMN_PURPOSE, COLUMNS, PupilExport

BY_CRITERIA, BY_FLAG = "merkmale", "kennzeichen"
ZWG_RULES = {
    BY_CRITERIA: N_("mindestens eines der drei Merkmale (Definition der Schulstatistik)"),
    BY_FLAG: N_("Kennzeichen „Migrationshintergrund vorhanden“"),
}
LIMITS = (
    N_("Der Textexport enthält nur die erste Staatsangehörigkeit. Wer neben einer ausländischen auch die deutsche "
       "Staatsangehörigkeit hat, wird deshalb als Ausländer/in gezählt. Bitte die Zahl prüfen."),
    N_("Die Angaben zur Zuwanderungsgeschichte (Geburtsland, Geburtsland der Eltern, Zuzugsjahr, Verkehrssprache) "
       "sind in vielen Schulverwaltungen unvollständig. Leere Felder zählen als „nicht zugewandert“ und "
       "„Deutsch“; die Vorschläge können deshalb zu niedrig sein."),
    N_("Gezählt wird der Stand am Tag des Exports. Bitte den Export möglichst nah am Stichtag (Woche mit dem "
       "15. Oktober) erstellen."),
)
_ZWG_CRITERIA = ("zwg_selbst_zugewandert", "zwg_eltern_zugewandert", "zwg_sprache")


@dataclass
class PupilCounts:
    year: int
    values: dict[Address, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what could not be placed, and why; German, no pupil data
    missing: list[str] = field(default_factory=list)  # "Spalte – what it is needed for"
    rows_read: int = 0
    pupils: int = 0
    zwg_rule: str = BY_CRITERIA
    zwg_by_criteria: int | None = None
    zwg_by_flag: int | None = None

    @property
    def leaver_window(self) -> tuple[date, date]:
        return leaver_window(self.year)

    def as_dict(self) -> dict:
        return {
            "schuljahr": school_year_label(self.year), "zeilen": self.rows_read, "schueler": self.pupils,
            "zwg_regel": self.zwg_rule, "zwg_nach_merkmalen": self.zwg_by_criteria,
            "zwg_nach_kennzeichen": self.zwg_by_flag,
            "werte": [{"feld": a[0], "zeile": a[1], "spalte": a[2], "wert": v} for a, v in sorted(self.values.items())],
            "hinweise": self.notes, "fehlende_spalten": self.missing, "grenzen": [_(limit) for limit in LIMITS],
        }


def school_form(year: int) -> Form:
    from forms.catalog import form_for, latest_form

    return form_for("schule", year) or latest_form("schule")


def leaver_window(year: int) -> tuple[date, date]:
    return date(year - 1, 8, 1), date(year, 7, 31)


def school_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def parse_school_year(text: str) -> int:
    """2025 from "2025/26", "2025/2026" or "2025"; ValueError otherwise."""
    first, _sep, second = text.strip().partition("/")
    year = int(first)
    if not 1990 <= year <= 2099 or (second and int(second) % 100 != (year + 1) % 100):
        raise ValueError(text)
    return year


# Columns that feed only some of the form's fields: a school that has none of them is not asked for the column.
_COLUMN_FIELDS = {
    "empfehlung": {"empfehlung"},
    "aufnehmende_schule": {"uebergang_schulform"},
    "abschluss": {"abgaenger_abschluss"},
    "entlassdatum": {"abgaenger_abschluss", "abgaenger_klasse4", "empfehlung", "uebergang_schulform"},
}


def count_pupils(export: PupilExport, year: int, school_types: Mapping[str, str] | None = None,
                 zwg_rule: str = BY_CRITERIA, fields: set[str] | None = None) -> PupilCounts:
    """The school form's counts from the export. `school_types` maps a Schulnummer to its Schulform; without it
    transitions by receiving school type are not suggested. `fields`, the codes of the fields the school's form
    shows, keeps columns this school does not need (a Gymnasium's Übergangsempfehlung) off the missing list."""
    return _Counting(export, year, school_types, zwg_rule, fields).run()


class _Counting:
    def __init__(self, export: PupilExport, year: int, school_types: Mapping[str, str] | None, zwg_rule: str,
                 fields: set[str] | None):
        self.export, self.year = export, year
        self.school_types = {codes.school_number(k): v for k, v in (school_types or {}).items()}
        self.has_school_list = school_types is not None and bool(self.school_types)
        self.result = PupilCounts(year=year, rows_read=len(export.rows))
        self.counts: Counter[Address] = Counter()
        self.problems: Counter[str] = Counter()
        self.zwg_rule = zwg_rule if zwg_rule in ZWG_RULES else BY_CRITERIA
        self.unknown_schools: set[str] = set()
        self.fields = fields

    def has(self, *columns: str) -> bool:
        return self.export.has(*columns)

    def run(self) -> PupilCounts:
        r = self.result
        # Columns that would add nothing here are not asked for: the class when the Jahrgang is there, the flag
        # when all three criteria are.
        needless = {"klasse"} if self.has("jahrgang") else set()
        if all(self._criteria_available().values()):
            needless.add("migration")
        if self.fields is not None:
            needless |= {c for c, used in _COLUMN_FIELDS.items() if not used & self.fields}
        r.missing = [f"{COLUMNS[c][0]} – {_(COLUMN_PURPOSE[c])}" for c in self.export.missing()
                     if c in COLUMN_PURPOSE and c not in needless]
        self._choose_zwg_rule()
        start, end = leaver_window(self.year)
        statuses: Counter[str] = Counter()
        for row in self.export.rows:
            status = codes.status(row.get("status", ""))
            if status == codes.ACTIVE:
                self._pupil(row)
            elif status in codes.LEFT:
                if not self.has("entlassdatum"):
                    continue  # the list of missing columns says that leavers need the Entlassdatum
                left = codes.parse_date(row.get("entlassdatum", ""))
                if left is None:
                    self.problems["no_date"] += 1
                elif left > end:
                    self.problems["left_this_year"] += 1
                elif left >= start:
                    self._leaver(row)
            else:
                statuses[status or "?"] += 1
        r.pupils = self.counts[("schueler_gesamt", "", "")]
        self._fill_values()
        self._notes(statuses)
        return r

    # --- ZWG --------------------------------------------------------------------------------------------------

    def _criteria_available(self) -> dict[str, bool]:
        return {
            "zwg_selbst_zugewandert": self.has("geburtsland") or self.has("zuzugsjahr"),
            "zwg_eltern_zugewandert": self.has("geburtsland_mutter") or self.has("geburtsland_vater"),
            "zwg_sprache": self.has("sprache"),
        }

    def _choose_zwg_rule(self) -> None:
        criteria = all(self._criteria_available().values())
        if self.zwg_rule == BY_FLAG and not self.has("migration") and criteria:
            self.zwg_rule = BY_CRITERIA
            self.result.notes.append(_("Die Spalte „Migrationshintergrund vorhanden“ fehlt; die Zuwanderungs"
                                       "geschichte wird deshalb aus den drei Merkmalen gezählt."))
        elif self.zwg_rule == BY_CRITERIA and not criteria and self.has("migration"):
            self.zwg_rule = BY_FLAG
            self.result.notes.append(_("Nicht alle Spalten der drei ZWG-Merkmale sind im Export; die "
                                       "Zuwanderungsgeschichte wird deshalb nach dem Kennzeichen „Migrationshinter"
                                       "grund vorhanden“ gezählt."))
        self.result.zwg_rule = self.zwg_rule
        self.zwg_known = self.has("migration") if self.zwg_rule == BY_FLAG else criteria

    def _criteria(self, row: dict[str, str]) -> dict[str, bool]:
        return {
            "zwg_selbst_zugewandert": codes.abroad(row.get("geburtsland", "")) or codes.year_set(
                row.get("zuzugsjahr", "")),
            "zwg_eltern_zugewandert": codes.abroad(row.get("geburtsland_mutter", "")) or codes.abroad(
                row.get("geburtsland_vater", "")),
            "zwg_sprache": codes.language_not_german(row.get("sprache", "")),
        }

    def _zwg(self, row: dict[str, str]) -> bool:
        if self.zwg_rule == BY_FLAG:
            return codes.yes(row.get("migration", ""))
        return any(self._criteria(row).values())

    # --- rows -------------------------------------------------------------------------------------------------

    def _pupil(self, row: dict[str, str]) -> None:
        c = self.counts
        c[("schueler_gesamt", "", "")] += 1
        criteria = self._criteria(row)
        for code, met in criteria.items():
            c[(code, "", "")] += met
        by_criteria, by_flag = any(criteria.values()), codes.yes(row.get("migration", ""))
        c[("_zwg_criteria", "", "")] += by_criteria
        c[("_zwg_flag", "", "")] += by_flag
        zwg = by_flag if self.zwg_rule == BY_FLAG else by_criteria
        foreign = codes.is_foreign(row.get("staat", ""))
        c[("zwg_gesamt", "", "")] += zwg
        c[("auslaender", "", "")] += foreign
        c[("aussiedler", "", "")] += codes.yes(row.get("aussiedler", ""))
        if self.has("staat") and not row.get("staat", "").strip():
            self.problems["no_nationality"] += 1
        grade = codes.grade_row(row.get("jahrgang", ""), row.get("klasse", ""))
        if grade is None:
            self.problems["grade:" + (row.get("jahrgang", "").strip() or row.get("klasse", "").strip() or "–")] += 1
            return
        grid, grade_code = grade
        c[(grid, grade_code, "anzahl")] += 1
        c[(grid, grade_code, "zwg")] += zwg
        c[(grid, grade_code, "auslaender")] += foreign

    def _leaver(self, row: dict[str, str]) -> None:
        foreign = codes.is_foreign(row.get("staat", ""))
        if codes.is_primary_class4(row.get("jahrgang", ""), row.get("klasse", "")):
            self._transition(row, foreign)
            return
        text = row.get("abschluss", "").strip()
        if not text:
            self.problems["no_qualification"] += 1  # a change of school, not a leaver with a qualification
            return
        qualification = codes.abschluss_row(text)
        if qualification is None:
            self.problems["qualification:" + text[:20]] += 1
            return
        self.counts[("abgaenger_abschluss", qualification, "auslaender" if foreign else "deutsche")] += 1

    def _transition(self, row: dict[str, str], foreign: bool) -> None:
        columns = ["alle"] + (["zwg"] if self._zwg(row) else []) + (["auslaender"] if foreign else [])
        text = row.get("empfehlung", "").strip()
        recommendation = codes.empfehlung_row(text) if text else "keine"
        if text and recommendation is None:
            self.problems["recommendation:" + text[:20]] += 1
        number = codes.school_number(row.get("aufnehmende_schule", ""))
        school_type = self.school_types.get(number)
        if number and school_type is None:
            self.unknown_schools.add(number)
        elif not number and self.has("aufnehmende_schule"):
            self.problems["no_receiving_school"] += 1
        if not text and self.has("empfehlung"):
            self.problems["no_recommendation"] += 1
        for column in columns:
            self.counts[("abgaenger_klasse4", "anzahl", column)] += 1
            if recommendation is not None:
                self.counts[("empfehlung", recommendation, column)] += 1
            self.counts[("uebergang_schulform", codes.transition_row(school_type), column)] += 1

    # --- result -----------------------------------------------------------------------------------------------

    def _fill_values(self) -> None:
        form = school_form(self.year)
        r, c = self.result, self.counts
        r.zwg_by_criteria = c[("_zwg_criteria", "", "")] if all(self._criteria_available().values()) else None
        r.zwg_by_flag = c[("_zwg_flag", "", "")] if self.has("migration") else None
        known = {
            "schueler_gesamt": True,
            "zwg_gesamt": self.zwg_known,
            **self._criteria_available(),
            "auslaender": self.has("staat"),
            "aussiedler": self.has("aussiedler"),
            "schueler_klasse_primar": True,
            "schueler_jahrgang_sek": True,
            "abgaenger_klasse4": self.has("entlassdatum"),
            "empfehlung": self.has("entlassdatum", "empfehlung"),
            "uebergang_schulform": self.has("entlassdatum", "aufnehmende_schule") and self.has_school_list,
            "abgaenger_abschluss": self.has("entlassdatum", "abschluss", "staat"),
        }
        grid_columns = {"zwg": self.zwg_known, "auslaender": self.has("staat")}
        for code, available in known.items():
            if not available:
                continue
            f = form.field(code)
            if not f.rows:
                r.values[(code, "", "")] = c[(code, "", "")]
                continue
            for row in f.rows:
                for column in f.columns:
                    if grid_columns.get(column.code, True) or code == "abgaenger_abschluss":
                        r.values[(code, row.code, column.code)] = c[(code, row.code, column.code)]

    def _notes(self, statuses: Counter[str]) -> None:
        notes, p = self.result.notes, self.problems
        start, end = leaver_window(self.year)
        other = sum(statuses.values())
        if other:
            listed = ", ".join(f"{s} ({n})" for s, n in sorted(statuses.items()))
            notes.append(ngettext("{n} Zeile hat einen anderen Status als 2 (aktiv), 8 oder 9 (abgegangen) und zählt "
                                  "nicht mit, z. B. Externe oder Neuaufnahmen: Status {list}.",
                                  "{n} Zeilen haben einen anderen Status als 2 (aktiv), 8 oder 9 (abgegangen) und "
                                  "zählen nicht mit, z. B. Externe oder Neuaufnahmen: Status {list}.",
                                  other).format(n=other, list=listed))
        ungraded = {k.split(":", 1)[1]: n for k, n in p.items() if k.startswith("grade:")}
        if ungraded:
            total = sum(ungraded.values())
            notes.append(ngettext(
                "{n} Schüler/in hat einen Jahrgang, der keiner Zeile des Formulars entspricht ({list}). Sie zählt in "
                "der Gesamtzahl, aber in keiner Klasse: bitte die Klassen von Hand ergänzen.",
                "{n} Schüler/innen haben einen Jahrgang, der keiner Zeile des Formulars entspricht ({list}). Sie "
                "zählen in der Gesamtzahl, aber in keiner Klasse: bitte die Klassen von Hand ergänzen.",
                total).format(n=total, list=", ".join(f"„{k}“: {n}" for k, n in sorted(ungraded.items()))))
        simple = {
            "no_nationality": N_("Ohne Angabe der Staatsangehörigkeit, als Deutsche gezählt: {n}."),
            "left_this_year": N_("Abgänge seit dem 1. August {year}: {n}. Sie gehören zum laufenden Schuljahr und "
                                 "werden erst im nächsten Jahr gemeldet."),
            "no_date": N_("Abgänge ohne lesbares Entlassdatum: {n}. Sie zählen nicht mit; bitte das Entlassdatum in "
                          "SchILD prüfen."),
            "no_qualification": N_("Abgänge ohne Abschlussart (z. B. Schulwechsel): {n}. Sie zählen nicht als "
                                   "Abgänger/innen nach Abschluss."),
            "no_recommendation": N_("Kinder aus Klasse 4 ohne eingetragene Übergangsempfehlung: {n}. Sie zählen als "
                                    "„ohne Empfehlung“."),
            "no_receiving_school": N_("Kinder aus Klasse 4 ohne aufnehmende Schule: {n}. Sie zählen als „sonstige / "
                                      "unbekannt / Wegzug“."),
        }
        for key, text in simple.items():
            if p[key]:
                notes.append(_(text).format(n=p[key], year=end.year))
        for prefix, text in (
                ("qualification:", N_("Abschlussart „{code}“ ist unbekannt ({n}-mal) und zählt nicht mit. Bitte "
                                      "die Abgänger/innen nach Abschluss von Hand prüfen.")),
                ("recommendation:", N_("Übergangsempfehlung „{code}“ ist unbekannt ({n}-mal) und zählt nicht mit. "
                                       "Bitte die Schulformempfehlungen von Hand prüfen."))):
            for key, n in sorted(p.items()):
                if key.startswith(prefix):
                    notes.append(_(text).format(code=key.removeprefix(prefix), n=n))
        if not self.zwg_known:
            notes.append(_("Schüler/innen mit Zuwanderungsgeschichte insgesamt werden nicht vorgeschlagen: dafür "
                           "braucht der Export entweder die Spalte „Migrationshintergrund vorhanden“ oder alle "
                           "Spalten der drei Merkmale (Geburtsland oder Zuzugsjahr, Geburtsland Mutter oder Vater, "
                           "Verkehrssprache in der Familie)."))
        if self.unknown_schools:
            notes.append(_("Aufnehmende Schulen, die nicht in der Schulliste der Stadt stehen (Schulnummer {list}), "
                           "zählen als „sonstige / unbekannt / Wegzug“. Bitte prüfen, auf welche Schulform diese "
                           "Kinder gewechselt sind.").format(list=", ".join(sorted(self.unknown_schools))))
        if self.has("entlassdatum", "aufnehmende_schule") and not self.has_school_list:
            notes.append(_("Die Übergänge nach aufnehmender Schulform werden nicht vorgeschlagen, weil die "
                           "Schulliste der Stadt fehlt. Sie kommt mit der Einrichtungsdatei; bitte bei der Stadt eine "
                           "aktuelle Einrichtungsdatei anfordern."))
        notes.append(_("Abgänge und Übergänge: Entlassdatum vom {start} bis {end} (Ende des vorherigen "
                       "Schuljahres).").format(start=start.strftime("%d.%m.%Y"), end=end.strftime("%d.%m.%Y")))
