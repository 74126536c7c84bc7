"""The tally screen of a youth centre: one large button per kind of visitor, each click saved at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from string import ascii_uppercase

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.errors import UserError
from common.i18n import _, ngettext
from common.numbers import format_number
from desktop.operation import shows_errors
from desktop.plain import plain_label
from store import visits
from store.database import Database
from store.orgunits import get_org_unit
from store.visits import Category

_OK_STYLE = "QLabel { background: #e6f4ea; color: #0d3d1f; border-radius: 4px; padding: 8px; }"
_WITHOUT_MH_TINT, _WITH_MH_TINT = "#e8f0fa", "#fbeedd"
_ERROR_STYLE = "QLabel { background: #fce8e6; color: #7a1a12; border-radius: 4px; padding: 8px; }"


def in_status_line(view: VisitorLogView, error: UserError) -> None:
    """The visitor log says what went wrong where the result of the last click stands: a box would stop the
    counting at the door."""
    view._show(error.message, error=True)


def _visits_today(n: int) -> str:
    return ngettext("heute {n} Besuch", "heute {n} Besuche", n).format(n=format_number(n))


def _with_mh(total: int, mh: int) -> str:
    return _("{total}  (davon {mh} mit MH)").format(total=format_number(total), mh=format_number(mh))


class VisitorLogView(QWidget):
    """Counts visits for one youth centre. Shows the totals of `year`; clicks are only taken while `year` is the
    current year, because a click is always a visit now."""

    # (org unit id, year): the main window knows which submission to fill and calls store.visits.apply_to_form.
    apply_requested = Signal(str, int)

    def __init__(self, db: Database, org_unit_id: str, year: int, *, clock: Callable[[], datetime] | None = None,
                 tz: tzinfo | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.org_unit_id, self.year = db, org_unit_id, year
        self.clock = clock or (lambda: datetime.now(UTC))
        self.tz = tz
        self.tally_buttons: dict[Category, QPushButton] = {}
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.title = plain_label()
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setBold(True)
        self.title.setFont(title_font)
        hint = plain_label(_("Für jeden Besuch einmal auf den passenden Knopf klicken oder die Taste drücken, die "
                             "darauf steht. Jeder Klick wird sofort gespeichert."))
        hint.setWordWrap(True)

        self.status_line = plain_label()
        self.status_line.setWordWrap(True)
        status_font = self.status_line.font()
        status_font.setPointSizeF(status_font.pointSizeF() * 1.25)
        self.status_line.setFont(status_font)
        self.status_line.setMinimumHeight(48)

        self.undo_button = QPushButton(_("Letzten Klick zurücknehmen  (Strg+Z)"))
        self.undo_button.setMinimumHeight(40)
        self.undo_button.clicked.connect(self.undo)

        blocks = QHBoxLayout()
        self.title.setText(_("Besucherliste {year}").format(year=year))
        try:
            self.title.setText(_("Besucherliste {year} – {name}").format(
                year=year, name=get_org_unit(db, org_unit_id).name))
        except UserError as exc:
            self._show(exc.message, error=True)
        try:
            shown = visits.categories(year)
        except UserError as exc:
            shown = []
            self._show(exc.message, error=True)
        for mh, heading, tint in ((False, _("ohne Migrationshintergrund"), _WITHOUT_MH_TINT),
                                  (True, _("mit Migrationshintergrund"), _WITH_MH_TINT)):
            blocks.addWidget(self._block(heading, tint, [c for c in shown if c.mh is mh], shown))

        left = QVBoxLayout()
        left.addLayout(blocks, 1)
        left.addWidget(self.status_line)
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.undo_button)
        undo_row.addStretch(1)
        left.addLayout(undo_row)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self._totals_panel())

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(hint)
        layout.addLayout(body, 1)

        undo_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo_key.setAutoRepeat(False)
        undo_key.activated.connect(self.undo_button.click)  # click() does nothing while the button is disabled

        n = self.refresh()
        if not self.status_line.text():
            self._show(_("Bereit: {today}.").format(today=_visits_today(n)))

    # --- building ----------------------------------------------------------------------------------------------

    def _block(self, heading: str, tint: str, block: list[Category], everything: list[Category]) -> QGroupBox:
        box = QGroupBox(heading)
        heading_font = QFont(self.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.3)
        heading_font.setBold(True)
        box.setFont(heading_font)
        # Two tints, so that a glance tells which half of the screen a hand is on.
        box.setAutoFillBackground(True)
        palette = box.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(tint))
        box.setPalette(palette)
        grid = QGridLayout(box)
        grid.setSpacing(8)
        button_font = QFont(self.font())
        button_font.setPointSizeF(button_font.pointSizeF() * 1.2)
        button_font.setBold(True)
        ages = list(dict.fromkeys(c.age_group for c in block))
        for category in block:
            index = everything.index(category)
            # A–X: 24 buttons, and Z stays free so that a slip beside Strg+Z counts nothing.
            key = ascii_uppercase[index] if index < 24 else ""
            gender = visits.gender_label(category.gender, self.year)
            label = f"{gender}\n{visits.age_label(category.age_group, self.year)}"
            button = QPushButton(f"{label}\n[{key}]" if key else label)
            button.setFont(button_font)
            button.setMinimumSize(100, 72)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            # Focus stays on the view, so a letter key always counts and Space never counts a focused button twice.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            what = visits.describe(category, self.year)
            button.setAccessibleName(what)
            button.setToolTip(_("{what} zählen (Taste {key})").format(what=what, key=key) if key else what)
            button.clicked.connect(lambda _checked=False, c=category: self.count(c))
            if key:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                # A key held down must not count a visit per auto-repeat.
                shortcut.setAutoRepeat(False)
                shortcut.activated.connect(button.click)
            grid.addWidget(button, ages.index(category.age_group), visits.GENDERS.index(category.gender))
            self.tally_buttons[category] = button
        return box

    def _totals_panel(self) -> QWidget:
        panel = QWidget()
        panel.setMinimumWidth(300)
        panel.setMaximumWidth(380)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        totals = QGroupBox(_("Gezählt"))
        form = QFormLayout(totals)
        self.today_total, self.month_total, self.year_total = plain_label(), plain_label(), plain_label()
        form.addRow(plain_label(_("Heute:"), buddy=self.today_total), self.today_total)
        form.addRow(plain_label(_("Dieser Monat:"), buddy=self.month_total), self.month_total)
        form.addRow(plain_label(_("Im Jahr {year}:").format(year=self.year), buddy=self.year_total), self.year_total)
        column.addWidget(totals)

        self.month_table = QTableWidget(12, 3)
        self.month_table.setAccessibleName(_("Besuche nach Monat"))
        self.month_table.setHorizontalHeaderLabels([_("Monat"), _("Besuche"), _("davon mit MH")])
        self.month_table.verticalHeader().setVisible(False)
        self.month_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.month_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # Without focus the table cannot swallow the letter keys of the tally buttons.
        self.month_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.month_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        column.addWidget(self.month_table, 1)

        self.apply_button = QPushButton(_("In das Formular übernehmen"))
        self.apply_button.setMinimumHeight(40)
        self.apply_button.setToolTip(_("Trägt die Besuche je Monat in das Jugendtreff-Formular {year} ein.").format(
            year=self.year))
        self.apply_button.clicked.connect(lambda: self.apply_requested.emit(self.org_unit_id, self.year))
        column.addWidget(self.apply_button)
        return panel

    # --- acting ------------------------------------------------------------------------------------------------

    def _local_now(self) -> datetime:
        return self.clock().astimezone(self.tz)

    def _taking_clicks(self) -> bool:
        return self._local_now().year == self.year

    @shows_errors(show=in_status_line)
    def count(self, category: Category) -> None:
        """Records one visit now, as a click on the category's button does."""
        visits.record_visit(self.db, self.org_unit_id, mh=category.mh, gender=category.gender,
                            age_group=category.age_group, at=self.clock(), tz=self.tz)
        n = self.refresh()
        self._show(_("Gezählt: {what} – {today}").format(what=visits.describe(category, self.year),
                                                         today=_visits_today(n)))

    @shows_errors(show=in_status_line)
    def undo(self) -> None:
        """Takes back today's last click, as the undo button and Strg+Z do."""
        if not self.undo_button.isEnabled():
            return
        undone = visits.undo_last(self.db, self.org_unit_id)
        n = self.refresh()
        if undone is None:
            self._show(_("Es gibt keinen Klick, der zurückgenommen werden kann."), error=True)
            return
        self._show(_("Zurückgenommen: {what} – {today}").format(what=undone.describe(), today=_visits_today(n)))

    @shows_errors(failed=False, show=in_status_line)
    def apply_to_form(self, submission_id: int, who: str = "") -> bool:
        """Writes the monthly sums into the submission; the status line says what happened or why not."""
        written = visits.apply_to_form(self.db, submission_id, self.org_unit_id, self.year, who, when=self.clock(),
                                       tz=self.tz)
        self._show(visits.describe_applied(written, self.year))
        return True

    @shows_errors(failed=0, show=in_status_line)
    def refresh(self) -> int:
        """Reads the totals again and returns today's count."""
        year_counts = visits.counts(self.db, self.org_unit_id, self.year, tz=self.tz)
        today_counts = visits.today(self.db, self.org_unit_id, when=self.clock(), tz=self.tz)
        last = visits.last_visit(self.db, self.org_unit_id)
        months = visits.month_names(self.year)
        local_now = self._local_now()
        this_year = local_now.year == self.year
        self.today_total.setText(_with_mh(today_counts["insgesamt"], today_counts["mh"]))
        this_month = year_counts["months"][local_now.month]
        self.month_total.setText(_with_mh(this_month["insgesamt"], this_month["mh"]) if this_year else "–")
        self.year_total.setText(_with_mh(year_counts["insgesamt"], year_counts["mh"]))
        begun = 12 if self.year < local_now.year else local_now.month if this_year else 0
        for month, name in enumerate(months, start=1):
            sums = year_counts["months"][month]
            # Months still to come stay empty, as they will in the form: 0 would claim the centre was closed.
            shown = month <= begun or sums["insgesamt"]
            cells = [name, format_number(sums["insgesamt"]) if shown else "",
                     format_number(sums["mh"]) if shown else ""]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if this_year and month == local_now.month:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.month_table.setItem(month - 1, col, item)

        for button in self.tally_buttons.values():
            button.setEnabled(this_year)
        if not this_year and self.tally_buttons:
            self._show(_("Besuche werden immer mit dem heutigen Datum gezählt; die Knöpfe gibt es darum nur in der "
                         "Besucherliste des laufenden Jahres. Hier sind die Zahlen von {year} zu sehen.").format(
                year=self.year))
        # Only today's clicks can be taken back here, so a slip cannot eat into weeks already counted.
        undoable = this_year and last is not None and last.local_date(self.tz) == local_now.date()
        self.undo_button.setEnabled(undoable)
        self.undo_button.setToolTip(_("Nimmt zurück: {what}").format(what=last.describe()) if undoable else "")
        return today_counts["insgesamt"]

    def _show(self, message: str, error: bool = False) -> None:
        self.status_line.setText(message)
        self.status_line.setStyleSheet(_ERROR_STYLE if error else _OK_STYLE)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.setFocus()
