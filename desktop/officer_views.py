"""The officer's year overview (who has sent, who is missing, reminder letters) and the review of a submission."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.i18n import N_, _, ngettext
from common.numbers import format_number
from desktop import dialogs
from desktop.changes import Changes, announce
from desktop.operation import Operation, shows_errors
from desktop.plain import plain_label
from forms.validation import cell_label
from forms.values import parse_input
from store.orgunits import get_org_unit
from store.overview import APPROVED, MISSING, QUERIED, RECEIVED, REJECTED, reminder_letter, year_overview
from store.review import correct_value, history, set_review_state
from store.submissions import STATE_LABELS, State, get_submission, load_values, previous_values
from store.workflow import check_submission, form_of
from sync.importer import APP, APP_UNSIGNED, EXCEL

STATUSES = (RECEIVED, QUERIED, APPROVED, REJECTED, MISSING)
# How the review names a submission's source; a returned Excel form is not signed and needs a closer look.
SOURCE_LABELS = {EXCEL: N_("Excel, nicht signiert"), APP: N_("Meldungsdatei, signiert"),
                 APP_UNSIGNED: N_("Meldungsdatei, nicht signiert"), "tabelle": N_("Tabelle"),
                 "demo": N_("Beispieldaten")}
# Approving one of these asks once more: nobody vouches for its figures but the officer.
UNSIGNED = {
    EXCEL: N_("Diese Meldung ist nicht unterschrieben (Excel-Formular). Bitte nur freigeben, wenn Sie die Angaben "
              "geprüft haben. Trotzdem freigeben?"),
    APP_UNSIGNED: N_("Diese Meldung ist nicht unterschrieben (Meldungsdatei einer Einrichtung ohne Schlüssel). Bitte "
                     "nur freigeben, wenn Sie die Angaben geprüft haben. Trotzdem freigeben?"),
}
_BADGE = "border-radius: 3px; padding: 2px 6px; font-weight: bold; "
_UNSIGNED_STYLE = _BADGE + "background: #ffdcb8; color: #6b3100; border: 1px solid #c25e00"
_SIGNED_STYLE = _BADGE + "background: #e6f4ea; color: #0d3d1f; border: 1px solid #8bc59b"
_OTHER_STYLE = _BADGE + "background: #eeeeee; color: #333333; border: 1px solid #aaaaaa"


def year_selector(label: str, name: str, on_change) -> tuple[QHBoxLayout, QSpinBox]:
    """A row with the reporting year; last year by default, since this year's figures are still coming in."""
    row = QHBoxLayout()
    caption = plain_label(label)
    row.addWidget(caption)
    year = QSpinBox()
    caption.setBuddy(year)  # screen readers name the field after its label
    year.setObjectName(name)
    year.setRange(2000, 2100)
    year.setValue(date.today().year - 1)
    year.valueChanged.connect(on_change)
    row.addWidget(year)
    row.addStretch(1)
    return row, year


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c and text.replace(".", "").replace(" %", "").replace(",", "").isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class YearOverviewView(QWidget):
    review_requested = Signal(int)

    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db, self.overviews, self.shown = db, [], []
        layout = QVBoxLayout(self)
        top, self.year = year_selector(_("Berichtsjahr:"), "year", self.refresh)
        layout.addLayout(top)
        self.summary = _table([_("Formular"), _("erwartet"), _("eingegangen"), _("Rückfrage"), _("freigegeben"),
                               _("abgelehnt"), _("fehlt"), _("Meldequote")], "overview")
        self.summary.setAccessibleName(_("Meldestand je Formular"))
        self.summary.currentCellChanged.connect(lambda row, *_args: self._show_entries(row))
        layout.addWidget(self.summary)
        self.entries = _table([_("Einrichtung"), _("Kennung"), _("Stand")], "entries")
        self.entries.setAccessibleName(_("Einrichtungen des gewählten Formulars"))
        self.entries.cellDoubleClicked.connect(self._open)
        layout.addWidget(self.entries, 1)
        buttons = QHBoxLayout()
        self.letter_button = QPushButton(_("&Erinnerungsschreiben…"))
        self.letter_button.clicked.connect(self.reminder)
        self.open_button = QPushButton(_("&Meldung prüfen"))
        self.open_button.clicked.connect(lambda: self._open(self.entries.currentRow(), 0))
        self.excel_button = QPushButton(_("E&xcel-Formulare für alle fehlenden erstellen…"))
        self.excel_button.setToolTip(_("Für jede Einrichtung, deren Meldung für das Berichtsjahr fehlt, ein "
                                       "ausfüllbares Excel-Formular mit den Vorjahreswerten erstellen – für "
                                       "Einrichtungen, die das Programm nicht installieren können."))
        self.excel_button.clicked.connect(self.excel_forms)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.letter_button)
        buttons.addWidget(self.excel_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.refresh()

    def on_changes(self, changes: Changes) -> None:
        if changes.submissions or changes.registry:
            self.refresh()

    def refresh(self) -> None:
        self.overviews = year_overview(self.db, self.year.value())
        _fill(self.summary, [[o.title, str(o.expected), *(str(o.count(s)) for s in
                              (RECEIVED, QUERIED, APPROVED, REJECTED, MISSING)),
                              f"{format_number(o.rate(o.submitted))} %"] for o in self.overviews])
        if self.overviews:
            self.summary.setCurrentCell(0, 0)
        self._show_entries(self.summary.currentRow())

    def _show_entries(self, row: int) -> None:
        entries = self.overviews[row].entries if 0 <= row < len(self.overviews) else []
        order = {s: i for i, s in enumerate((MISSING, QUERIED, RECEIVED, REJECTED, APPROVED))}
        self.shown = sorted(entries, key=lambda e: (order[e.status], e.name))
        _fill(self.entries, [[e.name, e.institution_id, e.status] for e in self.shown])

    def _open(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.shown) and self.shown[row].submission_id is not None:
            self.review_requested.emit(self.shown[row].submission_id)

    def reminder(self) -> None:
        row = self.entries.currentRow()
        if not 0 <= row < len(self.shown) or self.shown[row].status != MISSING:
            dialogs.inform(self, _("Bitte eine Einrichtung wählen, deren Meldung fehlt."))
            return
        overview = self.overviews[self.summary.currentRow()]
        dialogs.show_text(self, _("Erinnerungsschreiben"), reminder_letter(self.shown[row], overview.title,
                                                                            str(self.year.value())))


    def excel_forms(self) -> None:
        from sync.excel_form import write_excel_forms

        year = self.year.value()
        missing = sum(o.count(MISSING) for o in self.overviews)
        if not missing:
            dialogs.inform(self, _("Für {year} fehlt keine Meldung; es ist kein Excel-Formular nötig.").format(
                year=year))
            return
        folder = dialogs.ask_folder(self, _("Ordner für die Excel-Formulare wählen"), Path.home())
        if folder is None:
            return
        Operation(self, _("Excel-Formulare werden erstellt …"), lambda progress, cancelled: write_excel_forms(
            self.db, year, folder, progress=progress, cancelled=cancelled), total=missing).success(
                lambda written: self._excel_forms_written(written, year, folder, missing)).run()

    def _excel_forms_written(self, written, year: int, folder: Path, missing: int) -> None:
        n = len(written.files)
        message = ngettext("{n} Excel-Formular für {year} gespeichert in:\n{folder}",
                           "{n} Excel-Formulare für {year} gespeichert in:\n{folder}", n).format(
                               n=n, year=year, folder=folder)
        if written.cancelled:
            message += "\n\n" + _("Abgebrochen: für {rest} Einrichtungen wurde kein Formular erstellt.").format(
                rest=missing - n)
        if written.skipped_keyed:
            message += "\n\n" + _("Ohne Excel-Formular, weil sie mit dem Programm unterschrieben melden (bitte an die "
                                   "Meldung erinnern): {names}").format(names=", ".join(written.skipped_keyed))
        message += "\n\n" + _("Bitte jeder Einrichtung ihre Datei per E-Mail schicken. Die ausgefüllten Dateien "
                               "werden wie Meldungsdateien eingelesen (Reiter „Austausch“) und sind als „Excel, nicht "
                               "signiert“ gekennzeichnet.")
        dialogs.inform(self, message)


class ReviewView(QWidget):
    """One submission beside last year's values, with the rule warnings and the holder's comments."""

    def __init__(self, db, who: str, parent=None):
        super().__init__(parent)
        self.db, self.who, self.submission_id, self.rows = db, who, None, []
        layout = QVBoxLayout(self)
        # The source first, in a badge of its own: however long the name, "nicht signiert" stays in view.
        top = QHBoxLayout()
        self.source_badge = plain_label("", "review_source")
        self.source_badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.source_badge.hide()
        top.addWidget(self.source_badge, 0, Qt.AlignmentFlag.AlignTop)
        self.name_label = plain_label("", "review_name")
        self.name_label.setStyleSheet("font-weight: bold")
        self.name_label.setWordWrap(True)
        self.name_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.name_label, 1)
        layout.addLayout(top)
        self.heading = plain_label(_("Bitte in der Jahresübersicht eine Meldung wählen."), "review_heading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.values = _table([_("Feld"), _("Wert"), _("Vorjahr"), _("Kommentar der Einrichtung"), _("Hinweise")],
                             "review_values")
        self.values.setAccessibleName(_("Werte der Meldung neben dem Vorjahr"))
        header = self.values.horizontalHeader()
        for column, width in ((0, 470), (1, 90), (2, 90), (3, 220)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.values.setColumnWidth(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.values.setWordWrap(True)
        layout.addWidget(self.values, 1)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton(_("&Freigeben"))
        self.query_button = QPushButton(_("&Rückfrage…"))
        self.reject_button = QPushButton(_("Ab&lehnen…"))
        self.correct_button = QPushButton(_("Wert &korrigieren…"))
        self.history_button = QPushButton(_("V&erlauf"))
        for button in (self.approve_button, self.query_button, self.reject_button, self.correct_button,
                       self.history_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.approve_button.clicked.connect(lambda: self.decide(State.APPROVED))
        self.query_button.clicked.connect(lambda: self.decide(State.QUERIED))
        self.reject_button.clicked.connect(lambda: self.decide(State.REJECTED))
        self.correct_button.clicked.connect(self.correct)
        self.history_button.clicked.connect(self.show_history)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        for button in (self.approve_button, self.query_button, self.reject_button, self.correct_button,
                       self.history_button):
            button.setEnabled(on)

    def show_submission(self, submission_id: int) -> None:
        self.submission_id = submission_id
        submission = get_submission(self.db, submission_id)
        form = form_of(submission)
        values = load_values(self.db, submission_id)
        previous = previous_values(self.db, submission.org_unit_id, submission.form_id, submission.year,
                                   submission.figure_source)
        notes: dict[tuple, list[str]] = {}
        for result in check_submission(self.db, submission_id):
            notes.setdefault(result.address, []).append(("⚠ " if result.severity == "warning" else "✖ ")
                                                         + result.message)
        order = {cell: i for i, cell in enumerate((f.code, r, c) for f in form.fields() for r, c in f.cells())}
        self.rows = sorted((a for a in set(values) | set(previous) | set(notes) if a in order), key=order.get)
        _fill(self.values, [[cell_label(form, *a), values[a].display() if a in values else "",
                             previous[a].display() if a in previous else "",
                             values[a].comment if a in values else "", "\n".join(notes.get(a, []))]
                            for a in self.rows])
        self.values.resizeRowsToContents()
        self.name_label.setText(get_org_unit(self.db, submission.org_unit_id).name)
        self.heading.setText(_("{form} {period}, Fassung {rev} – Stand: {state}").format(
            form=form.title, period=form.period_label(submission.year), rev=submission.revision,
            state=_(STATE_LABELS[submission.state])))
        self.source_badge.setText(_(SOURCE_LABELS[submission.source]) if submission.source in SOURCE_LABELS
                                  else submission.source)
        self.source_badge.setStyleSheet(_UNSIGNED_STYLE if submission.source in UNSIGNED else
                                        _SIGNED_STYLE if submission.source == APP else _OTHER_STYLE)
        self.source_badge.setAccessibleName(_("Herkunft der Meldung"))
        self.source_badge.show()
        self._enable(True)

    @shows_errors
    def decide(self, state: State) -> None:
        comment = ""
        source = get_submission(self.db, self.submission_id).source
        if state is State.APPROVED and source in UNSIGNED and not dialogs.confirm(self, _(UNSIGNED[source])):
            return
        if state is not State.APPROVED:
            comment = dialogs.ask_comment(self, _(STATE_LABELS[state]), _("Was soll die Einrichtung klären?"), "")
            if comment is None:
                return
        set_review_state(self.db, self.submission_id, state, comment, self.who)
        self._changed()

    @shows_errors
    def correct(self) -> None:
        row = self.values.currentRow()
        if not 0 <= row < len(self.rows):
            dialogs.inform(self, _("Bitte zuerst die Zeile des Werts wählen."))
            return
        address = self.rows[row]
        form = form_of(get_submission(self.db, self.submission_id))
        answer = dialogs.ask_correction(self, cell_label(form, *address), self.values.item(row, 1).text())
        if answer is None:
            return
        raw, why = answer
        value = parse_input(form.field(address[0]), raw, cell_label(form, *address))
        correct_value(self.db, self.submission_id, address, value, self.who, why)
        self._changed()

    def _changed(self) -> None:
        announce(self, Changes(submissions=True, values=True))  # this view too reads the submission again there

    def on_changes(self, changes: Changes) -> None:
        if self.submission_id is not None and (changes.submissions or changes.values):
            self.show_submission(self.submission_id)

    def show_history(self) -> None:
        row = self.values.currentRow()
        address = self.rows[row] if 0 <= row < len(self.rows) else None
        lines = [f"{h['at'][:16].replace('T', ' ')}  {h['who'] or '–'}: {h['field'] if address is None else ''} "
                 f"{h['old'] or '–'} → {h['new'] or '–'}" + (f"  ({h['why']})" if h["why"] else "")
                 for h in history(self.db, self.submission_id, address)]
        dialogs.show_text(self, _("Verlauf"), "\n".join(lines) or _("Noch keine Änderungen."))
