"""The choropleth map: Köln's 86 Stadtteile with made-up values, classes stated in the legend in German numbers, a
withheld area always grey, labels where they fit, no stretching, PNG and PDF."""

import math
import random
from pathlib import Path

import pytest

from reports.map_classes import class_breaks, class_of
from reports.maps import NO_DATA_COLOUR, MapArea, MapPoint, colours, draw_map

KOELN = Path(__file__).resolve().parents[3] / "shared" / "data" / "koeln" / "Stadtteil.shp"
SOURCE = "Geometrie: Stadt Köln, Offene Daten, Lizenz CC BY"


@pytest.fixture(scope="module")
def stadtteile():
    from intake.gis import read_boundaries

    return read_boundaries(KOELN).features


def koeln_areas(features, withheld=("Sülz",), missing=("Lind",)):
    rng = random.Random(7)
    return [MapArea(f.attributes["STT_NR"], f.attributes["STT_NAME"], f.rings,
                    None if f.attributes["STT_NAME"] in missing else round(rng.uniform(5, 45), 1),
                    withheld=f.attributes["STT_NAME"] in withheld, representative_point=f.representative_point)
            for f in features]


def collections(fig):
    ax = fig.axes[0]
    return ax.collections[0], ax.collections[1] if len(ax.collections) > 1 else None


def face_of(fig, index):
    from matplotlib.colors import to_hex

    return to_hex(collections(fig)[0].get_facecolors()[index])


def legend_texts(fig):
    return [t.get_text() for t in fig.legends[0].get_texts()]


def all_texts(fig):
    return [t.get_text() for t in fig.texts]


def test_the_legend_states_each_class_with_german_limits(stadtteile):
    areas = koeln_areas(stadtteile)
    fig = draw_map(areas, "Anteil", "%", SOURCE)
    texts = legend_texts(fig)
    assert len(texts) == 6 and texts[-1] == ".  keine Angabe oder gesperrt"
    shown = sorted(a.value for a in areas if a.value is not None and not a.withheld)
    low, high = texts[0].split(" – ")
    assert low == f"{shown[0]:.1f}".replace(".", ",") and high.endswith(" %")
    assert texts[4].endswith(f"{shown[-1]:.1f} %".replace(".", ","))
    for text in texts[:5]:
        assert "," in text and "." not in text  # decimals with a comma
    assert fig.legends[0].get_title().get_text() == "Klassen (Quantile)"


def test_a_withheld_area_is_never_coloured(stadtteile):
    areas = koeln_areas(stadtteile)
    # A withheld value may still carry its number: the map must not show it, not even by colour.
    sulz = next(i for i, a in enumerate(areas) if a.label == "Sülz")
    areas[sulz].value = 99.0
    fig = draw_map(areas, "Anteil", "%", SOURCE)
    assert face_of(fig, sulz) == NO_DATA_COLOUR
    lind = next(i for i, a in enumerate(areas) if a.label == "Lind")
    assert face_of(fig, lind) == NO_DATA_COLOUR
    palette = colours(5)
    for index, area in enumerate(areas):
        if area.label not in ("Sülz", "Lind"):
            assert face_of(fig, index) in palette
    # 99 was not counted into the classes either.
    assert not any("99" in text for text in legend_texts(fig))


def test_every_area_withheld_gives_a_grey_map(stadtteile):
    areas = koeln_areas(stadtteile, withheld=[f.attributes["STT_NAME"] for f in stadtteile])
    fig = draw_map(areas, "Anteil", "%", SOURCE)
    assert {face_of(fig, i) for i in range(len(areas))} == {NO_DATA_COLOUR}
    assert legend_texts(fig) == [".  keine Angabe oder gesperrt"]


def test_big_areas_are_labelled_and_grey_ones_carry_a_point(stadtteile):
    areas = koeln_areas(stadtteile)
    fig = draw_map(areas, "Anteil", "%", SOURCE)
    labels = fig.axes[0].collections[1]
    texts = labels.label_texts
    assert len(texts) == len(labels.get_paths())
    assert {"Worringen", "Porz", "Eil", "Rodenkirchen"} <= set(texts)
    assert "Sülz\n." in texts or "." in texts
    assert sum(1 for t in texts if t == "." or t.endswith("\n.")) == 2
    assert 30 <= len(texts) <= 86


def test_labels_are_only_where_they_fit(stadtteile):
    areas = koeln_areas(stadtteile)
    small = draw_map(areas, "Anteil", "%", SOURCE, figsize=(3, 3))
    large = draw_map(areas, "Anteil", "%", SOURCE, figsize=(12, 12))
    names = lambda fig: [t for t in fig.axes[0].collections[1].label_texts if t != "."]  # noqa: E731
    assert len(names(small)) < len(names(large))


def test_the_map_keeps_its_proportions(stadtteile):
    fig = draw_map(koeln_areas(stadtteile), "Anteil", "%", SOURCE, figsize=(10, 4))
    ax = fig.axes[0]
    assert ax.get_aspect() == 1.0
    fig.canvas.draw()
    # One metre is as long east–west as north–south on the page.
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1000, 1000)])
    assert x1 - x0 == pytest.approx(y1 - y0)


def test_png_and_pdf_are_written(stadtteile, tmp_path):
    areas = koeln_areas(stadtteile)
    points = [MapPoint(*stadtteile[0].representative_point, "Grundschule Flittard")]
    for name in ("karte.png", "karte.pdf"):
        draw_map(areas, "Anteil der Kinder mit Zuwanderungsgeschichte", "%", SOURCE, out=tmp_path / name,
                 points=points)
    assert (tmp_path / "karte.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "karte.pdf").read_bytes()[:5] == b"%PDF-"
    from PIL import Image

    with Image.open(tmp_path / "karte.png") as image:
        assert image.size == (1259, 1181) and round(image.info["dpi"][0]) == 200
    with pytest.raises(ValueError):
        draw_map(areas, "x", "%", SOURCE, out=tmp_path / "karte.svg")


def test_title_source_and_institutions_appear(stadtteile):
    points = [MapPoint(*f.representative_point, f.attributes["STT_NAME"]) for f in stadtteile[:3]]
    fig = draw_map(koeln_areas(stadtteile), "Anteil $x$", "%", SOURCE, points=points, method="jenks")
    assert "Anteil \\$x\\$" in all_texts(fig) and SOURCE in all_texts(fig)
    assert "Einrichtung" in legend_texts(fig)
    assert fig.legends[0].get_title().get_text() == "Klassen (Jenks)"


def square(x, y, size=1000.0):
    return [[(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]]


def test_a_small_map_without_files():
    areas = [MapArea(str(i), f"Bezirk {i}", square(i * 1000.0, 0), float(i), representative_point=(i * 1000 + 500, 500))
             for i in range(4)]
    fig = draw_map(areas, "Anzahl", "", "Quelle: Test", classes=5)
    assert legend_texts(fig) == ["0", "1", "2", "3"]  # four values, four classes, whole numbers stay whole
    assert len({face_of(fig, i) for i in range(4)}) == 4


def test_an_empty_map_does_not_fail():
    fig = draw_map([], "Nichts", "%", "Quelle")
    assert fig.legends[0].get_texts() == []


# Classes


@pytest.mark.parametrize("method", ["quantile", "jenks"])
def test_classes_cover_all_values_in_order(method):
    rng = random.Random(3)
    values = [rng.uniform(0, 100) for _ in range(200)]
    limits = class_breaks(values, 5, method)
    assert limits[0] == min(values) and limits[-1] == max(values) and limits == sorted(limits)
    assert {class_of(v, limits) for v in values} == set(range(5))


def test_quantiles_split_evenly():
    limits = class_breaks(list(range(1, 101)), 4, "quantile")
    counts = [sum(1 for v in range(1, 101) if class_of(v, limits) == k) for k in range(4)]
    assert counts == [25, 25, 25, 25]


def test_jenks_finds_the_natural_gaps():
    values = [1, 2, 3, 20, 21, 22, 50, 51, 52]
    limits = class_breaks(values, 3, "jenks")
    assert [class_of(v, limits) for v in values] == [0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_jenks_on_many_values_stays_quick():
    import time

    values = [math.sin(i) * 100 + i / 10 for i in range(20_000)]
    began = time.perf_counter()
    limits = class_breaks(values, 7, "jenks")
    assert time.perf_counter() - began < 10
    assert len(limits) == 8


@pytest.mark.parametrize(("values", "classes", "expected"), [([], 5, []), ([4.0], 5, [4.0, 4.0]),
                                                              ([1, 1, 2], 5, [1, 1, 2]), ([1, 2], 1, [1, 2])])
def test_few_values_give_few_classes(values, classes, expected):
    assert class_breaks(values, classes) == expected


def test_an_unknown_method_is_a_programming_error():
    with pytest.raises(ValueError):
        class_breaks([1, 2, 3], 3, "gefühlt")
