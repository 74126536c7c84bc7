"""The officer's own figures: the town's official statistics, entered in the same entry view as the institutions'."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

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
        self.import_button = QPushButton(_("Tabelle &importieren…"))
        self.import_button.setToolTip(_("CSV oder Excel mit den Spalten Jahr, Feld, Zeile, Spalte, Wert und Quelle, "
                                        "für das gewählte Formular"))
        self.import_button.clicked.connect(self.import_table)
        layout.addWidget(self.import_button)
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

    def import_table(self) -> None:
        """A preview of every year first (nothing saved), then the import after the officer agrees."""
        from pathlib import Path

        from desktop import dialogs
        from forms.catalog import get_form
        from forms.errors import UserError
        from sync.statistics_import import import_statistics
        from sync.tables import read_table

        item = self.list.currentItem()
        if item is None:
            return
        form = get_form(*item.data(Qt.ItemDataRole.UserRole))
        path = dialogs.ask_open_path(self, _("Tabelle für „{form}“").format(form=form.title), Path.home(),
                                     _("Tabellen (*.csv *.xlsx);;Alle Dateien (*)"))
        if path is None:
            return
        try:
            table = read_table(path)
            preview = import_statistics(self.db, form, table, dry_run=True)
            lines = []
            for r in preview:
                lines.append(_("{year}: {n} Werte").format(year=r.year, n=r.values) + (
                    _(" – wird NICHT übernommen") if r.problems else ""))
                lines += [f"   ✖ {p}" for p in r.problems] + [f"   ⚠ {w}" for w in r.warnings]
            dialogs.show_text(self, _("Vorschau: {form}").format(form=form.title), "\n".join(lines))
            if not any(not r.problems for r in preview) or not dialogs.confirm(
                    self, _("Die Jahre ohne Fehler jetzt übernehmen? Schon vorhandene Zahlen bleiben als frühere "
                            "Fassung im Verlauf.")):
                return
            done = import_statistics(self.db, form, table, who=_("Integrationsbüro"))
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        years = ", ".join(str(r.year) for r in done if r.written)
        dialogs.inform(self, _("Übernommen für: {years}").format(years=years or _("kein Jahr")))
        self.refresh()

    def _open(self, item: QListWidgetItem) -> None:
        form_id, version = item.data(Qt.ItemDataRole.UserRole)
        self.open_requested.emit(form_id, version, self.year.value())
