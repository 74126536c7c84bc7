import pytest

from common.errors import InputError
from forms.model import ValueState
from forms.values import Value, parse_count


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0", 0),
        ("  312 ", 312),
        ("1.234", 1234),  # German thousands separator
        ("1 234", 1234),
        ("1.000.000", 1_000_000),
        ("", None),
        ("unbekannt", ValueState.UNKNOWN),
        ("Nicht zutreffend", ValueState.NOT_APPLICABLE),
        ("geheim", ValueState.SECRET),
    ],
)
def test_counts_are_read_as_germans_type_them(typed, expected):
    assert parse_count(typed) == expected


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("zwölf", "„zwölf“ ist keine Zahl"),
        ("12a", "„12a“ ist keine Zahl"),
        ("-3", "„-3“ ist negativ"),
        ("1,5", "„1,5“ ist keine ganze Zahl"),
        ("1.5", "„1.5“ ist keine ganze Zahl"),
        ("1000001", "1.000.001 ist größer als 1.000.000"),
        ("2.000.000", "2.000.000 ist größer als 1.000.000"),
        ("١٢", "keine Zahl"),  # Arabic-Indic digits are digits to Python, not to the statistics office
    ],
)
def test_bad_counts_get_a_german_message_naming_field_and_input(typed, says):
    with pytest.raises(InputError) as info:
        parse_count(typed, "Schüler/innen insgesamt")
    assert str(info.value).startswith("Schüler/innen insgesamt: ")
    assert says in str(info.value)


def test_a_count_is_displayed_with_german_grouping():
    assert Value(number=1234567).display() == "1.234.567"
    assert Value(number=12).display() == "12"


@pytest.mark.parametrize(("value", "empty", "blank"), [
    (Value(), True, True),
    (Value(number=0), False, False),
    (Value(state=ValueState.UNKNOWN), False, False),
    (Value(text="sport"), False, False),
    (Value(comment="wird nachgereicht"), True, False),
    (Value(estimate=True), True, False),
])
def test_blank_means_nothing_recorded_empty_means_no_content(value, empty, blank):
    assert (value.is_empty, value.is_blank) == (empty, blank)
