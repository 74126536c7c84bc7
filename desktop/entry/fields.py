"""One widget per field type, all built the same way from a field definition and an entry session."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from common.i18n import N_, _, ngettext
from common.numbers import format_number
from desktop.entry.grid_table import GridTable, previous_text
from desktop.ops.entry_session import EntrySession
from desktop.plain import as_written, plain_label, rich_label
from forms.model import Field, FieldType, Severity
from forms.values import Address

ERROR_BG = QColor("#f8d7d7")
WARNING_BG = QColor("#fff0c2")
ERROR_COLOR = "#a40000"
WARNING_COLOR = "#7a5200"
DIFFERS_BG = QColor("#ffdcb8")
SUGGESTION_STYLE = "color:#0b4f9c"
DIFFERS_STYLE = "background:#ffdcb8; color:#6b3100; border:1px solid #c25e00; border-radius:3px; padding:1px 4px"
DIFFERS_SPAN = "background-color:#ffdcb8; color:#6b3100"  # rich text knows no border or padding
# The keys that take the suggestion of the focused field; Return alone moves on, so it needs both modifiers.
TAKE_SHORTCUTS = ("Ctrl+Shift+Return", "Ctrl+Shift+Enter")
TAKE_KEYS = N_("Strg+Umschalt+Enter")

# Asks the user for a comment: (title, label, current text) -> new text, or None when cancelled.
AskComment = Callable[[str, str, str], "str | None"]


class MessageLabel(QLabel):
    """A message whose link is reached with one Tab (a plain QLabel needs a second Tab to select the link)."""

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.focusNextPrevChild(event.reason() == Qt.FocusReason.TabFocusReason)


class FieldBox(QWidget):
    """Label, editor, last year's value and the messages of one field."""

    changed = Signal()
    comment_requested = Signal(tuple)
    take_requested = Signal(list)  # addresses whose suggestion from the pupil export is to be saved as value

    def __init__(self, session: EntrySession, field: Field, parent=None):
        super().__init__(parent)
        self.session, self.field = session, field
        self.setObjectName(f"field_{field.code}")
        self.show_required = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(4)
        # Rich text for the red star of a required field; the label comes with the form, so it is escaped.
        self.title = rich_label(escape(field.label) + (" <span style='color:#a40000'>*</span>" if field.required
                                                       else ""), f"title_{field.code}")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.editor_row = QHBoxLayout()
        layout.addLayout(self.editor_row)
        self.messages = rich_label("", f"messages_{field.code}", MessageLabel())  # links to the fields named
        self.messages.setWordWrap(True)
        self.messages.linkActivated.connect(self._link)
        self.messages.hide()
        layout.addWidget(self.messages)

    def link_after(self, editor: QWidget) -> None:
        """The message's link ("Begründung eintragen") is the keyboard stop right after the field's editor."""
        # setTabOrder leaves out a widget that takes no focus at that moment; refresh() decides later.
        self.messages.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        QWidget.setTabOrder(editor, self.messages)
        self.messages.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def help_text(self) -> str:
        parts = [self.field.help] if self.field.help else []
        if self.field.definition:
            parts.append(_("Begriff: {d}").format(d=self.field.definition))
        return "\n\n".join(parts)

    def suggestion_hint(self) -> str:
        """What the help area says about this field's suggestions from the pupil export; empty without any."""
        return ""

    def take_focused(self) -> bool:
        """Takes the suggestion of the cell(s) the user is in; False when there is none to take."""
        return False

    def _link(self, href: str) -> None:
        if href.startswith("comment:"):
            code, row, column = href.removeprefix("comment:").split("|")
            self.comment_requested.emit((code, row, column))

    def message_html(self) -> str:
        lines = []
        for address, error in self.session.input_errors_for(self.field.code):
            # Every valid keystroke was saved, so say plainly which value is kept while this text is no value.
            kept = self.session.value(address)
            note = (_("(nicht gespeichert; gespeichert bleibt {v})").format(v=kept.display()) if not kept.is_empty
                    else _("(nicht gespeichert)"))
            lines.append(f"<span style='color:{ERROR_COLOR}'>✖ {escape(error.message)} {escape(note)}</span>")
        for r in self.session.results_for(self.field.code):
            if r.code == "required" and not self.show_required:
                continue
            if r.severity is Severity.ERROR:
                lines.append(f"<span style='color:{ERROR_COLOR}'>✖ {escape(r.message)}</span>")
                continue
            comment = self.session.value(r.address).comment
            link = "comment:" + "|".join(r.address)
            action = _("Begründung ändern") if comment else _("Begründung eintragen")
            text = f"<span style='color:{WARNING_COLOR}'>⚠ {escape(r.message)}</span> <a href='{link}'>{action}</a>"
            if comment:
                text += "<br><i>" + escape(_("Begründung: {c}").format(c=comment)) + "</i>"
            lines.append(text)
        return "<br>".join(lines)

    def refresh(self) -> None:
        html = self.message_html()
        self.messages.setText(html)
        self.messages.setVisible(bool(html))
        # Only a message with a link is a stop for Tab; plain messages must not slow down keyboard entry.
        links = "<a " in html
        self.messages.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            if links else Qt.TextInteractionFlag.NoTextInteraction)
        self.messages.setFocusPolicy(Qt.FocusPolicy.StrongFocus if links else Qt.FocusPolicy.NoFocus)


class CountBox(FieldBox):
    def __init__(self, session: EntrySession, field: Field, parent=None):
        super().__init__(session, field, parent)
        self.address: Address = (field.code, "", "")
        self.edit = QLineEdit()
        self.edit.setObjectName(f"input_{field.code}")
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.setFixedWidth(130)
        self.edit.setAccessibleName(field.label)
        self.edit.setText(session.value(self.address).display())
        self.edit.textEdited.connect(self._typed)
        self.edit.returnPressed.connect(self.edit.focusNextChild)
        self.edit.editingFinished.connect(self._finished)
        self.previous = plain_label()
        self.previous.setStyleSheet("color:#5a5a5a")
        self.suggestion = plain_label()
        self.suggestion.setObjectName(f"suggestion_{field.code}")
        self.suggestion.hide()
        # Clicked, never tabbed to: the form's Tab order stays the same with or without suggestions.
        self.take_button = QToolButton()
        self.take_button.setObjectName(f"take_{field.code}")
        self.take_button.setText(_("übernehmen"))
        self.take_button.setAccessibleName(_("Vorschlag übernehmen: {label}").format(label=field.label))
        self.take_button.setToolTip(_("Den Vorschlag aus dem SchILD-Export in dieses Feld übernehmen ({keys}).").format(
            keys=_(TAKE_KEYS)))
        self.take_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.take_button.clicked.connect(self._take_clicked)
        self.take_button.hide()
        self.comment_button = QToolButton()
        self.comment_button.setText(_("Kommentar…"))
        self.comment_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.comment_button.clicked.connect(lambda: self.comment_requested.emit(self.address))
        self.editor_row.addWidget(self.edit)
        self.editor_row.addWidget(self.previous)
        self.editor_row.addWidget(self.suggestion)
        self.editor_row.addWidget(self.take_button)
        self.editor_row.addStretch(1)
        self.editor_row.addWidget(self.comment_button)
        self.link_after(self.edit)

    def _take_clicked(self) -> None:
        # The button is disabled once the value is in; the focus goes to the filled field, not on down the form.
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.take_focused()

    def take_focused(self) -> bool:
        if self.session.suggestion(self.address) is None:
            return False
        self.take_requested.emit([self.address])
        # refresh() leaves the text of a focused field alone (it may be half typed); this one was replaced.
        if self.address not in self.session.invalid:
            self.edit.setText(self.session.value(self.address).display())
        return True

    def suggestion_hint(self) -> str:
        suggested = self.session.suggestion(self.address)
        if suggested is None:
            return ""
        return _("Vorschlag aus dem SchILD-Export: {n}. Übernehmen mit {keys} oder „übernehmen“ neben dem "
                 "Feld.").format(n=format_number(suggested), keys=_(TAKE_KEYS))

    def _typed(self, text: str) -> None:
        self.session.type_text(self.address, text)
        self.changed.emit()

    def _finished(self) -> None:
        # Shows the number as stored (1234 becomes 1.234) once the user leaves the field.
        if self.address not in self.session.invalid:
            self.edit.setText(self.session.value(self.address).display())

    def refresh(self) -> None:
        super().refresh()
        previous = self.session.previous.get(self.address)
        self.previous.setText(_("Vorjahr: {v}").format(v=previous.display()) if previous else "")
        value = self.session.value(self.address)
        self.comment_button.setText(_("Kommentar ✓") if value.comment else _("Kommentar…"))
        self.comment_button.setToolTip(as_written(value.comment))
        if not self.edit.hasFocus() and self.address not in self.session.invalid:
            self.edit.setText(value.display())
        severity = self.session.problem_cells().get(self.address) or self._own_severity()
        color = {Severity.ERROR: ERROR_BG, Severity.WARNING: WARNING_BG}.get(severity)
        self.edit.setStyleSheet(f"background:{color.name()}" if color else "")
        self._show_suggestion()

    def _show_suggestion(self) -> None:
        suggested = self.session.suggestion(self.address)
        self.suggestion.setVisible(suggested is not None)
        self.take_button.setVisible(suggested is not None)
        if suggested is None:
            self.edit.setAccessibleDescription("")
            return
        text = _("aus SchILD-Export: {n}").format(n=format_number(suggested))
        value = self.session.value(self.address)
        taken = not value.is_empty and value.number == suggested
        self.take_button.setEnabled(self.session.editable and not taken)
        if taken:
            text = _("{suggestion} ✓ eingetragen").format(suggestion=text)
        if self.session.suggestion_differs(self.address):
            text = _("{suggestion} – weicht ab").format(suggestion=text)
            self.suggestion.setStyleSheet(DIFFERS_STYLE)
            self.suggestion.setToolTip(_("Eingetragen ist {v}. „übernehmen“ ersetzt den Wert durch den "
                                         "Vorschlag.").format(v=self.session.value(self.address).display()))
        else:
            self.suggestion.setStyleSheet(SUGGESTION_STYLE)
            self.suggestion.setToolTip("")
        self.suggestion.setText(text)
        # A screen reader says the suggestion together with the field, not only whoever looks beside it.
        self.edit.setAccessibleDescription(text)

    def _own_severity(self) -> Severity | None:
        severities = {r.severity for r in self.session.results_for(self.field.code)
                      if r.code != "required" or self.show_required}
        return Severity.ERROR if Severity.ERROR in severities else next(iter(severities), None)

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.comment_button.setEnabled(not read_only)
        self.take_button.setEnabled(not read_only)

    def focus_editor(self) -> None:
        self.edit.setFocus()


class GridBox(FieldBox):
    def __init__(self, session: EntrySession, field: Field, parent=None):
        super().__init__(session, field, parent)
        self.table = GridTable([r.label for r in field.rows], [c.label for c in field.columns])
        self.table.setObjectName(f"input_{field.code}")
        self.table.setAccessibleName(field.label)
        self.table.cell_typed.connect(self._typed)
        self.table.block_pasted.connect(self._pasted)
        self.table.cells_cleared.connect(self._cleared)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.paste_messages: list[str] = []
        self.editor_row.addWidget(self.table)
        self.editor_row.addStretch(1)
        self.suggestion_row = QWidget()
        row = QHBoxLayout(self.suggestion_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.suggestion = rich_label("", f"grid_suggestion_{field.code}")  # the orange mark of a difference
        self.suggestion.setWordWrap(True)
        self.take_button = QToolButton()
        self.take_button.setObjectName(f"take_{field.code}")
        self.take_button.setText(_("Vorschläge dieser Tabelle übernehmen"))
        self.take_button.setToolTip(_("Alle Vorschläge aus dem SchILD-Export in diese Tabelle übernehmen. Einzelne "
                                      "Zellen: markieren und {keys} oder Rechtsklick.").format(keys=_(TAKE_KEYS)))
        self.take_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.take_button.clicked.connect(self._take_table)
        row.addWidget(self.suggestion, 1)
        row.addWidget(self.take_button)
        self.suggestion_row.hide()
        self.layout().insertWidget(2, self.suggestion_row)  # under the table, above the messages
        self.link_after(self.table)

    def _suggested_cells(self, cells: list[tuple[int, int]]) -> list[Address]:
        addresses = [self._address(r, c) for r, c in cells]
        return [a for a in addresses if self.session.suggestion(a) is not None]

    def _take_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)  # the button hides once all are in
        cells = [(r, c) for r in range(len(self.field.rows)) for c in range(len(self.field.columns))]
        self.take_requested.emit(self._suggested_cells(cells))

    def take_focused(self) -> bool:
        addresses = self._suggested_cells(self.table.selected_cells())
        if not addresses:
            return False
        self.table.drop_edit()  # the suggestion replaces what was being typed into the cell
        self.take_requested.emit(addresses)
        return True

    def suggestion_hint(self) -> str:
        if not any(a[0] == self.field.code for a in self.session.suggestions):
            return ""
        return _("Die Vorschläge aus dem SchILD-Export stehen blau unten rechts in den Zellen. {keys} übernimmt "
                 "den Vorschlag der markierten Zellen (auch mit Rechtsklick).").format(keys=_(TAKE_KEYS))

    def _address(self, row: int, column: int) -> Address:
        return (self.field.code, self.field.rows[row].code, self.field.columns[column].code)

    def _typed(self, row: int, column: int, text: str) -> None:
        self.paste_messages = []
        self.session.type_text(self._address(row, column), text)
        self.changed.emit()

    def _pasted(self, row: int, column: int, text: str) -> None:
        taken, problems = self.session.paste_block(self.field, row, column, text)
        self.paste_messages = [_("{n} Werte eingefügt.").format(n=taken), *problems] if problems else []
        self.changed.emit()

    def _cleared(self, cells: list) -> None:
        for row, column in cells:
            self.session.type_text(self._address(row, column), "")
        self.changed.emit()

    def _menu(self, position) -> None:
        index = self.table.indexAt(position)
        if not index.isValid() or not self.session.editable:
            return
        address = self._address(index.row(), index.column())
        menu = QMenu(self)
        cells = self.table.selected_cells()
        if (index.row(), index.column()) not in cells:
            cells = [(index.row(), index.column())]
        suggested = self._suggested_cells(cells)
        if suggested:
            menu.addAction(_("Vorschlag aus SchILD-Export übernehmen"), lambda: self.take_requested.emit(suggested))
            menu.addSeparator()
        menu.addAction(_("Kommentar zu dieser Zelle…"), lambda: self.comment_requested.emit(address))
        for state in (_("unbekannt"), _("nicht zutreffend")):
            menu.addAction(_("Als „{s}“ markieren").format(s=state),
                           lambda s=state: (self.session.type_text(address, s), self.changed.emit()))
        estimate = self.session.value(address).estimate
        menu.addAction(_("Schätzung zurücknehmen") if estimate else _("Als geschätzt markieren"),
                       lambda: (self.session.set_estimate(address, not estimate), self.changed.emit()))
        menu.exec(self.table.viewport().mapToGlobal(position))

    def message_html(self) -> str:
        html = super().message_html()
        if self.paste_messages:
            extra = "<br>".join(f"<span style='color:{ERROR_COLOR}'>{escape(m)}</span>" for m in self.paste_messages)
            html = f"{extra}<br>{html}" if html else extra
        return html

    def refresh(self) -> None:
        super().refresh()
        problems = self.session.problem_cells()
        field_severity = {r.severity for r in self.session.results_for(self.field.code) if not (r.row or r.column)
                          and (r.code != "required" or self.show_required)}
        suggested_cells = differing = open_ = 0
        for i, row in enumerate(self.field.rows):
            for j, column in enumerate(self.field.columns):
                address = (self.field.code, row.code, column.code)
                value = self.session.value(address)
                previous = self.session.previous.get(address)
                invalid = self.session.invalid.get(address)
                severity = problems.get(address)
                if severity is None and field_severity and value.is_empty:
                    severity = Severity.ERROR if Severity.ERROR in field_severity else Severity.WARNING
                background = {Severity.ERROR: ERROR_BG, Severity.WARNING: WARNING_BG}.get(severity)
                tip = [self.session.label(address)]
                if previous:
                    tip.append(_("Vorjahr: {v}").format(v=previous.display()))
                suggested = self.session.suggestion(address)
                differs = self.session.suggestion_differs(address)
                if suggested is not None:
                    suggested_cells += 1
                    differing += differs
                    open_ += value.is_empty or differs
                    tip.append(_("aus SchILD-Export: {n} (eingetragen: {v})").format(
                        n=format_number(suggested), v=value.display()) if not value.is_empty else
                        _("aus SchILD-Export: {n}").format(n=format_number(suggested)))
                    if differs and background is None:
                        background = DIFFERS_BG  # an error or a warning still shows first
                    if value.is_empty or differs:
                        tip.append(_("Übernehmen: {keys} oder Rechtsklick").format(keys=_(TAKE_KEYS)))
                if value.comment:
                    tip.append(_("Kommentar: {c}").format(c=value.comment))
                if value.estimate:
                    tip.append(_("geschätzt"))
                text = value.display() if invalid is None else self.table.item(i, j).text()
                self.table.set_cell(i, j, text, previous_text(previous.display() if previous else ""),
                                    "\n".join(tip), background, italic=value.estimate,
                                    suggested=format_number(suggested) if suggested is not None else "",
                                    differs=differs)
        self._show_suggestions(suggested_cells, differing, open_)

    def _show_suggestions(self, cells: int, differing: int, open_: int) -> None:
        self.suggestion_row.setVisible(bool(cells))
        if not cells:
            self.table.setAccessibleDescription("")
            return
        text = ngettext("aus SchILD-Export: {n} Vorschlag, blau unten rechts in der Zelle.",
                        "aus SchILD-Export: {n} Vorschläge, blau unten rechts in den Zellen.", cells).format(n=cells)
        html = f"<span style='{SUGGESTION_STYLE}'>{escape(text)}</span>"
        if differing:
            differs = ngettext("{n} weicht vom eingetragenen Wert ab (orange umrandet).",
                               "{n} weichen von den eingetragenen Werten ab (orange umrandet).",
                               differing).format(n=differing)
            html += f" <span style='{DIFFERS_SPAN}'>&nbsp;{escape(differs)}&nbsp;</span>"
            text += " " + differs
        self.suggestion.setText(html)
        self.table.setAccessibleDescription(text)
        self.take_button.setVisible(open_ > 0)

    def set_read_only(self, read_only: bool) -> None:
        self.table.set_read_only(read_only)
        self.take_button.setEnabled(not read_only)

    def focus_editor(self) -> None:
        self.table.setFocus()


class ChoiceBox(FieldBox):
    def __init__(self, session: EntrySession, field: Field, parent=None):
        super().__init__(session, field, parent)
        self.address: Address = (field.code, "", "")
        self.combo = QComboBox()
        self.combo.setObjectName(f"input_{field.code}")
        self.combo.setAccessibleName(field.label)
        self.combo.addItem(_("– bitte wählen –"), "")
        for choice in field.choices:
            self.combo.addItem(choice.label, choice.code)
        self.combo.setCurrentIndex(max(self.combo.findData(session.value(self.address).text or ""), 0))
        self.combo.activated.connect(self._chosen)
        self.editor_row.addWidget(self.combo)
        self.editor_row.addStretch(1)
        self.link_after(self.combo)

    def _chosen(self, index: int) -> None:
        self.session.type_text(self.address, self.combo.itemData(index))
        self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)

    def focus_editor(self) -> None:
        self.combo.setFocus()


class TextBox(FieldBox):
    def __init__(self, session: EntrySession, field: Field, parent=None):
        super().__init__(session, field, parent)
        self.address: Address = (field.code, "", "")
        self.edit = QPlainTextEdit(session.value(self.address).text or "")
        self.edit.setObjectName(f"input_{field.code}")
        self.edit.setAccessibleName(field.label)
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 3 + 14)
        self.edit.textChanged.connect(self._typed)
        self.editor_row.addWidget(self.edit)
        self.link_after(self.edit)

    def _typed(self) -> None:
        self.session.type_text(self.address, self.edit.toPlainText())
        self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def focus_editor(self) -> None:
        self.edit.setFocus()


BOXES = {FieldType.COUNT: CountBox, FieldType.GRID: GridBox, FieldType.CHOICE: ChoiceBox, FieldType.TEXT: TextBox}


def field_box(session: EntrySession, field: Field) -> FieldBox:
    return BOXES[field.type](session, field)
