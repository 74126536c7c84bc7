"""The visitor log of a youth centre: one row per click on the tally screen, summed per month into its form.

Times are stored as UTC ISO strings (the format of store.database.now()), but a visit belongs to the day and month
on the centre's wall clock: a click at 23:30 on 31 January is a January visit even though it is 1 February in UTC.
Every function that groups by day or month takes `tz` (None = the computer's local time zone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sqlite_utils import Database

from common.i18n import _, ngettext
from common.numbers import format_number
from forms.catalog import form_for
from forms.model import Field, Form
from forms.values import Value
from store.database import now, write
from store.errors import StoreError
from store.orgunits import get_org_unit
from store.submissions import get_submission, load_values, set_values

KIND = "jugendtreff"
GENDERS = ("maennlich", "weiblich", "divers")
# The grid whose rows are the age groups of the tally screen, and the grid the monthly sums go into.
AGE_FIELD = "stammbesucher"
MONTH_FIELD = "besuche_monat"
TOTAL, MH = "insgesamt", "mh"


class Category(NamedTuple):
    mh: bool
    gender: str
    age_group: str


@dataclass(frozen=True)
class Visit:
    id: int
    org_unit_id: str
    at: datetime  # aware, UTC
    mh: bool
    gender: str
    age_group: str
    undone_at: datetime | None = None

    @property
    def category(self) -> Category:
        return Category(self.mh, self.gender, self.age_group)

    def local_date(self, tz: tzinfo | None = None) -> date:
        return self.at.astimezone(tz).date()

    def describe(self) -> str:
        return describe(self.category, self.at.year)


# --- categories, read from the form so that the tally screen and the form cannot disagree ---------------------


def _form(year: int) -> Form:
    form = form_for(KIND, year)
    if form is None:
        raise StoreError(_("Für das Jahr {year} gibt es kein Jugendtreff-Formular; Besuche können für dieses "
                           "Jahr nicht gezählt werden.").format(year=year))
    return form


def _age_field(year: int) -> Field:
    return _form(year).field(AGE_FIELD)


def age_groups(year: int) -> tuple[str, ...]:
    return tuple(row.code for row in _age_field(year).rows)


def categories(year: int) -> list[Category]:
    """Every category in screen order: without MH first, then by age group, then by gender."""
    return [Category(mh, gender, age) for mh in (False, True) for age in age_groups(year) for gender in GENDERS]


def gender_label(code: str, year: int) -> str:
    for column in _age_field(year).columns:
        if column.code == code:
            return column.label
    return code


def age_label(code: str, year: int) -> str:
    """ "10 bis 13 Jahre" in the form becomes "10–13 Jahre": short enough for a button."""
    for row in _age_field(year).rows:
        if row.code == code:
            return re.sub(r"(\d+) bis (\d+)", "\\1\u2013\\2", row.label)
    return code


def mh_label(mh: bool) -> str:
    return _("mit MH") if mh else _("ohne MH")


def describe(category: Category, year: int) -> str:
    """ "weiblich, 10–13 Jahre, mit MH" """
    return _("{gender}, {age}, {mh}").format(gender=gender_label(category.gender, year),
                                             age=age_label(category.age_group, year), mh=mh_label(category.mh))


# --- time --------------------------------------------------------------------------------------------------------


def _utc_text(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds")


def _local_midnight(day: date, tz: tzinfo | None) -> datetime:
    naive = datetime(day.year, day.month, day.day)
    # A naive datetime's astimezone() takes it as the computer's local time, which is what tz=None means.
    return naive.astimezone() if tz is None else naive.replace(tzinfo=tz)


def _start(day: date, tz: tzinfo | None) -> str:
    """The UTC text at which a local day begins. Stored times are UTC texts of one format, so comparing the texts
    compares the instants, and SQLite can count per local month with the index instead of converting every row."""
    return _utc_text(_local_midnight(day, tz))


def _aware(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    if at.tzinfo is None:
        raise ValueError("a visit time needs a time zone")
    return at


# --- writing -----------------------------------------------------------------------------------------------------


def _check_category(category: Category, year: int) -> None:
    if not isinstance(category.mh, bool):
        raise StoreError(_("Unbekannte Angabe zum Migrationshintergrund „{value}“.").format(value=category.mh))
    if category.gender not in GENDERS:
        raise StoreError(_("Unbekanntes Geschlecht „{code}“. Möglich sind: {allowed}.").format(
            code=category.gender, allowed=", ".join(gender_label(g, year) for g in GENDERS)))
    if category.age_group not in age_groups(year):
        raise StoreError(_("Unbekannte Altersgruppe „{code}“. Möglich sind: {allowed}.").format(
            code=category.age_group, allowed=", ".join(age_label(a, year) for a in age_groups(year))))


def record_visit(db: Database, org_unit_id: str, *, mh: bool, gender: str, age_group: str,
                 at: datetime | None = None, tz: tzinfo | None = None) -> int:
    """Saves one visit at once (committed when this returns) and returns its id."""
    at = _aware(at)
    year = at.astimezone(tz).year
    _check_category(Category(mh, gender, age_group), year)
    with write(db):
        unit = get_org_unit(db, org_unit_id)
        if unit.kind != KIND:
            raise StoreError(_("Besuche werden nur für Jugendtreffs gezählt, „{name}“ ist keiner.").format(
                name=unit.name))
        return db.execute(
            "INSERT INTO visits(org_unit_id, at, mh, gender, age_group) VALUES (?, ?, ?, ?, ?)",
            [org_unit_id, _utc_text(at), int(mh), gender, age_group]).lastrowid


def _visit(row) -> Visit:
    id_, unit, at, mh, gender, age_group, undone_at = row
    return Visit(id_, unit, datetime.fromisoformat(at), bool(mh), gender, age_group,
                 datetime.fromisoformat(undone_at) if undone_at else None)


_LAST = """SELECT id, org_unit_id, at, mh, gender, age_group, undone_at FROM visits
           WHERE org_unit_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1"""


def last_visit(db: Database, org_unit_id: str) -> Visit | None:
    """The visit undo_last would take back: the last one recorded (not the latest time) that still counts."""
    row = db.execute(_LAST, [org_unit_id]).fetchone()
    return _visit(row) if row else None


def undo_last(db: Database, org_unit_id: str) -> Visit | None:
    """Takes back the last recorded visit. The row stays, marked with undone_at, so a mistake leaves a trace."""
    with write(db):
        row = db.execute(_LAST, [org_unit_id]).fetchone()
        if row is None:
            return None
        stamp = now()
        db.execute("UPDATE visits SET undone_at = ? WHERE id = ?", [stamp, row[0]])
    return replace(_visit(row), undone_at=datetime.fromisoformat(stamp))


# --- counting ----------------------------------------------------------------------------------------------------


def _count_categories(db: Database, org_unit_id: str, start: str, end: str, bucket_sql: str = "0",
                      bucket_args: tuple = ()) -> dict[int, dict[Category, int]]:
    rows = db.execute(
        f"""SELECT {bucket_sql} AS bucket, mh, gender, age_group, COUNT(*) FROM visits
            WHERE org_unit_id = ? AND undone_at IS NULL AND at >= ? AND at < ?
            GROUP BY bucket, mh, gender, age_group""",
        [*bucket_args, org_unit_id, start, end]).fetchall()
    buckets: dict[int, dict[Category, int]] = {}
    for bucket, mh, gender, age_group, n in rows:
        buckets.setdefault(bucket, {})[Category(bool(mh), gender, age_group)] = n
    return buckets


def _totals(by_category: dict[Category, int]) -> dict[str, int]:
    return {TOTAL: sum(by_category.values()), MH: sum(n for c, n in by_category.items() if c.mh)}


def _all_categories(found: dict[Category, int], year: int) -> dict[Category, int]:
    # Zeros for every known category, and rows with codes the form no longer has still count (never hidden).
    return {**dict.fromkeys(categories(year), 0), **found}


def counts(db: Database, org_unit_id: str, year: int, *, tz: tzinfo | None = None) -> dict:
    """The year's visits that count (undone ones never do), grouped by the local date of the click:

    {"months": {1: {"insgesamt": n, "mh": n}, …, 12: …}, "insgesamt": n, "mh": n,
     "categories": {Category(mh, gender, age_group): n, …}}
    """
    bounds = [_start(date(year, month, 1), tz) for month in range(1, 13)] + [_start(date(year + 1, 1, 1), tz)]
    case = "CASE " + " ".join(f"WHEN at < ? THEN {month}" for month in range(1, 13)) + " END"
    buckets = _count_categories(db, org_unit_id, bounds[0], bounds[12], case, tuple(bounds[1:]))
    months = {month: _totals(buckets.get(month, {})) for month in range(1, 13)}
    year_found: dict[Category, int] = {}
    for by_category in buckets.values():
        for category, n in by_category.items():
            year_found[category] = year_found.get(category, 0) + n
    return {"months": months, **_totals(year_found), "categories": _all_categories(year_found, year)}


def today(db: Database, org_unit_id: str, *, when: datetime | None = None, tz: tzinfo | None = None) -> dict:
    """The visits of the local day containing `when` (default: now): {"insgesamt", "mh", "categories"}."""
    day = _aware(when).astimezone(tz).date()
    found = _count_categories(db, org_unit_id, _start(day, tz), _start(day + timedelta(days=1), tz)).get(0, {})
    return {**_totals(found), "categories": _all_categories(found, day.year)}


# --- into the form -----------------------------------------------------------------------------------------------


def apply_to_form(db: Database, submission_id: int, org_unit_id: str, year: int, who: str = "", *,
                  when: datetime | None = None, tz: tzinfo | None = None) -> dict[int, dict[str, int]]:
    """Writes the monthly sums into the form's grid "Besuche nach Monat" and returns what was written by month.

    Months that have begun get their sum, 0 included: no visits logged is a count. Months still to come stay as
    they are (empty), unless visits are logged for them, which only a wrong clock can cause and is not hidden.
    A finalised form raises ReadOnlyError from set_values and keeps its values.
    """
    submission = get_submission(db, submission_id)
    if (submission.org_unit_id, submission.form_id, submission.year) != (org_unit_id, KIND, year):
        raise StoreError(_("Die Meldung Nr. {id} ist nicht das Jugendtreff-Formular {year} dieser Einrichtung; "
                           "die Besuche wurden nicht übernommen.").format(id=submission_id, year=year))
    field = _form(year).field(MONTH_FIELD)
    today_local = _aware(when).astimezone(tz).date()
    last_begun = 12 if year < today_local.year else today_local.month if year == today_local.year else 0
    monthly = counts(db, org_unit_id, year, tz=tz)["months"]
    old = load_values(db, submission_id)
    changes, written = {}, {}
    for month, row in enumerate(field.rows, start=1):
        sums = monthly[month]
        if month > last_begun and not sums[TOTAL]:
            continue
        written[month] = sums
        for column in (TOTAL, MH):
            address = (MONTH_FIELD, row.code, column)
            # A comment typed beside the cell stays; the number (or a state like "unbekannt") is replaced.
            previous = old.get(address, Value())
            changes[address] = replace(previous, number=sums[column], state=None, text=None, estimate=False)
    set_values(db, submission_id, changes, who=who, why=_("aus der Besucherliste übernommen"))
    return written


def describe_applied(written: dict[int, dict[str, int]], year: int) -> str:
    """ "In das Formular übernommen: 1.234 Besuche, davon 456 mit MH (Januar bis Mai)." for the status line."""
    if not written:
        return _("Nichts übernommen: das Jahr {year} hat noch nicht begonnen.").format(year=year)
    total = sum(w[TOTAL] for w in written.values())
    mh = sum(w[MH] for w in written.values())
    names = month_names(year)
    first, last = names[min(written) - 1], names[max(written) - 1]
    span = first if first == last else _("{first} bis {last}").format(first=first, last=last)
    visits = ngettext("{n} Besuch", "{n} Besuche", total).format(n=format_number(total))
    return _("In das Formular übernommen: {visits}, davon {mh} mit MH ({span}).").format(
        visits=visits, mh=format_number(mh), span=span)


def month_names(year: int) -> list[str]:
    """The month labels of the form's grid: Januar … Dezember."""
    return [row.label for row in _form(year).field(MONTH_FIELD).rows]
