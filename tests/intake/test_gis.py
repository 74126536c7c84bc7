"""Area boundaries from the town's GIS files: Köln's real Stadtteile (shapefile, a UTM variant, Latin-1 without
.cpg) and Stadtbezirke (GeoJSON, WGS84) come out in EPSG:3035 and agree with each other; every broken or hostile
file gives a German message naming it, never a traceback."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from intake import gis
from intake.gis import GisError, plain_text, read_boundaries

ROOT = Path(__file__).resolve().parents[2]
KOELN = ROOT.parent / "shared" / "data" / "koeln"
STADTTEILE = KOELN / "Stadtteil.shp"
BEZIRKE = KOELN / "stadtbezirke.geojson"
UTM_PRJ = ('PROJCS["ETRS89 / UTM zone 32N",GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989",'
           'SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],'
           'PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",9],'
           'PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],'
           'UNIT["metre",1]]')
SQUARE = [(356000.0, 5645000.0), (356000.0, 5646000.0), (357000.0, 5646000.0), (357000.0, 5645000.0),
          (356000.0, 5645000.0)]  # clockwise: an outer ring in a shapefile; 1 km² in Köln



@pytest.fixture(scope="module")
def stadtteile():
    return read_boundaries(STADTTEILE)


@pytest.fixture(scope="module")
def bezirke():
    return read_boundaries(BEZIRKE)


def copy_stadtteile(folder: Path, *suffixes: str) -> Path:
    for suffix in suffixes:
        shutil.copy(STADTTEILE.with_suffix(suffix), folder / ("Stadtteil" + suffix))
    return folder / "Stadtteil.shp"


def write_shapefile(folder: Path, rings_by_feature, names, *, encoding="utf-8", prj=UTM_PRJ, shape_type=5,
                    cpg: str | None = None) -> Path:
    import shapefile

    target = folder / "gebiete"
    with shapefile.Writer(str(target), shapeType=shape_type, encoding=encoding) as writer:
        writer.field("NR", "N", size=4)
        writer.field("NAME", "C", size=40)
        for number, (rings, name) in enumerate(zip(rings_by_feature, names, strict=True), start=1):
            if shape_type == 1:
                writer.point(*rings[0][0])
            else:
                writer.poly(rings)
            writer.record(number, name)
    if prj is not None:
        (folder / "gebiete.prj").write_text(prj, encoding="latin-1")
    if cpg is not None:
        (folder / "gebiete.cpg").write_text(cpg, encoding="latin-1")
    return folder / "gebiete.shp"


# The real files


def test_stadtteile_come_with_their_fields_and_latin1_names(stadtteile):
    assert stadtteile.fields == ["STT_NR", "STT_NAME", "SHAPE_AREA", "SHAPE_LEN"]
    assert len(stadtteile.features) == 86
    names = {f.attributes["STT_NAME"] for f in stadtteile.features}
    assert {"Dellbrück", "Mülheim", "Sülz", "Weiß", "Höhenhaus"} <= names
    assert stadtteile.file_name == "Stadtteil.shp"
    assert "UTM zone 32N" in stadtteile.crs and "2.500.000" in stadtteile.crs
    flittard = next(f for f in stadtteile.features if f.attributes["STT_NR"] == "909")
    assert flittard.attributes["SHAPE_AREA"] == "7735915.47614"  # a number as text, as written in the file


def test_areas_are_in_square_metres_and_agree_with_the_gis(stadtteile, bezirke):
    assert 400e6 < sum(f.area_m2 for f in stadtteile.features) < 410e6  # Köln: about 405 km²
    assert 400e6 < sum(f.area_m2 for f in bezirke.features) < 410e6
    for feature in stadtteile.features + bezirke.features:
        # SHAPE_AREA was computed by Köln's GIS in its own projection; EPSG:3035 is equal-area.
        assert feature.area_m2 == pytest.approx(float(feature.attributes["SHAPE_AREA"]), rel=0.002)


def test_rings_are_closed_and_in_laea_metres(stadtteile, bezirke):
    for feature in stadtteile.features + bezirke.features:
        assert feature.rings
        for ring in feature.rings:
            assert len(ring) >= 4 and ring[0] == ring[-1]
            # Köln in EPSG:3035: x about 4.09–4.12 million, y about 3.08–3.11 million metres.
            assert all(4.08e6 < x < 4.13e6 and 3.07e6 < y < 3.12e6 for x, y in ring)


def test_each_stadtteil_lies_in_its_stadtbezirk(stadtteile, bezirke):
    """The shapefile (UTM variant) and the GeoJSON (lon/lat) meet only if both projections are right."""
    from shapely.geometry import Point, Polygon

    polygons = {f.attributes["STB_NR"]: Polygon(f.rings[0], f.rings[1:]) for f in bezirke.features}
    assert sorted(polygons) == [str(n) for n in range(1, 10)]
    for feature in stadtteile.features:
        point = Point(feature.representative_point)
        assert polygons[feature.attributes["STT_NR"][0]].contains(point), feature.attributes["STT_NAME"]


def shape_of(feature):
    """The area from its rings, told apart by orientation as read_boundaries promises: outer rings counter-clockwise,
    holes clockwise."""
    from shapely import LinearRing, Polygon, unary_union

    outer = [Polygon(r) for r in feature.rings if LinearRing(r).is_ccw]
    holes = [Polygon(r) for r in feature.rings if not LinearRing(r).is_ccw]
    return unary_union(outer).difference(unary_union(holes))


def test_the_representative_point_lies_inside_its_own_area(stadtteile):
    from shapely import Point

    for feature in stadtteile.features:
        shape = shape_of(feature)
        assert shape.contains(Point(feature.representative_point))
        assert shape.area == pytest.approx(feature.area_m2, rel=1e-6)


def test_a_ring_touching_itself_in_one_point_is_taken(stadtteile):
    # Marienburg's outline touches itself (valid for ESRI, not for OGC): kept with its full area.
    marienburg = next(f for f in stadtteile.features if f.attributes["STT_NAME"] == "Marienburg")
    assert marienburg.area_m2 == pytest.approx(3046374.66, rel=0.002)


def test_reading_loads_no_gis_library_before_it_is_called():
    code = ("import sys, intake.gis, intake.gis_shapefile; "
            "print([m for m in ('pyproj', 'shapely', 'shapefile') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# Encodings and text


def test_utf8_without_cpg_is_recognised(tmp_path):
    path = write_shapefile(tmp_path, [[SQUARE]], ["Mülheim"], encoding="utf-8")
    assert read_boundaries(path).features[0].attributes == {"NR": "1", "NAME": "Mülheim"}


def test_latin1_without_cpg_is_recognised(tmp_path):
    path = write_shapefile(tmp_path, [[SQUARE]], ["Dellbrück"], encoding="latin-1")
    assert read_boundaries(path).features[0].attributes["NAME"] == "Dellbrück"


@pytest.mark.parametrize("word", ["UTF-8", "utf8", "65001"])
def test_a_cpg_file_is_honoured_over_the_guess(tmp_path, word):
    # "Ã¼" written in Windows-1252 is valid UTF-8 ("Ã¼" as UTF-8 bytes would be guessed differently): the .cpg decides.
    path = write_shapefile(tmp_path, [[SQUARE]], ["Mülheim"], encoding="utf-8", cpg=word)
    assert read_boundaries(path).features[0].attributes["NAME"] == "Mülheim"
    (tmp_path / "gebiete.cpg").write_text("1252", encoding="latin-1")
    assert read_boundaries(path).features[0].attributes["NAME"] == "MÃ¼lheim"


def test_a_record_deleted_in_the_gis_is_left_out(tmp_path):
    path = write_shapefile(tmp_path, [[SQUARE], [SQUARE]], ["Weg", "Bleibt"])
    dbf = bytearray(path.with_suffix(".dbf").read_bytes())
    header_length = int.from_bytes(dbf[8:10], "little")
    dbf[header_length] = ord("*")  # the first record's deletion flag
    path.with_suffix(".dbf").write_bytes(bytes(dbf))
    assert [f.attributes["NAME"] for f in read_boundaries(path).features] == ["Bleibt"]


def test_control_and_direction_characters_are_stripped(tmp_path):
    path = write_shapefile(tmp_path, [[SQUARE]], ["Alt\x1b[31mstadt\u202e\x07"])
    name = read_boundaries(path).features[0].attributes["NAME"]
    assert name.isprintable() and "\u202e" not in name and "\x1b" not in name
    assert name.replace(" ", "") == "Alt[31mstadt"


@pytest.mark.parametrize(("value", "text"), [(3.0, "3"), (7735915.47614, "7735915.47614"), (12, "12"), (None, ""),
                                             ("  Sülz ", "Sülz"), (float("nan"), ""), ({"a": 1}, '{"a": 1}')])
def test_values_become_plain_text(value, text):
    assert plain_text(value) == text


# Bad input: each gives a GisError naming the file


def message_of(path) -> str:
    with pytest.raises(GisError) as caught:
        read_boundaries(path)
    return caught.value.message


@pytest.mark.parametrize("missing", [".dbf", ".shx"])
def test_a_missing_part_of_the_shapefile_is_named(tmp_path, missing):
    path = copy_stadtteile(tmp_path, *[s for s in (".shp", ".shx", ".dbf", ".prj") if s != missing])
    message = message_of(path)
    assert "Stadtteil" + missing in message and "fehlt" in message


def test_a_missing_projection_is_named(tmp_path):
    message = message_of(copy_stadtteile(tmp_path, ".shp", ".shx", ".dbf"))
    assert "Stadtteil.prj" in message and "Projektion" in message


@pytest.mark.parametrize("wkt", ["GARBAGE", 'PROJCS["x",FOO["y"]]', ""])
def test_an_unknown_projection_is_named(tmp_path, wkt):
    path = copy_stadtteile(tmp_path, ".shp", ".shx", ".dbf")
    (tmp_path / "Stadtteil.prj").write_text(wkt)
    message = message_of(path)
    assert "Stadtteil.prj" in message and "Projektion" in message


def test_a_projection_that_does_not_fit_the_coordinates_is_refused(tmp_path):
    # Köln's coordinates read as plain UTM 32N (without the 2,500,000 m shift) land in Russia.
    path = copy_stadtteile(tmp_path, ".shp", ".shx", ".dbf")
    (tmp_path / "Stadtteil.prj").write_text(UTM_PRJ)
    assert "passt die Projektion nicht" in message_of(path)


def test_a_truncated_shp_is_refused(tmp_path):
    path = copy_stadtteile(tmp_path, ".shp", ".shx", ".dbf", ".prj")
    path.write_bytes(path.read_bytes()[:300_000])
    message = message_of(path)
    assert "Stadtteil.shp" in message and "unvollständig" in message


def test_a_corrupt_shp_with_a_fitting_header_is_refused(tmp_path):
    path = copy_stadtteile(tmp_path, ".shp", ".shx", ".dbf", ".prj")
    data = bytearray(path.read_bytes())
    data[100:40_000] = b"\xff" * (40_000 - 100)  # the records overwritten, the header's length still right
    path.write_bytes(bytes(data))
    message = message_of(path)
    assert "Stadtteil.shp" in message


@pytest.mark.parametrize("content", [b"", b"not a shapefile at all" * 10, bytes(100)])
def test_something_else_named_shp_is_refused(tmp_path, content):
    path = copy_stadtteile(tmp_path, ".shx", ".dbf", ".prj")
    path.write_bytes(content)
    assert "Stadtteil.shp" in message_of(path)


def test_a_dbf_from_another_shapefile_is_refused(tmp_path):
    other = write_shapefile(tmp_path, [[SQUARE]], ["Irgendwo"])
    path = copy_stadtteile(tmp_path, ".shp", ".shx", ".prj")
    shutil.copy(other.with_suffix(".dbf"), tmp_path / "Stadtteil.dbf")
    message = message_of(path)
    assert "Stadtteil.shp" in message and "86" in message


def test_points_are_no_areas(tmp_path):
    path = write_shapefile(tmp_path, [[SQUARE]], ["Punkt"], shape_type=1)
    assert "Punkte" in message_of(path)


def test_a_self_intersecting_polygon_is_named_by_its_attributes(tmp_path):
    bowtie = [(356000.0, 5645000.0), (357000.0, 5646000.0), (357000.0, 5645000.0), (356000.0, 5646000.0),
              (356000.0, 5645000.0)]
    path = write_shapefile(tmp_path, [[SQUARE], [bowtie]], ["Gut", "Schleife"])
    message = message_of(path)
    assert "gebiete.shp" in message and "NAME Schleife" in message and "überschneidet sich selbst" in message


def test_too_many_features_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(gis, "MAX_FEATURES", 50)
    assert "86" in message_of(STADTTEILE)
    monkeypatch.setattr(gis, "MAX_FEATURES", 5)
    message = message_of(BEZIRKE)
    assert "stadtbezirke.geojson" in message and "9" in message


def test_too_large_a_file_is_refused(monkeypatch):
    monkeypatch.setattr(gis, "MAX_BYTES", 100_000)
    for path in (STADTTEILE, BEZIRKE):
        message = message_of(path)
        assert path.name in message and "MB" in message


def test_another_suffix_is_refused(tmp_path):
    path = tmp_path / "gebiete.kml"
    path.write_text("<kml/>")
    assert "gebiete.kml" in message_of(path)


# GeoJSON


def geojson(tmp_path, data, name="gebiete.geojson") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


LONLAT_SQUARE = {"type": "Polygon", "coordinates": [[[6.95, 50.93], [6.96, 50.93], [6.96, 50.94], [6.95, 50.94],
                                                     [6.95, 50.93]]]}


def test_a_small_geojson_is_read_with_text_values(tmp_path):
    data = {"type": "FeatureCollection", "features": [feature(LONLAT_SQUARE, NR=1, NAME="Innenstadt", ANTEIL=2.5)]}
    result = read_boundaries(geojson(tmp_path, data))
    assert result.fields == ["NR", "NAME", "ANTEIL"]
    assert result.features[0].attributes == {"NR": "1", "NAME": "Innenstadt", "ANTEIL": "2.5"}
    assert result.features[0].area_m2 == pytest.approx(700 * 1112, rel=0.01)  # 0.01° × 0.01° near 51° N


@pytest.mark.parametrize("data", [
    [], {"type": "Feature", "geometry": LONLAT_SQUARE, "properties": {}}, LONLAT_SQUARE,
    {"type": "FeatureCollection"}, {"type": "FeatureCollection", "features": {}}, "null", "42",
])
def test_geojson_that_is_no_feature_collection_is_refused(tmp_path, data):
    assert "FeatureCollection" in message_of(geojson(tmp_path, data))


@pytest.mark.parametrize("geometry", [
    {"type": "Point", "coordinates": [6.95, 50.93]},
    {"type": "LineString", "coordinates": [[6.95, 50.93], [6.96, 50.93]]},
    {"type": "GeometryCollection", "geometries": [LONLAT_SQUARE]}, None, "Polygon",
])
def test_geojson_features_must_be_polygons(tmp_path, geometry):
    data = {"type": "FeatureCollection", "features": [feature(geometry, NAME="Domplatte")]}
    message = message_of(geojson(tmp_path, data))
    assert "gebiete.geojson" in message and "NAME Domplatte" in message and "Fläche" in message


@pytest.mark.parametrize("coordinates", [[], [[]], [[[6.95]]], [["a", "b"]], [[[6.95, 50.93], [6.96, 50.93]]]])
def test_geojson_with_broken_coordinates_is_refused(tmp_path, coordinates):
    data = {"type": "FeatureCollection", "features": [feature({"type": "Polygon", "coordinates": coordinates})]}
    assert "gebiete.geojson" in message_of(geojson(tmp_path, data))


@pytest.mark.parametrize("text", ['{"type": "FeatureCollection", "features": [NaN]}', "{", "[" * 100_000,
                                  '{"type": "FeatureCollection", "features": [{"geometry": {"type": "Polygon", '
                                  '"coordinates": [[[Infinity, 1], [2, 2], [3, 1], [Infinity, 1]]]}}]}'])
def test_invalid_json_is_refused(tmp_path, text):
    assert "gebiete.geojson" in message_of(geojson(tmp_path, text))


def test_projected_coordinates_in_a_geojson_are_refused(tmp_path):
    data = {"type": "FeatureCollection", "features": [feature({"type": "Polygon", "coordinates": [SQUARE]})]}
    assert "passt die Projektion nicht" in message_of(geojson(tmp_path, data))


def test_an_old_geojson_naming_its_projection_is_read(tmp_path):
    data = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:25832"}},
            "features": [feature({"type": "Polygon", "coordinates": [SQUARE]}, NAME="Quadrat")]}
    result = read_boundaries(geojson(tmp_path, data))
    assert "EPSG:25832" in result.crs
    assert result.features[0].area_m2 == pytest.approx(1e6, rel=0.002)


def test_an_unknown_projection_in_a_geojson_is_refused(tmp_path):
    data = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:999999"}},
            "features": [feature(LONLAT_SQUARE)]}
    assert "EPSG:999999" in message_of(geojson(tmp_path, data))


@pytest.mark.parametrize("part", [".shp", ".shx", ".dbf"])
def test_random_damage_gives_a_message_or_a_result_never_a_traceback(tmp_path, part):
    import random

    path = copy_stadtteile(tmp_path, ".shp", ".shx", ".dbf", ".prj")
    original = path.with_suffix(part).read_bytes()
    rng = random.Random(part)
    for _ in range(15):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 40)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path.with_suffix(part).write_bytes(bytes(damaged))
        try:
            read_boundaries(path)
        except GisError as error:
            assert "Stadtteil" in error.message
