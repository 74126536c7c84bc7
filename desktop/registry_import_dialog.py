"""The import of a list of institutions (the NRW school directory, a Kita list) into the registry: which column
fills which field, and a preview of what the import would do."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QTimer
from PySide6.QtGui import QRegularExpressionValidator
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
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from common.errors import UserError
from common.i18n import _
from desktop.plain import plain_label, rich_label
from desktop.registry_entry_dialog import _area_label
from intake.registry_import import FIELDS, Mapping, preview, propose_mapping
from intake.tables import Table
from store.orgunits import INSTITUTION_KINDS, KIND_LABELS, OrgUnit


def _address(unit: OrgUnit) -> str:
    place = " ".join(p for p in (unit.postcode, unit.city) if p)
    return ", ".join(p for p in (unit.street, place) if p)


def fit_columns(table: QTableView, min_widths: dict[int, int], favoured: int) -> None:
    """Every column as wide as its content; if that is wider than the table, the long text columns (`min_widths`)
    give up width in proportion to what they could spare, the name column half as much, so that all columns stay
    in view without scrolling. None becomes narrower than its heading."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    widths = {c: table.columnWidth(c) for c in range(header.count())}
    excess = sum(widths.values()) - table.viewport().width()
    spare = {c: max(0, widths[c] - max(low, header.sectionSizeHint(c))) for c, low in min_widths.items()}
    cuts = dict.fromkeys(spare, 0)
    while excess > 0 and any(cuts[c] < spare[c] for c in spare):
        room = {c: (spare[c] - cuts[c]) * (0.5 if c == favoured else 1.0) for c in spare if cuts[c] < spare[c]}
        step, total = excess, sum(room.values())
        for column, weight in room.items():
            cut = min(spare[column] - cuts[column], excess, max(1, round(step * weight / total)))
            cuts[column] += cut
            excess -= cut
    for column, cut in cuts.items():
        table.setColumnWidth(column, widths[column] - cut)


class ImportDialog(QDialog):
    """Which column fills which field, an optional Gemeindeschlüssel, and what the import would do: a dry run that
    follows every change. Only what was previewed can be taken over."""

    PREVIEW_COLUMNS = ("Zeile", "Stand", "Art", "Kennung", "Name", "Schulform", "Adresse", "Bezirk/Unterbezirk")
    PREVIEW_MIN_WIDTHS = {4: 220, 5: 120, 6: 170, 7: 110}

    def __init__(self, db, table: Table, file_name: str, by_id: dict[str, OrgUnit], ags: str = "", parent=None):
        super().__init__(parent)
        self.db, self.table, self.by_id, self.preview = db, table, by_id, None
        self.setWindowTitle(_("Liste importieren: {name}").format(name=file_name))
        self.resize(1120, 780)
        layout = QVBoxLayout(self)
        intro = plain_label(_("{name}: {rows} Zeilen, {cols} Spalten. Bitte prüfen, welche Spalte welches Feld "
                              "füllt. Unten steht, was der Import ändern würde; gespeichert wird erst mit "
                              "„Übernehmen“. Es wird nichts gelöscht.").format(
                                  name=file_name, rows=len(table.rows), cols=len(table.header)))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        box = QGroupBox(_("Spalten der Liste"))
        grid = QGridLayout(box)
        proposed = propose_mapping(table)
        self.combos: dict[str, QComboBox] = {}
        for i, (field, (label, _headings)) in enumerate(FIELDS.items()):
            combo = QComboBox()
            combo.setObjectName(f"map_{field}")
            combo.addItem(_("– nicht verwenden –"), -1)
            for index, heading in enumerate(table.header):
                combo.addItem(heading or _("Spalte {n}").format(n=index + 1), index)
            combo.setCurrentIndex(combo.findData(proposed.columns.get(field, -1)))
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
            combo.currentIndexChanged.connect(self._schedule)
            caption = plain_label(_(label))
            caption.setBuddy(combo)
            row, column = divmod(i, 3)
            grid.addWidget(caption, row, 2 * column)
            grid.addWidget(combo, row, 2 * column + 1)
            grid.setColumnStretch(2 * column + 1, 1)
            self.combos[field] = combo
        layout.addWidget(box)
        filters = QHBoxLayout()
        ags_label = plain_label(_("&Gemeindeschlüssel:"))
        self.ags = QLineEdit(ags if "ags" in proposed.columns else "")
        self.ags.setObjectName("ags")
        self.ags.setPlaceholderText(_("z. B. 05974040; leer: alle Zeilen"))
        self.ags.setValidator(QRegularExpressionValidator(r"\d{0,8}", self.ags))
        self.ags.setMinimumWidth(240)
        ags_label.setBuddy(self.ags)
        self.ags.textChanged.connect(self._schedule)
        kind_label = plain_label(_("&Art, wenn die Liste keine nennt:"))
        self.kind = QComboBox()
        self.kind.setObjectName("default_kind")
        self.kind.addItem(_("– keine –"), None)
        for kind in INSTITUTION_KINDS:
            self.kind.addItem(_(KIND_LABELS[kind]), kind)
        kind_label.setBuddy(self.kind)
        self.kind.currentIndexChanged.connect(self._schedule)
        for widget in (ags_label, self.ags, kind_label, self.kind):
            filters.addWidget(widget)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.problem = plain_label()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color:#a40000")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.counts = rich_label("", "import_counts")  # "Probelauf" in bold; the data in it is escaped
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.rows = QTableWidget(0, len(self.PREVIEW_COLUMNS))
        self.rows.setObjectName("preview_rows")
        self.rows.setHorizontalHeaderLabels([_(c) for c in self.PREVIEW_COLUMNS])
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows.setWordWrap(False)
        self.rows.verticalHeader().hide()
        self.rows.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.rows.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.rows, 1)
        self.details = QPlainTextEdit()
        self.details.setObjectName("details")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(96)
        layout.addWidget(self.details)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText(_("Übernehmen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(200)  # a dry run of all 5,407 NRW schools takes about 0.2 s: not on every key
        self.timer.timeout.connect(self.update_preview)
        self.update_preview()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        fit_columns(self.rows, self.PREVIEW_MIN_WIDTHS, 4)  # the table's width is known only now

    def mapping(self) -> Mapping:
        columns = {f: combo.currentData() for f, combo in self.combos.items() if combo.currentData() >= 0}
        taken = set(columns.values())
        return Mapping(columns, tuple(i for i in range(len(self.table.header)) if i not in taken))

    def ags_filter(self) -> str | None:
        return self.ags.text().strip() or None

    def default_kind(self) -> str | None:
        return self.kind.currentData()

    def _schedule(self) -> None:
        self.apply_button.setEnabled(False)  # until the preview shows what would be taken over
        self.timer.start()

    def _fail(self, message: str) -> None:
        self.preview = None
        self.problem.setText(message)
        self.counts.clear()
        self.rows.setRowCount(0)
        self.details.clear()
        self.apply_button.setEnabled(False)

    def update_preview(self) -> None:
        self.timer.stop()
        mapping = self.mapping()
        doubled = sorted({i for i in mapping.columns.values() if list(mapping.columns.values()).count(i) > 1})
        if doubled:
            self._fail(_("Die Spalte „{col}“ ist mehreren Feldern zugeordnet. Bitte jedem Feld eine eigene Spalte "
                         "geben.").format(col=self.table.header[doubled[0]]))
            return
        try:
            self.preview = preview(self.db, self.table, mapping, self.ags_filter(), self.default_kind())
        except UserError as exc:
            self._fail(exc.message)
            return
        result = self.preview.result
        self.problem.clear()
        counts = " · ".join(f"{_(label)}: {n}" for label, n in result.counts.items())
        rows = _("{rows} Zeilen") if result.in_area == result.rows else _("{area} von {rows} Zeilen mit diesem "
                                                                          "Gemeindeschlüssel")
        self.counts.setText(_("<b>Probelauf</b> ({rows}): {counts}").format(
            rows=escape(rows.format(rows=result.rows, area=result.in_area)), counts=escape(counts)))
        self.rows.setRowCount(len(self.preview.rows))
        for r, row in enumerate(self.preview.rows):
            unit = row.unit
            parent = self.by_id.get(unit.parent_id or "")
            cells = (str(row.row), _(row.status), _(KIND_LABELS[unit.kind]), unit.id, unit.name,
                     unit.attributes.get("schulform", ""), _address(unit),
                     _area_label(parent, self.by_id) if parent else "")
            for c, text in enumerate(cells):
                self.rows.setItem(r, c, QTableWidgetItem(text))
        fit_columns(self.rows, self.PREVIEW_MIN_WIDTHS, 4)
        self.details.setPlainText("\n".join(result.describe()[1:]) or _("Keine Ablehnungen, Änderungen oder "
                                                                         "Hinweise."))
        self.apply_button.setEnabled(result.in_area > 0)
