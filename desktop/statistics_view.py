"""The officer's own figures: the town's official statistics, entered in the same entry view as the institutions'."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.officer_views import year_selector
from forms.catalog import forms_for
from forms.i18n import _
from store.submissions import STATE_LABELS, current_submission
from sync.statistics_import import ensure_town


class StatisticsList(QWidget):
    open_requested = Signal(str, int, int)

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        top, self.year = year_selector(_("Jahr:"), "statistics_year", self.refresh)
        layout.addLayout(top)
        hint = QLabel(_("Amtliche Zahlen, die das Integrationsbüro selbst einträgt (Melderegister, IT.NRW, "
                        "Arbeitsagentur, Polizei, Wahlamt …). Jede Angabe nennt ihre Quelle. Enter öffnet ein "
                        "Formular."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.list = QListWidget()
        self.list.setObjectName("statistics_forms")
        self.list.itemActivated.connect(self._open)
        layout.addWidget(self.list, 1)
        self.refresh()

    def refresh(self) -> None:
        unit, year = ensure_town(self.db), self.year.value()
        self.list.clear()
        for form in forms_for("stadt", year):
            submission = current_submission(self.db, unit.id, form.id, year)
            state = _(STATE_LABELS[submission.state]) if submission else _("leer")
            item = QListWidgetItem(f"{form.title}\n{state}")
            item.setData(Qt.ItemDataRole.UserRole, (form.id, form.version))
            self.list.addItem(item)
        self.list.setCurrentRow(0)

    def _open(self, item: QListWidgetItem) -> None:
        form_id, version = item.data(Qt.ItemDataRole.UserRole)
        self.open_requested.emit(form_id, version, self.year.value())
