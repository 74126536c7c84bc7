"""The holder's window: the institution's forms by year on the left, the open form on the right. It is also the
window the program opens with: it paints before the data is open, and if the data turns out to be the town's
(the officer's), it hands over to the officer's window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from common.about import APP_NAME
from common.errors import UserError
from common.i18n import _
from desktop import dialogs
from desktop.changes import EVERYTHING, Changes, announce
from desktop.entry_host import EntryHost
from desktop.operation import shows_errors
from desktop.plain import plain_label

VISITOR_LOG = "visitor_log"


class HolderWindow(EntryHost):
    def __init__(self, db_path: Path):
        super().__init__(db_path)
        self.institution = None
        self.page: QWidget | None = None  # what the right side shows: an entry view or the visitor log
        self.successor = None  # the officer's window, once it has taken over the data from this one
        self.listed_early = False  # the forms were listed from the read-only peek, before the data was open

        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        self.institution_label = plain_label(_("Daten werden geöffnet …"))
        self.institution_label.setObjectName("institution")
        self.institution_label.setWordWrap(True)
        # A font, not a style sheet: the first style sheet sets up Qt's style sheet machinery (about 1.5 ms before
        # the first paint), and the label looks the same pixel for pixel.
        font = self.institution_label.font()
        font.setPointSize(12)
        font.setBold(True)
        self.institution_label.setFont(font)
        left_layout.addWidget(self.institution_label)
        left_layout.addWidget(plain_label(_("Formulare nach Jahr:")))
        self.form_list = QListWidget()
        self.form_list.setObjectName("forms")
        self.form_list.setAccessibleName(_("Formulare nach Jahr"))
        self.form_list.itemActivated.connect(self._open_item)
        self.form_list.itemClicked.connect(self._open_item)
        left_layout.addWidget(self.form_list, 1)
        splitter.addWidget(left)

        self.stack = QStackedWidget()
        self.placeholder = plain_label(_("Bitte links ein Formular wählen (Pfeiltasten und Enter)."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 980])
        self.setCentralWidget(splitter)

        self.add_action(self.file_menu, _("&Eingangsbestätigung der Stadt öffnen…"), self.open_receipt)
        self.add_action(self.file_menu, _("&Aktualisierung der Stadt öffnen…"), self.open_update)
        self.schild_guide_action = self.add_action(self.help_menu, _("&Anleitung: Schülerzahlen aus SchILD-NRW…"),
                                                   lambda: self.show_guide("schild_export"))
        self.schild_guide_action.setVisible(False)  # for schools only, once the institution is known
        self.add_common_actions()
        self.bus.changed.connect(self._on_changes)

    # --- start-up --------------------------------------------------------------------------------------------
    def list_early(self) -> bool:
        """Lists the holder's forms from a read-only look at the data, before the full opening (sqlite-utils, the
        schema check) keeps them waiting; False where only the full way can tell."""
        from desktop.ops.workspace import peek_workspace

        peeked = peek_workspace(self.db_path)
        if peeked is None:
            return False
        self.institution, rows = peeked
        self._show_forms(rows)
        self.listed_early = True
        return True

    def open_workspace(self):
        """Runs after the window is shown: the store pulls in heavy imports that must not delay the first paint.
        Returns the window that now shows the data (this one, or the officer's), or None."""
        from desktop.ops.workspace import open_workspace

        if self.db is not None:
            return self  # opened already, by a click on the early list
        try:
            self.db, self.institution = open_workspace(self.db_path)
        except UserError as exc:
            self.institution_label.setText(_("Die Datenbank konnte nicht geöffnet werden."))
            dialogs.show_error(self, exc)
            return None
        from store.settings import OFFICER, role

        if self.institution is None and role(self.db) != OFFICER:
            from desktop.setup_flow import run_first_setup

            self.institution_label.setText(_("Willkommen! Bitte zuerst Ihre Einrichtung einrichten."))
            self.institution = run_first_setup(self, self.db)
        if role(self.db) == OFFICER:
            return self._hand_over_to_officer()
        if self.institution is None:
            self.institution_label.setText(_("Noch keine Einrichtung eingerichtet."))
            return None
        if not self.listed_early:
            self.reload_forms()
        return self

    def _hand_over_to_officer(self):
        from desktop.officer_window import OfficerWindow

        db, self.db = self.db, None  # the officer's window closes the data now, not this one
        self.successor = OfficerWindow(self.db_path, db)
        self.successor.setGeometry(self.geometry())
        self.successor.show()
        self.close()
        self.successor.activateWindow()
        self.successor.officer.unlock()
        return self.successor

    def reload_forms(self, select: tuple[str, int] | None = None) -> None:
        from desktop.ops.workspace import form_rows

        self._show_forms(form_rows(self.db, self.institution), select)

    def _show_forms(self, rows, select: tuple[str, int] | None = None) -> None:
        unit = self.institution
        self.schild_guide_action.setVisible(unit.kind == "schule")
        self.institution_label.setText(f"{unit.name}\n{unit.id}" + (f" · {unit.attributes['schulform']}"
                                                                     if "schulform" in unit.attributes else ""))
        self.setWindowTitle(f"{unit.name} – {APP_NAME}")
        self.form_list.clear()
        if unit.kind == "jugendtreff":
            item = QListWidgetItem(_("Besucherliste (Strichliste)"))
            item.setData(Qt.ItemDataRole.UserRole, VISITOR_LOG)
            self.form_list.addItem(item)
        for row in rows:
            item = QListWidgetItem(f"{row.form.period_label(row.year)} · {row.form.title}\n{row.state_label}")
            item.setData(Qt.ItemDataRole.UserRole, (row.form.id, row.form.version, row.year))
            self.form_list.addItem(item)
            if select == (row.form.id, row.year):
                self.form_list.setCurrentItem(item)
        if self.form_list.currentItem() is None and self.form_list.count():
            self.form_list.setCurrentRow(0)
        self.form_list.setFocus()

    def _on_changes(self, changes: Changes) -> None:
        if self.institution is None or not (changes.submissions or changes.values or changes.settings):
            return
        shown = (self.entry.session.form.id, self.entry.session.submission.year) if self.entry else None
        self.reload_forms(select=shown)

    # --- what the town sends -----------------------------------------------------------------------------------
    def _town_file(self, title: str, file_filter: str) -> Path | None:
        return None if self.db is None else dialogs.ask_open_path(self, title, Path.home(), file_filter)

    @shows_errors
    def open_receipt(self) -> None:
        from sync.holder import take_receipt

        path = self._town_file(_("Eingangsbestätigung öffnen"),
                               _("Eingangsbestätigungen (*.imquittung);;Alle Dateien (*)"))
        if path is None:
            return
        receipt = take_receipt(self.db, path)
        flags = "".join(f"\n⚠ {f}" for f in receipt.flags)
        dialogs.inform(self, _("{form} {year}, Fassung {rev}: {message}{flags}").format(
            form=receipt.form_id, year=receipt.year, rev=receipt.revision, message=receipt.message, flags=flags))
        announce(self, Changes(submissions=True))

    @shows_errors
    def open_update(self) -> None:
        from sync.holder import setup_from_file

        path = self._town_file(_("Aktualisierung öffnen"), _("Einrichtungsdateien (*.imsetup);;Alle Dateien (*)"))
        if path is None:
            return
        self.institution = setup_from_file(self.db, path)
        dialogs.inform(self, _("Die Aktualisierung der Stadt wurde übernommen."))
        announce(self, EVERYTHING)

    # --- forms -----------------------------------------------------------------------------------------------
    def _open_item(self, item: QListWidgetItem) -> None:
        if self.db is None and (not self.listed_early or self.open_workspace() is not self):
            return  # a click on the early list before the data was open: open it now, then go on
        data = item.data(Qt.ItemDataRole.UserRole)
        if data == VISITOR_LOG:
            self.open_visitor_log()
            return
        form_id, version, year = data
        self.open_form(form_id, version, year)

    @shows_errors
    def open_form(self, form_id: str, version: int, year: int) -> None:
        from desktop.entry.entry_view import EntryView
        from desktop.ops.entry_session import EntrySession
        from desktop.ops.workspace import open_form
        from forms.catalog import get_form

        submission = open_form(self.db, self.institution, get_form(form_id, version), year)
        self._show_entry(EntryView(EntrySession(self.db, submission.id, who=self.institution.name)))

    def reopen(self, session) -> None:
        from desktop.entry.entry_view import EntryView

        self._show_entry(EntryView(session))

    def _show_page(self, page: QWidget) -> None:
        if self.page is not None:
            self.stack.removeWidget(self.page)
            self.page.deleteLater()
        self.page = page
        self.entry = None
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)

    def _show_entry(self, view) -> None:
        self._show_page(view)
        self.entry = view
        self.connect_entry(view)
        self.focus_first(view)

    # --- visitor log -----------------------------------------------------------------------------------------
    def open_visitor_log(self) -> None:
        from datetime import date

        from desktop.visitor_log import VisitorLogView

        view = VisitorLogView(self.db, self.institution.id, date.today().year)
        view.apply_requested.connect(lambda _unit, _year: self._apply_visits(view))
        self._show_page(view)
        view.setFocus()

    def _apply_visits(self, view) -> None:
        from desktop.ops.workspace import open_form
        from forms.catalog import form_for

        year = view.year
        submission = open_form(self.db, self.institution, form_for("jugendtreff", year), year)
        view.apply_to_form(submission.id)  # says itself in its status line what it wrote, or why not
        announce(self, Changes(values=True, submissions=True))  # the form's draft exists now in any case
