"""The report tab: choose years and variant, make the report on a worker thread, look through its chapters with
their charts and tables, and save it as PDF, Excel workbook or CSV files."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.errors import UserError
from common.i18n import _
from desktop import dialogs
from desktop.operation import Operation
from desktop.plain import plain_label

_NUMERIC = ("anzahl", "prozent", "verhaeltnis")


def _table_widget(table) -> QTableWidget:
    widget = QTableWidget(len(table.rows), len(table.columns) + 1)
    widget.setObjectName(f"table_{table.code}")
    widget.setHorizontalHeaderLabels([table.row_header, *table.columns])
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.verticalHeader().hide()
    widget.setAccessibleName(table.title)
    for r, (label, cells) in enumerate(zip(table.rows, table.cells, strict=True)):
        widget.setItem(r, 0, QTableWidgetItem(label))
        for c, cell in enumerate(cells, start=1):
            item = QTableWidgetItem(cell.text + (" *" if cell.provisional else ""))
            if table.kinds[c - 1] in _NUMERIC:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            widget.setItem(r, c, item)
        if r in table.total_rows:
            for c in range(widget.columnCount()):
                font = widget.item(r, c).font()
                font.setBold(True)
                widget.item(r, c).setFont(font)
    widget.resizeColumnsToContents()
    widget.setColumnWidth(0, min(widget.columnWidth(0), 320))
    height = widget.horizontalHeader().height() + sum(widget.rowHeight(r) for r in range(widget.rowCount())) + 4
    widget.setMinimumHeight(min(height, 480))
    widget.setMaximumHeight(height)
    return widget


def _label(text: str, name: str = "", bold: bool = False) -> QLabel:
    label = plain_label(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    if bold:
        font = label.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        label.setFont(font)
    return label


class ReportView(QWidget):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db, self.report = db, None
        layout = QVBoxLayout(self)
        options = QGridLayout()
        this_year = date.today().year
        self.year = QSpinBox()
        self.year.setObjectName("report_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(this_year - 1)
        self.first_year = QSpinBox()
        self.first_year.setObjectName("report_first_year")
        self.first_year.setRange(2000, 2100)
        self.first_year.setValue(this_year - 10)
        self.variant = QComboBox()
        self.variant.setObjectName("report_variant")
        self.variant.addItem(_("intern (exakte Zahlen, mit Tabellen je Einrichtung)"), "intern")
        self.variant.addItem(_("veröffentlichbar (mit Geheimhaltung)"), "veroeffentlichbar")
        self.threshold = QComboBox()
        self.threshold.setObjectName("report_threshold")
        self.threshold.addItem(_("1 und 2 sperren (unter 3)"), 3)
        self.threshold.addItem(_("1 bis 4 sperren (unter 5)"), 5)
        self.min_denominator = QSpinBox()
        self.min_denominator.setObjectName("report_min_denominator")
        self.min_denominator.setRange(1, 1000)
        self.min_denominator.setValue(20)
        self.min_denominator.setToolTip(_("Kleinere Bezugsgrößen geben keinen verlässlichen Anteil: dort steht „/“."))
        self.profiles = QComboBox()
        self.profiles.setObjectName("report_profiles")
        self.profiles.setToolTip(_("Je Gebiet der gewählten Ebene eine Seite mit seinen Kennzahlen neben denen der "
                                   "Stadt, einer kleinen Entwicklung je Kennzahl und einer Karte, wo es liegt."))
        self._fill_profiles()
        self.received = QCheckBox(_("auch e&ingegangene, noch nicht freigegebene Meldungen zählen (mit * markiert)"))
        self.received.setObjectName("report_received")
        for row, (text, widget) in enumerate(((_("Be&richtsjahr:"), self.year), (_("&Zeitreihen ab:"), self.first_year),
                                             (_("Fass&ung:"), self.variant), (_("Gehei&mhaltung:"), self.threshold),
                                             (_("Anteile ab Bezugsgr&öße:"), self.min_denominator),
                                             (_("Gebietsprofi&le:"), self.profiles))):
            caption = plain_label(text)
            caption.setBuddy(widget)
            options.addWidget(caption, row // 2, (row % 2) * 2)
            options.addWidget(widget, row // 2, (row % 2) * 2 + 1)
        options.addWidget(self.received, 4, 0, 1, 4)
        options.setColumnStretch(4, 1)  # the fields keep their natural width
        layout.addLayout(options)
        buttons = QHBoxLayout()
        self.make_button = QPushButton(_("Bericht &erstellen"))
        self.pdf_button = QPushButton(_("Als PD&F speichern…"))
        self.xlsx_button = QPushButton(_("Als E&xcel speichern…"))
        self.csv_button = QPushButton(_("Als &CSV speichern…"))
        self.view_pdf_button = QPushButton(_("PDF a&nsehen"))
        self.make_button.clicked.connect(self.make)
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.save("xlsx"))
        self.csv_button.clicked.connect(lambda: self.save("csv"))
        self.view_pdf_button.clicked.connect(self.view_pdf)
        for button in (self.make_button, self.pdf_button, self.xlsx_button, self.csv_button, self.view_pdf_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = _label(_("Noch kein Bericht erstellt. Die Zahlen kommen aus den freigegebenen Meldungen und der "
                               "amtlichen Statistik."), "report_status")
        layout.addWidget(self.status)
        splitter = QSplitter()
        self.chapters = QListWidget()
        self.chapters.setObjectName("report_chapters")
        self.chapters.setAccessibleName(_("Kapitel des Berichts"))
        self.chapters.setWordWrap(True)
        self.chapters.currentRowChanged.connect(self.show_chapter)
        splitter.addWidget(self.chapters)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.scroll.setWidget(self.content)
        splitter.addWidget(self.scroll)
        splitter.setSizes([300, 900])
        layout.addWidget(splitter, 1)
        for widget in (self.year, self.first_year, self.min_denominator):
            widget.valueChanged.connect(self._stale)
        for widget in (self.variant, self.threshold, self.profiles):
            widget.currentIndexChanged.connect(self._stale)
        self.received.toggled.connect(self._stale)
        self._enable(False)

    def request(self, **files):
        from reports.report_files import ReportRequest

        return ReportRequest(self.year.value(), self.first_year.value(), self.variant.currentData(),
                             self.received.isChecked(), self.threshold.currentData(), self.min_denominator.value(),
                             profiles=self.profiles.currentData() or None, **files)

    def _fill_profiles(self) -> None:
        from store.areas import levels

        chosen = self.profiles.currentData()
        self.profiles.blockSignals(True)
        self.profiles.clear()
        self.profiles.addItem(_("keine"), "")
        for level in levels(self.db):
            self.profiles.addItem(level.name, level.name)
        self.profiles.setCurrentIndex(max(0, self.profiles.findData(chosen)))
        self.profiles.blockSignals(False)

    def _enable(self, ready: bool) -> None:
        for button in (self.pdf_button, self.xlsx_button, self.csv_button, self.view_pdf_button):
            button.setEnabled(ready)

    def on_changes(self, changes) -> None:
        if changes.registry or changes.statistics:
            self._fill_profiles()  # areas taken over in the Gebiete tab can have profiles at once

    def _stale(self) -> None:
        if self.report is not None:
            self.report = None
            self.chapters.clear()
            self._clear()
            self.status.setText(_("Die Einstellungen haben sich geändert: bitte den Bericht neu erstellen."))
        self._enable(False)

    def _run(self, title: str, work, on_success) -> None:
        def job(progress, cancelled):
            return work(lambda done, total: progress(done * 100 // max(total, 1), title), cancelled)

        Operation(self, title, job, total=100).success(on_success).run()

    def make(self) -> None:
        from reports.disclosure import Rules
        from reports.report_builder import build_report

        request = self.request()
        if request.first_year > request.year:
            dialogs.show_error(self, UserError(_("Das erste Jahr der Zeitreihen liegt nach dem Berichtsjahr. Bitte "
                                                 "ein früheres Jahr wählen.")))
            return
        self._run(_("Bericht wird erstellt …"), lambda progress, cancelled: build_report(
            self.db, request.year, request.first_year, request.variant, request.include_received,
            Rules(request.threshold, request.min_denominator), progress, cancelled,
            **({"profiles_level": request.profiles} if request.profiles else {})), self.show_report)

    def show_report(self, report) -> None:
        self.report = report
        self.status.setText(_("{title}, {subtitle}: {n} Kapitel, {t} Tabellen.").format(
            title=report.title, subtitle=report.subtitle, n=len(report.chapters), t=len(report.tables()))
            + (_(" SYNTHETISCHE DATEN.") if report.synthetic else ""))
        self.chapters.clear()
        self.chapters.addItems([_("Wichtige Kennzahlen"), *(c.title for c in report.chapters), _("Methoden")])
        self._enable(True)
        self.chapters.setCurrentRow(0)

    def _clear(self) -> None:
        while self.content_layout.count():
            widget = self.content_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()

    def show_chapter(self, row: int) -> None:
        self._clear()
        if self.report is None or row < 0:
            return
        add = self.content_layout.addWidget
        if row == 0:
            add(_label(_("Wichtige Kennzahlen {year}").format(year=self.report.year), "chapter_title", bold=True))
            for figure in self.report.key_figures:
                change = f" ({figure.change})" if figure.change else ""
                add(_label(f"{figure.title}: {figure.value}{change} – {figure.definition}"))
        elif row <= len(self.report.chapters):
            chapter = self.report.chapters[row - 1]
            add(_label(chapter.title, "chapter_title", bold=True))
            if chapter.intro:
                add(_label(chapter.intro))
            for note in chapter.notes:
                add(_label(note))
            self._charts(chapter.charts)
            for table in chapter.tables:
                add(_label(table.title, bold=True))
                add(_table_widget(table))
                add(_label(" · ".join(p for p in (table.definition, table.source, table.reference_date, *table.notes)
                                      if p)))
        else:
            add(_label(_("Methoden"), "chapter_title", bold=True))
            for section in self.report.methods:
                add(_label(section.title, bold=True))
                for paragraph in section.paragraphs:
                    add(_label(paragraph))
                if section.table is not None:
                    add(_table_widget(section.table))
        self.content_layout.addStretch(1)

    def _charts(self, charts) -> None:
        from reports.charts import height_cm, render

        for chart in charts:
            pixmap = QPixmap()
            pixmap.loadFromData(render(chart, 16, height_cm(chart, 16), title=False))
            self.content_layout.addWidget(_label(chart.title))  # wraps; a title inside the image would be cut
            label = plain_label()
            label.setObjectName("chart")
            label.setAccessibleName(chart.title)
            label.setPixmap(pixmap.scaledToWidth(min(760, pixmap.width()), Qt.TransformationMode.SmoothTransformation))
            self.content_layout.addWidget(label)

    def save(self, kind: str) -> None:
        from reports.report_files import ReportRequest, make_report

        if self.report is None:
            return
        suffix = {"pdf": ".pdf", "xlsx": ".xlsx", "csv": ""}[kind]
        name = f"Integrationsbericht_{self.year.value()}_{self.variant.currentData()}{suffix}"
        documents = Path.home()
        if kind == "csv":
            path = dialogs.ask_folder(self, _("Ordner für die CSV-Dateien"), documents)
        else:
            filters = {"pdf": _("PDF (*.pdf)"), "xlsx": _("Excel-Arbeitsmappe (*.xlsx)")}
            path = dialogs.ask_save_path(self, _("Bericht speichern"), documents / name, filters[kind])
        if path is None:
            return
        if kind != "csv" and path.suffix.lower() != suffix:
            path = path.with_suffix(suffix)
        request: ReportRequest = self.request(**{kind: path})
        self._run(_("Bericht wird gespeichert …"), lambda progress, cancelled: make_report(
            self.db, request, progress, cancelled), lambda files: dialogs.inform(self, _("Gespeichert: {files}").format(
                files=", ".join(str(p) for p in files.written[:3]) + (" …" if len(files.written) > 3 else ""))))

    def view_pdf(self) -> None:
        """A look at the printed report in the system's PDF viewer, without saving it anywhere lasting."""
        from reports.report_pdf import write_report_pdf

        if self.report is None:
            return
        path = Path(tempfile.mkdtemp(prefix="integrationsbericht-")) / "Vorschau.pdf"
        report = self.report
        self._run(_("Vorschau wird erstellt …"),
                  lambda progress, cancelled: write_report_pdf(report, path, progress, cancelled),
                  lambda _written: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
