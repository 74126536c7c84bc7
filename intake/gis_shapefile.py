"""The ESRI Shapefile half of intake.gis: the four or five files of one shapefile, read with pyshp and pyproj after
checks that turn a missing, foreign or cut-off file into a message instead of a traceback."""

from __future__ import annotations

import codecs
import io
import struct
import warnings
from pathlib import Path

from common.i18n import N_, _
from intake import gis
from intake.gis import GisError, describe_crs, feature_name, plain_text, read_capped

POLYGON_TYPES = (5, 15, 25)  # Polygon, PolygonZ, PolygonM
_POINTS, _LINES = N_("Punkte"), N_("Linien")
_KINDS = {0: N_("keine Geometrien"), 1: _POINTS, 3: _LINES, 8: _POINTS, 11: _POINTS, 13: _LINES, 18: _POINTS,
          21: _POINTS, 23: _LINES, 28: _POINTS, 31: N_("Körper (Multipatch)")}
# What GIS programs write into a .cpg, mapped to Python's codec names where the two differ.
_CPG_ALIASES = {"65001": "utf-8", "utf8": "utf-8", "ansi 1252": "cp1252", "1252": "cp1252", "88591": "latin-1",
                "iso 88591": "latin-1", "iso-8859-1": "latin-1", "ansi": "cp1252"}


def read_shapefile(path: Path):
    """(fields, records, GeoJSON-like geometries, source CRS, readable CRS name) of the shapefile at path."""
    import pyproj
    import shapefile

    name = path.name
    shp = read_capped(path, _("Die Datei"))
    shx = read_capped(_sibling(path, ".shx", required=True), _("Die Datei"))
    dbf = read_capped(_sibling(path, ".dbf", required=True), _("Die Datei"))
    _check_header(name, shp)
    prj_path = _sibling(path, ".prj", required=False)
    if prj_path is None:
        raise GisError(_("Zu {name} fehlt die Datei {prj} mit der Projektion. Ohne sie ist nicht bekannt, wo die "
                         "Koordinaten liegen. Bitte die .prj-Datei aus dem GIS mitliefern (sie liegt beim Export "
                         "neben der .shp-Datei).").format(name=name, prj=path.with_suffix(".prj").name))
    wkt = read_capped(prj_path, _("Die Datei")).decode("latin-1").strip()
    try:
        source_crs = pyproj.CRS.from_user_input(wkt)
    except pyproj.exceptions.CRSError:
        raise GisError(_("Die Projektion in {prj} ist unbekannt oder unlesbar. Bitte die Datei erneut aus dem GIS "
                         "exportieren, am besten in ETRS89 / UTM Zone 32N (EPSG:25832).").format(
                             prj=prj_path.name)) from None
    if source_crs.is_compound:
        source_crs = source_crs.sub_crs_list[0]
    encoding = _encoding(path, dbf)
    # pyshp only warns about a damaged record or header and reads on; here that is a damaged file.
    with warnings.catch_warnings():
        warnings.simplefilter("error", shapefile.CorruptDbfRecord)
        warnings.simplefilter("error", shapefile.PossiblyCorruptFileHeader)
        fields, records, geometries = _read(shapefile, name, path, shp, shx, dbf, encoding)
    return fields, records, geometries, source_crs, describe_crs(source_crs)


def _read(shapefile, name: str, path: Path, shp: bytes, shx: bytes, dbf: bytes, encoding: str):
    try:
        reader = shapefile.Reader(shp=io.BytesIO(shp), shx=io.BytesIO(shx), dbf=io.BytesIO(dbf), encoding=encoding,
                                  encodingErrors="replace")
        count = len(reader)
        if count > gis.MAX_FEATURES:
            raise gis._too_many(name, count)
        if reader.numRecords != reader.numShapes:
            raise GisError(_("{name} hat {shapes} Flächen, aber die Datei {dbf} hat {records} Zeilen. Die Dateien "
                             "gehören nicht zusammen; bitte alle Dateien des Shapefiles aus demselben Export nehmen."
                             ).format(name=name, shapes=reader.numShapes, dbf=path.with_suffix(".dbf").name,
                                      records=reader.numRecords))
        fields = [plain_text(field.name) for field in reader.fields[1:]]
        records, geometries = [], []
        for number in range(1, count + 1):
            record = reader.record(number - 1)
            if record is None:
                continue  # deleted in the GIS but not yet packed out of the file
            attributes = dict(zip(fields, (plain_text(v) for v in record), strict=True))
            shape = reader.shape(number - 1)
            if shape.shapeType not in POLYGON_TYPES or not shape.points:
                raise GisError(_("{name}: {feature} hat keine Fläche. Bitte im GIS leere Geometrien entfernen."
                                 ).format(name=name, feature=feature_name(attributes, number)))
            records.append(attributes)
            geometries.append(shape.__geo_interface__)
    except GisError:
        raise
    except Exception:  # pyshp raises struct errors, IndexError, ShapefileException …: a cut or corrupt file
        raise GisError(_("{name} ist beschädigt oder unvollständig und kann nicht gelesen werden. Bitte das "
                         "Shapefile erneut aus dem GIS exportieren und alle Dateien (.shp, .shx, .dbf, .prj) "
                         "vollständig kopieren.").format(name=name)) from None
    return fields, records, geometries


def _sibling(path: Path, suffix: str, *, required: bool) -> Path | None:
    """The file of the same name with the other suffix; a Windows GIS may have written it as .DBF."""
    exact = path.with_suffix(suffix)
    if exact.exists():
        return exact
    for other in path.parent.glob(path.stem + ".*"):
        if other.suffix.lower() == suffix:
            return other
    if required:
        raise GisError(_("Zu {name} fehlt die Datei {missing}. Ein Shapefile besteht aus mehreren Dateien "
                         "gleichen Namens (.shp, .shx, .dbf, .prj); bitte alle zusammen in einen Ordner legen.").format(
                             name=path.name, missing=exact.name))
    return None


def _check_header(name: str, shp: bytes) -> None:
    broken = GisError(_("{name} ist keine Shapefile-Datei oder ist beschädigt. Bitte das Shapefile erneut aus dem GIS "
                        "exportieren.").format(name=name))
    if len(shp) < 100:
        raise broken
    code, words = struct.unpack(">i20xi", shp[:28])
    kind = struct.unpack("<i", shp[32:36])[0]
    if code != 9994:
        raise broken
    if words * 2 != len(shp):
        raise GisError(_("{name} ist unvollständig ({have} statt {want} Bytes), vielleicht beim Kopieren "
                         "abgeschnitten. Bitte die Datei erneut kopieren oder exportieren.").format(
                             name=name, have=len(shp), want=words * 2))
    if kind not in POLYGON_TYPES:
        what = _(_KINDS[kind]) if kind in _KINDS else _("Geometrien der Art {n}").format(n=kind)
        raise GisError(_("{name} enthält {kind}, keine Flächen. Gebietsgrenzen müssen Flächen (Polygone) sein."
                       ).format(name=name, kind=what))


def _encoding(path: Path, dbf: bytes) -> str:
    """The .dbf's text encoding: the .cpg's word where there is one and Python knows it, else UTF-8 if the text
    decodes as UTF-8, else Windows-1252 (Latin-1 with the printer's quotes and the euro sign)."""
    cpg = _sibling(path, ".cpg", required=False)
    if cpg is not None:
        word = read_capped(cpg, _("Die Datei"))[:64].decode("latin-1").strip().lower()
        word = _CPG_ALIASES.get(word, word)
        try:
            return codecs.lookup(word).name
        except LookupError:
            pass  # an unknown word: the bytes themselves still tell UTF-8 from Windows text
    header_length = struct.unpack("<H", dbf[8:10])[0] if len(dbf) >= 10 else 0
    body = dbf[header_length:]
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        body.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"
