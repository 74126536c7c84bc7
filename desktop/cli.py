"""The command line. Headless jobs run without loading Qt; with no command it opens the window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from forms import about
from forms.about import APP_NAME
from forms.errors import UserError
from forms.i18n import _


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "integrationsmonitor.sqlite"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="integrationsmonitor",
        description=_("Integrationsmonitor: jährliche Erhebung und statistischer Integrationsbericht. "
                      "Ohne Befehl öffnet sich das Programmfenster."),
    )
    # Not argparse's "version" action: it needs the version up front, and reading it costs start-up time.
    parser.add_argument("--version", action="store_true", help=_("Programmversion anzeigen"))
    parser.add_argument("--db", type=Path, help=_("Datenbankdatei (Standard: im Benutzerordner)"))
    commands = parser.add_subparsers(dest="command", metavar=_("Befehl"))

    forms_cmd = commands.add_parser("forms", help=_("Formulardefinitionen prüfen"))
    forms_sub = forms_cmd.add_subparsers(dest="forms_command", required=True, metavar=_("Befehl"))
    check = forms_sub.add_parser("check", help=_("Formulardefinitionen prüfen (ohne Angabe: alle mitgelieferten)"))
    check.add_argument("files", nargs="*", type=Path)

    demo = commands.add_parser("demo", help=_("Demo-Arbeitsbereich mit synthetischen Daten anlegen"))
    demo.add_argument("--db", type=Path, required=True, dest="demo_db")
    demo.add_argument("--seed", type=int, default=1)

    export = commands.add_parser("export", help=_("Meldungsdatei eines abgeschlossenen Formulars schreiben"))
    export.add_argument("--db", type=Path, required=True, dest="export_db")
    export.add_argument("--institution", required=True)
    export.add_argument("--form", required=True)
    export.add_argument("--year", type=int, required=True)
    export.add_argument("--out", type=Path, required=True)
    return parser


def _forms_check(files: list[Path]) -> int:
    from forms.catalog import definition_files
    from forms.loader import load_form

    paths = files or definition_files()
    broken = 0
    for path in paths:
        try:
            form = load_form(path)
        except UserError as exc:
            broken += 1
            print(_("FEHLER  {msg}").format(msg=exc.message), file=sys.stderr)
        else:
            print(_("ok      {file}: {title} (Version {v}), {n} Felder, {r} Regeln").format(
                file=path.name, title=form.title, v=form.version, n=len(form.fields()), r=len(form.rules)))
    return 1 if broken else 0


def _demo(db_path: Path, seed: int) -> int:
    from store.database import open_database
    from store.demo import build_demo

    if db_path.exists() and db_path.stat().st_size > 0:
        raise UserError(_("{path} gibt es schon. Der Demo-Arbeitsbereich wird nur in eine neue Datei "
                          "geschrieben, damit keine echten Daten überschrieben werden.").format(path=db_path))
    db = open_database(db_path)
    summary = build_demo(db, seed=seed)
    print(_("Demo-Arbeitsbereich angelegt: {path}").format(path=db_path))
    print(_("SYNTHETISCHE DATEN, nur zum Ausprobieren: {s.schools} Schulen, {s.kitas} Kitas, {s.youth_centres} "
            "Jugendtreffs, {s.clubs} Vereine in {s.bezirke} Bezirken, Jahre {s.first_year}–{s.last_year}, "
            "{s.submissions} Meldungen.").format(s=summary))
    return 0


def _export(db_path: Path, institution: str, form: str, year: int, out: Path) -> int:
    from store.database import open_database
    from sync.export import export_current

    if not db_path.exists():
        raise UserError(_("Die Datenbank {path} gibt es nicht.").format(path=db_path))
    written = export_current(open_database(db_path), institution, form, year, out)
    print(_("Meldungsdatei geschrieben und geprüft: {path} ({n} Werte, Prüfsumme {h}…)").format(
        path=out, n=len(written.values), h=written.content_hash[:19]))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.version:
        print(f"{APP_NAME} {about.APP_VERSION}")
        return 0
    try:
        if args.command == "forms":
            return _forms_check(args.files)
        if args.command == "demo":
            return _demo(args.demo_db, args.seed)
        if args.command == "export":
            return _export(args.export_db, args.institution, args.form, args.year, args.out)
        from desktop.app import run

        return run(args.db or default_db_path())
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
