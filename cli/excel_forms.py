"""The command `excel-forms`: fillable Excel forms for the institutions whose submission is missing, headless."""

from __future__ import annotations

import argparse
from pathlib import Path

from common.errors import UserError
from common.i18n import _, ngettext


def add_parsers(commands) -> None:
    excel = commands.add_parser("excel-forms", help=_("Ausfüllbare Excel-Formulare für fehlende Meldungen erstellen"))
    excel.add_argument("--db", type=Path, required=True, dest="excel_db")
    excel.add_argument("--year", type=int, required=True, help=_("Berichtsjahr"))
    excel.add_argument("--form", help=_("nur dieses Formular, z. B. kita"))
    excel.add_argument("--institution", help=_("nur für diese Einrichtung (auch wenn ihre Meldung nicht fehlt)"))
    excel.add_argument("--out", type=Path, required=True, metavar=_("ORDNER"))
    excel.add_argument("--allow-excel", action="store_true",
                       help=_("auch für eine Einrichtung mit Schlüssel: sie darf dann einmal ohne Unterschrift melden"))


def _excel_forms(args: argparse.Namespace) -> int:
    from store.database import open_database
    from sync.excel_form import write_excel_forms

    if not args.excel_db.exists():
        raise UserError(_("Die Datenbank {path} gibt es nicht.").format(path=args.excel_db))
    if args.out.exists() and not args.out.is_dir():
        raise UserError(_("{path} ist kein Ordner. Bitte mit --out einen Ordner angeben.").format(path=args.out))
    written = write_excel_forms(open_database(args.excel_db), args.year, args.out, form_id=args.form,
                                institution_id=args.institution, allow_keyed=args.allow_excel)
    for path in written.files:
        print(_("geschrieben: {path}").format(path=path))
    for name in written.keyed:
        print(_("Hinweis: {name} hat einen Schlüssel. Mit diesem Excel-Formular darf sie für {year} ausnahmsweise "
                "ohne Unterschrift melden; die Angaben sind dann als „Excel, nicht signiert“ gekennzeichnet.").format(
                    name=name, year=args.year))
    if written.skipped_keyed:
        print(_("Ohne Excel-Formular, weil sie mit dem Programm unterschrieben melden: {names}").format(
            names=", ".join(written.skipped_keyed)))
    n = len(written.files)
    print(ngettext("{n} Excel-Formular erstellt.", "{n} Excel-Formulare erstellt.", n).format(n=n))
    return 0


def run(args: argparse.Namespace) -> int | None:
    """The exit status of `excel-forms`, or None when the command is another one."""
    return _excel_forms(args) if args.command == "excel-forms" else None
