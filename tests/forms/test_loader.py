import pytest

from common.errors import DefinitionError
from forms.catalog import definition_files, form_for, shipped_forms
from forms.loader import load_form, parse_form
from forms.model import FieldType

MINIMAL = """
id = "probe"
version = 1
title = "Probe"
kind = "schule"
years = [2020, 2030]
reference_date = "15. Oktober"

[[sections]]
code = "a"
title = "A"

[[sections.fields]]
code = "gesamt"
label = "Gesamt"
type = "count"

[[sections.fields]]
code = "teil"
label = "Teil"
type = "count"

[[rules]]
kind = "le"
parts = ["teil"]
whole = "gesamt"
"""


def test_every_shipped_definition_loads():
    forms = shipped_forms()
    assert {f.id for f in forms if f.kind != "stadt"} == {"schule", "kita", "jugendtreff", "verein"}
    assert len({f.id for f in forms if f.kind == "stadt"}) == 10  # the officer's own official statistics
    assert len(forms) == len(definition_files())
    for form in forms:
        assert form.reference_date and form.sections and form.rules
        assert all(f.label for f in form.fields())


@pytest.mark.parametrize("kind", ["schule", "kita", "jugendtreff", "verein"])
def test_each_institution_kind_has_a_form_for_the_demo_years(kind):
    assert form_for(kind, 2015).kind == kind
    assert form_for(kind, 2025).kind == kind


def test_field_types_count_grid_choice_text_are_all_used():
    used = {f.type for form in shipped_forms() for f in form.fields()}
    assert used == set(FieldType)


def test_row_placeholder_expands_to_one_rule_per_row():
    kita = form_for("kita", 2024)
    per_row = [r for r in kita.rules if r.whole.code == "kinder" and r.whole.row != "*"]
    assert {r.whole.row for r in per_row} == {"u3", "ue3"}


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (('parts = ["teil"]', 'parts = ["tiel"]'), "rules[0].parts[0]", "unbekanntes Feld „tiel“"),
        (('code = "teil"', 'code = "gesamt"'), "sections[0].fields[1].code", "Feldcode „gesamt“ ist doppelt"),
        (('type = "count"\n\n[[rules]]', 'type = "zahl"\n\n[[rules]]'), "sections[0].fields[1].type",
         "unbekannter Feldtyp „zahl“"),
        (("version = 1", 'version = "eins"'), "version", "falscher Typ: erwartet ganze Zahl, gefunden Text"),
        (('label = "Teil"', 'label = "Teil"\nrequried = true'), "sections[0].fields[1].requried",
         "unbekannter Schlüssel"),
        (('kind = "le"', 'kind = "kleiner"'), "rules[0].kind", "unbekannte Regelart „kleiner“"),
        (("years = [2020, 2030]", "years = [2030, 2020]"), "years", "erwartet [erstes Jahr, letztes Jahr]"),
        (('whole = "gesamt"', 'whole = "gesamt[*,x]"'), "rules[0].whole", "„gesamt“ ist keine Tabelle"),
    ],
)
def test_broken_definition_names_file_key_and_problem(change, key, problem):
    old, new = change
    assert old in MINIMAL
    with pytest.raises(DefinitionError) as info:
        parse_form(MINIMAL.replace(old, new, 1), "probe-v1.toml")
    message = str(info.value)
    assert "probe-v1.toml" in message
    assert f"„{key}“" in message
    assert problem in message


def test_syntax_error_names_the_file_and_line():
    with pytest.raises(DefinitionError) as info:
        parse_form(MINIMAL.replace('title = "A"', 'title = "A'), "kaputt.toml")
    assert "kaputt.toml" in str(info.value)
    assert "Syntaxfehler" in str(info.value)
    assert "line 11" in str(info.value)


def test_unreadable_file_is_a_definition_error(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(MINIMAL.replace("Probe", "Prüfung").encode("latin-1"))
    with pytest.raises(DefinitionError, match="latin1.toml.*UTF-8"):
        load_form(path)


def test_grid_rule_with_unknown_column_is_named():
    text = MINIMAL + """
[[sections]]
code = "b"
title = "B"

[[sections.fields]]
code = "tabelle"
label = "Tabelle"
type = "grid"
rows = [{ code = "r1", label = "Zeile 1" }]
columns = [{ code = "alle", label = "alle" }]

[[rules]]
kind = "sum"
parts = ["tabelle[*,zwg]"]
whole = "gesamt"
"""
    with pytest.raises(DefinitionError, match="Tabelle „tabelle“ hat keine Spalte „zwg“"):
        parse_form(text, "probe.toml")
