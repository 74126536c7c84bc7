"""The command line. Headless jobs run without loading Qt; with no command it opens the window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli import areas as cli_areas
from cli import excel_forms as cli_excel
from cli import pupil_counts as cli_pupils
from cli import report as cli_report
from common import about
from common.about import APP_NAME
from common.errors import UserError
from common.i18n import _


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
    parser.add_argument("--selftest", action="store_true",
                        help=_("Installation prüfen (Fenster, Formulare, Meldungsdatei, Schriften) und beenden"))
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
    officer = commands.add_parser("officer", help=_("Arbeitsbereich des Integrationsbüros"))
    officer_sub = officer.add_subparsers(dest="officer_command", required=True, metavar=_("Befehl"))
    init = officer_sub.add_parser("init", help=_("Schlüssel des Integrationsbüros erzeugen"))
    init.add_argument("--db", type=Path, required=True, dest="officer_db")
    backup = officer_sub.add_parser("backup", help=_("Sicherung der Schlüssel in eine Datei schreiben"))
    backup.add_argument("--db", type=Path, required=True, dest="officer_db")
    backup.add_argument("--out", type=Path, required=True)

    setup = commands.add_parser("setup-file", help=_("Einrichtungsdatei für eine Einrichtung schreiben"))
    setup.add_argument("--db", type=Path, required=True, dest="officer_db")
    setup.add_argument("--institution", required=True)
    setup.add_argument("--out", type=Path, required=True)
    setup.add_argument("--update", action="store_true",
                       help=_("Aktualisierung ohne neues Kennwort (neue Formulare, Vorjahreswerte)"))

    imp = commands.add_parser("import", help=_("Meldungsdateien einlesen"))
    imp.add_argument("--db", type=Path, required=True, dest="officer_db")
    imp.add_argument("--dry-run", action="store_true", help=_("nur anzeigen, was sich ändern würde"))
    imp.add_argument("--json", action="store_true", help=_("Ergebnis als JSON ausgeben"))
    imp.add_argument("--only-previewed", type=Path, metavar=_("LISTE"),
                     help=_("mit --dry-run: die gezeigten Dateien (Prüfsummen) in LISTE schreiben; ohne: nur die "
                            "Dateien übernehmen, die in LISTE stehen, also im Probelauf gezeigt wurden"))
    imp.add_argument("paths", nargs="+", type=Path, metavar=_("DATEI_ODER_ORDNER"))

    status = commands.add_parser("status", help=_("Jahresübersicht: eingegangen, fehlend, Rückfragen, freigegeben"))
    status.add_argument("--db", type=Path, required=True, dest="status_db")
    status.add_argument("--year", type=int, required=True)
    status.add_argument("--form")
    status.add_argument("--json", action="store_true")

    stats = commands.add_parser("stats", help=_("Amtliche Statistik der Stadt"))
    stats_sub = stats.add_subparsers(dest="stats_command", required=True, metavar=_("Befehl"))
    stats_import = stats_sub.add_parser("import", help=_("Zahlen übernehmen: eine GENESIS-Tabelle, wie sie aus der "
                                                         "Landesdatenbank oder der Regionalstatistik kommt, oder eine "
                                                         "CSV/XLSX mit den Spalten Jahr, Feld, Zeile, Spalte, Wert, "
                                                         "Quelle"))
    stats_import.add_argument("--db", type=Path, required=True, dest="stats_db")
    stats_import.add_argument("--form", help=_("Formular (nur für Tabellen mit den Spalten Jahr, Feld, …; eine "
                                               "GENESIS-Tabelle nennt ihr Formular selbst)"))
    stats_import.add_argument("--ags", metavar=_("SCHLÜSSEL"),
                              help=_("amtlicher Gemeindeschlüssel der Stadt (8 Stellen) oder des Kreises (5 Stellen); "
                                     "ohne Angabe der im Verzeichnis gespeicherte"))
    stats_import.add_argument("--source", default="", help=_("Quelle, wenn die Tabelle keine Spalte Quelle hat"))
    stats_import.add_argument("--second-source", default="", metavar=_("NAME"),
                              help=_("als weitere Quelle neben der Hauptquelle führen, z. B. „IT.NRW“"))
    stats_import.add_argument("--level", metavar=_("EBENE"),
                              help=_("bei Tabellen nach Gebieten: die Ebene der Gebiete, z. B. „Stadtteil“"))
    stats_import.add_argument("--map", action="append", default=[], metavar=_("TEXT=MERKMAL"),
                              help=_("bei Tabellen nach Gebieten: ein Merkmal der Tabelle einem Merkmal des Programms "
                                     "zuordnen, z. B. --map „Einwohner insgesamt=einwohner“ (wird gemerkt)"))
    stats_import.add_argument("--areas", action="store_true",
                              help=_("bei einer GENESIS-Tabelle auf Gemeindeebene und einem Kreis: auch die Gemeinden "
                                     "des Kreises als Gebiete übernehmen, mit ihren Zahlen"))
    stats_import.add_argument("--dry-run", action="store_true")
    stats_import.add_argument("--replace", action="store_true",
                              help=_("freigegebene Werte ersetzen (der Probelauf zeigt sie als alt → neu)"))
    stats_import.add_argument("--json", action="store_true")
    stats_import.add_argument("file", type=Path)

    registry = commands.add_parser("registry", help=_("Verzeichnis der Einrichtungen"))
    registry_sub = registry.add_subparsers(dest="registry_command", required=True, metavar=_("Befehl"))
    reg_import = registry_sub.add_parser("import", help=_("Einrichtungen aus einer CSV- oder Excel-Liste übernehmen "
                                                          "(z. B. dem Schulverzeichnis NRW)"))
    reg_import.add_argument("--db", type=Path, required=True, dest="registry_db")
    reg_import.add_argument("--ags", help=_("nur diese Gemeinde (z. B. 05974040) oder diesen Kreis (z. B. 05974)"))
    # Literal choices: importing store.orgunits here would load sqlite_utils and pandas before the window opens.
    reg_import.add_argument("--kind", choices=("schule", "kita", "jugendtreff", "verein"),
                            help=_("Art für Zeilen ohne Spalte „Art“ oder „Schulform“"))
    reg_import.add_argument("--sheet", help=_("Tabellenblatt einer Excel-Datei (Standard: das erste)"))
    reg_import.add_argument("--dry-run", action="store_true", help=_("nur anzeigen, was sich ändern würde"))
    reg_import.add_argument("--json", action="store_true", help=_("Ergebnis als JSON ausgeben"))
    reg_import.add_argument("file", type=Path, metavar=_("DATEI"))
    cli_report.add_parsers(commands)
    cli_areas.add_parsers(commands)
    cli_areas.add_map_parser(commands)
    cli_excel.add_parsers(commands)
    cli_pupils.add_parsers(commands)
    return parser


def _passphrase(prompt: str, twice: bool = False) -> str:
    """From IMON_PASSPHRASE (for scripts) or typed without echo."""
    import getpass
    import os

    if os.environ.get("IMON_PASSPHRASE"):
        return os.environ["IMON_PASSPHRASE"]
    first = getpass.getpass(prompt)
    if twice and getpass.getpass(_("Kennwort wiederholen: ")) != first:
        raise UserError(_("Die beiden Eingaben stimmen nicht überein. Bitte noch einmal."))
    return first


def _officer_db(path: Path):
    from store.database import open_database

    if not path.exists():
        raise UserError(_("Die Datenbank {path} gibt es nicht.").format(path=path))
    return open_database(path)


def _officer(args) -> int:
    from sync.officer import LOSS_WARNING, export_key_backup, init_officer

    if args.officer_command == "init":
        from store.database import open_database

        keys = init_officer(open_database(args.officer_db), _passphrase(_("Neues Kennwort des Integrationsbüros: "),
                                                                         twice=True))
        print(_("Schlüssel erzeugt. Fingerabdruck: {fp}").format(fp=keys.public.fingerprint))
        print(_("Bitte jetzt eine Sicherung anlegen: integrationsmonitor officer backup --db … --out …"))
        print(_(LOSS_WARNING))
        return 0
    path = export_key_backup(_officer_db(args.officer_db), args.out)
    print(_("Schlüsselsicherung geschrieben: {path}").format(path=path))
    print(_(LOSS_WARNING))
    return 0


def _setup_file(args) -> int:
    from sync.officer import unlock_officer, write_setup_file

    db = _officer_db(args.officer_db)
    keys = unlock_officer(db, _passphrase(_("Kennwort des Integrationsbüros: ")))
    passphrase = write_setup_file(db, keys, args.institution, args.out, first=not args.update)
    print(_("Einrichtungsdatei geschrieben: {path}").format(path=args.out))
    # Read out on the phone with the passphrase: the institution's program shows the same before it asks for it.
    print(_("Fingerabdruck des Integrationsbüros: {fp}").format(fp=keys.public.fingerprint))
    if passphrase:
        print(_("Einmal-Kennwort (bitte getrennt per Telefon oder Brief mitteilen, nicht mit der Datei): {p}").format(
            p=passphrase))
    return 0


def _import(args) -> int:
    import json

    from sync.importer import import_from
    from sync.officer import exchange_folders, unlock_officer
    from sync.transports import FileSource

    db = _officer_db(args.officer_db)
    keys = unlock_officer(db, _passphrase(_("Kennwort des Integrationsbüros: ")))
    folders = exchange_folders(args.officer_db)
    source = FileSource(args.paths, archive_dir=folders.archive, quarantine_dir=folders.quarantine)
    only = None if args.dry_run or args.only_previewed is None else _read_preview(args.only_previewed)
    summary = import_from(db, keys, source, dry_run=args.dry_run, outbox=None if args.dry_run else folders.outbox,
                          only=only)
    if args.dry_run and args.only_previewed is not None:
        _write_preview(args.only_previewed, summary.previewed)
    if args.json:
        shown = {"previewed": sorted(summary.previewed)} if args.dry_run else {"held_back": summary.held_back}
        print(json.dumps({**summary.as_dict(), **shown}, ensure_ascii=False, indent=1))
    else:
        for result in summary.results:
            print(f"{result.outcome:13} {result.name}" + (f": {result.reason}" if result.reason else ""))
            for change in result.changes:
                print(f"              {change}")
        for name in summary.held_back:
            print(_("{name}: kam nach dem Probelauf an oder wurde seitdem geändert; nicht übernommen.").format(
                name=name))
        counts = ", ".join(f"{n} {outcome}" for outcome, n in summary.counts.items())
        print((_("Probelauf, nichts gespeichert: {counts}") if args.dry_run else _("Ergebnis: {counts}")).format(
            counts=counts))
    return 0 if summary.ok else 1


PREVIEW_HEADER = "# Integrationsmonitor: Probelauf"


def _write_preview(path: Path, hashes: set[str]) -> None:
    """The content hashes (SHA-256) of the files the dry run showed, one a line; `import --only-previewed` reads
    them back, so a file that arrives or changes in between is never taken over unseen."""
    from store.files import describe_write_error, write_atomically

    text = "\n".join([PREVIEW_HEADER, *sorted(hashes)]) + "\n"
    try:
        write_atomically(path, text.encode("ascii"))
    except OSError as exc:
        raise UserError(describe_write_error(exc, path, _("Die Liste des Probelaufs"))) from exc
    print(_("Die im Probelauf gezeigten Dateien stehen in {path}; „import --only-previewed {path}“ übernimmt nur "
            "diese.").format(path=path), file=sys.stderr)  # beside --json, which stdout carries


def _read_preview(path: Path) -> set[str]:
    import re

    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(_("Die Liste des Probelaufs {path} kann nicht gelesen werden. Bitte zuerst „import --dry-run "
                          "--only-previewed {path}“ ausführen.").format(path=path)) from exc
    if not lines or lines[0] != PREVIEW_HEADER:
        raise UserError(_("{path} ist keine Liste eines Probelaufs. Bitte zuerst „import --dry-run --only-previewed "
                          "{path}“ ausführen.").format(path=path))
    hashes = {line.strip() for line in lines[1:] if line.strip()}
    if not all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes):
        raise UserError(_("Die Liste des Probelaufs {path} ist beschädigt. Bitte den Probelauf wiederholen.").format(
            path=path))
    return hashes


def _stats_import(args) -> int:
    import json

    from intake.genesis import genesis_or_none

    db = _officer_db(args.stats_db)
    table = genesis_or_none(args.file)
    if table is not None:
        return _genesis_import(db, table, args)
    from forms.catalog import latest_form
    from intake.statistics_import import import_statistics
    from intake.tables import read_table

    table = read_table(args.file)
    from intake.area_figures import is_area_table

    if is_area_table(table):
        return _area_figures_import(db, table, args)
    if not args.form:
        raise UserError(_("Bitte mit --form angeben, in welches Formular die Tabelle gehört (z. B. --form "
                          "bevoelkerung). Nur eine GENESIS-Tabelle nennt ihr Formular selbst."))
    form = latest_form(args.form)
    if form.kind != "stadt":
        raise UserError(_("„{form}“ ist kein Formular der amtlichen Statistik.").format(form=args.form))
    results = import_statistics(db, form, table, source=args.source,
                                dry_run=args.dry_run, who=_("Integrationsbüro"),
                                figure_source=args.second_source.strip(), replace=args.replace)
    if args.json:
        print(json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=1))
    else:
        _print_years(results)
    return 1 if any(r.problems for r in results) else 0


def _area_figures_import(db, table, args) -> int:
    import json

    from intake.area_figures import MAPPING_KEY, import_area_figures
    from store.table_mappings import remember_mapping, remembered_mapping

    mapping = dict(remembered_mapping(db, MAPPING_KEY) or {})
    for item in args.map:
        text, sep, code = item.rpartition("=")
        if not sep or not text.strip() or not code.strip():
            raise UserError(_("--map erwartet „Text der Tabelle=Merkmal“, z. B. „Einwohner insgesamt=einwohner“."))
        mapping[" ".join(text.split())] = code.strip()
    result = import_area_figures(db, table, args.level, mapping, source=args.source, dry_run=args.dry_run,
                                 replace=args.replace)
    if result.written and args.map:
        remember_mapping(db, MAPPING_KEY, mapping)
    if args.json:
        print(json.dumps({"rows": result.rows, "written": result.written, "unchanged": result.unchanged,
                          "problems": result.problems, "replaced": result.replaced, "unmapped": result.unmapped,
                          "figures": [{"level": level, "area": key, "year": year, "characteristic": code,
                                       "value": raw if isinstance(raw, int) else None,
                                       "state": None if isinstance(raw, int) else raw.value}
                                      for level, figures in result.figures.items()
                                      for (key, year, code), raw in sorted(figures.items())]},
                         ensure_ascii=False, indent=1))
    else:
        count = sum(len(f) for f in result.figures.values())
        state = _("übernommen") if result.written else (_("Probelauf") if not result.problems
                                                        else _("nicht übernommen"))
        print(_("{rows} Zeilen, {n} Zahlen nach Gebieten – {state}").format(rows=result.rows, n=count, state=state))
        for line in result.replaced:
            print(f"    ↻ {line}")
        for line in result.problems:
            print(f"    ✖ {line}")
    return 1 if result.problems else 0


def _print_years(results) -> None:
    for r in results:
        if r.unchanged:
            state = _("unverändert (diese Zahlen gelten schon)")
        else:
            state = _("übernommen") if r.written else (_("Probelauf") if not r.problems else _("nicht übernommen"))
        series = " " + _("(eigene Reihe „{name}“)").format(name=r.series) if r.series else ""
        print(_("{year}: {n} Werte – {state}").format(year=r.year, n=r.values, state=state) + series)
        for line in r.replaced:
            print(f"    ↻ {line}")
        for line in r.problems:
            print(f"    ✖ {line}")
        for line in r.warnings:
            print(f"    ⚠ {line}")


def _genesis_import(db, table, args) -> int:
    import json

    from common.ids import is_valid_ags
    from forms.catalog import latest_form
    from intake.genesis_import import import_genesis, source_line, take
    from intake.genesis_mapping import mapping_for
    from store.settings import registry_ags, set_registry_ags
    from store.table_mappings import remembered_mapping

    ags = (args.ags or registry_ags(db)).strip()
    if not ags:
        raise UserError(_("Für welche Gemeinde? Bitte mit --ags den amtlichen Gemeindeschlüssel angeben, z. B. "
                          "--ags 05974040 für die Stadt Soest oder --ags 05974 für den Kreis Soest."))
    if not is_valid_ags(ags):
        raise UserError(_("„{ags}“ ist kein amtlicher Gemeindeschlüssel: erwartet werden 2 bis 8 Ziffern, z. B. "
                          "05974040 (Stadt Soest) oder 05974 (Kreis Soest).").format(ags=ags[:40]))
    mapping = mapping_for(table, remembered_mapping(db, table.code))
    if mapping is None:
        raise UserError(_("Für die Tabelle {code} („{title}“) gibt es noch keine Zuordnung zu den Formularen. Bitte "
                          "die Tabelle einmal in der App auf den Reiter „Amtliche Statistik“ ziehen und die Spalten "
                          "zuordnen; danach geht sie auch hier.").format(code=table.code, title=table.title))
    form = latest_form(mapping.form)
    if args.form and args.form != form.id:
        raise UserError(_("Die Tabelle {code} gehört in das Formular „{form}“, nicht in „{given}“.").format(
            code=table.code, form=form.id, given=args.form))
    taken = take(table, mapping, form, ags)
    results = import_genesis(db, form, table, taken, who=_("Integrationsbüro"), dry_run=args.dry_run,
                             replace=args.replace, figure_source=args.second_source.strip())
    if not args.dry_run and args.ags and not registry_ags(db):
        set_registry_ags(db, ags)
    area_lines = _gemeinden_as_areas(db, table, mapping, form, ags, args) if args.areas else []
    if args.json:
        source = source_line(table)
        print(json.dumps({
            "table": table.code, "title": table.title, "reference": table.reference, "stand": table.stand,
            "ags": ags, "form": form.id, "source": source,
            "values": [{"form": form.id, "field": t.address[0], "row": t.address[1], "column": t.address[2],
                        "year": t.year, "value": t.value.number,
                        "state": t.value.state.value if t.value.state else None, "symbol": t.symbol,
                        "reference": t.reference, "source": source, "series": t.series or args.second_source.strip(),
                        "line": t.line} for t in taken],
            "years": [r.__dict__ for r in results]}, ensure_ascii=False, indent=1))
    else:
        print(_("Tabelle {code} ({reference}), Gebiet {ags} → Formular „{form}“").format(
            code=table.code, reference=table.reference, ags=ags, form=form.title))
        _print_years(results)
        for line in area_lines:
            print(line)
    return 1 if any(r.problems for r in results) or any(line.lstrip().startswith("✖") for line in area_lines) else 0


def _gemeinden_as_areas(db, table, mapping, form, ags: str, args) -> list[str]:
    """The Kreis's Gemeinden as areas of the level "Gemeinde", with their figures; a different figure already kept
    is replaced only with --replace."""
    from intake.genesis_import import GEMEINDE_LEVEL, gemeinden_of, keep_gemeinden, source_line

    plan = gemeinden_of(table, mapping, form, ags)
    replaced, _written = keep_gemeinden(db, plan, source_line(table), replace=args.replace, dry_run=args.dry_run)
    lines = [_("{n} Gemeinden als Gebiete der Ebene „{level}“, {m} Zahlen").format(
        n=len(plan.areas), level=GEMEINDE_LEVEL, m=len(plan.figures))]
    lines += [f"    ↻ {r}" for r in replaced]
    if replaced and not args.replace and not args.dry_run:
        lines.append("    ✖ " + _("{n} vorhandene Zahlen würden ersetzt; nichts wurde übernommen. Bitte prüfen und mit "
                                   "--replace bestätigen.").format(n=len(replaced)))
    return lines


def _status(args) -> int:
    import json

    from store.overview import APPROVED, MISSING, QUERIED, REJECTED, year_overview

    overviews = year_overview(_officer_db(args.status_db), args.year, args.form)
    if args.json:
        print(json.dumps({"year": args.year, "forms": [o.as_dict() for o in overviews]}, ensure_ascii=False,
                         indent=1))
        return 0
    print(_("Jahresübersicht {year}").format(year=args.year))
    for o in overviews:
        print(_("{title}: {sub} von {exp} eingegangen ({rate:.0f} %), davon {app} freigegeben, {q} Rückfragen, "
                "{rej} abgelehnt; {miss} fehlen").format(
                    title=o.title, sub=o.submitted, exp=o.expected, rate=o.rate(o.submitted), app=o.count(APPROVED),
                    q=o.count(QUERIED), rej=o.count(REJECTED), miss=o.count(MISSING)))
        for entry in o.entries:
            if entry.status in (MISSING, QUERIED):
                print(f"    {entry.status:12} {entry.institution_id:12} {entry.name}")
    return 0


def _registry_import(args) -> int:
    import json

    from intake.registry_import import import_registry, propose_mapping
    from intake.tables import read_table

    db = _officer_db(args.registry_db)
    table = read_table(args.file, sheet=args.sheet)
    mapping = propose_mapping(table)
    result = import_registry(db, table, mapping, ags=args.ags, default_kind=args.kind, dry_run=args.dry_run)
    if args.json:
        print(json.dumps({"file": str(args.file), "encoding": table.encoding, "delimiter": table.delimiter,
                          "sheet": table.sheet, "mapping": mapping.as_dict(table), **result.as_dict()},
                         ensure_ascii=False, indent=1))
    else:
        print(_("Zuordnung der Spalten:"))
        for line in mapping.describe(table):
            print(f"  {line}")
        for line in result.describe():
            print(line)
    return 0 if result.ok else 1


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
    from demo.town import build_demo
    from store.database import open_database

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


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    return _parser().parse_args(argv)


def run(args: argparse.Namespace) -> int:
    """The headless commands; the window is the launcher's business, so this never loads Qt."""
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
        if args.command == "officer":
            return _officer(args)
        if args.command == "setup-file":
            return _setup_file(args)
        if args.command == "import":
            return _import(args)
        if args.command == "registry":
            return _registry_import(args)
        if args.command == "status":
            return _status(args)
        if args.command == "stats":
            return _stats_import(args)
        if args.command in ("report", "indicators", "segregation"):
            return cli_report.run(args)
        if args.command in ("areas", "map"):
            return cli_areas.run(args)
        if args.command == "excel-forms":
            return cli_excel.run(args)
        if args.command == "count-export":
            return cli_pupils.run(args)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    _parser().print_help()
    return 2


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
