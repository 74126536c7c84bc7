"""The holder's main window: the institution's forms by year on the left, the open form on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTime
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from common.about import APP_NAME
from common.errors import UserError
from common.i18n import _
from desktop import dialogs

VISITOR_LOG = "visitor_log"


class MainWindow(QMainWindow):
    def __init__(self, db_path: Path):
        super().__init__()
        self.db_path = db_path
        self.db = None
        self.institution = None
        self.entry = None
        self.pupil_export_folder: Path | None = None  # where the last pupil export was chosen, for the next one
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)

        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        self.institution_label = QLabel(_("Daten werden geöffnet …"))
        self.institution_label.setObjectName("institution")
        self.institution_label.setWordWrap(True)
        self.institution_label.setStyleSheet("font-weight: bold; font-size: 12pt")
        left_layout.addWidget(self.institution_label)
        left_layout.addWidget(QLabel(_("Formulare nach Jahr:")))
        self.form_list = QListWidget()
        self.form_list.setObjectName("forms")
        self.form_list.setAccessibleName(_("Formulare nach Jahr"))
        self.form_list.itemActivated.connect(self._open_item)
        self.form_list.itemClicked.connect(self._open_item)
        left_layout.addWidget(self.form_list, 1)
        splitter.addWidget(left)

        self.stack = QStackedWidget()
        self.placeholder = QLabel(_("Bitte links ein Formular wählen (Pfeiltasten und Enter)."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 980])
        self.setCentralWidget(splitter)
        self._menus()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&Datei"))
        receipt_action = QAction(_("&Eingangsbestätigung der Stadt öffnen…"), self)
        receipt_action.triggered.connect(self.open_receipt)
        file_menu.addAction(receipt_action)
        for text, slot in ((_("&Sicherung anlegen…"), self.make_backup),
                           (_("Sicherung &wiederherstellen…"), self.restore_backup)):
            action = QAction(text, self)
            action.triggered.connect(slot)
            file_menu.addAction(action)
        update_action = QAction(_("&Aktualisierung der Stadt öffnen…"), self)
        update_action.triggered.connect(self.open_update)
        file_menu.addAction(update_action)
        language_action = QAction(_("Sprache / &Language…"), self)
        language_action.triggered.connect(self.choose_language)
        file_menu.addAction(language_action)
        quit_action = QAction(_("&Beenden"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(_("&Hilfe"))
        self.schild_guide_action = QAction(_("&Anleitung: Schülerzahlen aus SchILD-NRW…"), self)
        self.schild_guide_action.triggered.connect(lambda: self.show_guide("schild_export"))
        self.schild_guide_action.setVisible(False)  # for schools only, once the institution is known
        help_menu.addAction(self.schild_guide_action)
        about = QAction(_("Ü&ber den Integrationsmonitor"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def choose_language(self) -> None:
        """Saved for the next start: the forms and their labels are loaded in one language per run."""
        from common.i18n import LANGUAGE, LANGUAGES, choose_language, current_language

        codes = list(LANGUAGES)
        index = dialogs.ask_choice(self, _("Sprache / Language"), _("Sprache des Programms / Program language:"),
                                   [LANGUAGES[c] for c in codes], codes.index(current_language()))
        if index is None:
            return
        try:
            choose_language(codes[index])
        except OSError as exc:
            dialogs.show_error(self, UserError(_("Die Einstellung konnte nicht gespeichert werden: {err}").format(
                err=exc.strerror or exc)))
            return
        if codes[index] != LANGUAGE:
            dialogs.inform(self, "Die Sprache wechselt beim nächsten Start.\n"
                                 "The language changes when you next start the program.")

    def _about(self) -> None:
        from common.about import APP_VERSION

        dialogs.inform(self, _(
            "{app} {version}\n\nJährliche Erhebung für das Integrationsmonitoring der Stadt.\n"
            "Datenbank: {path}").format(app=APP_NAME, version=APP_VERSION, path=self.db_path))

    def make_backup(self, target: Path | None = None) -> bool:
        from store.backup import default_backup_path, make_backup

        if self.db is None:
            return False
        target = target or dialogs.ask_save_path(self, _("Sicherung anlegen"), default_backup_path(self.db_path),
                                                 _("Sicherungen (*.sqlite)"))
        if target is None:
            return False
        try:
            make_backup(self.db, target)
        except UserError as exc:
            dialogs.show_error(self, exc)
            return False
        self.statusBar().showMessage(_("Sicherung gespeichert: {path}").format(path=target))
        return True

    def restore_backup(self) -> None:
        from store.backup import backup_folder, restore_backup

        if self.db is None:
            return
        path = dialogs.ask_open_path(self, _("Sicherung wiederherstellen"), backup_folder(self.db_path),
                                     _("Sicherungen (*.sqlite);;Alle Dateien (*)"))
        if path is None or not dialogs.confirm(self, _(
                "Alle Daten werden durch den Stand der Sicherung {name} ersetzt. Der jetzige Stand wird vorher "
                "selbst gesichert. Fortfahren?").format(name=path.name)):
            return
        try:
            before = restore_backup(self.db, self.db_path, path)
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        dialogs.inform(self, _("Die Sicherung wurde eingespielt. Der Stand davor liegt in {path}.").format(
            path=before))
        if getattr(self, "overview", None) is not None:
            self.overview.refresh()
        elif self.institution is not None:
            self.reload_forms()

    def open_receipt(self) -> None:
        from sync.holder import take_receipt

        path = dialogs.ask_open_path(self, _("Eingangsbestätigung öffnen"), Path.home(),
                                     _("Eingangsbestätigungen (*.imquittung);;Alle Dateien (*)"))
        if path is None or self.db is None:
            return
        try:
            receipt = take_receipt(self.db, path)
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        flags = "".join(f"\n⚠ {f}" for f in receipt.flags)
        dialogs.inform(self, _("{form} {year}, Fassung {rev}: {message}{flags}").format(
            form=receipt.form_id, year=receipt.year, rev=receipt.revision, message=receipt.message, flags=flags))
        self.reload_forms()

    def open_update(self) -> None:
        from sync.holder import setup_from_file

        path = dialogs.ask_open_path(self, _("Aktualisierung öffnen"), Path.home(),
                                     _("Einrichtungsdateien (*.imsetup);;Alle Dateien (*)"))
        if path is None or self.db is None:
            return
        try:
            self.institution = setup_from_file(self.db, path)
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        dialogs.inform(self, _("Die Aktualisierung der Stadt wurde übernommen."))
        self.reload_forms()

    # --- start-up --------------------------------------------------------------------------------------------
    def open_workspace(self) -> bool:
        """Runs after the window is shown: the store pulls in heavy imports that must not delay the first paint."""
        from desktop.ops.workspace import open_workspace

        try:
            self.db, self.institution = open_workspace(self.db_path)
        except UserError as exc:
            self.institution_label.setText(_("Die Datenbank konnte nicht geöffnet werden."))
            dialogs.show_error(self, exc)
            return False
        from store.database import get_setting

        if get_setting(self.db, "role") == "officer":
            self.show_officer_panel()
            return True
        if self.institution is None:
            from desktop.setup_flow import run_first_setup

            self.institution_label.setText(_("Willkommen! Bitte zuerst Ihre Einrichtung einrichten."))

            self.institution = run_first_setup(self, self.db)
            if get_setting(self.db, "role") == "officer":
                self.show_officer_panel()
                return True
            if self.institution is None:
                self.institution_label.setText(_("Noch keine Einrichtung eingerichtet."))
                return False
        self.reload_forms()
        return True

    def show_officer_panel(self) -> None:
        from PySide6.QtWidgets import QTabWidget

        from desktop.officer_panel import OfficerPanel
        from desktop.officer_views import ReviewView, YearOverviewView
        from desktop.registry_view import RegistryView

        self.officer = OfficerPanel(self.db, self.db_path)
        self.overview = YearOverviewView(self.db)
        self.review = ReviewView(self.db, who=_("Integrationsbüro"))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("officer_tabs")
        self.registry = RegistryView(self.db)
        self.tabs.addTab(self.registry, _("&Verzeichnis"))
        self.registry.changed.connect(self.officer.reload_institutions)
        self.registry.changed.connect(self.overview.refresh)
        self.tabs.addTab(self.overview, _("&Jahresübersicht"))
        self.tabs.addTab(self.review, _("&Prüfung"))
        self.tabs.addTab(self.officer, _("&Austausch"))
        from desktop.statistics_view import StatisticsList

        self.statistics = StatisticsList(self.db)
        self.statistics.open_requested.connect(self.open_statistics)
        self.tabs.addTab(self.statistics, _("Amtliche &Statistik"))
        from desktop.report_view import ReportView

        self.report_view = ReportView(self.db)
        self.tabs.addTab(self.report_view, _("&Bericht"))
        self.overview.review_requested.connect(self._review)
        self.review.changed.connect(self.overview.refresh)
        self.setCentralWidget(self.tabs)
        self.setWindowTitle(_("Integrationsbüro – {app}").format(app=APP_NAME))
        self.officer.unlock()

    def open_statistics(self, form_id: str, version: int, year: int, figure_source: str = "") -> None:
        """The town's own form in the entry view: the stack that holds a holder's form holds it here too."""
        from desktop.entry.entry_view import EntryView
        from desktop.ops.entry_session import EntrySession
        from desktop.ops.workspace import open_form
        from forms.catalog import get_form
        from intake.statistics_import import ensure_town

        unit = ensure_town(self.db)
        try:
            submission = open_form(self.db, unit, get_form(form_id, version), year, figure_source)
            view = EntryView(EntrySession(self.db, submission.id, who=_("Integrationsbüro")))
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        for button in (view.export_button, view.receipt_button):
            button.hide()  # the officer's own figures are not sent anywhere
        if getattr(self, "statistics_entry", None) is not None:
            self.tabs.removeTab(self.tabs.indexOf(self.statistics_entry))
            self.statistics_entry.deleteLater()
        self.statistics_entry = view
        self.entry = view
        self._connect_entry(view)
        title = f"{get_form(form_id, version).title} {year}" + (f" ({figure_source})" if figure_source else "")
        self.tabs.addTab(view, title)
        self.statistics.refresh()  # a second source opened for the first time is now in the list
        self.tabs.setCurrentWidget(view)
        self._focus_first(view)

    def _review(self, submission_id: int) -> None:
        self.review.show_submission(submission_id)
        self.tabs.setCurrentWidget(self.review)

    def reload_forms(self, select: tuple[str, int] | None = None) -> None:
        from desktop.ops.workspace import form_rows

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
        for row in form_rows(self.db, unit):
            item = QListWidgetItem(f"{row.form.period_label(row.year)} · {row.form.title}\n{row.state_label}")
            item.setData(Qt.ItemDataRole.UserRole, (row.form.id, row.form.version, row.year))
            self.form_list.addItem(item)
            if select == (row.form.id, row.year):
                self.form_list.setCurrentItem(item)
        if self.form_list.currentItem() is None and self.form_list.count():
            self.form_list.setCurrentRow(0)
        self.form_list.setFocus()

    # --- forms -----------------------------------------------------------------------------------------------
    def _open_item(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data == VISITOR_LOG:
            self.open_visitor_log()
            return
        form_id, version, year = data
        self.open_form(form_id, version, year)

    def open_form(self, form_id: str, version: int, year: int) -> None:
        from desktop.entry.entry_view import EntryView
        from desktop.ops.entry_session import EntrySession
        from desktop.ops.workspace import open_form
        from forms.catalog import get_form

        try:
            submission = open_form(self.db, self.institution, get_form(form_id, version), year)
            session = EntrySession(self.db, submission.id, who=self.institution.name)
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        self._show_entry(EntryView(session))

    def _show_entry(self, view) -> None:
        if self.entry is not None:
            self.stack.removeWidget(self.entry)
            self.entry.deleteLater()
        self.entry = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        if hasattr(view, "session"):
            self._connect_entry(view)
            self._focus_first(view)

    def _connect_entry(self, view) -> None:
        view.finalise_requested.connect(self.finalise)
        view.correction_requested.connect(self.create_correction)
        view.export_requested.connect(self.export)
        view.receipt_requested.connect(self.save_receipt)
        view.comment_requested.connect(self.edit_comment)
        view.saved.connect(self._saved)
        view.suggest_requested.connect(self.suggest_from_pupil_export)
        view.guide_requested.connect(self.show_guide)

    @staticmethod
    def _focus_first(view) -> None:
        """Called once the view is visible: focus asked for by a hidden widget is dropped."""
        first = next(iter(view.boxes.values()), None)
        if first is not None:
            first.focus_editor()

    def _saved(self) -> None:
        self.statusBar().showMessage(_("Gespeichert um {time}").format(time=QTime.currentTime().toString("HH:mm:ss")))

    def _refresh_list_entry(self) -> None:
        session = self.entry.session
        if session.institution.kind == "stadt":
            self.statistics.refresh()
            return
        self.reload_forms(select=(session.form.id, session.submission.year))

    def edit_comment(self, address: tuple) -> None:
        session = self.entry.session
        if not session.editable:
            return
        text = dialogs.ask_comment(self, _("Kommentar"), _("Kommentar oder Begründung zu „{label}“:").format(
            label=session.label(address)), session.value(address).comment)
        if text is None:
            return
        try:
            session.set_comment(address, text)
        except UserError as exc:
            dialogs.show_error(self, exc)
        self.entry.refresh()

    def finalise(self) -> None:
        from store.workflow import FinaliseBlocked

        view = self.entry
        try:
            view.session.finalise()
        except FinaliseBlocked as exc:
            view.show_required()
            lines = [exc.message, ""] + [f"• {b.message}" for b in exc.blockers[:8]]
            if len(exc.blockers) > 8:
                lines.append(_("… und {n} weitere.").format(n=len(exc.blockers) - 8))
            lines.append("")
            lines.append(_("Hinweise (⚠) brauchen eine kurze Begründung: bitte beim Feld „Begründung eintragen“ "
                           "wählen."))
            dialogs.inform(self, "\n".join(lines))
            view.focus_first_problem(exc.blockers[0].address)
            return
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        if view.session.institution.kind == "stadt":
            # The officer's own figures need no second look: finalised by the officer means approved.
            from store.review import set_review_state
            from store.submissions import State, get_submission

            set_review_state(self.db, view.session.submission.id, State.APPROVED,
                             _("eigene Angaben des Integrationsbüros"), _("Integrationsbüro"))
            view.session.submission = get_submission(self.db, view.session.submission.id)
            view.refresh()
            self._refresh_list_entry()
            self.statusBar().showMessage(_("Abgeschlossen und freigegeben."))
            return
        view.refresh()
        self._refresh_list_entry()
        self.statusBar().showMessage(_("Abgeschlossen. Jetzt können Sie die Meldungsdatei exportieren."))
        view.export_button.setFocus()

    def create_correction(self) -> None:
        if not dialogs.confirm(self, _("Eine Korrektur ist eine neue Fassung des Formulars. Die abgeschlossene "
                                       "Fassung bleibt unverändert erhalten. Korrektur jetzt anlegen?")):
            return
        try:
            self.entry.session.create_correction()
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        session = self.entry.session
        if session.institution.kind == "stadt":
            self.open_statistics(session.form.id, session.form.version, session.submission.year,
                                 session.submission.figure_source)
            self.statistics.refresh()
            return
        self._show_entry(type(self.entry)(session))
        self._refresh_list_entry()

    def _documents(self) -> Path:
        return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())

    def export(self) -> None:
        session = self.entry.session
        path = dialogs.ask_save_path(self, _("Meldungsdatei speichern"), self._documents() /
                                     session.suggested_file_name(), _("Meldungsdateien (*.imon)"))
        if path is None:
            return
        try:
            written = session.export(path)
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        self.entry.refresh()
        self._refresh_list_entry()
        dialogs.inform(self, _("Die Meldungsdatei wurde gespeichert und nachgeprüft:\n{path}\n\n{n} Werte, "
                               "Prüfsumme {hash}…\n\nBitte senden Sie diese Datei an die Stadt (E-Mail, USB-Stick "
                               "oder gemeinsamer Ordner). Für Ihre Unterlagen können Sie einen Beleg als PDF "
                               "speichern.").format(path=path, n=len(written.values), hash=written.content_hash[7:19]))

    def suggest_from_pupil_export(self) -> None:
        """Counts a school's pupil export into suggestions beside the fields; nothing is saved until taken."""
        view = self.entry
        if not view.session.editable:
            return
        path = dialogs.ask_open_path(self, _("Schülerexport aus SchILD-NRW wählen"),
                                     self.pupil_export_folder or self._documents(),
                                     _("Schülerexporte (*.txt *.csv *.xlsx);;Alle Dateien (*)"))
        if path is None:
            return
        self.pupil_export_folder = path.parent
        try:
            view.load_suggestions(path)
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        self.statusBar().showMessage(_("Schülerexport gezählt. Gespeichert wird erst, was Sie übernehmen."))
        # Without a window manager that hands it back, the focus stays nowhere after the file dialog closes.
        self.activateWindow()
        view.suggestions.take_all_button.setFocus()

    def show_guide(self, name: str) -> None:
        from desktop.help import guide  # written beside the program's texts; loaded only when asked for

        dialogs.show_markdown(self, _("Anleitung"), guide(name))

    def save_receipt(self) -> None:
        from desktop.ops.receipt import receipt_for

        session = self.entry.session
        suggested = self._documents() / session.suggested_file_name().replace(".imon", "_Beleg.pdf")
        path = dialogs.ask_save_path(self, _("Beleg speichern"), suggested, _("PDF-Dateien (*.pdf)"))
        if path is None:
            return
        try:
            receipt_for(session, path)
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        self.statusBar().showMessage(_("Beleg gespeichert: {path}").format(path=path))

    # --- visitor log -----------------------------------------------------------------------------------------
    def open_visitor_log(self) -> None:
        from datetime import date

        from desktop.visitor_log import VisitorLogView

        view = VisitorLogView(self.db, self.institution.id, date.today().year)
        view.apply_requested.connect(lambda _unit, _year: self._apply_visits(view))
        self._show_entry(view)
        view.setFocus()

    def _apply_visits(self, view) -> None:
        from desktop.ops.workspace import open_form
        from forms.catalog import form_for

        year = view.year
        submission = open_form(self.db, self.institution, form_for("jugendtreff", year), year)
        view.apply_to_form(submission.id)
        self.reload_forms()

    def closeEvent(self, event) -> None:
        # A table cell still being edited is committed when its editor loses the focus: do that first.
        focus = QApplication.focusWidget()
        if focus is not None and focus.window() is self:
            focus.clearFocus()
        # Every valid keystroke is already committed; only text that is no value yet could be lost, so ask.
        session = getattr(self.entry, "session", None)
        if session is not None and session.invalid:
            address, error = next(iter(session.invalid.items()))
            if not dialogs.confirm(self, _("{msg}\n\nDiese Eingabe ist nicht gespeichert. Trotzdem beenden? Alle "
                                           "anderen Angaben sind gespeichert.").format(msg=error.message)):
                event.ignore()
                if focus is not None:
                    focus.setFocus()  # back to the field, to correct it
                return
        if self.db is not None:
            from store.backup import backup_due, default_backup_path

            if backup_due(self.db) and dialogs.confirm(self, _(
                    "Seit über einer Woche wurde keine Sicherung angelegt. Jetzt eine Sicherung anlegen?\n({path})"
            ).format(path=default_backup_path(self.db_path).parent)):
                self.make_backup(default_backup_path(self.db_path))
            self.db.close()
            self.db = None
        super().closeEvent(event)
