"""The entry view: one form of one year, generated from its definition, with progress, help and actions."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from common.errors import UserError
from common.i18n import _, ngettext
from desktop import dialogs
from desktop.entry.fields import TAKE_KEYS, TAKE_SHORTCUTS, CountBox, FieldBox, field_box
from desktop.entry.suggestion_panel import SuggestionPanel
from desktop.operation import shows_errors
from desktop.ops.entry_session import EntrySession
from desktop.plain import plain_label, rich_label
from forms.values import Address
from intake.pupil_counts import PupilCounts
from store.submissions import STATE_LABELS, State


class EntryView(QWidget):
    """Shows an EntrySession. Actions (finalise, export, …) are signals; the main window runs them."""

    finalise_requested = Signal()
    correction_requested = Signal()
    export_requested = Signal()
    receipt_requested = Signal()
    comment_requested = Signal(tuple)
    saved = Signal()
    suggest_requested = Signal()  # the user wants to choose a pupil export to count
    guide_requested = Signal(str)

    def __init__(self, session: EntrySession, parent=None):
        super().__init__(parent)
        self.session = session
        self.boxes: dict[str, FieldBox] = {}
        self.required_shown = False
        # The counted file, kept to count it again under another ZWG rule; only its path, never its rows.
        self.suggestion_path: Path | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        self.heading = plain_label()
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold")
        self.subheading = plain_label()
        self.subheading.setWordWrap(True)
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        header.addLayout(titles, 1)
        status = QVBoxLayout()
        self.state_label = plain_label()
        self.state_label.setObjectName("state")
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setMinimumWidth(260)
        self.counts = plain_label()
        self.counts.setObjectName("counts")
        status.addWidget(self.state_label)
        status.addWidget(self.progress)
        status.addWidget(self.counts)
        header.addLayout(status)
        outer.addLayout(header)

        self.suggestions = SuggestionPanel()
        self.suggestions.take_all_requested.connect(self.take_all)
        self.suggestions.hide_requested.connect(self.hide_suggestions)
        self.suggestions.guide_requested.connect(self.guide_requested.emit)
        self.suggestions.rule_chosen.connect(self.recount)
        self.suggestions.hide()
        outer.addWidget(self.suggestions)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll, 1)

        self.help = rich_label("", "help")  # the field's name in bold; every piece of it is escaped
        self.help.setWordWrap(True)
        self.help.setMinimumHeight(self.help.fontMetrics().lineSpacing() * 3)
        self.help.setStyleSheet("background:#eef3f8; padding:6px; border-radius:4px")
        outer.addWidget(self.help)

        actions = QHBoxLayout()
        self.finalise_button = QPushButton(_("&Abschließen"))
        self.finalise_button.setObjectName("finalise")
        self.finalise_button.setToolTip(_("Prüft alle Angaben. Danach ist das Formular schreibgeschützt und kann "
                                          "exportiert werden."))
        self.correction_button = QPushButton(_("&Korrektur anlegen"))
        self.correction_button.setObjectName("correction")
        self.export_button = QPushButton(_("Meldungsdatei &exportieren…"))
        self.export_button.setObjectName("export")
        self.receipt_button = QPushButton(_("&Beleg als PDF…"))
        self.receipt_button.setObjectName("receipt")
        for button, signal in ((self.finalise_button, self.finalise_requested),
                               (self.correction_button, self.correction_requested),
                               (self.export_button, self.export_requested),
                               (self.receipt_button, self.receipt_requested)):
            button.clicked.connect(signal.emit)
            actions.addWidget(button)
        actions.addStretch(1)
        self.suggest_button = QPushButton(_("Aus &SchILD-Export vorschlagen…"))
        self.suggest_button.setObjectName("suggest_from_export")
        self.suggest_button.setToolTip(_("Zählt den Schülerexport aus SchILD-NRW und zeigt die Zahlen als Vorschläge "
                                         "neben den Feldern. Gespeichert wird erst, was Sie übernehmen."))
        self.suggest_button.clicked.connect(self.suggest_requested.emit)
        actions.addWidget(self.suggest_button)
        outer.addLayout(actions)
        school = session.form.kind == "schule"
        self.suggest_button.setVisible(school)  # only once it has a parent: without one it opens a window of its own
        self.take_action = QAction(_("Vorschlag aus SchILD-Export übernehmen"), self)
        self.take_action.setShortcuts([QKeySequence(k) for k in TAKE_SHORTCUTS])
        self.take_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.take_action.triggered.connect(self.take_focused)
        if school:
            self.addAction(self.take_action)
        self._build_body()
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self.refresh()

    def _build_body(self) -> None:
        session = self.session
        description = plain_label(session.form.description, "form_description")
        description.setWordWrap(True)
        self.body_layout.addWidget(description)
        for section in session.form.sections:
            if not section.applies_to(session.institution.attributes):
                continue
            group = QGroupBox(section.title)
            group.setObjectName(f"section_{section.code}")
            layout = QVBoxLayout(group)
            if section.help:
                hint = plain_label(section.help)
                hint.setWordWrap(True)
                hint.setStyleSheet("color:#444")
                layout.addWidget(hint)
            for field in section.fields:
                box = field_box(session, field)
                box.changed.connect(self._changed)
                box.comment_requested.connect(self.comment_requested.emit)
                box.take_requested.connect(self.take)
                layout.addWidget(box)
                self.boxes[field.code] = box
            self.body_layout.addWidget(group)
        self.body_layout.addStretch(1)

    def _changed(self) -> None:
        self.refresh()
        self.saved.emit()

    def _focus_changed(self, _old, new) -> None:
        widget = new
        while widget is not None and not isinstance(widget, FieldBox):
            widget = widget.parentWidget()
        if widget is not None and widget.window() is self.window():
            self._show_help(widget)
            self.scroll.ensureWidgetVisible(new, 40, 40)

    def _show_help(self, box: FieldBox) -> None:
        text = box.help_text() or _("Zu diesem Feld gibt es keine weitere Erklärung.")
        html = f"<b>{escape(box.field.label)}</b><br>{escape(text)}"
        hint = box.suggestion_hint()
        if hint:
            html += f"<br><span style='color:#0b4f9c'>{escape(hint)}</span>"
        self.help.setText(html)

    def show_required(self) -> None:
        self.required_shown = True
        for box in self.boxes.values():
            box.show_required = True
        self.refresh()

    def focus_first_problem(self, address: Address | None = None) -> None:
        code = address[0] if address else next((r.field for r in self.session.results), None)
        if code in self.boxes:
            self.boxes[code].focus_editor()
            self.scroll.ensureWidgetVisible(self.boxes[code], 40, 40)

    # --- suggestions from the school's pupil export --------------------------------------------------------

    def load_suggestions(self, path: Path, zwg_rule: str | None = None) -> PupilCounts:
        """Counts the export and shows its figures beside the fields. Raises UserError (nothing changes then)."""
        counts = self.session.suggest_from_pupil_export(path, zwg_rule)
        self.suggestion_path = path
        self.suggestions.show_counts(path.name, counts)
        self.refresh()
        return counts

    def recount(self, zwg_rule: str) -> None:
        counts = self.session.suggestion_counts
        if self.suggestion_path is None or counts is None or zwg_rule == counts.zwg_rule:
            return
        try:
            self.load_suggestions(self.suggestion_path, zwg_rule)
        except UserError as exc:
            self.suggestions.set_rule(counts.zwg_rule)  # the figures shown still follow the old rule
            dialogs.show_error(self, exc)

    @shows_errors(failed=0)
    def take(self, addresses: list[Address]) -> int:
        session = self.session
        if not session.editable:
            return 0
        changed = session.take_suggestions(addresses)
        if changed:
            labels = ", ".join(f"„{session.label(a)}“" for a in changed[:3]) + (" …" if len(changed) > 3 else "")
            self.suggestions.say_taken(ngettext("{n} Wert übernommen und gespeichert: {labels}",
                                                "{n} Werte übernommen und gespeichert: {labels}", len(changed)).format(
                n=len(changed), labels=labels))
            self._changed()
        return len(changed)

    @shows_errors
    def take_all(self) -> None:
        session = self.session
        differing = sum(1 for a in session.suggestions if session.suggestion_differs(a))
        if differing and not dialogs.confirm(self, ngettext(
                "{n} Vorschlag weicht von einem schon eingetragenen Wert ab. Soll der eingetragene Wert durch den "
                "Vorschlag ersetzt werden?",
                "{n} Vorschläge weichen von schon eingetragenen Werten ab. Sollen alle eingetragenen Werte durch die "
                "Vorschläge ersetzt werden?", differing).format(n=differing)):
            return
        taken = len(session.take_suggestions())
        self.suggestions.say_taken(ngettext(
            "{n} Wert übernommen und gespeichert. Sie können jeden Wert weiter ändern.",
            "{n} Werte übernommen und gespeichert. Sie können jeden Wert weiter ändern.", taken).format(n=taken))
        for box in self.boxes.values():
            if isinstance(box, CountBox) and box.edit.hasFocus() and box.address not in session.invalid:
                box.edit.setText(session.value(box.address).display())  # refresh() spares the focused field
        self._changed()

    def take_focused(self) -> None:
        widget = QApplication.focusWidget()
        while widget is not None and not isinstance(widget, FieldBox):
            widget = widget.parentWidget()
        if widget is None or widget.window() is not self.window() or not self.session.editable:
            return
        if not widget.take_focused():
            self.help.setText(escape(_("Hier gibt es keinen Vorschlag aus dem SchILD-Export. {keys} übernimmt den "
                                       "Vorschlag des Feldes oder der markierten Tabellenzellen, in denen Sie "
                                       "gerade sind.").format(keys=_(TAKE_KEYS))))

    def hide_suggestions(self) -> None:
        self.session.clear_suggestions()
        self.suggestion_path = None
        self.refresh()

    def _suggestion_state(self) -> tuple[int, int]:
        """(suggestions not yet entered as they are, suggestions that differ from an entered value)."""
        session = self.session
        open_ = sum(1 for a, n in session.suggestions.items()
                    if session.value(a).is_empty or session.value(a).number != n)
        return open_, sum(1 for a in session.suggestions if session.suggestion_differs(a))

    def refresh(self) -> None:
        session = self.session
        submission = session.submission
        self.heading.setText(_("{form} – {period}").format(form=session.form.title,
                                                           period=session.form.period_label(submission.year)))
        self.subheading.setText(_("{name} · Stichtag: {date}").format(name=session.institution.name,
                                                                       date=session.form.reference_date))
        state = _(STATE_LABELS[submission.state])
        if submission.revision > 1:
            state = _("{state} (Korrektur, Fassung {n})").format(state=state, n=submission.revision)
        self.state_label.setText(_("Status: {state}").format(state=state))
        done, total = session.required_progress()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done if total else 1)
        self.progress.setFormat(_("{done} von {total} Pflichtangaben").format(done=done, total=total))
        errors, warnings = session.counts(include_required=self.required_shown)
        parts = []
        if errors:
            parts.append(ngettext("{n} Fehler", "{n} Fehler", errors).format(n=errors))
        if warnings:
            parts.append(ngettext("{n} Hinweis", "{n} Hinweise", warnings).format(n=warnings))
        self.counts.setText(", ".join(parts) if parts else _("keine Fehler"))
        read_only = not session.editable
        if read_only and session.suggestion_counts is not None:
            session.clear_suggestions()  # a finalised form takes no more values
            self.suggestion_path = None
        self.suggestions.setVisible(session.suggestion_counts is not None)
        if session.suggestion_counts is not None:
            self.suggestions.update_state(len(session.suggestions), *self._suggestion_state(), not read_only)
        self.suggest_button.setEnabled(not read_only)
        for box in self.boxes.values():
            box.set_read_only(read_only)
            box.refresh()
        self.finalise_button.setEnabled(submission.state is State.DRAFT)
        own_figures = session.institution.kind == "stadt" and submission.state is State.APPROVED
        self.correction_button.setEnabled(submission.state in (State.FINALISED, State.EXPORTED) or own_figures)
        self.export_button.setEnabled(submission.state in (State.FINALISED, State.EXPORTED))
        self.receipt_button.setEnabled(submission.state in (State.FINALISED, State.EXPORTED))
