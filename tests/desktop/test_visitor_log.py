from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QPushButton

from desktop.visitor_log import VisitorLogView
from forms.catalog import form_for
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_draft, load_values, set_state
from store.visits import Category, counts

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2024, 5, 6, 15, 0, tzinfo=BERLIN)
GIRL_10_MH = Category(True, "weiblich", "a10_13")
BOY_14 = Category(False, "maennlich", "a14_17")


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def unit(db):
    save_org_units(db, [OrgUnit(id="jt-1", kind="jugendtreff", name="Jugendtreff Süd")])
    return "jt-1"


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def view(qtbot, db, unit, clock):
    widget = VisitorLogView(db, unit, 2024, clock=clock, tz=BERLIN)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def tally_button(view, block: str, text: str) -> QPushButton:
    """The button a user would look for: in the block with this heading, labelled with this text."""
    box = next(b for b in view.findChildren(QGroupBox) if b.title() == block)
    return next(b for b in box.findChildren(QPushButton) if b.text().startswith(text))


def girl_10_mh(view):
    return tally_button(view, "mit Migrationshintergrund", "weiblich\n10–13 Jahre")


def boy_14(view):
    return tally_button(view, "ohne Migrationshintergrund", "männlich\n14–17 Jahre")


def month_row(view, month: int) -> list[str]:
    return [view.month_table.item(month - 1, col).text() for col in range(3)]


def test_mouse_clicks_are_counted_and_shown(qtbot, view, db, unit):
    for _ in range(3):
        qtbot.mouseClick(girl_10_mh(view), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(boy_14(view), Qt.MouseButton.LeftButton)

    result = counts(db, unit, 2024, tz=BERLIN)
    assert result["categories"][GIRL_10_MH] == 3 and result["categories"][BOY_14] == 1
    assert result["insgesamt"] == 4
    assert view.status_line.text() == "Gezählt: männlich, 14–17 Jahre, ohne MH – heute 4 Besuche"
    assert view.today_total.text() == view.month_total.text() == view.year_total.text() == "4  (davon 3 mit MH)"
    assert month_row(view, 5) == ["Mai", "4", "3"]


def test_the_letter_on_each_button_counts_it(qtbot, view, db, unit):
    assert girl_10_mh(view).text().endswith("[Q]")
    assert boy_14(view).text().endswith("[G]")
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Q)
    qtbot.keyClicks(view, "g")

    result = counts(db, unit, 2024, tz=BERLIN)
    assert result["categories"][GIRL_10_MH] == 3 and result["categories"][BOY_14] == 1
    assert result["insgesamt"] == 4
    assert view.status_line.text() == "Gezählt: männlich, 14–17 Jahre, ohne MH – heute 4 Besuche"


@pytest.mark.parametrize("block, letters", [
    ("ohne Migrationshintergrund", "ABCDEFGHIJKL"),
    ("mit Migrationshintergrund", "MNOPQRSTUVWX"),
])
def test_letters_run_row_by_row_a_to_l_without_and_m_to_x_with_mh(view, block, letters):
    box = next(b for b in view.findChildren(QGroupBox) if b.title() == block)
    grid = box.layout()
    keys = [grid.itemAtPosition(row, col).widget().text()[-2] for row in range(4) for col in range(3)]
    assert "".join(keys) == letters


def test_a_click_survives_a_crash_because_it_is_saved_at_once(qtbot, view, tmp_path, unit):
    from store.database import open_database

    qtbot.mouseClick(girl_10_mh(view), Qt.MouseButton.LeftButton)
    other = open_database(tmp_path / "test.sqlite")  # what a restarted program would see
    assert counts(other, unit, 2024, tz=BERLIN)["insgesamt"] == 1
    other.close()


def test_undo_takes_back_only_the_last_click_and_keeps_it_on_record(qtbot, view, db, unit):
    assert not view.undo_button.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_Q)
    qtbot.keyClick(view, Qt.Key.Key_G)
    assert view.undo_button.isEnabled()

    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)

    assert view.status_line.text() == "Zurückgenommen: männlich, 14–17 Jahre, ohne MH – heute 1 Besuch"
    result = counts(db, unit, 2024, tz=BERLIN)
    assert result["categories"][GIRL_10_MH] == 1 and result["categories"][BOY_14] == 0
    rows = db.execute("SELECT gender, undone_at FROM visits ORDER BY id").fetchall()
    assert rows[0] == ("weiblich", None)
    assert rows[1][0] == "maennlich" and rows[1][1] is not None
    assert month_row(view, 5) == ["Mai", "1", "1"]


def test_ctrl_z_undoes_and_the_button_is_disabled_when_nothing_is_left(qtbot, view, db, unit):
    qtbot.keyClick(view, Qt.Key.Key_Q)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.status_line.text() == "Zurückgenommen: weiblich, 10–13 Jahre, mit MH – heute 0 Besuche"
    assert not view.undo_button.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert db.execute("SELECT COUNT(*) FROM visits WHERE undone_at IS NOT NULL").fetchone()[0] == 1
    assert counts(db, unit, 2024, tz=BERLIN)["insgesamt"] == 0


def test_yesterdays_visits_cannot_be_undone_today(qtbot, view, clock, db, unit):
    qtbot.keyClick(view, Qt.Key.Key_Q)
    clock.at = datetime(2024, 5, 7, 9, 0, tzinfo=BERLIN)
    view.refresh()
    assert not view.undo_button.isEnabled()
    assert view.today_total.text() == "0  (davon 0 mit MH)"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert counts(db, unit, 2024, tz=BERLIN)["insgesamt"] == 1


def test_a_click_late_on_the_last_day_of_a_month_counts_for_that_month(qtbot, view, clock):
    clock.at = datetime(2024, 5, 31, 23, 30, tzinfo=BERLIN)
    qtbot.keyClick(view, Qt.Key.Key_A)
    clock.at = datetime(2024, 6, 1, 0, 30, tzinfo=BERLIN)  # still 31 May in UTC
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert month_row(view, 5) == ["Mai", "1", "0"]
    assert month_row(view, 6) == ["Juni", "1", "0"]
    assert view.today_total.text() == "1  (davon 0 mit MH)"


def test_month_table_is_read_only_and_leaves_months_to_come_empty(view):
    assert month_row(view, 4) == ["April", "0", "0"]
    assert month_row(view, 7) == ["Juli", "", ""]
    item = view.month_table.item(4, 1)
    assert not item.flags() & Qt.ItemFlag.ItemIsEditable


def test_apply_button_asks_the_main_window_to_apply(qtbot, view):
    with qtbot.waitSignal(view.apply_requested) as signal:
        qtbot.mouseClick(view.apply_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["jt-1", 2024]


def test_apply_to_form_fills_the_monthly_grid(qtbot, view, db, unit):
    draft = create_draft(db, unit, form_for("jugendtreff", 2024), 2024)
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Q)
    qtbot.keyClick(view, Qt.Key.Key_G)

    assert view.apply_to_form(draft.id)

    values = load_values(db, draft.id)
    assert values[("besuche_monat", "m05", "insgesamt")].number == 4
    assert values[("besuche_monat", "m05", "mh")].number == 3
    assert values[("besuche_monat", "m01", "insgesamt")].number == 0
    assert ("besuche_monat", "m06", "insgesamt") not in values
    assert view.status_line.text() == "In das Formular übernommen: 4 Besuche, davon 3 mit MH (Januar bis Mai)."


def test_apply_into_a_finalised_form_says_so_and_changes_nothing(qtbot, view, db, unit):
    draft = create_draft(db, unit, form_for("jugendtreff", 2024), 2024)
    set_state(db, draft.id, State.FINALISED)
    qtbot.keyClick(view, Qt.Key.Key_Q)

    assert not view.apply_to_form(draft.id)

    assert "abgeschlossen und kann nicht mehr geändert werden" in view.status_line.text()
    assert load_values(db, draft.id) == {}


def test_a_past_year_shows_its_totals_but_takes_no_clicks(qtbot, db, unit, clock):
    past = VisitorLogView(db, unit, 2023, clock=clock, tz=BERLIN)
    qtbot.addWidget(past)
    assert not girl_10_mh(past).isEnabled()
    assert past.month_total.text() == "–"
    assert month_row(past, 12) == ["Dezember", "0", "0"]
    assert "laufenden Jahres" in past.status_line.text()


def test_a_store_error_is_shown_in_german_and_nothing_crashes(qtbot, db, clock):
    lost = VisitorLogView(db, "jt-unbekannt", 2024, clock=clock, tz=BERLIN)
    qtbot.addWidget(lost)
    assert "nicht bekannt" in lost.status_line.text()
    qtbot.mouseClick(girl_10_mh(lost), Qt.MouseButton.LeftButton)
    assert "nicht bekannt" in lost.status_line.text()
    assert db.execute("SELECT COUNT(*) FROM visits").fetchone()[0] == 0
