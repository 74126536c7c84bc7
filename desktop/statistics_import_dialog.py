"""The import of official statistics (a CSV or Excel table in long form) into one of the town's forms: which column
holds what, which source the figures are, and a preview per year of what the import would take over."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from common.errors import UserError
from common.i18n import _, ngettext
from desktop.plain import plain_label
from forms.model import Form
from intake.statistics_import import COLUMNS, REQUIRED, YearResult, import_statistics, propose_columns
from intake.tables import Table

RAW_ROWS = 10
RED = "#a40000"


def _mnemonic(text: str, used: set[str]) -> str:
    """The first letter not yet taken becomes the Alt key, so that labels translated later still get unique ones."""
    for i, char in enumerate(text):
        if char.isalpha() and char.lower() not in used:
            used.add(char.lower())
            return f"{text[:i]}&{text[i:]}"
    return text


def _table(name: str, headings: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headings))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headings)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab moves on to the next control instead of cell by cell
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class StatisticsImportDialog(QDialog):
    """Which column holds year, field, row, column, value and source, which source the table is, and a dry run per
    year that follows every change. Only what the preview showed can be taken over."""

    def __init__(self, db, form: Form, table: Table, file_name: str, sources: list[str], parent=None):
        super().__init__(parent)
        self.db, self.form, self.table = db, form, table
        self.results: list[YearResult] | None = None
        self.setWindowTitle(_("Statistik importieren: {name}").format(name=file_name))
        self.resize(1120, 780)
        layout = QVBoxLayout(self)
        intro = plain_label(_("{name} für „{form}“: {rows} Zeilen, {cols} Spalten. Bitte prüfen, welche Spalte was "
                              "enthält. Gespeichert wird erst mit „Übernehmen“. Ein Jahr mit einem Fehler wird nicht "
                              "übernommen; schon vorhandene Zahlen bleiben als frühere Fassung im Verlauf.").format(
                 name=file_name, form=form.title, rows=len(table.rows), cols=len(table.header)))
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        used: set[str] = set()
        names = [h or _("Spalte {n}").format(n=i + 1) for i, h in enumerate(table.header)]
        box = QGroupBox(_("Spalten der Tabelle (Jahr, Feld und Wert sind nötig; Zeile und Spalte bei "
                          "Tabellenfeldern)"))
        grid = QGridLayout(box)
        proposed = propose_columns(table)
        self.combos: dict[str, QComboBox] = {}
        for i, (name, (label, _headings)) in enumerate(COLUMNS.items()):
            combo = QComboBox()
            combo.setObjectName(f"map_{name}")
            combo.addItem(_("– nicht verwenden –"), -1)
            for index, heading in enumerate(names):
                combo.addItem(heading, index)
            combo.setCurrentIndex(combo.findData(proposed.get(name, -1)))
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
            combo.currentIndexChanged.connect(self._schedule)
            caption = plain_label(_mnemonic(_(label), used) + (" *" if name in REQUIRED else "") + ":")
            caption.setBuddy(combo)
            row, column = divmod(i, 3)
            grid.addWidget(caption, row, 2 * column)
            grid.addWidget(combo, row, 2 * column + 1)
            grid.setColumnStretch(2 * column + 1, 1)
            self.combos[name] = combo
        layout.addWidget(box)
        origin = QGroupBox(_("Herkunft der Zahlen"))
        form_grid = QGridLayout(origin)
        self.source_choice = QComboBox()
        self.source_choice.setObjectName("figure_source")
        self.source_choice.setEditable(True)
        self.source_choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # a new name is kept only on import
        self.source_choice.addItem(_("Hauptquelle (für die Zeitreihen des Berichts)"), "")
        for name in sources:
            self.source_choice.addItem(name, name)
        self.source_choice.lineEdit().setMaxLength(100)
        self.source_choice.setMinimumContentsLength(36)
        self.source_choice.editTextChanged.connect(self._schedule)
        self.source_choice.currentIndexChanged.connect(self._schedule)
        choice_label = plain_label(_mnemonic(_("Quelle der Zahlen"), used) + ":")
        choice_label.setBuddy(self.source_choice)
        explain = plain_label(_("Die Hauptquelle ersetzt die bisherigen Zahlen. Ein eigener Name, z. B. „IT.NRW“, "
                                "hält die Tabelle als zweite Quelle neben der Hauptquelle, ohne sie zu vermischen."))
        explain.setWordWrap(True)
        self.source_line = QLineEdit()
        self.source_line.setObjectName("source_text")
        self.source_line.setMaxLength(500)  # the form's field „Quelle“ takes no more
        self.source_line.setPlaceholderText(_("z. B. Einwohnermelderegister, Stand 31.12.2024"))
        self.source_line.textChanged.connect(self._schedule)
        line_label = plain_label(_mnemonic(_("Quellenangabe, wenn die Tabelle keine Spalte „Quelle“ hat"), used) + ":")
        line_label.setBuddy(self.source_line)
        form_grid.addWidget(choice_label, 0, 0)
        form_grid.addWidget(self.source_choice, 0, 1)
        form_grid.addWidget(explain, 0, 2)
        form_grid.addWidget(line_label, 1, 0)
        form_grid.addWidget(self.source_line, 1, 1, 1, 2)
        form_grid.setColumnStretch(2, 1)
        layout.addWidget(origin)
        self.raw = _table("raw_rows", names)
        self.raw.setRowCount(min(RAW_ROWS, len(table.rows)))
        for r, row in enumerate(table.rows[:RAW_ROWS]):
            for c, text in enumerate(row):
                self.raw.setItem(r, c, QTableWidgetItem(text))
        self.raw.setVerticalHeaderLabels([str(table.row_number(r)) for r in range(self.raw.rowCount())])
        self.raw.resizeColumnsToContents()
        raw_label = plain_label(_mnemonic(_("Die ersten Zeilen der Tabelle, wie sie gelesen wurden"), used) + ":")
        raw_label.setBuddy(self.raw)
        layout.addWidget(raw_label)
        layout.addWidget(self.raw, 3)
        self.problem = plain_label()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet(f"color:{RED}")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.years = _table("preview_years", [_("Jahr"), _("Werte"), _("Ergebnis")])
        self.years.verticalHeader().hide()
        self.details = QPlainTextEdit()
        self.details.setObjectName("details")
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.details.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a long message can be read with the arrow keys
        preview = QHBoxLayout()
        for widget, text, stretch in ((self.years, _("Probelauf nach Jahren (nichts gespeichert)"), 2),
                                      (self.details, _("Fehler (✖) und Hinweise (⚠) je Jahr"), 3)):
            column = QVBoxLayout()
            label = plain_label(_mnemonic(text, used) + ":")
            label.setBuddy(widget)
            column.addWidget(label)
            column.addWidget(widget)
            preview.addLayout(column, stretch)
        layout.addLayout(preview, 4)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText(_("Übernehmen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(200)  # a dry run validates every year: not on every key typed into a source name
        self.timer.timeout.connect(self.update_preview)
        self.update_preview()

    def columns(self) -> dict[str, int]:
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData() >= 0}

    def figure_source(self) -> str:
        """'' for the main source, else the name of the second source chosen or typed."""
        text = self.source_choice.currentText().strip()
        index = self.source_choice.findText(text)
        if index >= 0:
            return self.source_choice.itemData(index)
        return "" if text.casefold() in ("", _("Hauptquelle").casefold()) else text

    def source_text(self) -> str:
        return self.source_line.text().strip()

    def _schedule(self) -> None:
        self.apply_button.setEnabled(False)  # until the preview shows what would be taken over
        self.timer.start()

    def _fail(self, message: str) -> None:
        self.results = None
        self.problem.setText(message)
        self.years.setRowCount(0)
        self.details.clear()
        self.apply_button.setEnabled(False)

    def update_preview(self) -> None:
        self.timer.stop()
        columns = self.columns()
        for name, index in columns.items():
            other = next((n for n, i in columns.items() if i == index and n != name), None)
            if other is not None:
                self._fail(_("Die Spalte „{col}“ ist für {a} und {b} gewählt. Bitte jeder Angabe eine eigene Spalte "
                             "geben.").format(col=self.combos[name].currentText(), a=_(COLUMNS[name][0]),
                                              b=_(COLUMNS[other][0])))
                return
        try:
            # A dry run validates and counts only; it saves no figures (at most the town's registry entry).
            self.results = import_statistics(self.db, self.form, self.table, source=self.source_text(),
                                             dry_run=True, columns=columns, figure_source=self.figure_source())
        except UserError as exc:
            self._fail(exc.message)
            return
        self.problem.setText("" if self.results else _("Die Tabelle enthält keine Zeilen."))
        self.years.setRowCount(len(self.results))
        lines = []
        for r, result in enumerate(self.results):
            year = str(result.year) if result.year else _("ohne Jahr")
            verdict = QTableWidgetItem(
                _("wird NICHT übernommen") if result.problems else
                ngettext("wird übernommen, ersetzt {n} freigegebenen Wert",
                         "wird übernommen, ersetzt {n} freigegebene Werte", len(result.replaced)).format(
                    n=len(result.replaced)) if result.replaced else _("wird übernommen"))
            if result.problems:
                verdict.setForeground(QBrush(QColor(RED)))
            for c, item in enumerate((QTableWidgetItem(year), QTableWidgetItem(str(result.values)), verdict)):
                self.years.setItem(r, c, item)
            if result.problems or result.warnings or result.replaced:
                lines.append(_("{year}:").format(year=year))
                lines += [f"  ✖ {p}" for p in result.problems] + [f"  ↻ {r}" for r in result.replaced]
                lines += [f"  ⚠ {w}" for w in result.warnings]
        self.years.resizeColumnsToContents()
        self.details.setPlainText("\n".join(lines) or _("Keine Fehler und keine Hinweise."))
        self.apply_button.setEnabled(any(not r.problems for r in self.results))
