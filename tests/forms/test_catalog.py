import pytest

from forms.catalog import form_for, forms_for, get_form, shipped_forms

# The catalog parses only the definition files a question can concern (start-up speed); the answers must be the
# ones a look through every shipped form gives.


@pytest.mark.parametrize("kind", ["schule", "kita", "jugendtreff", "verein", "stadt", "unbekannt"])
@pytest.mark.parametrize("year", [2010, 2015, 2024, 2099, 2100])
def test_the_forms_of_a_kind_are_those_among_all_forms(kind, year):
    candidates = [f for f in shipped_forms() if f.kind == kind and f.applies_to_year(year)]
    assert form_for(kind, year) == max(candidates, key=lambda f: f.version, default=None)
    assert {f.id for f in forms_for(kind, year)} == {f.id for f in candidates}


def test_each_shipped_form_is_found_by_id_and_version():
    for form in shipped_forms():
        assert get_form(form.id, form.version) is form
