"""The integration officer's window: registry, year overview, review, exchange, official statistics and report as
tabs, and the town's own figures opened in an entry view beside them. Made once the data is open and known to be
the officer's (desktop.holder_window hands over to it), so every tab is built here at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTabWidget

from common.about import APP_NAME
from common.i18n import N_, _
from desktop.areas_view import AreasView
from desktop.changes import Changes, announce
from desktop.entry_host import EntryHost
from desktop.officer_panel import OfficerPanel
from desktop.officer_views import ReviewView, YearOverviewView
from desktop.operation import shows_errors
from desktop.registry_view import RegistryView
from desktop.report_view import ReportView
from desktop.statistics_view import StatisticsList

WHO = N_("Integrationsbüro")


class OfficerWindow(EntryHost):
    def __init__(self, db_path: Path, db):
        super().__init__(db_path, db)
        self.officer = OfficerPanel(self.db, self.db_path)
        self.overview = YearOverviewView(self.db)
        self.review = ReviewView(self.db, who=_(WHO))
        self.registry = RegistryView(self.db)
        self.statistics = StatisticsList(self.db)
        self.areas = AreasView(self.db)
        self.report_view = ReportView(self.db)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("officer_tabs")
        for page, title in ((self.registry, _("&Verzeichnis")), (self.overview, _("&Jahresübersicht")),
                            (self.review, _("&Prüfung")), (self.officer, _("&Austausch")),
                            (self.statistics, _("Amtliche &Statistik")), (self.areas, _("&Gebiete")),
                            (self.report_view, _("&Bericht"))):
            self.tabs.addTab(page, title)
        self.setCentralWidget(self.tabs)
        self.setWindowTitle(_("Integrationsbüro – {app}").format(app=APP_NAME))
        self.add_common_actions()
        self.statistics.open_requested.connect(self.open_statistics)
        self.overview.review_requested.connect(self._review)
        # Each view reads its data again when an action changed what it shows; no action needs to know which.
        for view in (self.officer, self.overview, self.review, self.registry, self.statistics, self.areas,
                     self.report_view):
            self.bus.changed.connect(view.on_changes)

    @shows_errors
    def open_statistics(self, form_id: str, version: int, year: int, figure_source: str = "") -> None:
        """The town's own form in the entry view, as a tab of its own beside the list it was opened from."""
        from desktop.entry.entry_view import EntryView
        from desktop.ops.entry_session import EntrySession
        from desktop.ops.workspace import open_form
        from forms.catalog import get_form
        from intake.statistics_import import ensure_town

        form = get_form(form_id, version)
        submission = open_form(self.db, ensure_town(self.db), form, year, figure_source)
        view = EntryView(EntrySession(self.db, submission.id, who=_(WHO)))
        for button in (view.export_button, view.receipt_button):
            button.hide()  # the officer's own figures are not sent anywhere
        if self.entry is not None:
            self.tabs.removeTab(self.tabs.indexOf(self.entry))
            self.entry.deleteLater()
        self.entry = view
        self.connect_entry(view)
        self.tabs.addTab(view, f"{form.title} {year}" + (f" ({figure_source})" if figure_source else ""))
        announce(self, Changes(statistics=True))  # a source opened for the first time has a draft now
        self.tabs.setCurrentWidget(view)
        self.focus_first(view)

    def finalised(self, view) -> None:
        # The officer's own figures need no second look: finalised by the officer means approved.
        from store.review import set_review_state
        from store.submissions import State, get_submission

        session = view.session
        set_review_state(self.db, session.submission.id, State.APPROVED, _("eigene Angaben des Integrationsbüros"),
                         _(WHO))
        session.submission = get_submission(self.db, session.submission.id)
        view.refresh()
        announce(self, Changes(submissions=True, statistics=True))
        self.statusBar().showMessage(_("Abgeschlossen und freigegeben."))

    def reopen(self, session) -> None:
        self.open_statistics(session.form.id, session.form.version, session.submission.year,
                             session.submission.figure_source)

    def _review(self, submission_id: int) -> None:
        self.review.show_submission(submission_id)
        self.tabs.setCurrentWidget(self.review)
