"""One pattern for the ids that travel in files (institutions, forms) and end up in file names."""

import pytest

from common.ids import is_valid_id

BAD_IDS = ["../x", "a/b", "a\\b", "", "x" * 200, "a\nb", "a\x00b", "a\tb", "\x1b[31m", "..", ".", "-rf",
           "nobody/../../../pwned", "kita 07", "kita-ö", None, 7]
GOOD_IDS = ["100001", "990001", "kita-07", "verein-tus", "jt-sued", "bz01-3", "kita-sonnenschein", "gs1", "stadt",
            "schule", "kita_alt", "kita-", "a" * 64]


@pytest.mark.parametrize("value", BAD_IDS, ids=repr)
def test_bad_ids_are_refused(value):
    assert not is_valid_id(value)


@pytest.mark.parametrize("value", GOOD_IDS)
def test_the_ids_in_use_are_accepted(value):
    assert is_valid_id(value)


def test_the_ids_the_profile_dialog_makes_are_accepted():
    from desktop.profile_dialog import _slug

    for name in ("Kita Löwenzahn", "TuS 1899 e.V.", "Jugendtreff Süd / Nord", "ÄÖÜ ß", "!!!", "x" * 300):
        assert is_valid_id(f"kita-{_slug(name)}"), name
