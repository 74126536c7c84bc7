"""The officer's registry tab: every Bezirk, Unterbezirk and institution in one sortable, searchable table, with
buttons to add or change one by hand (desktop.registry_entry_dialog) and to import a list (the NRW school directory,
a Kita list) with a preview (desktop.registry_import_dialog)."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from common.i18n import _, ngettext
from desktop import dialogs
from desktop.changes import Changes, announce
from desktop.operation import shows_errors
from desktop.plain import as_written, plain_label
from desktop.registry_entry_dialog import UnitDialog, _area_label
from desktop.registry_import_dialog import ImportDialog, _address, fit_columns
from intake.registry_import import import_registry
from intake.tables import read_table
from store.areas import assign_area
from store.orgunits import KIND_LABELS, KINDS, OrgUnit, list_org_units, save_org_units
from store.settings import registry_ags, set_registry_ags

AREA_KINDS = ("stadt", "bezirk", "unterbezirk")
# Marked here, translated where shown (the pattern of intake.registry_import.FIELDS).
COLUMNS = ("Art", "Kennung", "Name", "Schulform", "Träger", "Adresse", "Bezirk/Unterbezirk", "gültig ab",
           "gültig bis", "Nachfolger")
KIND, ID, NAME, SCHOOL_TYPE, TRAEGER, ADDRESS, PARENT, VALID_FROM, VALID_TO, SUCCESSOR = range(len(COLUMNS))
# Columns that give up width when the table is wider than the window, and how narrow each may become.
MIN_WIDTHS = {NAME: 220, SCHOOL_TYPE: 120, TRAEGER: 110, ADDRESS: 170, PARENT: 110, SUCCESSOR: 110}
SHORT_KIND_LABELS = {"kita": "Kita"}  # "Kindertageseinrichtung" would take the width the names need
KIND_FILTERS = (("alle", ()), ("Schulen", ("schule",)), ("Kitas", ("kita",)), ("Jugendtreffs", ("jugendtreff",)),
                ("Vereine", ("verein",)), ("Bezirke", AREA_KINDS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def _sort_key(text: str) -> str:
    """German dictionary order (DIN 5007-1) whatever the computer's language: case and umlauts do not count, so
    "Börde" comes before "Bruno" and "von-Vincke" before "Wiese"."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", text.casefold())  # casefold also makes "ß" "ss"
    return "".join(c for c in folded if not unicodedata.combining(c))


REGISTRY = Changes(registry=True)


class RegistryModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.units: list[OrgUnit] = []
        self.by_id: dict[str, OrgUnit] = {}
        self.sort_keys: dict[tuple[int, int], str | int] = {}  # sorting 5,407 schools asks for each about 25 times

    def set_units(self, units: list[OrgUnit]) -> None:
        self.beginResetModel()
        self.units, self.by_id, self.sort_keys = units, {u.id: u for u in units}, {}
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def text(self, unit: OrgUnit, column: int) -> str:
        if column == KIND:
            return _(SHORT_KIND_LABELS.get(unit.kind) or KIND_LABELS.get(unit.kind, unit.kind))
        if column == SCHOOL_TYPE:
            return unit.attributes.get("schulform", "")
        if column == ADDRESS:
            return _address(unit)
        if column == PARENT:
            parent = self.by_id.get(unit.parent_id or "")
            return _area_label(parent, self.by_id) if parent else ""
        if column == SUCCESSOR:
            successor = self.by_id.get(unit.successor_id or "")
            return successor.name if successor else ""
        value = (unit.id, unit.name, unit.traeger, unit.valid_from, unit.valid_to)[
            (ID, NAME, TRAEGER, VALID_FROM, VALID_TO).index(column)]
        return "" if value is None else str(value)

    def sort_key(self, unit: OrgUnit, column: int) -> str | int:
        if column == KIND:  # the registry's order: town, areas, then institutions by kind, each by name
            return f"{KINDS.index(unit.kind) if unit.kind in KINDS else 9} {_sort_key(unit.name)}"
        if column == VALID_FROM:
            return unit.valid_from or 0
        if column == VALID_TO:
            return unit.valid_to or 9999  # open-ended sorts after every end year
        return _sort_key(self.text(unit, column))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        unit, column = self.units[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(unit, column)
        if role == SORT_ROLE:
            key = self.sort_keys.get((index.row(), column))
            if key is None:
                key = self.sort_keys[index.row(), column] = self.sort_key(unit, column)
            return key
        if role == Qt.ItemDataRole.UserRole:
            return unit.id
        if role == Qt.ItemDataRole.ToolTipRole:  # a narrow column cuts the text off
            return as_written(self.text(unit, column)) or None
        if role == Qt.ItemDataRole.ForegroundRole and unit.valid_to is not None and unit.valid_to < date.today().year:
            return QColor("#6f6f6f")  # closed: still listed, for the years it reported
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (VALID_FROM, VALID_TO):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class RegistryFilter(QSortFilterProxyModel):
    """The search text across all columns, case-insensitive, and the kind chosen in the combo box."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kinds: tuple[str, ...] = ()
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortRole(SORT_ROLE)

    def set_kinds(self, kinds: tuple[str, ...]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later; invalidateRowsFilter() is deprecated there
            self.beginFilterChange()
            self.kinds = kinds
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.kinds = kinds
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if self.kinds and self.sourceModel().units[source_row].kind not in self.kinds:
            return False
        return super().filterAcceptsRow(source_row, source_parent)


class RegistryView(QWidget):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("registry_search")
        self.search.setPlaceholderText(_("Suchen…"))
        self.search.setAccessibleName(_("Suchen"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.search.setFocus)
        top.addWidget(self.search)
        kind_label = plain_label(_("Ar&t:"))
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("registry_kind")
        for label, kinds in KIND_FILTERS:
            self.kind_filter.addItem(_(label), kinds)
        kind_label.setBuddy(self.kind_filter)
        top.addWidget(kind_label)
        top.addWidget(self.kind_filter)
        top.addStretch(1)
        self.count = plain_label()
        self.count.setObjectName("registry_count")
        top.addWidget(self.count)
        layout.addLayout(top)

        self.model = RegistryModel(self)
        self.proxy = RegistryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("registry")
        self.table.setAccessibleName(_("Einrichtungen und Bezirke"))
        self.table.setModel(self.proxy)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setResizeContentsPrecision(300)  # widths from the first 300 rows: enough
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(KIND, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda _index: self.edit_unit())
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.new_button = QPushButton(_("&Neu…"))
        self.edit_button = QPushButton(_("B&earbeiten…"))
        self.import_button = QPushButton(_("Liste &importieren…"))
        for button in (self.new_button, self.edit_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.new_button.clicked.connect(self.new_unit)
        self.edit_button.clicked.connect(self.edit_unit)
        self.import_button.clicked.connect(self.import_list)
        self.search.textChanged.connect(self._search)
        self.kind_filter.currentIndexChanged.connect(self._kind)
        self.refresh()

    # --- the table -------------------------------------------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        if changes.registry:
            self.refresh()

    def refresh(self) -> None:
        self.model.set_units(list_org_units(self.db))
        self._fit_columns()
        self._count()

    def _fit_columns(self) -> None:
        fit_columns(self.table, MIN_WIDTHS, NAME)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_columns()  # the table's width is known only now

    def _search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._count()

    def _kind(self) -> None:
        self.proxy.set_kinds(self.kind_filter.currentData() or ())
        self._count()

    def _count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = ngettext("{n} Einrichtung angezeigt", "{n} Einrichtungen angezeigt", shown).format(n=shown)
        self.count.setText(text if shown == total else _("{text} (von {total})").format(text=text, total=total))

    def visible_column(self, column: int) -> list[str]:
        return [self.proxy.index(row, column).data() for row in range(self.proxy.rowCount())]

    def selected_unit(self) -> OrgUnit | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.by_id.get(rows[0].data(Qt.ItemDataRole.UserRole)) if rows else None

    def select(self, unit_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(Qt.ItemDataRole.UserRole) == unit_id:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return

    # --- by hand ---------------------------------------------------------------------------------------------
    def new_unit(self) -> None:
        kinds = self.kind_filter.currentData() or ()
        self._edit(None, kinds[0] if len(kinds) == 1 else None)

    def edit_unit(self) -> None:
        unit = self.selected_unit()
        if unit is None:
            dialogs.inform(self, _("Bitte zuerst in der Tabelle einen Eintrag wählen."))
            return
        self._edit(unit, None)

    @shows_errors
    def _edit(self, unit: OrgUnit | None, kind: str | None) -> None:
        from store.areas import area_of_units, areas_of, levels

        names = [(lv, a) for lv in levels(self.db) for a in areas_of(self.db, lv.code)]
        choices = [(lv.code, a.key, f"{lv.name} › {a.name} ({a.key})") for lv, a in names]
        current = area_of_units(self.db).get(unit.id) if unit is not None else None
        dialog = UnitDialog(self.model.units, unit, kind, self, areas=choices, area=current)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        saved = dialog.unit()
        save_org_units(self.db, [saved])
        if dialog.area.isVisibleTo(dialog) or current is not None:
            assign_area(self.db, saved.id, *dialog.chosen_area())
        announce(self, REGISTRY)
        self.select(saved.id)

    # --- a list ----------------------------------------------------------------------------------------------
    @shows_errors
    def import_list(self) -> None:
        path = dialogs.ask_open_path(self, _("Liste von Einrichtungen öffnen"), Path.home(),
                                     _("Tabellen (*.csv *.xlsx);;Alle Dateien (*)"))
        if path is None:
            return
        table = read_table(path)
        dialog = ImportDialog(self.db, table, path.name, self.model.by_id, registry_ags(self.db),
                              self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        ags = dialog.ags_filter()
        try:
            result = import_registry(self.db, table, dialog.mapping(), ags, dialog.default_kind())
            if ags:
                set_registry_ags(self.db, ags)
        finally:
            announce(self, REGISTRY)  # a refused list may still have been read in part: show what is stored
        lines = result.describe()
        if len(lines) > 12:
            dialogs.show_text(self, _("Ergebnis des Imports"), "\n".join(lines))
        else:
            dialogs.inform(self, "\n".join(lines))
