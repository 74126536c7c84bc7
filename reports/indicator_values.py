"""The indicators of the catalogue computed from the counted values, for every year and level.

An institution whose numerator or denominator is unknown or secret (or missing) is left out of both, so that a
share always relates the same institutions; how many were left out is kept beside the value. A Bezirk or school type
whose every institution is left out keeps its row, without figures (printed "."): a reader must see that it exists
and that its figure is withheld. Only the main source of the town's figures is used: a series never mixes two
sources or two definitions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from forms.catalog import all_forms
from reports.catalog import Catalog, Indicator, Term, catalog

if TYPE_CHECKING:
    import pandas as pd

RESULT_COLUMNS = ["indicator", "level", "key", "label", "year", "breakdown", "numerator", "denominator", "value",
                  "units", "excluded", "approved", "bezirk_id", "compare_value", "ratio"]
_UNKNOWN_STATES = ("geheim", "unbekannt")
TOWN_KEY = "stadt"


def bezirk_rows(bezirke: list[tuple[str, str]]) -> dict[str, str]:
    """'bezirk_01' is the first Bezirk of the registry by id, as the town's forms say."""
    return {f"bezirk_{n:02d}": bezirk_id for n, (bezirk_id, _name) in enumerate(sorted(bezirke), start=1)}


def _term_values(frame: pd.DataFrame, term: Term, rows_to_bezirk: dict[str, str] | None) -> pd.DataFrame:
    sel = frame[(frame["form_id"] == term.form) & (frame["field"] == term.field)]
    if term.rows is not None:
        sel = sel[sel["row"].isin(term.rows)]
    if term.cols is not None:
        sel = sel[sel["col"].isin(term.cols)]
    sel = sel.assign(
        breakdown=sel["row"] if term.by_row else sel["col"] if term.by_col else "",
        unknown=sel["value_state"].isin(_UNKNOWN_STATES),
        number=sel["number"].fillna(0).astype("int64") * term.sign,
    )
    if rows_to_bezirk is not None:
        # The town's own grid: each row is a Bezirk, and the Bezirk is the unit.
        sel = sel.assign(unit=sel["row"].map(rows_to_bezirk), bezirk_id=sel["row"].map(rows_to_bezirk))
        sel = sel[sel["unit"].notna()]
    else:
        sel = sel.assign(unit=sel["org_unit_id"])
    return sel


def _per_unit(frame: pd.DataFrame, terms: tuple[Term, ...], rows_to_bezirk) -> pd.DataFrame:
    import pandas as pd

    parts = [_term_values(frame, t, rows_to_bezirk) for t in terms]
    values = pd.concat(parts) if parts else frame.iloc[0:0]
    return values.groupby(["year", "unit", "breakdown"], as_index=False).agg(
        number=("number", "sum"), unknown=("unknown", "any"), approved=("approved", "all"))


def unit_values(frame: pd.DataFrame, indicator: Indicator, bezirke: list[tuple[str, str]]) -> pd.DataFrame:
    """One row per unit (institution, or Bezirk of a town grid), year and breakdown: numerator and denominator."""
    units = frame.drop_duplicates("org_unit_id").set_index("org_unit_id")
    data = frame[frame["form_id"] == indicator.form]
    for attribute, allowed in indicator.only:
        column = {"schulform": "school_type"}.get(attribute, attribute)
        data = data[data[column].isin(allowed)]
    rows_to_bezirk = bezirk_rows(bezirke) if indicator.bezirk_from_row else None
    numerator = _per_unit(data, indicator.numerator, rows_to_bezirk)
    if indicator.denominator:
        denominator = _per_unit(data, indicator.denominator, rows_to_bezirk)
        by_breakdown = any(t.by_row or t.by_col for t in indicator.denominator)
        keys = ["year", "unit", "breakdown"] if by_breakdown else ["year", "unit"]
        if not by_breakdown:
            denominator = denominator.drop(columns="breakdown")
        merged = numerator.merge(denominator, on=keys, how="outer", suffixes=("_num", "_den"))
        # A unit with only one of the two is missing a value: it counts as unknown, not as zero.
        flag = {c: merged[c].astype("boolean").fillna(c.startswith("unknown")).astype(bool)
                for c in ("unknown_num", "unknown_den", "approved_num", "approved_den")}
        merged = merged.assign(numerator=merged["number_num"], denominator=merged["number_den"],
                               unknown=flag["unknown_num"] | flag["unknown_den"],
                               approved=flag["approved_num"] & flag["approved_den"])
        if not indicator.breakdown:
            # A unit with only a denominator has no breakdown from its numerator; without a breakdown it is "".
            merged = merged.assign(breakdown=merged["breakdown"].fillna(""))
        merged = merged[merged["breakdown"].notna()]
    else:
        merged = numerator.rename(columns={"number": "numerator"}).assign(denominator=None)
    names = dict(bezirke)
    if rows_to_bezirk is not None:
        merged = merged.assign(bezirk_id=merged["unit"], label=merged["unit"].map(names), school_type="")
    else:
        merged = merged.assign(bezirk_id=merged["unit"].map(units["bezirk_id"]),
                               label=merged["unit"].map(units["name"]),
                               school_type=merged["unit"].map(units["school_type"]))
    return merged[["year", "unit", "breakdown", "numerator", "denominator", "unknown", "approved", "bezirk_id",
                   "label", "school_type"]]


def _aggregate(units: pd.DataFrame, by: list[str], expected: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sums over the known units of each group. A group whose every unit is left out, or one of `expected` (year,
    breakdown and the `by` columns) without any unit, stays as a row without numerator and denominator."""
    keys = ["year", "breakdown", *by]
    known = units[~units["unknown"]]
    grouped = known.groupby(keys, as_index=False, dropna=False).agg(
        numerator=("numerator", "sum"), denominator=("denominator", lambda s: s.sum(min_count=1)),
        units=("unit", "nunique"), approved=("approved", "all"))
    excluded = units[units["unknown"]].groupby(keys, as_index=False, dropna=False).agg(excluded=("unit", "nunique"))
    table = grouped.merge(excluded, on=keys, how="outer")
    if expected is not None:
        table = table.merge(expected[keys].drop_duplicates(), on=keys, how="outer")
    # "Provisional" marks a figure that may still change; a row without figures prints none.
    return table.assign(approved=table["approved"].astype("boolean").fillna(True).astype(bool),
                        units=table["units"].fillna(0).astype("int64"),
                        excluded=table["excluded"].fillna(0).astype("int64"))


def _active(registry: pd.DataFrame, year) -> pd.Series:
    return (registry["valid_from"].isna() | (registry["valid_from"] <= year)) & (
        registry["valid_to"].isna() | (year <= registry["valid_to"]))


def _expected(registry: pd.DataFrame | None, indicator: Indicator, units: pd.DataFrame,
              column: str) -> pd.DataFrame | None:
    """The rows a table by Bezirk (column "bezirk_id") or by school type ("school_type") must have in each year the
    indicator has figures: those of the institutions that were open that year and fill in the indicator's form (for
    a town grid: the Bezirke open that year). A Bezirk without any such institution has nothing withheld and stays
    out, as a school type without a school does."""
    import pandas as pd

    if registry is None:
        return None
    if indicator.bezirk_from_row:
        reporting = registry[registry["kind"] == "bezirk"]
    else:
        kinds = {f.kind for f in all_forms() if f.id == indicator.form}
        reporting = registry[registry["kind"].isin(kinds)]
        for attribute, allowed in indicator.only:
            reporting = reporting[reporting[{"schulform": "school_type"}.get(attribute, attribute)].isin(allowed)]
    reporting = reporting[reporting[column].notna() & (reporting[column] != "")]
    bezirke = registry[registry["kind"] == "bezirk"].set_index("org_unit_id")
    parts = []
    for year, breakdowns in units.groupby("year")["breakdown"]:
        here = reporting[_active(reporting, year)]
        if column == "bezirk_id":
            # The Bezirk itself must exist that year too: a dissolved one gets no row of its own.
            open_bezirke = bezirke.index[_active(bezirke, year)]
            here = here[here["bezirk_id"].isin(open_bezirke)]
        keys = here[column].drop_duplicates()
        parts.append(pd.DataFrame([(year, b, k) for b in breakdowns.unique() for k in keys],
                                  columns=["year", "breakdown", column]))
    return pd.concat(parts, ignore_index=True) if parts else None


def indicator_values(frame: pd.DataFrame, indicator: Indicator, bezirke: list[tuple[str, str]],
                     registry: pd.DataFrame | None = None) -> pd.DataFrame:
    """The indicator at each of its levels, every year; `value` is a percentage or a count."""
    import pandas as pd

    units = unit_values(frame, indicator, bezirke)
    names = dict(bezirke)
    results = []
    for level in indicator.levels:
        if level == "stadt":
            table = _aggregate(units, []).assign(key=TOWN_KEY, label="", bezirk_id=None)
        elif level == "bezirk":
            table = _aggregate(units[units["bezirk_id"].notna()], ["bezirk_id"],
                               _expected(registry, indicator, units, "bezirk_id"))
            table = table.assign(key=table["bezirk_id"], label=table["bezirk_id"].map(names))
        elif level == "schulform":
            table = _aggregate(units[units["school_type"] != ""], ["school_type"],
                               _expected(registry, indicator, units, "school_type"))
            table = table.assign(key=table["school_type"], label=table["school_type"], bezirk_id=None)
        else:
            table = units.assign(key=units["unit"], units=1, excluded=units["unknown"].astype(int))
            table = table.assign(numerator=table["numerator"].where(~table["unknown"]),
                                 denominator=table["denominator"].where(~table["unknown"]))
        results.append(table.assign(level=level))
    if not results:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    out = pd.concat(results, ignore_index=True).assign(indicator=indicator.code)
    numerator = pd.to_numeric(out["numerator"], errors="coerce")
    denominator = pd.to_numeric(out["denominator"], errors="coerce")
    value = numerator / denominator.where(denominator > 0) * 100 if indicator.unit == "prozent" else numerator
    out = out.assign(value=value, numerator=numerator, denominator=denominator, compare_value=float("nan"),
                     ratio=float("nan"))
    return out[RESULT_COLUMNS]


def all_indicator_values(frame: pd.DataFrame, bezirke: list[tuple[str, str]], cat: Catalog | None = None,
                         registry: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every indicator of the catalogue; institutions are set against their Bezirk where the catalogue says so.
    With the `registry` (counted_values.registry) a Bezirk or school type whose institutions sent no counted
    figures keeps its row too."""
    import pandas as pd

    cat = cat or catalog()
    main = frame[frame["figure_source"] == ""]
    by_form = {form: part for form, part in main.groupby("form_id")}  # each indicator reads one form
    tables = {i.code: indicator_values(by_form.get(i.form, main.iloc[0:0]), i, bezirke, registry)
              for i in cat.indicators}
    for indicator in cat.indicators:
        if not indicator.compare_with:
            continue
        own, other = tables[indicator.code], tables[indicator.compare_with]
        area = other[other["level"] == "bezirk"][["year", "key", "value"]]
        area = area.assign(year=area["year"] - indicator.compare_year).rename(
            columns={"key": "bezirk_id", "value": "area_value"})
        # Plain objects on both sides: a level without Bezirke holds only missing values, read as floats.
        merged = own.assign(bezirk_id=own["bezirk_id"].astype(object)).merge(
            area.assign(bezirk_id=area["bezirk_id"].astype(object)), on=["year", "bezirk_id"], how="left")
        # An institution is set against its Bezirk (with a ratio); a Bezirk figure such as turnout is only shown
        # beside the other figure of the same Bezirk, since the two measure different things.
        level = own["level"].values
        merged["compare_value"] = merged["area_value"].where((level == "einrichtung") | (level == "bezirk"))
        merged["ratio"] = (merged["value"] / merged["compare_value"].where(merged["compare_value"] > 0)).where(
            level == "einrichtung")
        tables[indicator.code] = merged[RESULT_COLUMNS]
    non_empty = [t for t in tables.values() if not t.empty]
    return pd.concat(non_empty, ignore_index=True) if non_empty else pd.DataFrame(columns=RESULT_COLUMNS)
