"""A table of counts that behaves like a paper form typed into by keyboard: type to replace, Enter and Tab move on,
paste a block from Excel, last year's value shown faintly in each cell and a suggested count in the opposite corner."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
)

from common.i18n import _
from desktop.plain import as_written

CELL_WIDTH = 118
SUGGESTION_COLOR = QColor("#0b4f9c")
DIFFERS_BORDER = QColor("#c25e00")


def wrap_label(text: str, width: int = 22) -> str:
    """Header sections do not wrap by themselves; long German labels would widen the table past the window."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


class PreviousValueDelegate(QStyledItemDelegate):
    """Paints last year's value small and grey in the cell's left corner, so it is seen while typing, and a suggested
    count small and blue in the bottom right corner, framed when it differs from what is entered."""

    def __init__(self, table: GridTable):
        super().__init__(table)
        self.table = table

    @staticmethod
    def small_font(option: QStyleOptionViewItem) -> QFont:
        font = QFont(option.font)
        font.setPointSizeF(max(option.font.pointSizeF() * 0.75, 6.5))
        return font

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if not self.table.suggested:
            return size
        # Last year's value above and the suggestion below the typed number: three lines that must not overlap.
        small = QFontMetrics(self.small_font(option)).height()
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 2 * small + 4))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().paint(painter, option, index)
        # Kept in a dict, not an item role: PySide6 6.12 under-counts None when reading an unset role.
        cell = (index.row(), index.column())
        previous = self.table.previous.get(cell)
        suggested = self.table.suggested.get(cell)
        if not previous and not suggested:
            return
        painter.save()
        painter.setFont(self.small_font(option))
        rect = QRect(option.rect).adjusted(4, 1, -4, -1)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if previous:
            painter.setPen(QColor("#6b6b6b"))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), previous)
        if suggested:
            if cell in self.table.differs:
                painter.setPen(QPen(DIFFERS_BORDER, 2))
                painter.drawRect(QRect(option.rect).adjusted(1, 1, -2, -2))
            painter.setPen(option.palette.highlightedText().color() if selected else SUGGESTION_COLOR)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), suggested)
        painter.restore()


class GridTable(QTableWidget):
    cell_typed = Signal(int, int, str)
    block_pasted = Signal(int, int, str)
    cells_cleared = Signal(list)

    def __init__(self, rows: list[str], columns: list[str], parent=None):
        super().__init__(len(rows), len(columns), parent)
        self.setHorizontalHeaderLabels([wrap_label(c, 16) for c in columns])
        self.setVerticalHeaderLabels([wrap_label(r, 44) for r in rows])
        self.setItemDelegate(PreviousValueDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setTabKeyNavigation(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setDefaultSectionSize(CELL_WIDTH)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        metrics = header.fontMetrics()
        for c in range(len(columns)):
            # Wrapping stops at words; a long word such as "Staatsangehörigkeit" must still fit whole.
            lines = self.horizontalHeaderItem(c).text().split("\n")
            self.setColumnWidth(c, max(CELL_WIDTH, max(metrics.horizontalAdvance(line) for line in lines) + 20))
        self._updating = False
        self.previous: dict[tuple[int, int], str] = {}
        self.suggested: dict[tuple[int, int], str] = {}
        self.differs: set[tuple[int, int]] = set()
        for r in range(len(rows)):
            for c in range(len(columns)):
                item = QTableWidgetItem("")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)
        self.itemChanged.connect(self._item_changed)
        self.setCurrentCell(0, 0)
        self.fit_height()

    def fit_height(self) -> None:
        """Shows every cell: the form scrolls as a whole, a table scrolling inside it would hide cells."""
        self.resizeRowsToContents()
        horizontal, vertical = self.horizontalHeader(), self.verticalHeader()
        height = max(horizontal.height(), horizontal.sizeHint().height()) + vertical.length()
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)
        width = max(vertical.width(), vertical.sizeHint().width()) + horizontal.length()
        self.setFixedWidth(width + 2 * self.frameWidth() + 2)

    def focusOutEvent(self, event) -> None:
        # A highlighted cell in a table one is not working in hides last year's value and looks like a choice.
        super().focusOutEvent(event)
        if self.state() != QAbstractItemView.State.EditingState:
            self.clearSelection()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if self.currentItem() is not None:
            self.currentItem().setSelected(True)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit_height()

    def set_cell(self, row: int, column: int, text: str, previous: str, tooltip: str, background: QColor | None,
                 italic: bool = False, suggested: str = "", differs: bool = False):
        self._updating = True
        try:
            item = self.item(row, column)
            if item.text() != text and self.state() != QAbstractItemView.State.EditingState:
                item.setText(text)
            self.previous[(row, column)] = previous
            had_suggestions = bool(self.suggested)
            if suggested:
                self.suggested[(row, column)] = suggested
            else:
                self.suggested.pop((row, column), None)
            if differs and suggested:
                self.differs.add((row, column))
            else:
                self.differs.discard((row, column))
            if had_suggestions != bool(self.suggested):
                self.fit_height()  # rows grow to make room for the suggestion, and shrink back without one
            item.setToolTip(as_written(tooltip))  # comments and messages: data, shown as written
            if item.font().italic() != italic:
                font = item.font()
                font.setItalic(italic)  # an estimate looks different from a counted figure
                item.setFont(font)
            item.setBackground(background if background is not None else self.palette().base())
        finally:
            self._updating = False

    def selected_cells(self) -> list[tuple[int, int]]:
        """The selected cells, or the current one: a cell left by the focus is shown without selection."""
        cells = sorted({(i.row(), i.column()) for i in self.selectedIndexes()})
        if not cells and self.currentRow() >= 0 and self.currentColumn() >= 0:
            cells = [(self.currentRow(), self.currentColumn())]
        return cells

    def drop_edit(self) -> None:
        """Closes an open cell editor without taking its text, for an action that writes the cell itself."""
        if self.state() == QAbstractItemView.State.EditingState:
            editor = self.indexWidget(self.currentIndex())  # the open editor, persistent or not
            if editor is not None:
                self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)

    def set_read_only(self, read_only: bool) -> None:
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if read_only else
                             QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._updating:
            self.cell_typed.emit(item.row(), item.column(), item.text())

    # --- keyboard ---------------------------------------------------------------------------------------------
    def _is_last(self) -> bool:
        return self.currentRow() == self.rowCount() - 1 and self.currentColumn() == self.columnCount() - 1

    def _is_first(self) -> bool:
        return self.currentRow() == 0 and self.currentColumn() == 0

    def _leave(self, forward: bool) -> None:
        self.setTabKeyNavigation(False)
        try:
            (self.focusNextChild if forward else self.focusPreviousChild)()
        finally:
            self.setTabKeyNavigation(True)

    def move_next(self) -> None:
        if self._is_last():
            self._leave(True)
            return
        row, column = self.currentRow(), self.currentColumn() + 1
        if column == self.columnCount():
            row, column = row + 1, 0
        self.setCurrentCell(row, column)

    def closeEditor(self, editor, hint) -> None:
        # Enter after typing moves on like Tab does, which is what people used to paper forms expect.
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.move_next()
        elif hint == QAbstractItemDelegate.EndEditHint.EditNextItem and self._is_last():
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._leave(True)
        elif hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem and self._is_first():
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._leave(False)
        else:
            super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.matches(QKeySequence.StandardKey.Paste):
            text = QApplication.clipboard().text()
            if text and self.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers:
                self.block_pasted.emit(self.currentRow(), self.currentColumn(), text)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # While editing, the editor passes Enter on to us after queueing its own commit, and closeEditor
            # moves on; moving here as well would skip a cell.
            if self.state() != QAbstractItemView.State.EditingState:
                self.move_next()
            return
        if key == Qt.Key.Key_Tab and self._is_last():
            self._leave(True)
            return
        if key == Qt.Key.Key_Backtab and self._is_first():
            self._leave(False)
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != QAbstractItemView.State.EditingState:
            if self.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers:
                self.cells_cleared.emit([(i.row(), i.column()) for i in self.selectedIndexes()])
            return
        super().keyPressEvent(event)


def previous_text(previous: str) -> str:
    return _("Vj. {v}").format(v=previous) if previous else ""

