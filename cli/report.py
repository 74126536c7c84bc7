"""The report commands: the report files, the indicator values and the segregation measures, headless."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common.errors import UserError
from common.i18n import _
from common.numbers import format_number

UNIT_SETS = ("schools", "kitas", "bezirke")


def add_parsers(commands) -> None:
    report = commands.add_parser("report", help=_("Statistischen Integrationsbericht erstellen (PDF, Excel, CSV)"))
    report.add_argument("--db", type=Path, required=True, dest="report_db")
    report.add_argument("--year", type=int, required=True, help=_("Berichtsjahr"))
    report.add_argument("--from", type=int, dest="first_year", help=_("erstes Jahr der Zeitreihen"))
    report.add_argument("--variant", choices=("intern", "public"), default="intern",
                        help=_("intern: exakte Zahlen; public: mit Geheimhaltung, zur Veröffentlichung"))
    report.add_argument("--with-received", action="store_true",
                        help=_("auch eingegangene, noch nicht freigegebene Meldungen zählen (markiert)"))
    report.add_argument("--threshold", type=int, choices=(3, 5), default=3,
                        help=_("Werte unter dieser Zahl sperren (Standard 3: 1 und 2)"))
    report.add_argument("--min-denominator", type=int, default=20, metavar=_("N"),
                        help=_("Anteile erst ab dieser Bezugsgröße zeigen (Standard 20)"))
    report.add_argument("--pdf", type=Path)
    report.add_argument("--xlsx", type=Path)
    report.add_argument("--csv", type=Path, metavar=_("ORDNER"))
    report.add_argument("--profiles", metavar=_("EBENE"),
                        help=_("je Gebiet dieser Ebene eine Seite mit seinen Kennzahlen neben denen der Stadt, z. B. "
                               "„Stadtbezirk“"))

    indicators = commands.add_parser("indicators", help=_("Indikatorwerte eines Jahres ausgeben"))
    indicators.add_argument("--db", type=Path, required=True, dest="report_db")
    indicators.add_argument("--year", type=int, required=True)
    indicators.add_argument("--json", action="store_true")

    segregation = commands.add_parser("segregation", help=_("Segregationsmaße eines Jahres ausgeben"))
    segregation.add_argument("--db", type=Path, required=True, dest="report_db")
    segregation.add_argument("--year", type=int, required=True)
    segregation.add_argument("--units", choices=UNIT_SETS, help=_("Einrichtungen als Einheiten (Schulen, Kitas)"))
    segregation.add_argument("--level", metavar=_("NAME"),
                             help=_("Gebiete einer Ebene als Einheiten, z. B. „Stadtteil“"))
    segregation.add_argument("--group", metavar=_("NAME"),
                             help=_("Gruppe bei --level, z. B. auslaender oder emr (Standard: emr)"))
    segregation.add_argument("--type", dest="school_type", help=_("Schulform, z. B. Grundschule"))
    segregation.add_argument("--json", action="store_true")


def _open(path: Path):
    from store.database import open_database

    if not path.exists():
        raise UserError(_("Die Datenbank {path} gibt es nicht.").format(path=path))
    return open_database(path)


def _report(args: argparse.Namespace) -> int:
    from reports.report_files import ReportRequest, make_report
    from reports.report_model import INTERNAL, PUBLIC

    if not (args.pdf or args.xlsx or args.csv):
        raise UserError(_("Bitte mit --pdf, --xlsx oder --csv sagen, welche Dateien entstehen sollen."))
    request = ReportRequest(args.year, args.first_year, PUBLIC if args.variant == "public" else INTERNAL,
                            args.with_received, args.threshold, args.min_denominator, pdf=args.pdf, xlsx=args.xlsx,
                            csv=args.csv, profiles=args.profiles)
    if request.min_denominator < 1:
        raise UserError(_("--min-denominator muss mindestens 1 sein."))
    files = make_report(_open(args.report_db), request)
    for path in files.written:
        print(_("geschrieben: {path}").format(path=path))
    return 0


def _indicators(args: argparse.Namespace) -> int:
    from reports.catalog import catalog
    from reports.indicator_values import all_indicator_values
    from store.counted_values import counted_values, registry
    from store.orgunits import bezirke as list_bezirke

    db = _open(args.report_db)
    bezirke = list_bezirke(db)
    values = all_indicator_values(counted_values(db), bezirke, registry=registry(db))
    values = values[values["year"] == args.year]
    units = {i.code: i.unit for i in catalog().indicators}
    rows = [{"code": r.indicator, "unit": units[r.indicator], "level": r.level, "org_unit": r.key,
             "org_unit_name": r.label or "", "year": int(r.year),
             "breakdown": r.breakdown, "value": None if r.value != r.value else round(float(r.value), 4),
             "numerator": None if r.numerator != r.numerator else int(r.numerator),
             "denominator": None if r.denominator != r.denominator else int(r.denominator)}
            for r in values.itertuples()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            digits = 1 if r["unit"] == "prozent" else 0
            value = "." if r["value"] is None else format_number(r["value"], digits)
            print(f"{r['code']:<28} {r['level']:<11} {r['org_unit_name'] or r['org_unit']:<32} {r['breakdown']:<16} "
                  f"{value}")
    return 0


def _area_segregation(args: argparse.Namespace) -> int:
    from reports.area_measures import area_segregation, group_named, level_named

    db = _open(args.report_db)
    level = level_named(db, args.level)
    group = group_named(args.group or "emr")
    result, missing = area_segregation(db, level.code, args.year, group)
    data = {"level": level.name, "group": group.code, "group_label": group.label, "definition": group.definition,
            "year": args.year, "units": result.units, "group_count": result.group, "rest": result.rest,
            **{name: None if value is None else round(value, 4) for name, value in (
                ("share", result.share), ("dissimilarity", result.dissimilarity),
                ("isolation", result.isolation), ("exposure", result.exposure))},
            "without_figures": missing, "warning": result.warning}
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0

    def text(v):
        return "x" if v is None else format_number(v, 4)

    print(_("{level} {year}, {group}: {n} Gebiete, Anteil {share}, D = {d}, xPx = {x}, xPy = {y} "
            "({definition})").format(
        level=level.name, year=args.year, group=group.label, n=result.units, share=text(result.share),
        d=text(result.dissimilarity), x=text(result.isolation), y=text(result.exposure), definition=group.definition))
    if missing:
        print(_("Ohne Zahlen: {names}").format(names=", ".join(missing)))
    if result.warning:
        print(result.warning)
    return 0


def _segregation(args: argparse.Namespace) -> int:
    if args.level:
        if args.units:
            raise UserError(_("Bitte entweder --units oder --level angeben, nicht beides."))
        return _area_segregation(args)
    if not args.units:
        raise UserError(_("Bitte mit --level (Gebiete) oder --units (Schulen, Kitas) sagen, worüber gemessen wird."))
    if args.group:
        raise UserError(_("--group gilt nur mit --level."))
    from reports.catalog import catalog
    from reports.indicator_values import unit_values
    from reports.segregation import Unit, measure
    from store.counted_values import counted_values
    from store.orgunits import bezirke as list_bezirke

    db = _open(args.report_db)
    bezirke = list_bezirke(db)
    frame = counted_values(db)
    frame = frame[frame["figure_source"] == ""]
    code = {"schools": "schule_zwg", "kitas": "kita_mh", "bezirke": "bev_emr"}[args.units]
    indicator = catalog().get(code)
    units = unit_values(frame[frame["form_id"] == indicator.form], indicator, bezirke)
    units = units[(units["year"] == args.year) & ~units["unknown"] & units["denominator"].notna()]
    if args.school_type:
        if args.units != "schools":
            raise UserError(_("--type gilt nur für --units schools."))
        units = units[units["school_type"] == args.school_type]
    result = measure(Unit(str(u.unit), int(u.numerator), int(u.denominator)) for u in units.itertuples())
    data = {"units": result.units, "group": result.group, "rest": result.rest, "share": result.share,
            "dissimilarity": result.dissimilarity, "segregation": result.segregation, "isolation": result.isolation,
            "warning": result.warning, "definition": indicator.definition}
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        def text(v):
            return "x" if v is None else format_number(v, 3)

        print(_("{n} Einheiten, Anteil {share}, D = {d}, S = {s}, xPx = {x} ({definition})").format(
            n=result.units, share=text(result.share), d=text(result.dissimilarity), s=text(result.segregation),
            x=text(result.isolation), definition=indicator.definition))
        if result.warning:
            print(result.warning)
    return 0


def run(args: argparse.Namespace) -> int | None:
    """The exit status of a report command, or None when the command is not one of these."""
    return {"report": _report, "indicators": _indicators, "segregation": _segregation}.get(
        args.command, lambda _args: None)(args)
