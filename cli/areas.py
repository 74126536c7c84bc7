"""The town's geography on the command line: areas from GIS files, the list of areas, maps of figures by area and
the segregation measures at any level."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common.errors import UserError
from common.i18n import _
from common.numbers import format_number


def add_parsers(commands) -> None:
    areas = commands.add_parser("areas", help=_("Gebiete der Stadt (Stadtbezirke, Stadtteile …)"))
    sub = areas.add_subparsers(dest="areas_command", required=True, metavar=_("Befehl"))
    imp = sub.add_parser("import", help=_("Gebiete aus einer Shapefile- oder GeoJSON-Datei übernehmen"))
    imp.add_argument("--db", type=Path, required=True, dest="areas_db")
    imp.add_argument("--level", required=True, metavar=_("NAME"), help=_("Ebene, z. B. „Stadtteil“"))
    imp.add_argument("--key", metavar=_("FELD"), help=_("Feld mit dem Schlüssel des Gebiets"))
    imp.add_argument("--name", metavar=_("FELD"), help=_("Feld mit dem Namen des Gebiets"))
    imp.add_argument("--parent-level", metavar=_("NAME"), help=_("Ebene der oberen Gebiete, z. B. „Stadtbezirk“"))
    how = imp.add_mutually_exclusive_group()
    how.add_argument("--parent-field", metavar=_("FELD"), help=_("Feld mit dem Schlüssel des oberen Gebiets"))
    how.add_argument("--parent-prefix", type=int, metavar=_("N"),
                     help=_("die ersten N Zeichen des Schlüssels sind der Schlüssel des oberen Gebiets"))
    imp.add_argument("--source", metavar=_("TEXT"),
                     help=_("Herkunft und Lizenz der Umrisse für die Zeile unter jeder Karte, z. B. „Stadt Köln, "
                            "Offene Daten, CC BY“ (Standard: der Dateiname)"))
    imp.add_argument("--dry-run", action="store_true")
    imp.add_argument("--json", action="store_true")
    imp.add_argument("file", type=Path)
    retire = sub.add_parser("retire", help=_("Ein Gebiet enden lassen, wenn die Grenzen neu gezogen wurden, und "
                                             "sagen, in welche neuen Gebiete es aufgeht"))
    retire.add_argument("--db", type=Path, required=True, dest="areas_db")
    retire.add_argument("--level", required=True, metavar=_("NAME"))
    retire.add_argument("--key", required=True, metavar=_("SCHLÜSSEL"))
    retire.add_argument("--last-year", type=int, required=True, metavar=_("JAHR"),
                        help=_("das letzte Jahr, in dem es das Gebiet gab"))
    retire.add_argument("--successor", action="append", default=[], metavar=_("SCHLÜSSEL[=ANTEIL]"),
                        help=_("ein neues Gebiet, in das es aufgeht, mit dem Anteil seiner Zahlen, wo er bekannt "
                               "ist, z. B. --successor 911=0.6"))
    listing = sub.add_parser("list", help=_("Ebenen und Gebiete auflisten"))
    listing.add_argument("--db", type=Path, required=True, dest="areas_db")
    listing.add_argument("--level", metavar=_("NAME"))
    listing.add_argument("--json", action="store_true")


def add_map_parser(commands) -> None:
    drawn = commands.add_parser("map", help=_("Karte eines Anteils nach Gebieten als PNG oder PDF"))
    drawn.add_argument("--db", type=Path, required=True, dest="areas_db")
    drawn.add_argument("--year", type=int, required=True)
    drawn.add_argument("--indicator", required=True, metavar=_("GRUPPE"),
                       help=_("der Anteil einer Gruppe, z. B. auslaender, emr, sgb2"))
    drawn.add_argument("--level", required=True, metavar=_("NAME"))
    drawn.add_argument("--variant", choices=("intern", "public"), default="intern",
                       help=_("public: gesperrte Gebiete bleiben grau"))
    drawn.add_argument("--out", type=Path, required=True, metavar=_("DATEI"))


def _map(args: argparse.Namespace) -> int:
    from reports.area_measures import group_named, level_named
    from reports.disclosure import Rules
    from reports.map_figures import share_map

    if args.out.suffix.lower() not in (".png", ".pdf"):
        raise UserError(_("Die Karte wird als .png oder .pdf geschrieben, nicht als „{suffix}“.").format(
            suffix=args.out.suffix or args.out.name))
    db = _open(args.areas_db)
    level = level_named(db, args.level)
    group = group_named(args.indicator)
    title = _("Anteil {group} nach {level}, {year}").format(group=group.label, level=level.name, year=args.year)
    figure = share_map(db, level.code, args.year, group, args.variant == "public", Rules(), title)
    if figure is None:
        raise UserError(_("Für die Ebene „{level}“ gibt es keine Umrisse. Bitte die Gebiete aus einer GIS-Datei "
                          "übernehmen (integrationsmonitor areas import).").format(level=level.name))
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if args.out.suffix.lower() == ".png":
            from reports.maps import png_bytes

            args.out.write_bytes(png_bytes(figure))
        else:
            figure.savefig(args.out, format="pdf", facecolor="white")
    except OSError as exc:
        raise UserError(_("Die Karte kann nicht nach {path} geschrieben werden: {error}").format(
            path=args.out, error=exc.strerror or exc)) from exc
    print(_("geschrieben: {path}").format(path=args.out))
    return 0


def _open(path: Path):
    from store.database import open_database

    if not path.exists():
        raise UserError(_("Die Datenbank {path} gibt es nicht.").format(path=path))
    return open_database(path)


def _import(args: argparse.Namespace) -> int:
    from intake.area_import import apply_plan, plan_areas
    from intake.gis import read_boundaries

    db = _open(args.areas_db)
    boundaries = read_boundaries(args.file)
    plan = plan_areas(db, boundaries, args.level, args.key, args.name, args.parent_level, args.parent_field,
                      args.parent_prefix)
    if args.source:
        plan.source = args.source
    if not args.dry_run:
        apply_plan(db, plan)
    if args.json:
        print(json.dumps({"level": args.level, "parent_level": plan.parent_level, "crs": plan.crs, "new": plan.new,
                          "updated": plan.updated, "written": not args.dry_run,
                          "areas": [{"key": a.key, "name": a.name, "parent": a.parent_key} for a in plan.areas]},
                         ensure_ascii=False, indent=1))
    else:
        state = _("Probelauf, nichts gespeichert") if args.dry_run else _("übernommen")
        print(_("{file}: {n} Gebiete der Ebene „{level}“ ({new} neu, {updated} geändert) – {state}").format(
            file=boundaries.file_name, n=format_number(len(plan.areas)), level=args.level,
            new=format_number(plan.new), updated=format_number(plan.updated), state=state))
        print(_("Projektion der Datei: {crs}").format(crs=plan.crs))
    return 0


def _list(args: argparse.Namespace) -> int:
    from store.areas import areas_of, find_level, levels

    db = _open(args.areas_db)
    chosen = levels(db)
    if args.level:
        level = find_level(db, args.level)
        if level is None:
            raise UserError(_("Die Ebene „{level}“ gibt es nicht.").format(level=args.level))
        chosen = [level]
    names = {lv.code: lv.name for lv in levels(db)}
    data = [{"level": lv.name, "code": lv.code, "parent": names.get(lv.parent) if lv.parent else None,
             "areas": [{"key": a.key, "name": a.name, "parent": a.parent_key, "from": a.valid_from,
                        "to": a.valid_to} for a in areas_of(db, lv.code)]} for lv in chosen]
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    if not data:
        print(_("Noch keine Gebiete. Übernehmen Sie sie mit „integrationsmonitor areas import“."))
    for lv in data:
        parent = _(" (unter {parent})").format(parent=lv["parent"]) if lv["parent"] else ""
        print(_("{level}{parent}: {n} Gebiete").format(level=lv["level"], parent=parent, n=len(lv["areas"])))
        for a in lv["areas"]:
            print(f"  {a['key']}\t{a['name']}" + (f"\t→ {a['parent']}" if a["parent"] else ""))
    return 0


def _retire(args: argparse.Namespace) -> int:
    from store.areas import Area, areas_of, find_level, save_areas, set_successors

    db = _open(args.areas_db)
    level = find_level(db, args.level)
    if level is None:
        raise UserError(_("Die Ebene „{level}“ gibt es nicht.").format(level=args.level))
    known = {a.key: a for a in areas_of(db, level.code)}
    area = known.get(args.key)
    if area is None:
        raise UserError(_("Das Gebiet „{key}“ gibt es auf der Ebene „{level}“ nicht.").format(key=args.key,
                                                                                        level=level.name))
    successors: dict[str, float | None] = {}
    for item in args.successor:
        key, _sep, share = item.partition("=")
        if key not in known:
            raise UserError(_("Das neue Gebiet „{key}“ gibt es auf der Ebene „{level}“ nicht; bitte zuerst die neuen "
                              "Gebiete übernehmen.").format(key=key, level=level.name))
        try:
            successors[key] = float(share.replace(",", ".")) if share else None
        except ValueError:
            raise UserError(_("„{share}“ ist kein Anteil; erwartet wird eine Zahl zwischen 0 und 1, z. B. 0,6.").format(
                share=share)) from None
        if successors[key] is not None and not 0 < successors[key] <= 1:
            raise UserError(_("Der Anteil für „{key}“ muss zwischen 0 und 1 liegen.").format(key=key))
    if sum(v for v in successors.values() if v is not None) > 1.0001:
        raise UserError(_("Die Anteile ergeben zusammen mehr als das ganze Gebiet."))
    save_areas(db, level.code, [Area(level.code, area.key, area.name, area.parent_key, area.valid_from,
                                     args.last_year)])
    set_successors(db, level.code, area.key, successors)
    print(_("{name} ({key}) gilt bis {year}.").format(name=area.name, key=area.key, year=args.last_year))
    return 0


def run(args: argparse.Namespace) -> int | None:
    if args.command == "map":
        return _map(args)
    if args.command != "areas":
        return None
    return {"import": _import, "list": _list, "retire": _retire}[args.areas_command](args)
