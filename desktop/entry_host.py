"""A window that shows an entry view: what the view's buttons ask for (finalise, correction, comment, export, receipt,
pupil export, guide) is done here, because it takes the window's dialogs and status bar. The holder's window
shows the institution's forms, the officer's the town's own figures; each says what differs after finalising
and where a correction opens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, QTime

from common.i18n import _
from desktop import dialogs
from desktop.app_window import AppWindow
from desktop.changes import Changes, announce
from desktop.operation import shows_errors

if TYPE_CHECKING:
    from desktop.ops.entry_session import EntrySession

SUBMISSIONS = Changes(submissions=True)


class EntryHost(AppWindow):
    # Each window shows a session's new revision where its views live (the holder's stack, the officer's
    # statistics tab): HolderWindow.reopen and OfficerWindow.reopen.
    reopen: Callable[[EntrySession], None]

    def __init__(self, db_path: Path, db=None):
        super().__init__(db_path, db)
        self.pupil_export_folder: Path | None = None  # where the last pupil export was chosen, for the next one

    def connect_entry(self, view) -> None:
        view.finalise_requested.connect(self.finalise)
        view.correction_requested.connect(self.create_correction)
        view.export_requested.connect(self.export)
        view.receipt_requested.connect(self.save_receipt)
        view.comment_requested.connect(self.edit_comment)
        view.saved.connect(self._saved)
        view.suggest_requested.connect(self.suggest_from_pupil_export)
        view.guide_requested.connect(self.show_guide)

    @staticmethod
    def focus_first(view) -> None:
        """Called once the view is visible: focus asked for by a hidden widget is dropped."""
        first = next(iter(view.boxes.values()), None)
        if first is not None:
            first.focus_editor()

    def _saved(self) -> None:
        self.statusBar().showMessage(_("Gespeichert um {time}").format(time=QTime.currentTime().toString("HH:mm:ss")))

    def _documents(self) -> Path:
        return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())

    @shows_errors
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
        finally:
            self.entry.refresh()  # also after a refused comment: the field shows what is stored

    @shows_errors
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
        self.finalised(view)

    def finalised(self, view) -> None:
        """The holder's next step is the export; the officer's window approves its own figures here instead."""
        view.refresh()
        announce(self, SUBMISSIONS)
        self.statusBar().showMessage(_("Abgeschlossen. Jetzt können Sie die Meldungsdatei exportieren."))
        view.export_button.setFocus()

    @shows_errors
    def create_correction(self) -> None:
        if not dialogs.confirm(self, _("Eine Korrektur ist eine neue Fassung des Formulars. Die abgeschlossene "
                                       "Fassung bleibt unverändert erhalten. Korrektur jetzt anlegen?")):
            return
        self.entry.session.create_correction()
        self.reopen(self.entry.session)
        announce(self, SUBMISSIONS)

    @shows_errors
    def export(self) -> None:
        session = self.entry.session
        path = dialogs.ask_save_path(self, _("Meldungsdatei speichern"), self._documents() /
                                     session.suggested_file_name(), _("Meldungsdateien (*.imon)"))
        if path is None:
            return
        written = session.export(path)
        self.entry.refresh()
        announce(self, SUBMISSIONS)
        dialogs.inform(self, _("Die Meldungsdatei wurde gespeichert und nachgeprüft:\n{path}\n\n{n} Werte, "
                               "Prüfsumme {hash}…\n\nBitte senden Sie diese Datei an die Stadt (E-Mail, USB-Stick "
                               "oder gemeinsamer Ordner). Für Ihre Unterlagen können Sie einen Beleg als PDF "
                               "speichern.").format(path=path, n=len(written.values), hash=written.content_hash[7:19]))

    @shows_errors
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
        view.load_suggestions(path)
        self.statusBar().showMessage(_("Schülerexport gezählt. Gespeichert wird erst, was Sie übernehmen."))
        # Without a window manager that hands it back, the focus stays nowhere after the file dialog closes.
        self.activateWindow()
        view.suggestions.take_all_button.setFocus()

    def show_guide(self, name: str) -> None:
        from desktop.help import guide  # written beside the program's texts; loaded only when asked for

        dialogs.show_markdown(self, _("Anleitung"), guide(name))

    @shows_errors
    def save_receipt(self) -> None:
        from desktop.ops.receipt import receipt_for

        session = self.entry.session
        suggested = self._documents() / session.suggested_file_name().replace(".imon", "_Beleg.pdf")
        path = dialogs.ask_save_path(self, _("Beleg speichern"), suggested, _("PDF-Dateien (*.pdf)"))
        if path is None:
            return
        receipt_for(session, path)
        self.statusBar().showMessage(_("Beleg gespeichert: {path}").format(path=path))
