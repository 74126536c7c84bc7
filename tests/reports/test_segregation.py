import pytest

from common.errors import UserError
from reports.errors import ReportError
from reports.segregation import Segregation, Unit, measure, representation_ratio


def units(*pairs: tuple[int, int]) -> list[Unit]:
    return [Unit(f"Schule {i}", group, total) for i, (group, total) in enumerate(pairs, start=1)]


# A = 100, B = 90 + 60 + 50 = 200, T = 300.
EXAMPLE = ((10, 100), (40, 100), (50, 100))


def test_worked_example():
    result = measure(units(*EXAMPLE))
    assert (result.units, result.group, result.rest) == (3, 100, 200)
    assert result.share == pytest.approx(1 / 3)
    # a_i/A = .1, .4, .5; b_i/B = .45, .3, .25: D = ½(.35 + .10 + .25) = .35
    assert result.dissimilarity == pytest.approx(0.35)
    # t_i/T = 1/3 each: S = ½(7/30 + 2/30 + 5/30) = 7/30, which is (B/T)·D = (2/3)·.35
    assert result.segregation == pytest.approx(7 / 30)
    # xPx = .1·.1 + .4·.4 + .5·.5 = .01 + .16 + .25
    assert result.isolation == pytest.approx(0.42)
    assert not result.small_units
    assert result.warning == ""


def test_normalising_segregation_would_only_give_d_back():
    # The reason `segregation` is left unnormalised: (7/30) / (1 − 1/3) is D = .35 again.
    result = measure(units(*EXAMPLE))
    assert result.segregation / (1 - result.share) == pytest.approx(0.35)


def test_complete_separation():
    # A = 50, B = 30, T = 80; unit 1 holds the whole group, unit 2 the whole rest.
    result = measure(units((50, 50), (0, 30)))
    assert result.dissimilarity == pytest.approx(1.0)
    # S = ½(|1 − 50/80| + |0 − 30/80|) = 30/80
    assert result.segregation == pytest.approx(0.375)
    # xPx = 1·1 + 0·0: a group member only ever meets the group
    assert result.isolation == pytest.approx(1.0)
    assert result.share == pytest.approx(0.625)


def test_even_distribution():
    # Both units 20 % group: A = 60, B = 240; a_i/A = b_i/B = 1/3, 2/3.
    result = measure(units((20, 100), (40, 200)))
    assert result.dissimilarity == pytest.approx(0.0)
    assert result.segregation == pytest.approx(0.0)
    # xPx = (1/3)·.2 + (2/3)·.2 = .2, the overall share
    assert result.isolation == pytest.approx(0.2)
    assert result.share == pytest.approx(0.2)


def test_unit_without_group_members_counts():
    # A = 50, B = 50 + 20 + 80 = 150, T = 200.
    result = measure(units((0, 50), (30, 50), (20, 100)))
    assert result.units == 3
    # a_i/A = 0, .6, .4; b_i/B = 5/15, 2/15, 8/15: D = ½(5/15 + 7/15 + 2/15) = 7/15
    assert result.dissimilarity == pytest.approx(7 / 15)
    # t_i/T = .25, .25, .5: S = ½(.25 + .35 + .10) = .35
    assert result.segregation == pytest.approx(0.35)
    # xPx = 0·0 + .6·.6 + .4·.2
    assert result.isolation == pytest.approx(0.44)
    assert result.share == pytest.approx(0.25)


def test_single_unit_gives_no_measure():
    result = measure([Unit("GS Nord", 10, 100)])
    assert result.units == 1
    assert result.share == pytest.approx(0.1)
    assert (result.dissimilarity, result.segregation, result.isolation) == (None, None, None)
    assert "Nur 1 Einheit" in result.warning


@pytest.mark.parametrize("pairs", [(), ((0, 0),), ((0, 0), (0, 0))])
def test_no_units(pairs):
    result = measure(units(*pairs))
    assert result == Segregation(units=0, group=0, rest=0, share=None, dissimilarity=None, segregation=None,
                                 isolation=None, small_units=False, warning=result.warning)
    assert "Keine Einheit" in result.warning


def test_group_share_zero():
    result = measure(units((0, 50), (0, 30)))
    assert result.share == pytest.approx(0.0)
    assert (result.dissimilarity, result.segregation, result.isolation) == (None, None, None)
    assert "nicht sinnvoll" in result.warning


def test_everyone_in_group():
    result = measure(units((30, 30), (50, 50)))
    assert result.share == pytest.approx(1.0)
    assert result.dissimilarity is None
    # Spread exactly like the population, since it is the population; every member meets only members.
    assert result.segregation == pytest.approx(0.0)
    assert result.isolation == pytest.approx(1.0)
    assert "D ist nicht berechenbar" in result.warning


def test_empty_unit_is_skipped():
    with_empty = measure([*units(*EXAMPLE), Unit("geschlossen", 0, 0)])
    assert with_empty == measure(units(*EXAMPLE))
    assert with_empty.units == 3


def test_accepts_any_iterable():
    assert measure(iter(units(*EXAMPLE))).dissimilarity == pytest.approx(0.35)


def test_small_units_are_flagged():
    # A = 5, B = 5: a_i/A = .2, .8; b_i/B = .8, .2: D = ½(.6 + .6) = .6
    result = measure(units((1, 5), (4, 5)))
    assert result.dissimilarity == pytest.approx(0.6)
    assert result.small_units
    assert "Kleine Einheiten (unter 20 Personen)" in result.warning


def test_unit_of_exactly_twenty_is_not_small():
    assert not measure(units((5, 20), (10, 20))).small_units


@pytest.mark.parametrize(("group", "total"), [(-1, 10), (5, -1), (11, 10)])
def test_invalid_unit_is_rejected_in_german(group, total):
    with pytest.raises(ReportError) as caught:
        Unit("GS Am Teich", group, total)
    assert isinstance(caught.value, UserError)
    assert "„GS Am Teich“" in caught.value.message
    assert "Bitte die Zahlen prüfen" in caught.value.message


def test_unit_rest():
    assert Unit("GS Nord", 30, 100).rest == 70


@pytest.mark.parametrize(
    ("unit_group", "unit_total", "area_group", "area_total", "expected"),
    [
        (30, 100, 10, 100, 3.0),  # .3 / .1
        (10, 100, 10, 100, 1.0),  # proportional
        (5, 50, 20, 100, 0.5),  # .1 / .2
        (0, 100, 10, 100, 0.0),  # nobody from the group although the Bezirk has some
        (0, 0, 10, 100, None),  # empty institution
        (10, 100, 0, 100, None),  # no group in the Bezirk: ratio would be infinite
        (10, 100, 0, 0, None),  # no figures for the Bezirk
    ],
)
def test_representation_ratio(unit_group, unit_total, area_group, area_total, expected):
    result = representation_ratio(unit_group, unit_total, area_group, area_total)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize(("args", "where"), [((11, 10, 10, 100), "Einrichtung"), ((5, 10, -1, 100), "Bezirk")])
def test_representation_ratio_rejects_invalid_figures(args, where):
    with pytest.raises(ReportError, match=f"^{where}: ungültige Zahlen"):
        representation_ratio(*args)
