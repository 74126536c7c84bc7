"""The officer's registry: every Bezirk, Unterbezirk and institution in one sortable, searchable table, a dialog to
add or change one by hand, and the import of a list (the NRW school directory, a Kita list) with a preview."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import dialogs
from forms.errors import UserError
from forms.i18n import _, ngettext
from store.database import get_setting, set_setting
from store.orgunits import INSTITUTION_KINDS, KIND_LABELS, KINDS, SCHOOL_TYPES, OrgUnit, list_org_units, save_org_units
from sync.registry_import import FIELDS, Mapping, import_registry, preview, propose_mapping
from sync.tables import Table, read_table

AREA_KINDS = ("stadt", "bezirk", "unterbezirk")
# Marked here, translated where shown (the pattern of sync.registry_import.FIELDS).
COLUMNS = ("Art", "Kennung", "Name", "Schulform", "Träger", "Adresse", "Bezirk/Unterbezirk", "gültig ab",
           "gültig bis", "Nachfolger")
KIND, ID, NAME, SCHOOL_TYPE, TRAEGER, ADDRESS, PARENT, VALID_FROM, VALID_TO, SUCCESSOR = range(len(COLUMNS))
# Columns that give up width when the table is wider than the window, and how narrow each may become.
MIN_WIDTHS = {NAME: 220, SCHOOL_TYPE: 120, TRAEGER: 110, ADDRESS: 170, PARENT: 110, SUCCESSOR: 110}
SHORT_KIND_LABELS = {"kita": "Kita"}  # "Kindertageseinrichtung" would take the width the names need
KIND_FILTERS = (("alle", ()), ("Schulen", ("schule",)), ("Kitas", ("kita",)), ("Jugendtreffs", ("jugendtreff",)),
                ("Vereine", ("verein",)), ("Bezirke", AREA_KINDS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_ID_PATTERN = re.compile(r"\w[\w .\-]{0,63}")  # as the import allows: ids end up in file names and messages
_AGS_SETTING = "registry_ags"


def _address(unit: OrgUnit) -> str:
    place = " ".join(p for p in (unit.postcode, unit.city) if p)
    return ", ".join(p for p in (unit.street, place) if p)


def _area_label(unit: OrgUnit, by_id: dict[str, OrgUnit]) -> str:
    parent = by_id.get(unit.parent_id or "")
    return f"{parent.name} › {unit.name}" if unit.kind == "unterbezirk" and parent else unit.name


def _sort_key(text: str) -> str:
    """German dictionary order (DIN 5007-1) whatever the computer's language: case and umlauts do not count, so
    "Börde" comes before "Bruno" and "von-Vincke" before "Wiese"."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", text.casefold())  # casefold also makes "ß" "ss"
    return "".join(c for c in folded if not unicodedata.combining(c))


def _year(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100 else None


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
            return self.text(unit, column) or None
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
    changed = Signal()  # the registry was saved to: other views reload their lists

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
        kind_label = QLabel(_("Ar&t:"))
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("registry_kind")
        for label, kinds in KIND_FILTERS:
            self.kind_filter.addItem(_(label), kinds)
        kind_label.setBuddy(self.kind_filter)
        top.addWidget(kind_label)
        top.addWidget(self.kind_filter)
        top.addStretch(1)
        self.count = QLabel()
        self.count.setObjectName("registry_count")
        top.addWidget(self.count)
        layout.addLayout(top)

        self.model = RegistryModel(self)
        self.proxy = RegistryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("registry")
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
        self.edit_button = QPushButton(_("&Bearbeiten…"))
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

    def _edit(self, unit: OrgUnit | None, kind: str | None) -> None:
        dialog = UnitDialog(self.model.units, unit, kind, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        saved = dialog.unit()
        try:
            save_org_units(self.db, [saved])
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        self.refresh()
        self.select(saved.id)
        self.changed.emit()

    # --- a list ----------------------------------------------------------------------------------------------
    def import_list(self) -> None:
        path = dialogs.ask_open_path(self, _("Liste von Einrichtungen öffnen"), Path.home(),
                                     _("Tabellen (*.csv *.xlsx);;Alle Dateien (*)"))
        if path is None:
            return
        try:
            table = read_table(path)
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        dialog = ImportDialog(self.db, table, path.name, self.model.by_id, get_setting(self.db, _AGS_SETTING, ""),
                              self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        ags = dialog.ags_filter()
        try:
            result = import_registry(self.db, table, dialog.mapping(), ags, dialog.default_kind())
            if ags:
                set_setting(self.db, _AGS_SETTING, ags)
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        finally:
            self.refresh()
        self.changed.emit()
        lines = result.describe()
        if len(lines) > 12:
            dialogs.show_text(self, _("Ergebnis des Imports"), "\n".join(lines))
        else:
            dialogs.inform(self, "\n".join(lines))


class UnitDialog(QDialog):
    """One Bezirk, Unterbezirk or institution; new (`unit` None) or as it is. Problems show below the fields."""

    def __init__(self, units: list[OrgUnit], unit: OrgUnit | None = None, kind: str | None = None, parent=None):
        super().__init__(parent)
        self.units, self.old = units, unit
        self.by_id = {u.id: u for u in units}
        self.setWindowTitle(_("Neuer Eintrag im Verzeichnis") if unit is None else
                            _("„{name}“ bearbeiten").format(name=unit.name))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for k in KINDS:
            self.kind.addItem(_(KIND_LABELS[k]), k)
        self.kind.setCurrentIndex(max(0, self.kind.findData(unit.kind if unit else kind or "schule")))
        self.id_edit, self.id_label = QLineEdit(), QLabel()
        self.id_edit.setObjectName("id")
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.school_type = QComboBox()
        self.school_type.setObjectName("school_type")
        self.school_type.addItems(SCHOOL_TYPES)
        self.traeger, self.street, self.postcode, self.city = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.postcode.setMaxLength(5)
        self.parent_combo, self.parent_label = QComboBox(), QLabel()
        self.parent_combo.setObjectName("parent")
        self.valid_from, self.valid_to = QLineEdit(), QLineEdit()
        for edit, name in ((self.valid_from, "valid_from"), (self.valid_to, "valid_to")):
            edit.setObjectName(name)
            edit.setMaxLength(4)
            edit.setPlaceholderText(_("Jahr, z. B. 2020"))
        self.successor = QComboBox()
        self.successor.setObjectName("successor")
        self.successor.setToolTip(_("Die Einrichtung, in der diese nach einer Zusammenlegung aufgegangen ist."))
        for label, widget in ((_("Art *"), self.kind), (self.id_label, self.id_edit), (_("Name *"), self.name),
                              (_("Schulform *"), self.school_type), (_("Träger"), self.traeger),
                              (_("Straße und Hausnummer"), self.street), (_("Postleitzahl"), self.postcode),
                              (_("Ort"), self.city), (self.parent_label, self.parent_combo),
                              (_("gültig ab"), self.valid_from), (_("gültig bis"), self.valid_to),
                              (_("Nachfolger"), self.successor)):
            self.form.addRow(label, widget)
        layout.addLayout(self.form)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color:#a40000")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Speichern"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if unit is not None:
            self._load(unit)
            self.name.setFocus()
        for edit in (self.id_edit, self.name, self.postcode, self.valid_from, self.valid_to):
            edit.textChanged.connect(self._check)
        self.parent_combo.currentIndexChanged.connect(self._check)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _load(self, unit: OrgUnit) -> None:
        self.kind.setEnabled(False)
        self.kind.setToolTip(_("Die Art eines vorhandenen Eintrags bleibt; an ihr hängen seine Meldungen."))
        self.id_edit.setText(unit.id)
        self.id_edit.setReadOnly(True)
        self.id_edit.setStyleSheet("background: palette(window)")
        self.id_edit.setToolTip(_("Die Kennung bleibt; unter ihr sind die Meldungen gespeichert."))
        self.name.setText(unit.name)
        schulform = unit.attributes.get("schulform", "")
        if schulform and self.school_type.findText(schulform) < 0:
            self.school_type.addItem(schulform)  # as the imported list wrote it
        self.school_type.setCurrentText(schulform or SCHOOL_TYPES[0])
        for edit, text in ((self.traeger, unit.traeger), (self.street, unit.street), (self.postcode, unit.postcode),
                           (self.city, unit.city), (self.valid_from, str(unit.valid_from or "")),
                           (self.valid_to, str(unit.valid_to or ""))):
            edit.setText(text)

    def _choices(self, combo: QComboBox, none: str | None, options: list[tuple[str, str]], chosen: str | None):
        combo.blockSignals(True)
        combo.clear()
        if none is not None:
            combo.addItem(none, None)
        for label, unit_id in sorted(options, key=lambda o: o[0].casefold()):
            combo.addItem(label, unit_id)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
        combo.blockSignals(False)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        school, own_id = kind == "schule", self.old.id if self.old else None
        self.id_label.setText(_("Schulnummer (6 Ziffern) *") if school else _("Kennung *"))
        self.id_edit.setPlaceholderText("" if school else _("z. B. kita-sonnenschein"))
        self.form.setRowVisible(self.school_type, school)
        areas = {"stadt": (), "bezirk": ("stadt",), "unterbezirk": ("bezirk",)}.get(kind, ("bezirk", "unterbezirk"))
        options = [(_area_label(u, self.by_id), u.id) for u in self.units if u.kind in areas]
        chosen = self.parent_combo.currentData() or (self.old.parent_id if self.old else None)
        if chosen is None and kind == "bezirk" and options:
            chosen = options[0][1]  # the town
        self._choices(self.parent_combo, None if kind == "unterbezirk" else _("– keiner –"), options, chosen)
        self.parent_label.setText({"bezirk": _("Gehört zu (Stadt)"), "unterbezirk": _("Bezirk *")}.get(
            kind, _("Bezirk/Unterbezirk")))
        self.form.setRowVisible(self.parent_combo, kind != "stadt")
        family = INSTITUTION_KINDS if kind in INSTITUTION_KINDS else (kind,)
        successors = [(f"{u.name} ({u.id})", u.id) for u in self.units if u.kind in family and u.id != own_id]
        self._choices(self.successor, _("– keiner –"), successors,
                      self.successor.currentData() or (self.old.successor_id if self.old else None))
        self._check()

    def problems(self) -> list[str]:
        kind, unit_id, problems = self.kind.currentData(), self.id_edit.text().strip(), []
        if self.old is None:
            if not unit_id:
                problems.append(_("Bitte die Schulnummer eintragen.") if kind == "schule" else
                                _("Bitte eine Kennung eintragen."))
            elif kind == "schule" and not re.fullmatch(r"\d{6}", unit_id):
                problems.append(_("Die Schulnummer hat 6 Ziffern (sie steht z. B. in der E-Mail-Adresse "
                                  "123456@schule.nrw.de)."))
            elif not _ID_PATTERN.fullmatch(unit_id):
                problems.append(_("Die Kennung darf nur Buchstaben, Ziffern, Leerzeichen, Punkt, Bindestrich und "
                                  "Unterstrich enthalten (höchstens 64 Zeichen)."))
            elif unit_id in self.by_id:
                other = self.by_id[unit_id]
                problems.append(_("Die Kennung „{id}“ gibt es schon: {kind} „{name}“. Bitte eine andere wählen oder "
                                  "den vorhandenen Eintrag mit „Bearbeiten…“ ändern.").format(
                    id=unit_id, kind=_(KIND_LABELS[other.kind]), name=other.name))
        if not self.name.text().strip():
            problems.append(_("Bitte den Namen eintragen."))
        postcode = self.postcode.text().strip()
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            problems.append(_("Die Postleitzahl hat 5 Ziffern."))
        years = {}
        for label, edit in ((_("gültig ab"), self.valid_from), (_("gültig bis"), self.valid_to)):
            text = edit.text().strip()
            years[edit] = _year(text)
            if text and years[edit] is None:
                problems.append(_("„{label}“ ist kein Jahr: „{text}“ (bitte vier Ziffern, z. B. 2020).").format(
                    label=label, text=text))
        start, end = years[self.valid_from], years[self.valid_to]
        if start and end and start > end:
            problems.append(_("gültig ab ({start}) liegt nach gültig bis ({end}).").format(start=start, end=end))
        if kind == "unterbezirk" and self.parent_combo.currentData() is None:
            problems.append(_("Ein Unterbezirk gehört zu einem Bezirk: bitte zuerst den Bezirk anlegen."))
        return problems

    def _check(self) -> None:
        problems = self.problems()
        self.problem.setText("\n".join(problems))
        self.save_button.setEnabled(not problems)

    def unit(self) -> OrgUnit:
        kind = self.kind.currentData()
        attributes = dict(self.old.attributes) if self.old else {}
        if kind == "schule":
            attributes["schulform"] = self.school_type.currentText()
        else:
            attributes.pop("schulform", None)
        fields = dict(kind=kind, name=self.name.text().strip(), parent_id=self.parent_combo.currentData()
                      if kind != "stadt" else None, traeger=self.traeger.text().strip(),
                      street=self.street.text().strip(), postcode=self.postcode.text().strip(),
                      city=self.city.text().strip(), attributes=attributes,
                      valid_from=_year(self.valid_from.text().strip()), valid_to=_year(self.valid_to.text().strip()),
                      successor_id=self.successor.currentData())
        if self.old is not None:
            return replace(self.old, **fields)
        unit_id = self.id_edit.text().strip()
        return OrgUnit(id=unit_id, official_number=unit_id if kind == "schule" else None, **fields)


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
        intro = QLabel(_("{name}: {rows} Zeilen, {cols} Spalten. Bitte prüfen, welche Spalte welches Feld füllt. "
                         "Unten steht, was der Import ändern würde; gespeichert wird erst mit „Übernehmen“. Es wird "
                         "nichts gelöscht.").format(name=file_name, rows=len(table.rows), cols=len(table.header)))
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
            caption = QLabel(_(label))
            caption.setBuddy(combo)
            row, column = divmod(i, 3)
            grid.addWidget(caption, row, 2 * column)
            grid.addWidget(combo, row, 2 * column + 1)
            grid.setColumnStretch(2 * column + 1, 1)
            self.combos[field] = combo
        layout.addWidget(box)
        filters = QHBoxLayout()
        ags_label = QLabel(_("&Gemeindeschlüssel:"))
        self.ags = QLineEdit(ags if "ags" in proposed.columns else "")
        self.ags.setObjectName("ags")
        self.ags.setPlaceholderText(_("z. B. 05974040; leer: alle Zeilen"))
        self.ags.setValidator(QRegularExpressionValidator(r"\d{0,8}", self.ags))
        self.ags.setMinimumWidth(240)
        ags_label.setBuddy(self.ags)
        self.ags.textChanged.connect(self._schedule)
        kind_label = QLabel(_("&Art, wenn die Liste keine nennt:"))
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
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color:#a40000")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.counts = QLabel()
        self.counts.setObjectName("counts")
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
            rows=rows.format(rows=result.rows, area=result.in_area), counts=counts))
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
