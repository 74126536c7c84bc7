"""A demo workspace: "Musterstadt", a Soest-sized town with eleven years of approved submissions, and the
official statistics the officer enters for the town itself (population, labour market, elections, …).

Every figure is invented. The units are marked synthetic, every institution name ends with "(Demo)", school
numbers start with 9 (real NRW Schulnummern start with 1) and the setting "demo" says "synthetisch", so that
nothing from here can pass for real data. The shares and trends follow DOMAIN.md so that indicators, segregation
measures and charts have something to show.

The town's registry lives in demo.registry, the institutions' figures in demo.institutions and
demo.schools, the town's official statistics in demo.official and the population they derive
from in demo.population.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from common.i18n import _
from demo.institutions import GENERATORS
from demo.official import OFFICIAL_NOTES, official_figures
from demo.population import count_children
from demo.registry import FIRST_YEAR, LAST_YEAR, make_areas, make_institutions
from forms.catalog import all_forms, form_for
from forms.model import Form, Severity
from forms.validation import validate
from forms.values import Address, Value
from store import settings
from store.area_migration import bezirke_to_areas
from store.database import write
from store.errors import StoreError
from store.orgunits import OrgUnit, holds_data, save_org_units
from store.submissions import State, create_draft, set_state, set_values

if TYPE_CHECKING:
    from sqlite_utils import Database

WHO = "demo"


@dataclass(frozen=True)
class DemoSummary:
    bezirke: int
    unterbezirke: int
    schools: int
    kitas: int
    youth_centres: int
    clubs: int
    submissions: int
    values: int
    first_year: int
    last_year: int
    warnings: int  # plausibility warnings against the previous year; each carries a comment


def build_demo(db: Database, seed: int = 1, progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Fills an empty database with the demo town; the same seed gives the same figures."""
    if holds_data(db):
        raise StoreError(_("Die Datenbank enthält schon Daten. Der Demo-Arbeitsbereich wird nur in eine leere "
                           "Datenbank geschrieben, damit er sich nicht mit echten Daten vermischt."))
    rng = random.Random(seed)
    areas = make_areas()
    institutions = make_institutions(rng)
    submissions = values = warnings = 0
    # Children in Kitas (Ü3) and in primary classes, per year: the town's age groups are derived from them.
    children: dict[int, Counter] = {year: Counter() for year in range(FIRST_YEAR, LAST_YEAR + 1)}
    with write(db):
        settings.mark_demo(db)
        settings.set_role(db, settings.OFFICER)
        # A successor must exist before the unit that names it (foreign key).
        units = areas + [i.unit for i in institutions]
        save_org_units(db, sorted(units, key=lambda u: u.successor_id is not None))
        for done, inst in enumerate(institutions, 1):
            previous: dict[Address, Value] = {}
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                form = form_for(inst.unit.kind, year)
                if form is None or not inst.unit.active_in(year):
                    continue
                cells = GENERATORS[inst.unit.kind](rng, inst, form, year)
                cells, warned = _comment_warnings(form, inst.unit, inst.note, year, cells, previous)
                _submit(db, inst.unit.id, form, year, cells)
                submissions, values, warnings = submissions + 1, values + len(cells), warnings + warned
                previous = cells
                children[year] += count_children(cells)
            if progress is not None:
                progress(done, len(institutions))
        town = areas[0]
        previous_by_form: dict[str, dict[Address, Value]] = {}
        official_forms = [f for f in all_forms() if f.kind == town.kind]
        for year, figures in official_figures(rng, children):
            for form_id, cells in figures.items():
                form = max((f for f in official_forms if f.id == form_id and f.applies_to_year(year)),
                           key=lambda f: f.version)
                cells, warned = _comment_warnings(form, town, OFFICIAL_NOTES[form_id], year, cells,
                                                  previous_by_form.get(form_id, {}))
                _submit(db, town.id, form, year, cells)
                submissions, values, warnings = submissions + 1, values + len(cells), warnings + warned
                previous_by_form[form_id] = cells
    # The demo's Bezirke and their figures by row become areas and figures by area, as an upgraded workspace's do.
    with write(db):
        bezirke_to_areas(db)
    kinds = Counter(u.kind for u in areas + [i.unit for i in institutions])
    return DemoSummary(
        bezirke=kinds["bezirk"], unterbezirke=kinds["unterbezirk"], schools=kinds["schule"], kitas=kinds["kita"],
        youth_centres=kinds["jugendtreff"], clubs=kinds["verein"], submissions=submissions, values=values,
        first_year=FIRST_YEAR, last_year=LAST_YEAR, warnings=warnings,
    )


def _comment_warnings(form: Form, unit: OrgUnit, note: str, year: int, cells: dict[Address, Value],
                      previous: dict[Address, Value]) -> tuple[dict[Address, Value], int]:
    """Approved submissions were finalised, and finalising needs a comment on every warning."""
    results = validate(form, cells, unit.attributes, previous)
    errors = [r for r in results if r.severity is Severity.ERROR]
    if errors:
        # A bug in this generator, not a user's mistake.
        raise RuntimeError(f"demo data for {unit.id} {form.id} {year} break the form's rules: "
                           + "; ".join(r.message for r in errors))
    warned = {r.address for r in results}
    for address in warned:
        cells[address] = cells[address].with_comment(note)
    return cells, len(warned)


def _submit(db: Database, unit_id: str, form: Form, year: int, cells: dict[Address, Value]) -> None:
    submission = create_draft(db, unit_id, form, year, who=WHO, source="demo")
    set_values(db, submission.id, cells, who=WHO)
    set_state(db, submission.id, State.FINALISED)
    set_state(db, submission.id, State.APPROVED)

