"""The banner above a school's form once its pupil export was counted: what was counted from which file, which rule
counts the Zuwanderungsgeschichte, what could not be placed, and the buttons to take or hide the suggestions."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
)

from common.i18n import _, ngettext
from common.numbers import format_number
from desktop.entry.fields import DIFFERS_SPAN, DIFFERS_STYLE, TAKE_KEYS
from desktop.plain import as_written, plain_label, rich_label
from intake.pupil_counts import LIMITS, ZWG_RULES, PupilCounts

GUIDE = "schild_export"
_FILE_NAME_CHARACTERS = 48  # a name without spaces cannot wrap; longer ones would widen the whole window


def short_name(name: str) -> str:
    if len(name) <= _FILE_NAME_CHARACTERS:
        return name
    half = _FILE_NAME_CHARACTERS // 2 - 1
    return f"{name[:half]}…{name[-half:]}"


class SuggestionPanel(QFrame):
    """Shows one counting; the entry view owns the session and answers the signals."""

    take_all_requested = Signal()
    hide_requested = Signal()
    guide_requested = Signal(str)
    rule_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("suggestion_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#suggestion_panel { background:#e8f0fb; border:1px solid #8fb0dc; border-radius:4px }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)

        self.headline = plain_label()
        self.headline.setObjectName("suggestion_headline")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-weight:bold")
        layout.addWidget(self.headline)
        self.summary = rich_label("", "suggestion_summary")  # the orange mark of a difference
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.taken = plain_label()
        self.taken.setObjectName("suggestion_taken")
        self.taken.setWordWrap(True)
        self.taken.setStyleSheet("color:#1d6b1d; font-weight:bold")
        self.taken.hide()
        layout.addWidget(self.taken)

        rule_row = QHBoxLayout()
        rule_label = plain_label(_("&ZWG zählen nach:"))
        self.rule = QComboBox()
        self.rule.setObjectName("zwg_rule")
        self.rule.setAccessibleName(_("Zuwanderungsgeschichte zählen nach"))
        for code, label in ZWG_RULES.items():
            self.rule.addItem(_(label), code)
        self.rule.setToolTip(_("Die Schulstatistik zählt ein Kind mit Zuwanderungsgeschichte, wenn eines der drei "
                               "Merkmale zutrifft. Manche Schulen pflegen stattdessen nur das Kennzeichen. Die Wahl "
                               "wird gespeichert und zählt den Export neu."))
        self.rule.activated.connect(lambda index: self.rule_chosen.emit(self.rule.itemData(index)))
        rule_label.setBuddy(self.rule)
        self.zwg_figures = plain_label()
        self.zwg_figures.setObjectName("zwg_figures")
        self.zwg_figures.setWordWrap(True)
        rule_row.addWidget(rule_label)
        rule_row.addWidget(self.rule)
        rule_row.addWidget(self.zwg_figures, 2)
        rule_row.addStretch(1)  # keeps the combo box beside its label while the ZWG figures agree and are hidden
        layout.addLayout(rule_row)

        self.details_button = QToolButton()
        self.details_button.setObjectName("suggestion_details_toggle")
        self.details_button.setCheckable(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.setAutoRaise(True)
        self.details_button.toggled.connect(self._toggle_details)
        layout.addWidget(self.details_button)
        self.details = rich_label("", "suggestion_details")  # a list of notes
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setContentsMargins(4, 0, 4, 4)
        # The notes can run long: they scroll in a box of a few lines, so the form keeps most of the window.
        self.details_area = QScrollArea()
        self.details_area.setObjectName("suggestion_details_area")
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QFrame.Shape.NoFrame)
        self.details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_area.setWidget(self.details)
        self.details_area.setMaximumHeight(self.fontMetrics().lineSpacing() * 9)
        self.details_area.hide()
        layout.addWidget(self.details_area)

        buttons = QHBoxLayout()
        self.take_all_button = QPushButton(_("Alle über&nehmen"))
        self.take_all_button.setObjectName("take_all_suggestions")
        self.take_all_button.setToolTip(_("Alle Vorschläge als Werte speichern. Jeder Wert kann danach weiter "
                                          "geändert werden."))
        self.take_all_button.clicked.connect(self.take_all_requested.emit)
        self.hide_button = QPushButton(_("Vorschläge a&usblenden"))
        self.hide_button.setObjectName("hide_suggestions")
        self.hide_button.setToolTip(_("Die Vorschläge verschwinden; eingetragene Werte bleiben, wie sie sind."))
        self.hide_button.clicked.connect(self.hide_requested.emit)
        self.guide_button = QPushButton(_("An&leitung…"))
        self.guide_button.setObjectName("suggestion_guide")
        self.guide_button.setToolTip(_("Wie der Schülerexport in SchILD-NRW angelegt wird und was gezählt wird."))
        self.guide_button.clicked.connect(lambda: self.guide_requested.emit(GUIDE))
        for button in (self.take_all_button, self.hide_button, self.guide_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _toggle_details(self, shown: bool) -> None:
        self.details_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.details_area.setVisible(shown)

    def show_counts(self, file_name: str, counts: PupilCounts) -> None:
        """A new counting: what stays until the next one (file, rule, notes); the taken note is cleared."""
        self.headline.setText(ngettext(
            "Vorschläge aus dem SchILD-Export „{file}“: {n} Schüler/in gezählt",
            "Vorschläge aus dem SchILD-Export „{file}“: {n} Schüler/innen gezählt",
            counts.pupils).format(file=short_name(file_name), n=format_number(counts.pupils)))
        self.headline.setToolTip(as_written(file_name))
        self.set_rule(counts.zwg_rule)
        both = counts.zwg_by_criteria is not None and counts.zwg_by_flag is not None
        if both and counts.zwg_by_criteria != counts.zwg_by_flag:
            self.zwg_figures.setText(_("Achtung, die Zahlen unterscheiden sich: {criteria} nach den drei Merkmalen, "
                                       "{flag} nach dem Kennzeichen.").format(
                criteria=format_number(counts.zwg_by_criteria), flag=format_number(counts.zwg_by_flag)))
            self.zwg_figures.setStyleSheet(DIFFERS_STYLE)
        else:
            self.zwg_figures.setText("")
            self.zwg_figures.setStyleSheet("")
        self.zwg_figures.setVisible(bool(self.zwg_figures.text()))
        self.taken.hide()
        sections = []
        if counts.notes:
            sections.append((_("Hinweise zur Zählung"), counts.notes))
        if counts.missing:
            sections.append((_("Spalten, die im Export fehlen (dafür gibt es keinen Vorschlag)"), counts.missing))
        sections.append((_("Grenzen der Vorschläge"), [_(limit) for limit in LIMITS]))
        self.details.setText("".join(
            f"<p style='margin:4px 0 0 0'><b>{escape(title)}</b></p><ul style='margin:0'>"
            + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>" for title, items in sections))
        parts = []
        if counts.notes:
            parts.append(ngettext("{n} Hinweis", "{n} Hinweise", len(counts.notes)).format(n=len(counts.notes)))
        if counts.missing:
            parts.append(ngettext("{n} fehlende Spalte", "{n} fehlende Spalten", len(counts.missing)).format(
                n=len(counts.missing)))
        parts.append(ngettext("{n} bekannte Grenze", "{n} bekannte Grenzen", len(LIMITS)).format(n=len(LIMITS)))
        self.details_button.setText(_("E&inzelheiten: {parts}").format(parts=", ".join(parts)))

    def set_rule(self, code: str) -> None:
        self.rule.setCurrentIndex(max(self.rule.findData(code), 0))

    def update_state(self, suggested: int, open_: int, differing: int, editable: bool) -> None:
        """What is left to do, after every change of a value."""
        first = ngettext("{n} Vorschlag („aus SchILD-Export“, blau neben dem Feld).",
                         "{n} Vorschläge („aus SchILD-Export“, blau neben den Feldern und unten rechts in den "
                         "Tabellenzellen).", suggested).format(n=suggested)
        if open_:
            first += " " + ngettext("{n} ist noch nicht übernommen.", "{n} sind noch nicht übernommen.",
                                    open_).format(n=open_)
        else:
            first += " " + _("Alle sind übernommen.")
        lines = [escape(first)]
        if differing:
            lines.append("<span style='{style}'>&nbsp;{text}&nbsp;</span>".format(style=DIFFERS_SPAN, text=escape(
                ngettext("{n} Vorschlag weicht von einem eingetragenen Wert ab (orange markiert).",
                         "{n} Vorschläge weichen von eingetragenen Werten ab (orange markiert).", differing).format(
                    n=differing))))
        lines.append("<span style='color:#444'>{text}</span>".format(text=escape(_(
            "Einzeln übernehmen: „übernehmen“ neben dem Feld, Rechtsklick in der Tabelle oder {keys} im Feld."
        ).format(keys=_(TAKE_KEYS)))))
        self.summary.setText("<br>".join(lines))
        self.take_all_button.setEnabled(editable and open_ > 0)

    def say_taken(self, text: str) -> None:
        self.taken.setText(text)
        self.taken.show()
