"""One choropleth map of Köln's 86 Stadtteile (real boundaries, 39,000 points) against one of the report's line
charts, both as PNG at print resolution, in one run. Target from issue 16: the map takes at most half the time of
the line chart."""

import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._machine import describe, record, timed  # noqa: E402

KOELN = Path(__file__).resolve().parents[2] / "shared" / "data" / "koeln" / "Stadtteil.shp"
WIDTH_CM = 16.0  # the report's text width


def main() -> None:
    from intake.gis import read_boundaries
    from reports.charts import height_cm, render
    from reports.maps import MapArea, draw_map
    from reports.report_model import Chart

    rng = random.Random(1)
    chart = Chart("zeitreihe", "Anteil mit Zuwanderungsgeschichte", "%",
                  {name: [(year, rng.uniform(10, 40)) for year in range(2015, 2025)]
                   for name in ("Innenstadt", "Nord", "Süd")})
    boundaries = read_boundaries(KOELN)
    areas = [MapArea(f.attributes["STT_NR"], f.attributes["STT_NAME"], f.rings, rng.uniform(5, 45),
                     representative_point=f.representative_point) for f in boundaries.features]
    out = Path(tempfile.mkdtemp()) / "karte.png"

    def line_chart():
        return render(chart, WIDTH_CM, height_cm(chart, WIDTH_CM))

    def choropleth():
        draw_map(areas, "Anteil mit Zuwanderungsgeschichte", "%", "Geometrie: Stadt Köln, CC BY", out=out)

    chart_height = height_cm(chart, WIDTH_CM)

    def same_size():  # the map in the line chart's frame: the same number of pixels to fill and encode
        draw_map(areas, "Anteil mit Zuwanderungsgeschichte", "%", "Geometrie: Stadt Köln, CC BY", out=out,
                 figsize=(WIDTH_CM / 2.54, chart_height / 2.54))

    line_chart(), choropleth()  # imports and font caches are not what is measured
    baseline = timed(line_chart, runs=15)
    taken = timed(choropleth, runs=15)
    small = timed(same_size, runs=15)
    # Where the map's time goes, to show which part a further gain would have to come from.
    figure = draw_map(areas, "Anteil mit Zuwanderungsgeschichte", "%", "Geometrie: Stadt Köln, CC BY")
    build = timed(lambda: draw_map(areas, "Anteil mit Zuwanderungsgeschichte", "%", "Geometrie: Stadt Köln, CC BY"),
                  runs=15)
    draw = timed(figure.canvas.draw, runs=15)
    points = sum(len(ring) for a in areas for ring in a.rings)
    print(f"machine: {describe()}; medians of 15 runs; {len(areas)} areas, {points:,} points")
    print(f"line chart of the report (PNG, {WIDTH_CM:.0f} cm):   {baseline * 1000:7.1f} ms (baseline)")
    print(f"map of the Stadtteile (PNG, {WIDTH_CM:.0f} × 15 cm):  {taken * 1000:7.1f} ms  ratio {taken / baseline:.2f} "
          "(target <= 0.5)")
    print(f"  of which: building the figure {build * 1000:.1f} ms, rasterising {draw * 1000:.1f} ms, "
          f"PNG encoding and the rest {(taken - build - draw) * 1000:.1f} ms")
    print(f"map in the line chart's size ({WIDTH_CM:.0f} × {chart_height:.1f} cm):  {small * 1000:7.1f} ms  "
          f"ratio {small / baseline:.2f}")
    record("Karte der 86 Kölner Stadtteile als PNG zeichnen", taken * 1000, "ms",
           "ein Liniendiagramm des Berichts als PNG", baseline * 1000, "Verhältnis <= 0,5", taken / baseline <= 0.5)
    record("dieselbe Karte in der Größe des Liniendiagramms (gleich viele Pixel)", small * 1000, "ms",
           "ein Liniendiagramm des Berichts als PNG", baseline * 1000, "Verhältnis <= 0,5", small / baseline <= 0.5)


if __name__ == "__main__":
    main()
