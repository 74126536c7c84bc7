"""The entry view: one form of one year, generated from its definition, with progress, help and actions."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.entry.fields import FieldBox, field_box
from desktop.ops.entry_session import EntrySession
from forms.i18n import _, ngettext
from forms.values import Address
from store.submissions import STATE_LABELS, State


class EntryView(QWidget):
    """Shows an EntrySession. Actions (finalise, export, …) are signals; the main window runs them."""

    finalise_requested = Signal()
    correction_requested = Signal()
    export_requested = Signal()
    receipt_requested = Signal()
    comment_requested = Signal(tuple)
    saved = Signal()

    def __init__(self, session: EntrySession, parent=None):
        super().__init__(parent)
        self.session = session
        self.boxes: dict[str, FieldBox] = {}
        self.required_shown = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold")
        self.subheading = QLabel()
        self.subheading.setWordWrap(True)
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        header.addLayout(titles, 1)
        status = QVBoxLayout()
        self.state_label = QLabel()
        self.state_label.setObjectName("state")
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setMinimumWidth(260)
        self.counts = QLabel()
        self.counts.setObjectName("counts")
        status.addWidget(self.state_label)
        status.addWidget(self.progress)
        status.addWidget(self.counts)
        header.addLayout(status)
        outer.addLayout(header)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll, 1)

        self.help = QLabel()
        self.help.setObjectName("help")
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
        outer.addLayout(actions)
        self._build_body()
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self.refresh()

    def _build_body(self) -> None:
        session = self.session
        description = QLabel(escape(session.form.description))
        description.setWordWrap(True)
        self.body_layout.addWidget(description)
        for section in session.form.sections:
            if not section.applies_to(session.institution.attributes):
                continue
            group = QGroupBox(section.title)
            group.setObjectName(f"section_{section.code}")
            layout = QVBoxLayout(group)
            if section.help:
                hint = QLabel(section.help)
                hint.setWordWrap(True)
                hint.setStyleSheet("color:#444")
                layout.addWidget(hint)
            for field in section.fields:
                box = field_box(session, field)
                box.changed.connect(self._changed)
                box.comment_requested.connect(self.comment_requested.emit)
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
            text = widget.help_text() or _("Zu diesem Feld gibt es keine weitere Erklärung.")
            self.help.setText(f"<b>{escape(widget.field.label)}</b><br>{escape(text)}")
            self.scroll.ensureWidgetVisible(new, 40, 40)

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
        for box in self.boxes.values():
            box.set_read_only(read_only)
            box.refresh()
        self.finalise_button.setEnabled(submission.state is State.DRAFT)
        own_figures = session.institution.kind == "stadt" and submission.state is State.APPROVED
        self.correction_button.setEnabled(submission.state in (State.FINALISED, State.EXPORTED) or own_figures)
        self.export_button.setEnabled(submission.state in (State.FINALISED, State.EXPORTED))
        self.receipt_button.setEnabled(submission.state in (State.FINALISED, State.EXPORTED))
