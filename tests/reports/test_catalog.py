"""The indicator catalogue: the shipped one covers the report's categories and indicators, keeps one definition per
series, and a broken catalogue is refused with a German message that names the indicator and the problem."""

import pytest

from common.errors import DefinitionError
from reports.catalog import CATALOG_FILE, Term, catalog, parse_catalog, parse_terms

# The report's monitoring chapter (DOMAIN.md, "Monitoring categories"): title in the report → catalogue code.
DOMAIN_CATEGORIES = {
    "Bevölkerung": "bevoelkerung",
    "Bevölkerungsverteilung": "verteilung",
    "Kindergärten und Kindertageseinrichtungen": "kitas",
    "Schulen": "schulen",
    "Berufliche Ausbildung": "ausbildung",
    "Erwerbstätigkeit, Arbeitslosigkeit, Transferzahlungen": "arbeit",
    "Soziale und private Situation": "soziales",
    "Freizeit und Vereine": "freizeit",
    "Kriminalität": "kriminalitaet",
    "Politische Beteiligung": "politik",  # the catalogue adds "und Einbürgerung"
    "Religion": "religion",
    "Verwaltung": "verwaltung",
    "Integrationskurse": "kurse",
}

# DOMAIN.md's "Indicators" table → catalogue code, with the unit the table asks for and what the figure must read.
# (code, category, unit, numerator form.field, denominator form.field or None)
DOMAIN_INDICATORS = {
    "Ausländeranteil": ("bev_auslaender", "bevoelkerung", "prozent", "bevoelkerung.bevoelkerung_bezirk",
                        "bevoelkerung.bevoelkerung_bezirk"),
    "share with migration background (EMR)": ("bev_emr", "bevoelkerung", "prozent",
                                              "bevoelkerung.bevoelkerung_bezirk", "bevoelkerung.bevoelkerung_bezirk"),
    "Kita share with MH": ("kita_mh", "kitas", "prozent", "kita.kinder", "kita.kinder"),
    "Kita family language not German": ("kita_sprache", "kitas", "prozent", "kita.kinder", "kita.kinder"),
    "Kita representation ratio": ("kita_repraesentation", "kitas", "prozent", "kita.kinder", "kita.kinder"),
    "school ZWG share": ("schule_zwg", "schulen", "prozent", "schule.zwg_gesamt", "schule.schueler_gesamt"),
    "school Ausländer share": ("schule_auslaender", "schulen", "prozent", "schule.auslaender",
                              "schule.schueler_gesamt"),
    "school Aussiedler share": ("schule_aussiedler", "schulen", "prozent", "schule.aussiedler",
                                "schule.schueler_gesamt"),
    "transition rate, all": ("uebergang_alle", "schulen", "prozent", "schule.uebergang_schulform",
                             "schule.abgaenger_klasse4"),
    "transition rate, ZWG": ("uebergang_zwg", "schulen", "prozent", "schule.uebergang_schulform",
                             "schule.abgaenger_klasse4"),
    "transition rate, Ausländer": ("uebergang_auslaender", "schulen", "prozent", "schule.uebergang_schulform",
                                   "schule.abgaenger_klasse4"),
    "leaver rate, Deutsche": ("abschluss_deutsche", "schulen", "prozent", "schule.abgaenger_abschluss",
                              "schule.abgaenger_abschluss"),
    "leaver rate, Ausländer": ("abschluss_auslaender", "schulen", "prozent", "schule.abgaenger_abschluss",
                               "schule.abgaenger_abschluss"),
    "youth centre MH share": ("jt_mh", "freizeit", "prozent", "jugendtreff.stammbesucher",
                              "jugendtreff.stammbesucher"),
    "club MH share": ("verein_mh", "freizeit", "prozent", "verein.mitglieder", "verein.mitglieder"),
    # The employment agency publishes no rates for foreigners at town level: counts only.
    "unemployed by nationality": ("am_arbeitslose", "arbeit", "anzahl", "arbeitsmarkt.arbeitsmarkt", None),
    "SGB II recipients by nationality": ("am_elb", "arbeit", "anzahl", "arbeitsmarkt.arbeitsmarkt", None),
    "unemployed SGB II by nationality": ("am_arbeitslose_sgb2", "arbeit", "anzahl", "arbeitsmarkt.arbeitsmarkt",
                                         None),
    "naturalisation rate": ("einbuergerung_quote", "politik", "prozent", "einbuergerung.einbuergerungen",
                            "einbuergerung.auslaender_8_jahre"),
    "non-German suspects share": ("krim_nichtdeutsch", "kriminalitaet", "prozent",
                                  "kriminalitaet.tatverdaechtige_nd_ohne_ar", "kriminalitaet.tatverdaechtige_gesamt"),
    "turnout by Bezirk": ("wahl_kommunal_bezirk", "politik", "prozent", "wahlen.wahl_bezirk", "wahlen.wahl_bezirk"),
    "religion": ("religion", "religion", "prozent", "religion.religion_stadt", "religion.religion_stadt"),
    "religion by Bezirk": ("religion_sonstige_bezirk", "religion", "prozent", "religion.religion_bezirk",
                           "religion.religion_bezirk"),
    "administration staff MH": ("verwaltung_mh", "verwaltung", "prozent", "verwaltung.personal_mh",
                                "verwaltung.befragung_teilnehmende"),
    "course entrants": ("kurse_eintritte", "kurse", "anzahl", "integrationskurse.integrationskurse", None),
    "course completions": ("kurse_absolventen", "kurse", "anzahl", "integrationskurse.integrationskurse", None),
}


def _fields(terms: tuple[Term, ...]) -> set[str]:
    return {f"{t.form}.{t.field}" for t in terms}


def test_the_shipped_catalogue_loads():
    cat = catalog()
    assert cat.indicators and cat.categories
    # The file itself parses the same way (catalog() is cached).
    assert parse_catalog(CATALOG_FILE.read_text(encoding="utf-8")) == cat


def test_every_category_of_the_report_has_an_entry():
    cat = catalog()
    titles = {c.code: c.title for c in cat.categories}
    for title, code in DOMAIN_CATEGORIES.items():
        assert code in titles, title
        assert titles[code].startswith(title), (code, titles[code])
    assert set(titles) == set(DOMAIN_CATEGORIES.values())


def test_every_category_has_an_indicator_or_says_why_it_has_none():
    cat = catalog()
    for category in cat.categories:
        assert cat.of(category.code) or category.no_data.strip(), category.code
    # "Soziale und private Situation" is the one without figures of its own.
    assert [c.code for c in cat.categories if not cat.of(c.code)] == ["soziales"]


@pytest.mark.parametrize("name", DOMAIN_INDICATORS)
def test_every_indicator_of_the_report_is_in_the_catalogue(name):
    code, category, unit, numerator, denominator = DOMAIN_INDICATORS[name]
    indicator = catalog().get(code)
    assert indicator.category == category
    assert indicator.unit == unit
    assert numerator in _fields(indicator.numerator)
    if denominator is None:
        assert indicator.denominator == ()
    else:
        assert denominator in _fields(indicator.denominator)


def test_the_levels_the_report_asks_for():
    cat = catalog()
    assert {"stadt", "bezirk"} <= set(cat.get("bev_auslaender").levels)
    assert {"stadt", "bezirk"} <= set(cat.get("bev_emr").levels)
    assert {"stadt", "einrichtung"} <= set(cat.get("kita_mh").levels)
    assert "einrichtung" in cat.get("kita_sprache").levels
    assert {"schulform", "einrichtung"} <= set(cat.get("schule_zwg").levels)
    assert cat.get("wahl_kommunal_bezirk").levels == ("bezirk",)
    # The representation ratio sets each Kita against the 3- to 6-year-olds of its Bezirk, previous year.
    ratio = cat.get("kita_repraesentation")
    assert (ratio.levels, ratio.compare_with, ratio.compare_year) == (("einrichtung",), "vert_kinder_3_6", -1)
    assert cat.get("vert_kinder_3_6").levels == ("stadt", "bezirk")


def test_each_series_has_exactly_one_definition():
    for indicator in catalog().indicators:
        assert isinstance(indicator.definition, str) and indicator.definition.strip(), indicator.code
        # The Mikrozensus concept is not available for a town of this size and must not be used.
        assert "Mikrozensus" not in indicator.definition, indicator.code


def test_every_indicator_reads_one_form_only():
    for indicator in catalog().indicators:
        assert {t.form for t in indicator.numerator + indicator.denominator} == {indicator.form}, indicator.code


def test_zwg_and_kita_definitions_never_share_a_series():
    cat = catalog()
    zwg = [i for i in cat.indicators if i.definition.startswith("ZWG")]
    kjh = [i for i in cat.indicators if i.definition.startswith("KJH")]
    assert {i.code for i in zwg} >= {"schule_zwg", "uebergang_zwg", "bk_zwg", "gs_repraesentation"}
    assert {i.code for i in kjh} >= {"kita_mh", "kita_sprache", "kita_repraesentation"}
    for indicator in zwg:
        assert {t.form for t in indicator.numerator + indicator.denominator} == {"schule"}, indicator.code
    for indicator in kjh:
        assert {t.form for t in indicator.numerator + indicator.denominator} == {"kita"}, indicator.code
    # School leavers are reported by nationality, never by ZWG.
    for code in ("abschluss_deutsche", "abschluss_auslaender"):
        assert cat.get(code).definition == "Staatsangehörigkeit"


# --- broken catalogues --------------------------------------------------------------------------------------------

VALID = """
[[categories]]
code = "schulen"
title = "Schulen"

[[indicators]]
code = "test_zwg"
category = "schulen"
title = "Schüler/innen mit Zuwanderungsgeschichte"
numerator = "schule.zwg_gesamt"
denominator = "schule.schueler_gesamt"
unit = "prozent"
definition = "ZWG"
source = "Meldungen der Schulen"
reference_date = "15. Oktober"
levels = ["stadt"]
"""


def test_the_small_valid_catalogue_parses():
    cat = parse_catalog(VALID)
    assert [c.code for c in cat.categories] == ["schulen"]
    indicator = cat.get("test_zwg")
    assert indicator.numerator == (Term("schule", "zwg_gesamt", None, None),)
    assert indicator.denominator == (Term("schule", "schueler_gesamt", None, None),)


SECOND = VALID.split("[[indicators]]")[1]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('numerator = "schule.zwg_gesamt"', 'numerator = "schuhe.zwg_gesamt"',
     "Indikator „test_zwg“: das Formular „schuhe“ gibt es nicht"),
    ('numerator = "schule.zwg_gesamt"', 'numerator = "schule.zwg_insgesamt"',
     "Indikator „test_zwg“: das Formular „schule“ hat kein Feld „zwg_insgesamt“"),
    ('numerator = "schule.zwg_gesamt"', 'numerator = "schule.uebergang_schulform[gymnasiun;alle]"',
     "Indikator „test_zwg“: „uebergang_schulform“ hat keine Zeile oder Spalte „gymnasiun“"),
    ('denominator = "schule.schueler_gesamt"\n', "",
     "Indikator „test_zwg“: ein Anteil braucht einen Nenner (denominator)"),
    ('category = "schulen"', 'category = "schule"', "Indikator „test_zwg“: die Kategorie „schule“ gibt es nicht"),
    ('levels = ["stadt"]', 'levels = ["stadt"]\nfarbe = "blau"', "Indikator „test_zwg“: unbekannter Schlüssel „farbe“"),
    ('levels = ["stadt"]', 'levels = ["stadt"]\ncompare_with = "vert_kinder_3_6"',
     "Indikator „test_zwg“: compare_with nennt den unbekannten Indikator „vert_kinder_3_6“"),
])
def test_a_broken_indicator_is_refused_with_its_code_and_problem(old, new, expected):
    assert old in VALID
    with pytest.raises(DefinitionError) as caught:
        parse_catalog(VALID.replace(old, new))
    assert str(caught.value) == f"Indikatorenkatalog, {expected}"


def test_a_code_used_twice_is_refused():
    with pytest.raises(DefinitionError) as caught:
        parse_catalog(VALID + "\n[[indicators]]" + SECOND)
    assert str(caught.value) == "Indikatorenkatalog, Indikator „test_zwg“: der Code kommt zweimal vor"


def test_a_toml_syntax_error_is_refused():
    with pytest.raises(DefinitionError) as caught:
        parse_catalog(VALID.replace('unit = "prozent"', 'unit = "prozent'))
    assert str(caught.value).startswith("Indikatorenkatalog: ")
    assert "line" in str(caught.value)  # tomllib's own description says where


def test_a_term_that_is_no_expression_is_refused():
    with pytest.raises(DefinitionError) as caught:
        parse_catalog(VALID.replace('numerator = "schule.zwg_gesamt"', 'numerator = "schule zwg_gesamt"'))
    assert "Indikator „test_zwg“" in str(caught.value)
    assert "„schule zwg_gesamt“ ist kein gültiger Ausdruck" in str(caught.value)


# --- terms --------------------------------------------------------------------------------------------------------

def test_parse_terms_reads_signs_codes_and_alternatives():
    assert parse_terms("t", "a.b[*;x|y] - a.c") == (
        Term("a", "b", rows=None, cols=("x", "y"), sign=1),
        Term("a", "c", rows=None, cols=None, sign=-1),
    )
    assert parse_terms("t", "a.b + a.c[r1;*] - a.d[r1|r2;k]") == (
        Term("a", "b", None, None, 1),
        Term("a", "c", ("r1",), None, 1),
        Term("a", "d", ("r1", "r2"), ("k",), -1),
    )


def test_parse_terms_reads_a_breakdown_by_row_or_column():
    (by_row,) = parse_terms("t", "schule.uebergang_schulform[{row};alle]")
    assert by_row == Term("schule", "uebergang_schulform", rows=None, cols=("alle",), sign=1, by_row=True)
    (by_col,) = parse_terms("t", "arbeitsmarkt.arbeitsmarkt[arbeitslose;{col}]")
    assert by_col == Term("arbeitsmarkt", "arbeitsmarkt", rows=("arbeitslose",), cols=None, by_col=True)
