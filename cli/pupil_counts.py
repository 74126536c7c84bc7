"""The command `count-export`: the counts the app would suggest from a school's pupil export, without a database."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common.errors import UserError
from common.i18n import _


def add_parsers(commands) -> None:
    count = commands.add_parser("count-export", help=_("Schülerexport aus SchILD-NRW zählen (ohne Datenbank)"))
    count.add_argument("file", type=Path, metavar=_("DATEI"))
    count.add_argument("--school-year", required=True, metavar="2025/26",
                       help=_("Schuljahr der Meldung, z. B. 2025/26"))
    count.add_argument("--zwg", choices=("merkmale", "kennzeichen"), default="merkmale",
                       help=_("Zuwanderungsgeschichte nach den drei Merkmalen (Standard) oder nach dem Kennzeichen "
                              "„Migrationshintergrund vorhanden“"))
    count.add_argument("--schulliste", type=Path, metavar=_("DATEI"),
                       help=_("Liste der Schulen mit Schulnummer und Schulform (z. B. das NRW-Schulverzeichnis) "
                              "für die Übergänge nach Klasse 4"))
    count.add_argument("--json", action="store_true", help=_("Ergebnis als JSON ausgeben"))


def _school_list(path: Path) -> dict[str, str]:
    from intake.registry_import import propose_mapping
    from intake.tables import read_table

    table = read_table(path)
    columns = propose_mapping(table).columns
    if "official_number" not in columns or "schulform" not in columns:
        raise UserError(_("{name} hat keine Spalten „Schulnummer“ und „Schulform“. Bitte eine Schulliste wie das "
                          "NRW-Schulverzeichnis angeben.").format(name=path.name))
    number, school_type = columns["official_number"], columns["schulform"]
    return {row[number]: row[school_type] for row in table.rows if row[number].strip() and row[school_type].strip()}


def _count_export(args: argparse.Namespace) -> int:
    from common.numbers import format_number
    from forms.validation import cell_label
    from intake.pupil_counts import LIMITS, count_pupils, parse_school_year, school_form, school_year_label
    from intake.pupil_export import read_pupil_export

    try:
        year = parse_school_year(args.school_year)
    except ValueError:
        raise UserError(_("„{text}“ ist kein Schuljahr. Bitte so angeben: 2025/26.").format(
            text=args.school_year)) from None
    schools = _school_list(args.schulliste) if args.schulliste else None
    counts = count_pupils(read_pupil_export(args.file), year, schools, args.zwg)
    if args.json:
        print(json.dumps(counts.as_dict(), ensure_ascii=False, indent=2))
        return 0
    form = school_form(year)
    print(_("Schuljahr {year}: {rows} Zeilen gelesen, {n} Schüler/innen gezählt.").format(
        year=school_year_label(year), rows=counts.rows_read, n=counts.pupils))
    by_field: dict[str, list] = {}
    for address, value in counts.values.items():
        by_field.setdefault(address[0], []).append((address, value))
    for cells in by_field.values():
        if len(cells) > 1 and not any(v for _a, v in cells):
            continue  # a table of this kind of school only, e.g. transitions at a Gymnasium
        for address, value in cells:
            print(f"{format_number(value):>7}  {cell_label(form, *address)}")
    if counts.zwg_by_criteria is not None and counts.zwg_by_flag is not None \
            and counts.zwg_by_criteria != counts.zwg_by_flag:
        print(_("Zuwanderungsgeschichte: {a} nach den drei Merkmalen, {b} nach dem Kennzeichen „Migrations"
                "hintergrund vorhanden“.").format(a=counts.zwg_by_criteria, b=counts.zwg_by_flag))
    for heading, lines in ((_("Hinweise:"), counts.notes), (_("Fehlende Spalten:"), counts.missing),
                           (_("Grenzen:"), [_(limit) for limit in LIMITS])):
        if lines:
            print(heading)
            for line in lines:
                print(f"- {line}")
    return 0


def run(args: argparse.Namespace) -> int | None:
    """The exit status of `count-export`, or None when the command is another one."""
    if args.command != "count-export":
        return None
    return _count_export(args)
