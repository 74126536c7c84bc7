"""The demo workspace: a synthetic Musterstadt to try the app without any real data."""

from __future__ import annotations

import pytest

from demo.town import build_demo
from forms.model import Severity
from forms.validation import finalise_blockers
from store import settings
from store.database import open_database
from store.errors import StoreError
from store.orgunits import list_org_units
from store.submissions import State, load_values
from store.workflow import check_submission


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    calls: list[tuple[int, int]] = []
    summary = build_demo(db, seed=1, progress=lambda done, total: calls.append((done, total)))
    return db, summary, calls


def _all_values(db) -> dict:
    rows = db.execute(
        """SELECT s.org_unit_id, s.year, v.field, v.row, v.col, v.number, v.state, v.text, v.estimate
           FROM cell_values v JOIN submissions s ON s.id = v.submission_id""").fetchall()
    return {row[:5]: row[5:] for row in rows}


def _sum(db, field: str, row: str, col: str, schulform: str, year: int) -> int:
    return db.execute(
        """SELECT COALESCE(SUM(v.number), 0) FROM cell_values v
           JOIN submissions s ON s.id = v.submission_id JOIN org_units u ON u.id = s.org_unit_id
           WHERE v.field = ? AND v.row = ? AND v.col = ? AND s.year = ?
             AND json_extract(u.attributes, '$.schulform') = ?""",
        [field, row, col, year, schulform]).fetchone()[0]


def _schools(db, schulform: str) -> list:
    return [u for u in list_org_units(db, "schule") if u.attributes.get("schulform") == schulform]


def test_the_town_has_the_size_of_soest(demo):
    db, summary, _calls = demo
    bezirke = list_org_units(db, "bezirk")
    assert len(bezirke) == 10
    unterbezirke = list_org_units(db, "unterbezirk")
    for bezirk in bezirke:
        assert 2 <= sum(u.parent_id == bezirk.id for u in unterbezirke) <= 3
    assert len(_schools(db, "Grundschule")) == 8
    assert 17 <= len(list_org_units(db, "schule")) <= 20
    assert 28 <= len(list_org_units(db, "kita")) <= 32
    assert len(list_org_units(db, "jugendtreff")) == 6
    assert len(list_org_units(db, "verein")) == 40
    assert (summary.bezirke, summary.unterbezirke, summary.schools, summary.kitas, summary.youth_centres,
            summary.clubs) == (10, len(unterbezirke), len(list_org_units(db, "schule")),
                               len(list_org_units(db, "kita")), 6, 40)
    assert summary.submissions == db["submissions"].count
    assert summary.values == db["cell_values"].count


def test_everything_is_marked_as_demo(demo):
    db, _summary, _calls = demo
    assert settings.is_demo(db)
    assert settings.role(db) == settings.OFFICER
    units = list_org_units(db)
    assert all(u.synthetic for u in units)
    assert "Demo" in next(u.name for u in units if u.kind == "stadt")
    institutions = [u for u in units if u.kind in ("schule", "kita", "jugendtreff", "verein")]
    assert all(u.name.endswith(" (Demo)") for u in institutions)
    # Real NRW Schulnummern are six digits starting with 1.
    assert all(len(u.id) == 6 and u.id.startswith("9") for u in institutions if u.kind == "schule")
    assert all(u.parent_id and u.parent_id.startswith("bz") and "-" in u.parent_id for u in institutions)


def test_eleven_years_of_approved_submissions(demo):
    db, summary, _calls = demo
    years = [r[0] for r in db.execute("SELECT DISTINCT year FROM submissions ORDER BY year")]
    assert years == list(range(2015, 2026))
    assert (summary.first_year, summary.last_year) == (2015, 2025)
    states = {r[0] for r in db.execute("SELECT DISTINCT state FROM submissions")}
    assert states == {State.APPROVED.value}


def test_every_submission_validates_and_could_be_finalised(demo):
    db, _summary, _calls = demo
    ids = [r[0] for r in db.execute("SELECT id FROM submissions")]
    warnings = 0
    for sid in ids:
        results = check_submission(db, sid)
        assert [r.message for r in results if r.severity is Severity.ERROR] == [], sid
        # A warning needs a comment before finalising; an approved submission has passed that step.
        assert finalise_blockers(results, load_values(db, sid)) == [], sid
        warnings += len(results)
    assert warnings < len(ids) / 10


def test_same_seed_same_figures_other_seed_other_figures(demo, tmp_path):
    db, _summary, _calls = demo
    again = open_database(tmp_path / "again.sqlite")
    build_demo(again, seed=1)
    other = open_database(tmp_path / "other.sqlite")
    build_demo(other, seed=2)
    assert _all_values(again) == _all_values(db)
    assert _all_values(other) != _all_values(db)


def test_grundschulen_are_more_diverse_than_gymnasien(demo):
    db, _summary, _calls = demo

    def zwg_share(schulform: str) -> float:
        return (_sum(db, "zwg_gesamt", "", "", schulform, 2025)
                / _sum(db, "schueler_gesamt", "", "", schulform, 2025))

    assert 0.3 <= zwg_share("Grundschule") <= 0.55
    assert zwg_share("Gymnasium") < zwg_share("Grundschule")


def test_auslaender_move_on_to_a_gymnasium_less_often(demo):
    db, _summary, _calls = demo
    for year in (2015, 2025):
        def rate(column: str, year: int = year) -> float:
            return (_sum(db, "uebergang_schulform", "gymnasium", column, "Grundschule", year)
                    / _sum(db, "abgaenger_klasse4", "anzahl", column, "Grundschule", year))

        assert 0.3 <= rate("alle") <= 0.5
        assert rate("auslaender") < rate("alle")


def test_the_merged_hauptschule_stops_reporting(demo):
    db, _summary, _calls = demo
    [hauptschule] = [u for u in _schools(db, "Hauptschule") if u.successor_id]
    years = [r[0] for r in db.execute("SELECT year FROM submissions WHERE org_unit_id = ?", [hauptschule.id])]
    assert years and max(years) == hauptschule.valid_to
    successor = next(u for u in list_org_units(db, "schule") if u.id == hauptschule.successor_id)
    first = db.execute("SELECT MIN(year) FROM submissions WHERE org_unit_id = ?", [successor.id]).fetchone()[0]
    assert first == successor.valid_from < hauptschule.valid_to


def test_clubs_that_estimate_flag_their_estimates(demo):
    db, _summary, _calls = demo
    rows = db.execute(
        """SELECT s.org_unit_id, v.text,
                  (SELECT MIN(e.estimate) FROM cell_values e WHERE e.submission_id = s.id
                   AND e.field = 'mitglieder' AND e.col LIKE 'mh_%')
           FROM submissions s JOIN cell_values v ON v.submission_id = s.id
           WHERE s.form_id = 'verein' AND v.field = 'geschaetzt'""").fetchall()
    assert all(flag == (text == "geschaetzt") for _unit, text, flag in rows)
    estimating = {unit for unit, text, _flag in rows if text == "geschaetzt"}
    assert len(estimating) > 40 / 2


def test_progress_is_reported_per_institution(demo):
    _db, summary, calls = demo
    institutions = summary.schools + summary.kitas + summary.youth_centres + summary.clubs
    assert calls == [(done, institutions) for done in range(1, institutions + 1)]


def test_the_demo_is_never_written_into_a_database_with_data(demo):
    db, _summary, _calls = demo
    with pytest.raises(StoreError, match="leere"):
        build_demo(db)


def test_some_kitas_stand_far_above_their_bezirk(demo):
    """The report suspected segregation: Kitas whose share far exceeds that of their district."""
    db, _summary, _calls = demo
    bezirk_of = {u.id: u.parent_id for u in list_org_units(db, "unterbezirk")}
    counts = {}  # Kita -> (Bezirk, children, children with a parent of foreign origin)
    for kita, unterbezirk, children, with_mh in db.execute(
            """SELECT u.id, u.parent_id, SUM(CASE WHEN v.col = 'insgesamt' THEN v.number END),
                      SUM(CASE WHEN v.col = 'eltern_ausl' THEN v.number END)
               FROM cell_values v JOIN submissions s ON s.id = v.submission_id
               JOIN org_units u ON u.id = s.org_unit_id
               WHERE s.year = 2025 AND v.field = 'kinder' GROUP BY u.id"""):
        counts[kita] = (bezirk_of[unterbezirk], children, with_mh)

    def share_of_the_others(kita: str) -> float:
        others = [(n, m) for k, (b, n, m) in counts.items() if k != kita and b == counts[kita][0]]
        return sum(m for _n, m in others) / sum(n for n, _m in others)

    far_above = [k for k, (_b, n, m) in counts.items() if m / n >= 1.4 * share_of_the_others(k)]
    assert 1 <= len(far_above) <= 5
    overall = sum(m for _b, _n, m in counts.values()) / sum(n for _b, n, _m in counts.values())
    assert 0.3 <= overall <= 0.45


# --- the officer's official statistics for the town --------------------------------------------------------------

OFFICIAL = ("bevoelkerung", "auslaender_staatsangehoerigkeit", "arbeitsmarkt", "einbuergerung", "kriminalitaet",
            "wahlen", "religion", "verwaltung", "integrationskurse")
YEARS = range(2015, 2026)


def _town(db, form_id: str, year: int) -> dict:
    """The town's values of one form and year: (field, row, col) -> number or text."""
    rows = db.execute(
        """SELECT v.field, v.row, v.col, COALESCE(v.number, v.text) FROM cell_values v
           JOIN submissions s ON s.id = v.submission_id
           WHERE s.org_unit_id = 'stadt' AND s.form_id = ? AND s.year = ?""", [form_id, year]).fetchall()
    return {row[:3]: row[3] for row in rows}


def _column(values: dict, field: str, col: str) -> int:
    return sum(n for (f, _row, c), n in values.items() if f == field and c == col)


def _bezirk_rows(db) -> dict[str, str]:
    """Org unit id of each Bezirk -> its row in the official forms: the Bezirke in the order of their ids."""
    ids = sorted(u.id for u in list_org_units(db, "bezirk"))
    return {bezirk: f"bezirk_{i:02d}" for i, bezirk in enumerate(ids, 1)}


def test_the_town_has_every_official_form_for_every_year(demo):
    db, _summary, _calls = demo
    found = db.execute("SELECT form_id, year, COUNT(*) FROM submissions WHERE org_unit_id = 'stadt' "
                       "GROUP BY form_id, year").fetchall()
    assert {(form_id, year) for form_id, year, _n in found} == {(f, y) for f in OFFICIAL for y in YEARS}
    assert all(n == 1 for _f, _y, n in found)
    for form_id in OFFICIAL:
        for year in YEARS:
            source = _town(db, form_id, year)[("quelle", "", "")]
            assert "synthetisch" in source and str(year) in source


def test_population_totals_add_up(demo):
    db, _summary, _calls = demo
    shares = []
    for year in YEARS:
        population = _town(db, "bevoelkerung", year)
        totals = {col: _column(population, "bevoelkerung_alter", col) for col in ("insgesamt", "auslaender", "emr")}
        assert totals == {col: _column(population, "bevoelkerung_bezirk", col) for col in totals}
        nationalities = _town(db, "auslaender_staatsangehoerigkeit", year)
        assert nationalities[("auslaender_gesamt", "", "")] == totals["auslaender"]
        assert _column(nationalities, "staatsangehoerigkeit", "anzahl") == totals["auslaender"]
        religion = _town(db, "religion", year)
        assert sum(n for (f, _r, _c), n in religion.items() if f == "religion_stadt") == totals["insgesamt"]
        assert 46_000 <= totals["insgesamt"] <= 50_000
        shares.append((totals["auslaender"] / totals["insgesamt"], totals["emr"] / totals["insgesamt"]))
        # Unused Bezirk rows stay empty.
        assert {row for (f, row, _c) in population if f == "bevoelkerung_bezirk"} == set(_bezirk_rows(db).values())
    assert 0.055 <= shares[0][0] < shares[-1][0] <= 0.095
    assert 0.2 <= shares[0][1] < shares[-1][1] <= 0.3
    # The naturalisation rate's denominator is last year's Ausländer.
    for year in YEARS[1:]:
        assert _town(db, "einbuergerung", year)[("auslaender_gesamt", "", "")] == _column(
            _town(db, "bevoelkerung", year - 1), "bevoelkerung_alter", "auslaender")


def test_the_diverse_bezirke_have_higher_emr_shares(demo):
    db, _summary, _calls = demo
    rows = _bezirk_rows(db)
    names = {u.id: u.name for u in list_org_units(db, "bezirk")}
    diverse = {rows[b] for b, name in names.items() if name in ("Bahnhofsviertel", "Nordstadt")}
    assert len(diverse) == 2
    for year in YEARS:
        population = _town(db, "bevoelkerung", year)
        share = {row: population[("bevoelkerung_bezirk", row, "emr")]
                 / population[("bevoelkerung_bezirk", row, "insgesamt")] for row in rows.values()}
        assert min(share[r] for r in diverse) > 1.1 * max(s for r, s in share.items() if r not in diverse), year


def test_kitas_and_grundschulen_compare_with_the_children_of_their_bezirk(demo):
    """The representation ratio: about 1 for most, far above 1 for the Kitas the report would suspect."""
    db, _summary, _calls = demo
    rows = _bezirk_rows(db)
    for year in YEARS:
        children = _town(db, "bevoelkerung", year)

        def share(row: str, age: str, children=children) -> float:
            mit = children[("kinder_bezirk", row, f"{age}_mit")]
            return mit / (mit + children[("kinder_bezirk", row, f"{age}_ohne")])

        kitas = [m / n / share(rows[bezirk[:4]], "a3_6") for bezirk, n, m in db.execute(
            """SELECT u.parent_id, SUM(CASE WHEN v.col = 'insgesamt' THEN v.number END),
                      SUM(CASE WHEN v.col = 'eltern_ausl' THEN v.number END)
               FROM cell_values v JOIN submissions s ON s.id = v.submission_id JOIN org_units u ON u.id = s.org_unit_id
               WHERE s.year = ? AND v.field = 'kinder' AND v.row = 'ue3' GROUP BY u.id""", [year])]
        assert 0.9 <= sorted(kitas)[len(kitas) // 2] <= 1.1, year
        assert sum(r >= 1.3 for r in kitas) >= 2, year
        schools = [z / n / share(rows[bezirk[:4]], "a6_10") for bezirk, n, z in db.execute(
            """SELECT u.parent_id, SUM(CASE WHEN v.col = 'anzahl' THEN v.number END),
                      SUM(CASE WHEN v.col = 'zwg' THEN v.number END)
               FROM cell_values v JOIN submissions s ON s.id = v.submission_id JOIN org_units u ON u.id = s.org_unit_id
               WHERE s.year = ? AND v.field = 'schueler_klasse_primar'
                 AND json_extract(u.attributes, '$.schulform') = 'Grundschule' GROUP BY u.id""", [year])]
        assert len(schools) == 8 and all(0.85 <= r <= 1.2 for r in schools), year


def test_the_official_figures_need_no_excuse_for_the_emr_rule(demo):
    db, _summary, _calls = demo
    ids = [r[0] for r in db.execute("SELECT id FROM submissions WHERE org_unit_id = 'stadt'")]
    results = [r for sid in ids for r in check_submission(db, sid)]
    assert all(r.severity is Severity.WARNING and r.code == "plausibility" for r in results)


def test_postal_votes_lower_the_turnout_in_the_bezirke(demo):
    db, _summary, _calls = demo
    assert _town(db, "wahlen", 2016) == {("quelle", "", ""): "Wahlamt der Stadt, endgültige Ergebnisse 2016 "
                                         "(synthetisch)", ("wahltage", "", ""): "keine Wahl"}
    election = _town(db, "wahlen", 2021)
    town = election[("wahl_stadt", "bundestagswahl", "waehler")] / election[
        ("wahl_stadt", "bundestagswahl", "wahlberechtigte")]
    at_the_polls = (_column(election, "wahl_bezirk", "bw_waehler")
                    / _column(election, "wahl_bezirk", "bw_wahlberechtigte"))
    assert 0.7 <= town <= 0.85
    assert at_the_polls < town - 0.2
