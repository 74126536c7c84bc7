"""The report of the demo town, internal and publishable, as the officer and a council member would read it."""

import pytest

from demo.town import build_demo
from forms.catalog import form_for
from forms.values import Value
from reports.catalog import catalog
from reports.disclosure import Rules
from reports.errors import ReportCancelled
from reports.report_builder import build_report
from reports.report_model import COUNT, INTERNAL, PUBLIC
from store.database import open_database
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_draft, set_state, set_values


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    build_demo(db, seed=1)
    yield db
    db.close()


def small_counts(report):
    """Every printed count of 1 or 2 (the default threshold) in the report's tables."""
    found = []
    for table in report.tables():
        if table.code.startswith("segregation"):
            continue  # its counts are numbers of schools or Bezirke, not of persons
        for label, row in zip(table.rows, table.cells, strict=True):
            for kind, cell in zip(table.kinds, row, strict=True):
                if kind == COUNT and (cell.number in (1, 2) or cell.text in ("1", "2")):
                    found.append((table.title, label, cell.text))
    return found


def test_the_internal_report_has_every_category_with_tables_and_charts(demo):
    report = build_report(demo, 2024, 2015, INTERNAL)
    assert [c.title for c in report.chapters] == [c.title for c in catalog().categories]
    assert report.synthetic and report.town
    for chapter in report.chapters:
        if chapter.code == "soziales":
            assert chapter.notes and "bisher keine eigenen Zahlen" in chapter.notes[0]
            continue
        assert chapter.tables, chapter.title
    schools = next(c for c in report.chapters if c.code == "schulen")
    series = next(t for t in schools.tables if t.code == "schule_zwg_zeitreihe")
    assert series.rows == [str(y) for y in range(2015, 2025)] and series.definition == "ZWG"
    assert any(t.per_institution for t in schools.tables)
    assert {c.kind for c in schools.charts} >= {"zeitreihe", "balken", "punkte"}
    assert any(t.title.startswith("Segregation") for t in schools.tables)
    assert len(report.key_figures) >= 10


def test_one_table_shows_one_definition(demo):
    report = build_report(demo, 2024, 2020, INTERNAL)
    tables = [t for t in report.tables() if t.indicator]
    assert len(tables) > 50
    for table in tables:
        assert table.definition == catalog().get(table.indicator).definition


def test_the_publishable_report_shows_no_1_or_2_and_no_institution_tables(demo):
    report = build_report(demo, 2024, 2015, PUBLIC)
    assert small_counts(report) == []
    assert not any(t.per_institution for t in report.tables())
    assert not any(c.kind == "punkte" for ch in report.chapters for c in ch.charts)
    internal = build_report(demo, 2024, 2015, INTERNAL)
    assert small_counts(internal), "the demo has small counts, so the check above is not empty"


def test_cancelling_stops_the_report(demo):
    with pytest.raises(ReportCancelled):
        build_report(demo, 2024, 2015, INTERNAL, cancelled=lambda: True)


def town_with_a_small_bezirk(db):
    units = [OrgUnit("stadt", "stadt", "Kleinstadt")]
    units += [OrgUnit(f"bz{b}", "bezirk", f"Bezirk {b}", parent_id="stadt") for b in (1, 2, 3)]
    units += [OrgUnit(f"gs{b}", "schule", f"Grundschule {b}", parent_id=f"bz{b}",
                      attributes={"schulform": "Grundschule"}) for b in (1, 2, 3)]
    save_org_units(db, units)
    for b, (zwg, pupils) in enumerate(((2, 120), (40, 150), (55, 180)), start=1):
        submission = create_draft(db, f"gs{b}", form_for("schule", 2024), 2024)
        set_values(db, submission.id, {("zwg_gesamt", "", ""): Value(number=zwg),
                                       ("schueler_gesamt", "", ""): Value(number=pupils)})
        set_state(db, submission.id, State.APPROVED)


def test_a_hidden_count_cannot_be_recomputed_from_the_printed_total(db):
    town_with_a_small_bezirk(db)
    report = build_report(db, 2024, 2024, PUBLIC)
    table = next(t for t in report.tables() if t.code == "schule_zwg_bezirk_2024")
    counts = [row[0] for row in table.cells]
    assert [c.text for c in counts[:3]].count(".") >= 2  # the 2 and a partner
    assert counts[3].text == "97"  # the town total stays printed
    assert counts[0].text == "."
    # No column and no row has exactly one hidden value beside printed ones that add up to a printed total.
    for column in range(2):
        hidden = [r for r in range(3) if table.cells[r][column].text == "."]
        assert len(hidden) != 1
    internal = build_report(db, 2024, 2024, INTERNAL)
    exact = next(t for t in internal.tables() if t.code == "schule_zwg_bezirk_2024")
    assert [row[0].text for row in exact.cells] == ["2", "40", "55", "97"]


def test_received_values_count_only_on_request_and_are_marked(db):
    town_with_a_small_bezirk(db)
    late = create_draft(db, "gs1", form_for("schule", 2023), 2023)
    set_values(db, late.id, {("zwg_gesamt", "", ""): Value(number=30), ("schueler_gesamt", "", ""): Value(number=100)})
    set_state(db, late.id, State.RECEIVED)
    approved_only = build_report(db, 2024, 2023, INTERNAL)
    series = next(t for t in approved_only.tables() if t.code == "schule_zwg_zeitreihe")
    assert series.rows == ["2024"]
    with_received = build_report(db, 2024, 2023, INTERNAL, include_received=True)
    series = next(t for t in with_received.tables() if t.code == "schule_zwg_zeitreihe")
    assert series.rows == ["2023", "2024"]
    assert [c.provisional for c in series.cells[0]] == [True, True, True]
    assert not any(c.provisional for c in series.cells[1])


def test_no_share_on_a_small_base_in_the_publishable_report(db):
    town_with_a_small_bezirk(db)  # 120, 150 and 180 pupils
    report = build_report(db, 2024, 2024, PUBLIC, rules=Rules(threshold=3, min_denominator=160))
    table = next(t for t in report.tables() if t.code == "schule_zwg_bezirk_2024")
    shares = [row[2].text for row in table.cells]
    assert shares[1] == "/" and shares[2] == "30,6" and shares[3] == "21,6"  # 55/180 = 30,56 %; 97/450 = 21,56 %


def test_every_category_of_a_breakdown_is_plotted(demo):
    """Issue 18: not only the first category ("unter 5 Jahre"); more than six go into further charts."""
    from reports.report_builder import SERIES_PER_CHART, build_report

    report = build_report(demo, 2024, 2015)
    for chapter in report.chapters:
        for table in chapter.tables:
            if not table.code.endswith("_aufgliederung"):
                continue
            title = table.title.split(" (")[0]
            drawn = {name for chart in chapter.charts if chart.kind == "zeitreihe" and chart.title.startswith(title)
                     for name in chart.series}
            # Categories with values in more than one year; the row of bases under a table of shares is no category.
            shown = {row for row, cells in zip(table.rows, table.cells, strict=True)
                     if sum(c.number is not None for c in cells) > 1 and not any(c.kind for c in cells)}
            assert shown <= drawn, (table.title, shown - drawn)
    assert all(len(c.series) <= SERIES_PER_CHART for ch in report.chapters for c in ch.charts if c.kind == "zeitreihe")
