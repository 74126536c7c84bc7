"""Area boundaries from the town's GIS files: an ESRI Shapefile (.shp with .shx, .dbf, .prj, optional .cpg) or a
GeoJSON file, as polygons in ETRS89-LAEA (EPSG:3035, metres) with their attributes as plain text.

EPSG:3035 is equal-area and has no east–west stretching at German latitudes, so one projection serves both the
areas in square metres and a map drawn straight from the coordinates.

pyshp, pyproj and shapely are imported inside the functions: the app's start-up must not load them.
"""

from __future__ import annotations

import codecs
import json
import math
from dataclasses import dataclass
from pathlib import Path

from common.errors import UserError
from common.i18n import _
from intake.registry_import import visible_text

TARGET_CRS = "EPSG:3035"
MAX_BYTES = 200 * 1024 * 1024
MAX_FEATURES = 100_000
# The number of points is capped too: a file under the byte cap may still hold more vertices than a town needs.
MAX_POINTS = 20_000_000


class GisError(UserError):
    """A GIS file that cannot be taken as area boundaries; the message names the file and says what to do."""


@dataclass
class Feature:
    attributes: dict[str, str]
    # Outer rings counter-clockwise, holes clockwise after their outer ring (RFC 7946), each closed, in EPSG:3035.
    rings: list[list[tuple[float, float]]]
    representative_point: tuple[float, float]
    area_m2: float


@dataclass
class Boundaries:
    fields: list[str]
    features: list[Feature]
    crs: str
    file_name: str


def read_boundaries(path: Path | str) -> Boundaries:
    """The areas of a shapefile (.shp) or GeoJSON (.geojson, .json) file; GisError for anything that does not fit."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".shp":
        from intake.gis_shapefile import read_shapefile

        fields, records, geometries, source_crs, crs_name = read_shapefile(path)
    elif suffix in (".geojson", ".json"):
        fields, records, geometries, source_crs, crs_name = _read_geojson(path)
    else:
        raise GisError(_("{name}: Gebietsgrenzen werden aus einem Shapefile (.shp mit .shx, .dbf und .prj) oder "
                         "einer GeoJSON-Datei (.geojson) gelesen. Bitte eine solche Datei wählen.").format(
                             name=path.name))
    features = _features(path.name, records, geometries, source_crs)
    return Boundaries(fields=fields, features=features, crs=crs_name, file_name=path.name)


def _too_many(name: str, count: int) -> GisError:
    return GisError(_("{name} enthält {n} Gebiete; mehr als {cap} werden nicht gelesen. Bitte nur die Gebiete der "
                      "Stadt ausschneiden.").format(name=name, n=count, cap=MAX_FEATURES))


def plain_text(value) -> str:
    """An attribute value as text, never interpreted: numbers without a trailing ".0", no control characters."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return visible_text(value).strip()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes):
        return visible_text(value.decode("latin-1")).strip()
    return visible_text(json.dumps(value, ensure_ascii=False)).strip()


def feature_name(attributes: dict[str, str], number: int) -> str:
    """How a message names a feature: its number in the file and its first attributes, which are usually its key
    and name."""
    shown = ", ".join(f"{k} {v}" for k, v in list(attributes.items())[:3] if v)
    return _("Gebiet Nr. {n} ({attrs})").format(n=number, attrs=shown) if shown else _("Gebiet Nr. {n}").format(
        n=number)


def read_capped(path: Path, what: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise GisError(_("{name} ist {mb} MB groß; mehr als {cap} MB werden nicht gelesen. Bitte nur die Gebiete "
                             "der Stadt ausschneiden.").format(
                                 name=path.name, mb=size // 2**20, cap=MAX_BYTES // 2**20))
        return path.read_bytes()
    except OSError as error:
        raise GisError(_("{what} {name} kann nicht gelesen werden: {error}").format(
            what=what, name=path.name, error=error.strerror or error)) from None


def describe_crs(crs, *, geojson: bool = False) -> str:
    """A readable name of the source projection, for the user to check against what the GIS department says."""
    if crs.is_compound:
        crs = crs.sub_crs_list[0]
    code = crs.to_epsg(min_confidence=70)
    if code:
        return f"{crs.name} (EPSG:{code})"
    if geojson:
        return _("{name} (Längen- und Breitengrade)").format(name=crs.name)
    easting = _parameter(crs, "False easting")
    if easting:
        from common.numbers import format_number

        return _("{name} (eigene Variante, Rechtswert um {m} m verschoben)").format(
            name=crs.name, m=format_number(easting))
    return _("{name} (ohne EPSG-Code)").format(name=crs.name)


def _parameter(crs, name: str) -> float | None:
    operation = getattr(crs, "coordinate_operation", None)
    for parameter in getattr(operation, "params", None) or []:
        if parameter.name.lower() == name.lower():
            return parameter.value
    return None


def _read_geojson(path: Path):
    import pyproj

    raw = read_capped(path, _("Die GeoJSON-Datei"))
    try:
        text = codecs.decode(raw, "utf-8-sig")
    except UnicodeDecodeError:
        # RFC 7946 demands UTF-8, but an old export may be Windows text; its letters are still worth having.
        text = raw.decode("cp1252", errors="replace")

    def no_constant(name):
        raise ValueError(name)

    try:
        data = json.loads(text, parse_constant=no_constant)
    except (ValueError, RecursionError) as error:
        raise GisError(_("{name} ist keine gültige GeoJSON-Datei ({error}). Bitte die Datei erneut aus dem GIS "
                         "exportieren.").format(name=path.name, error=str(error)[:120])) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise GisError(_("{name} ist keine GeoJSON-FeatureCollection. Erwartet wird eine Sammlung von Flächen "
                         "(Polygon oder MultiPolygon), eine je Gebiet.").format(name=path.name))
    source = pyproj.CRS.from_user_input("OGC:CRS84")
    named = ((data.get("crs") or {}).get("properties") or {}).get("name") if isinstance(data.get("crs"), dict) else None
    if isinstance(named, str) and "CRS84" not in named.upper() and not named.upper().endswith(("4326", "EPSG::4326")):
        # The 2008 GeoJSON spec let a file name its projection; RFC 7946 dropped it, but old exports still carry it.
        try:
            source = pyproj.CRS.from_user_input(named)
        except pyproj.exceptions.CRSError:
            raise GisError(_("{name} nennt die unbekannte Projektion „{crs}“. Bitte die Datei in WGS 84 (EPSG:4326) "
                             "exportieren, wie es GeoJSON vorsieht.").format(name=path.name, crs=plain_text(named)[:80])
                           ) from None
    if len(data["features"]) > MAX_FEATURES:
        raise _too_many(path.name, len(data["features"]))
    fields: list[str] = []
    records, geometries = [], []
    for number, feature in enumerate(data["features"], start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        properties = feature.get("properties") if isinstance(feature, dict) else None
        attributes = {}
        for key, value in (properties if isinstance(properties, dict) else {}).items():
            key = plain_text(key)
            if key not in fields:
                fields.append(key)
            attributes[key] = plain_text(value)
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            kind = geometry.get("type") if isinstance(geometry, dict) else _("keine Geometrie")
            raise GisError(_("{name}: {feature} ist keine Fläche, sondern „{kind}“. Gebietsgrenzen müssen Flächen "
                             "(Polygon oder MultiPolygon) sein.").format(
                                 name=path.name, feature=feature_name(attributes, number), kind=plain_text(kind)[:40]))
        records.append(attributes)
        geometries.append(geometry)
    return fields, records, geometries, source, describe_crs(source, geojson=source.is_geographic)


def _features(name: str, records: list[dict], geometries: list, source_crs) -> list[Feature]:
    """Checks each geometry, projects it to EPSG:3035 and takes its rings, representative point and area."""
    import numpy as np
    import pyproj
    import shapely

    shapes = []
    for number, (attributes, geometry) in enumerate(zip(records, geometries, strict=True), start=1):
        try:
            shape = shapely.geometry.shape(geometry)
        except (ValueError, TypeError, AttributeError, IndexError, KeyError, shapely.errors.ShapelyError):
            shape = None
        if shape is None or shape.is_empty or shape.geom_type not in ("Polygon", "MultiPolygon"):
            raise GisError(_("{name}: {feature} hat keine lesbare Fläche (fehlende oder kaputte Koordinaten). Bitte "
                             "die Geometrie im GIS prüfen.").format(
                                 name=name, feature=feature_name(attributes, number)))
        shapes.append(shape)
    shapes = np.array(shapes, dtype=object)
    if int(shapely.get_num_coordinates(shapes).sum()) > MAX_POINTS:
        raise GisError(_("{name} hat mehr als {cap} Eckpunkte. Bitte die Gebiete im GIS vereinfachen.").format(
            name=name, cap=f"{MAX_POINTS:,}".replace(",", ".")))
    coordinates = shapely.get_coordinates(shapes)
    if not np.isfinite(coordinates).all():
        raise GisError(_("{name} enthält ungültige Koordinaten (unendlich oder keine Zahl). Bitte die Datei erneut "
                         "aus dem GIS exportieren.").format(name=name))
    # Absurd coordinates from a damaged file overflow inside GEOS; the checks below turn them into a message.
    with np.errstate(all="ignore"):
        reasons = shapely.is_valid_reason(shapes)
    for number, reason in enumerate(reasons, start=1):
        if reason.startswith("Ring Self-intersection"):
            # A ring that touches itself in one point (an "inverted" hole) is valid in ESRI's model and common in
            # real files (Köln's Marienburg): split at that point, it is the same area without a crossing.
            repaired = shapely.make_valid(shapes[number - 1])
            if repaired.geom_type in ("Polygon", "MultiPolygon"):
                shapes[number - 1] = repaired
                continue
        if reason != "Valid Geometry":
            raise GisError(_invalid(name, feature_name(records[number - 1], number), reason))
    _check_area_of_use(name, coordinates, source_crs)
    to_laea = pyproj.Transformer.from_crs(source_crs, TARGET_CRS, always_xy=True)

    def project(xy):
        x, y = to_laea.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    projected = shapely.orient_polygons(shapely.transform(shapes, project))
    if not np.isfinite(shapely.get_coordinates(projected)).all():
        raise GisError(_("{name}: die Koordinaten passen nicht zur angegebenen Projektion. Bitte die .prj-Datei "
                         "bzw. die Projektion beim Export prüfen.").format(name=name))
    # The centre of the largest circle inside the area (the pole of inaccessibility): where a label has the most
    # room, unlike point_on_surface, which may sit close to a border. A tolerance of 1 % of the area's size is finer
    # than any label placement needs.
    tolerance = np.maximum(np.sqrt(shapely.area(projected)) / 100, 1.0)
    points = shapely.get_point(shapely.maximum_inscribed_circle(projected, tolerance), 0)
    areas = shapely.area(projected)
    features = []
    for attributes, shape, point, area in zip(records, projected, points, areas, strict=True):
        rings = []
        for polygon in getattr(shape, "geoms", [shape]):
            for ring in [polygon.exterior, *polygon.interiors]:
                rings.append([(float(x), float(y)) for x, y in ring.coords])
        features.append(Feature(attributes=attributes, rings=rings, representative_point=(point.x, point.y),
                                area_m2=float(area)))
    return features


def _invalid(name: str, feature: str, reason: str) -> str:
    # GEOS says e.g. "Self-intersection[2356789.1 5645678.2]": the place helps the GIS department find it.
    kind, _sep, where = reason.partition("[")
    where = where.rstrip("]")
    if "self-intersection" in kind.lower():
        problem = _("überschneidet sich selbst (bei {where})").format(where=where) if where else _(
            "überschneidet sich selbst")
    else:
        problem = _("ist keine gültige Fläche ({reason})").format(reason=reason[:120])
    return _("{name}: {feature} {problem}. Bitte die Fläche im GIS reparieren (in QGIS: „Geometrien reparieren“) "
             "und die Datei erneut einlesen.").format(name=name, feature=feature, problem=problem)


def _check_area_of_use(name: str, coordinates, source_crs) -> None:
    """Coordinates far outside what the projection is meant for show a wrong .prj (or a projected GeoJSON), which
    would otherwise draw the town somewhere in the ocean."""
    import pyproj

    middle = coordinates.min(axis=0) + (coordinates.max(axis=0) - coordinates.min(axis=0)) / 2
    crs = source_crs.sub_crs_list[0] if source_crs.is_compound else source_crs
    if crs.is_geographic:
        lon, lat = middle
    else:
        to_degrees = pyproj.Transformer.from_crs(crs, "OGC:CRS84", always_xy=True)
        lon, lat = to_degrees.transform(*middle)
    areas = [(pyproj.CRS.from_user_input(TARGET_CRS).area_of_use, 0.0)]
    code = crs.to_epsg(min_confidence=70)
    if code:
        # A zone's projection is still used a few degrees beyond its zone (NRW's west lies outside UTM 32).
        areas.append((pyproj.CRS.from_epsg(code).area_of_use, 3.0))
    if not all(math.isfinite(lon) and math.isfinite(lat) and area.west - margin <= lon <= area.east + margin
               and area.south - margin <= lat <= area.north + margin for area, margin in areas if area):
        raise GisError(_("{name}: die Koordinaten liegen nicht dort, wo die angegebene Projektion ({crs}) gilt; in "
                         "ihr gelesen, läge die Mitte bei {lon}° Ost, {lat}° Nord. Wahrscheinlich passt die "
                         "Projektion nicht zu den Daten; bitte beim Export aus dem GIS prüfen.").format(
                             name=name, crs=crs.name, lon=_degrees(lon), lat=_degrees(lat)))


def _degrees(value: float) -> str:
    from common.numbers import format_number

    return format_number(value, 1) if math.isfinite(value) else "?"

