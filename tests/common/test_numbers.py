import pytest

from common.numbers import MINUS, format_number


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (0, 0, "0"),
    (999, 0, "999"),
    (1000, 0, "1.000"),
    (1234567, 0, "1.234.567"),
    (-3, 0, "-3"),
    (-1234, 0, "-1.234"),
    (2**60 + 1, 0, "1.152.921.504.606.846.977"),  # exact, not through float
    (12.5, 1, "12,5"),
    (12.0, 0, "12"),
    (1234567.891, 2, "1.234.567,89"),
    (0.1234, 3, "0,123"),
    (50, 1, "50,0"),
    # Rounding as format() rounds, unchanged from every former copy: half to even on the binary value.
    (0.5, 0, "0"),
    (1.5, 0, "2"),
    (2.5, 0, "2"),
    (0.25, 1, "0,2"),
    (0.35, 1, "0,3"),
    (999.96, 1, "1.000,0"),
])
def test_german_grouping_decimals_and_rounding(value, decimals, text):
    assert format_number(value, decimals) == text


@pytest.mark.parametrize(("value", "text"), [(5, "+5"), (1234, "+1.234"), (0, "0"), (-7, "-7"), (-1234, "-1.234")])
def test_signed_marks_a_difference(value, text):
    assert format_number(value, signed=True) == text


@pytest.mark.parametrize(("value", "decimals", "signed", "text"), [
    (-0.5, 1, False, MINUS + "0,5"),
    (-1234, 0, True, MINUS + "1.234"),
    (-0.04, 1, False, MINUS + "0,0"),  # what the charts printed before; a rounded zero keeps its side
    (3, 0, True, "+3"),
])
def test_typeset_output_takes_the_real_minus(value, decimals, signed, text):
    assert format_number(value, decimals, signed=signed, minus=MINUS) == text
