"""The officer's own figures: the town's official statistics, entered in the same entry view as the institutions'."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from common.errors import UserError
from common.i18n import _, ngettext
from desktop.changes import Changes, announce
from desktop.officer_views import year_selector
from desktop.operation import shows_errors
from desktop.plain import plain_label
from forms.catalog import forms_for
from intake.statistics_import import ensure_town
from store.submissions import STATE_LABELS, current_submission, figure_sources


class StatisticsList(QWidget):
    open_requested = Signal(str, int, int, str)  # form id, version, year, figure source ('' = the main one)

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        top, self.year = year_selector(_("Jahr:"), "statistics_year", self.refresh)
        layout.addLayout(top)
        hint = plain_label(_("Amtliche Zahlen, die das Integrationsbüro selbst einträgt (Melderegister, IT.NRW, "
                             "Arbeitsagentur, Polizei, Wahlamt …). Jede Angabe nennt ihre Quelle. Enter öffnet ein "
                             "Formular. Eine aus der Landesdatenbank oder der Regionalstatistik heruntergeladene "
                             "Tabelle können Sie hierher ziehen."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.list = QListWidget()
        self.list.setObjectName("statistics_forms")
        self.list.setAccessibleName(_("Formulare der amtlichen Statistik"))
        self.list.itemActivated.connect(self._open)
        self.list.currentItemChanged.connect(self._selected)
        layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        self.import_button = QPushButton(_("Tabelle &importieren…"))
        self.import_button.setToolTip(_("Eine Tabelle der Landesdatenbank NRW oder der Regionalstatistik (GENESIS), "
                                        "wie sie heruntergeladen wurde, oder eine CSV/Excel-Tabelle mit den Spalten "
                                        "Jahr, Feld, Zeile, Spalte, Wert und Quelle für das gewählte Formular. Eine "
                                        "Tabelle lässt sich auch auf diesen Reiter ziehen."))
        self.import_button.clicked.connect(self.import_table)
        self.second_source_button = QPushButton(_("Weitere &Quelle erfassen…"))
        self.second_source_button.setToolTip(_("Dieselben Zahlen aus einer zweiten Quelle (z. B. IT.NRW neben dem "
                                               "Melderegister) getrennt erfassen; sie werden nicht vermischt."))
        self.second_source_button.clicked.connect(self.add_source)
        self.compare_button = QPushButton(_("Quellen verg&leichen"))
        self.compare_button.clicked.connect(self.compare)
        for button in (self.import_button, self.second_source_button, self.compare_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setAcceptDrops(True)
        self.refresh()

    @staticmethod
    def _dropped_file(event) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        return paths[0] if len(paths) == 1 and paths[0].suffix.lower() in (".csv", ".xlsx") else None

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        path = self._dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_file(path)

    def on_changes(self, changes: Changes) -> None:
        if changes.statistics or changes.submissions:
            self.refresh()

    def refresh(self) -> None:
        unit, year = ensure_town(self.db), self.year.value()
        chosen = self.list.currentItem().data(Qt.ItemDataRole.UserRole) if self.list.currentItem() else None
        self.list.clear()
        for form in forms_for("stadt", year):
            for source in figure_sources(self.db, unit.id, form.id, year) or [""]:
                submission = current_submission(self.db, unit.id, form.id, year, source)
                state = _(STATE_LABELS[submission.state]) if submission else _("leer")
                title = form.title if not source else _("{form} – weitere Quelle: {source}").format(
                    form=form.title, source=source)
                item = QListWidgetItem(f"{title}\n{state}")
                item.setData(Qt.ItemDataRole.UserRole, (form.id, form.version, source))
                self.list.addItem(item)
                if item.data(Qt.ItemDataRole.UserRole) == chosen:
                    self.list.setCurrentItem(item)
        if self.list.currentItem() is None:
            self.list.setCurrentRow(0)
        self._selected()

    def _chosen(self) -> tuple[str, int, str] | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _selected(self, *_args) -> None:
        chosen = self._chosen()
        sources = figure_sources(self.db, ensure_town(self.db).id, chosen[0], self.year.value()) if chosen else []
        self.compare_button.setEnabled(len(sources) > 1)
        self.second_source_button.setEnabled(chosen is not None)

    def add_source(self) -> None:
        """A second source is its own submission of the same form and year; the main one stays as it is."""
        from desktop import dialogs

        chosen = self._chosen()
        if chosen is None:
            return
        form_id, version, _source = chosen
        name = dialogs.ask_text(self, _("Weitere Quelle"), _("Name der Quelle, z. B. „IT.NRW“ oder "
                                                            "„Statistikstelle des Kreises“:"))
        if name is None:
            return
        name = " ".join(name.split())
        existing = figure_sources(self.db, ensure_town(self.db).id, form_id, self.year.value())
        if not name or len(name) > 80:
            dialogs.show_error(self, UserError(_("Bitte der Quelle einen Namen mit höchstens 80 Zeichen geben.")))
            return
        if name in existing:
            dialogs.show_error(self, UserError(_("Die Quelle „{name}“ gibt es für dieses Jahr schon. Bitte sie in der "
                                                 "Liste öffnen.").format(name=name)))
            return
        self.open_requested.emit(form_id, version, self.year.value(), name)

    def compare(self) -> None:
        from desktop import dialogs
        from forms.catalog import get_form
        from store.source_comparison import compare_sources

        chosen = self._chosen()
        if chosen is None:
            return
        form = get_form(chosen[0], chosen[1])
        result = compare_sources(self.db, ensure_town(self.db).id, form, self.year.value())
        if len(result.sources) < 2:
            return  # the button is off then; a key press may still arrive
        headers = [_("Angabe"), *(f"{s} ({state})" for s, state in zip(result.sources, result.states, strict=True))]
        if len(result.sources) == 2:
            headers.append(_("Unterschied"))
        # What differs comes first: that is what the officer has to explain in the report.
        figures = sorted(result.figures, key=lambda f: not f.differs)
        rows = [[f.label, *f.values, *([f.difference] if len(result.sources) == 2 else [])] for f in figures]
        summary = ngettext("{n} Angabe weicht ab.", "{n} Angaben weichen ab.", result.differing).format(
            n=result.differing) if result.differing else _("Alle Angaben stimmen überein.")
        dialogs.show_table(self, _("{form} {year}: Quellen nebeneinander").format(form=form.title,
                                                                                 year=self.year.value()),
                           _("Die Quellen werden nicht vermischt; die Zeitreihen des Berichts nutzen die Hauptquelle. ")
                           + summary, headers, rows)

    def import_table(self) -> None:
        from desktop import dialogs

        path = dialogs.ask_open_path(self, _("Tabelle der amtlichen Statistik"), Path.home(),
                                     _("Tabellen (*.csv *.xlsx);;Alle Dateien (*)"))
        if path is not None:
            self.import_file(path)

    @shows_errors
    def import_file(self, path: Path) -> None:
        """A preview of every year first (nothing saved), then the import after the officer agrees. A GENESIS
        download names its table and so its form; any other table goes into the form chosen in the list."""
        from intake.genesis import genesis_or_none

        official = genesis_or_none(path)
        if official is not None:
            self._import_genesis(official, path.name)
        else:
            self._import_long_table(path)

    def _import_genesis(self, table, file_name: str) -> None:
        from desktop import dialogs
        from desktop.genesis_dialogs import GenesisImportDialog

        dialog = GenesisImportDialog(self.db, table, file_name, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        done = dialog.take_over()
        written = [r for r in done if r.written]
        years = ", ".join(f"{r.year}" + (f" ({r.series})" if r.series else "") for r in written)
        dialogs.inform(self, _("Übernommen für: {years}").format(years=years or _("kein Jahr")))
        if written:
            self.year.setValue(max(r.year for r in written))
        announce(self, Changes(statistics=True, submissions=True, values=True))

    def _import_long_table(self, path: Path) -> None:
        from desktop import dialogs
        from desktop.statistics_import_dialog import StatisticsImportDialog
        from forms.catalog import get_form
        from intake.area_figures import is_area_table
        from intake.statistics_import import import_statistics
        from intake.tables import read_table

        table = read_table(path)
        if is_area_table(table):
            self._import_area_figures(table, path.name)
            return
        chosen = self._chosen()
        if chosen is None:
            return
        form = get_form(chosen[0], chosen[1])
        sources = [s for s in figure_sources(self.db, ensure_town(self.db).id, form.id, None) if s]
        dialog = StatisticsImportDialog(self.db, form, table, path.name, sources, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        # "Übernehmen" after a preview that listed every approved figure it replaces (old → new) is the confirmation.
        done = import_statistics(self.db, form, table, source=dialog.source_text(), who=_("Integrationsbüro"),
                                 columns=dialog.columns(), figure_source=dialog.figure_source(), replace=True)
        years = ", ".join(str(r.year) for r in done if r.written)
        dialogs.inform(self, _("Übernommen für: {years}").format(years=years or _("kein Jahr")))
        announce(self, Changes(statistics=True, submissions=True, values=True))

    def _import_area_figures(self, table, file_name: str) -> None:
        from desktop import dialogs
        from desktop.area_figures_dialog import AreaFiguresDialog

        dialog = AreaFiguresDialog(self.db, table, file_name, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        result = dialog.take_over()
        count = sum(len(f) for f in result.figures.values())
        dialogs.inform(self, _("{n} Zahlen nach Gebieten übernommen.").format(n=count) if result.written else
                       _("Nichts übernommen: {problem}").format(problem="; ".join(result.problems[:3])))
        announce(self, Changes(statistics=True))

    def _open(self, item: QListWidgetItem) -> None:
        form_id, version, source = item.data(Qt.ItemDataRole.UserRole)
        self.open_requested.emit(form_id, version, self.year.value(), source)
