"""A table downloaded from the Landesdatenbank or the Regionalstatistik, dragged onto the statistics tab: what it
gives to which form for which year, before anything is saved; and, for a table the program does not know, the one
time its columns are mapped to the form's fields (kept under the table's code)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from common.errors import UserError
from common.i18n import _
from common.ids import is_valid_ags
from desktop.dialog_parts import dry_run_text, problem_label, save_buttons
from desktop.plain import plain_label
from desktop.statistics_import_dialog import _mnemonic, _table
from forms.catalog import latest_form, shipped_forms
from forms.model import FieldType, Form
from intake.genesis import GenesisTable, period_of
from intake.genesis_import import (
    GEMEINDE_LEVEL,
    Taken,
    gemeinden_of,
    import_genesis,
    keep_gemeinden,
    source_line,
    take,
)
from intake.genesis_mapping import CellMap, Mapping, column_kinds, mapping_for
from intake.statistics_import import YearResult
from store.settings import registry_ags, set_registry_ags
from store.table_mappings import remember_mapping, remembered_mapping

SKIP = ""


def _cell_label(form: Form, address: tuple[str, str, str]) -> str:
    f = form.field(address[0])
    if not f.rows:
        return f.label
    row = next(a.label for a in f.rows if a.code == address[1])
    col = next(a.label for a in f.columns if a.code == address[2])
    return f"{f.label}: {row} / {col}"


def _official_forms() -> list[Form]:
    return sorted((latest_form(i) for i in {f.id for f in shipped_forms() if f.kind == "stadt"}),
                  key=lambda f: f.title)


class GenesisMappingDialog(QDialog):
    """Each kind of column (and each category on the lines) of the table, its value in the newest year for the
    town, and the form cell it goes into; what is left on „nicht übernehmen“ is not taken."""

    def __init__(self, table: GenesisTable, ags: str, current: Mapping | None, parent=None):
        super().__init__(parent)
        self.table = table
        self.setWindowTitle(_("Spalten zuordnen: Tabelle {code}").format(code=table.code))
        self.resize(1100, 700)
        layout = QVBoxLayout(self)
        intro = plain_label(_("„{title}“ ({reference}). Bitte für jede Spalte wählen, in welches Feld sie gehört. Die "
                              "Zuordnung wird unter dem Tabellencode {code} gespeichert und beim nächsten Mal von "
                              "selbst verwendet.").format(title=table.title, reference=table.reference or "?",
                                                          code=table.code), "mapping_intro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        used: set[str] = set()
        row = QHBoxLayout()
        self.form_choice = QComboBox()
        self.form_choice.setObjectName("mapping_form")
        for form in _official_forms():
            self.form_choice.addItem(form.title, form.id)
        if current is not None:
            self.form_choice.setCurrentIndex(max(0, self.form_choice.findData(current.form)))
        form_label = plain_label(_mnemonic(_("Formular"), used) + ":", buddy=self.form_choice)
        row.addWidget(form_label)
        row.addWidget(self.form_choice, 1)
        layout.addLayout(row)
        lines = table.of(ags)
        categories = list(dict.fromkeys(line.category for line in lines)) or [""]
        self.rows = [(kind, category) for kind in column_kinds(table) for category in categories]
        self.grid = _table("mapping_rows", [_("Spalte der Tabelle"), _("Zeile der Tabelle"), _("Wert"),
                                            _("übernehmen als")])
        self.grid.setRowCount(len(self.rows))
        newest = self._newest_values(lines)
        self.targets: list[QComboBox] = []
        for r, (kind, category) in enumerate(self.rows):
            for c, text in enumerate((" / ".join(kind), category or "–", newest.get((kind, category), ""))):
                self.grid.setItem(r, c, QTableWidgetItem(text))
            combo = QComboBox()
            combo.setAccessibleName(_("Feld für Spalte {n}").format(n=r + 1))
            self.grid.setCellWidget(r, 3, combo)
            self.targets.append(combo)
        grid_label = plain_label(_mnemonic(_("Spalten und Zeilen der Tabelle"), used) + ":", buddy=self.grid)
        layout.addWidget(grid_label)
        layout.addWidget(self.grid, 1)
        self.problem = problem_label("mapping_problem")
        layout.addWidget(self.problem)
        buttons, self.save_button = save_buttons(self, _("Zuordnung speichern"), self._save,
                                                 QDialogButtonBox.StandardButton.Save)
        layout.addWidget(buttons)
        self.form_choice.currentIndexChanged.connect(lambda _i: self._fill_targets(None))
        self._fill_targets(current)
        self.grid.resizeColumnsToContents()

    def _newest_values(self, lines) -> dict[tuple[tuple[str, ...], str], str]:
        """The value of each column kind and category in the newest year, so that the officer sees what is what."""
        best: dict[tuple[tuple[str, ...], str], tuple[int, str]] = {}
        for line in lines:
            for index, headings in enumerate(self.table.columns):
                period = period_of(line.period) if line.period else next(
                    (p for h in headings if (p := period_of(h))), None)
                year = period[1] if period else 0
                kind = tuple(h for h in headings if not period_of(h))
                key = (kind, line.category)
                if key not in best or year > best[key][0]:
                    best[key] = (year, f"{line.raw[index].strip()} ({year})" if year else line.raw[index].strip())
        return {key: text for key, (_year, text) in best.items()}

    def form(self) -> Form:
        return latest_form(self.form_choice.currentData())

    def _fill_targets(self, current: Mapping | None) -> None:
        form = self.form()
        cells = [(f.code, r, c) for f in form.fields() if f.type in (FieldType.COUNT, FieldType.GRID)
                 for r, c in f.cells()]
        chosen = {(c.column, c.line): (c.field, c.row, c.col) for c in current.cells} if current else {}
        for (kind, category), combo in zip(self.rows, self.targets, strict=True):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("– nicht übernehmen –"), SKIP)
            for address in cells:
                combo.addItem(_cell_label(form, address), "\t".join(address))
            target = chosen.get((kind, category))
            if target is not None:
                combo.setCurrentIndex(max(0, combo.findData("\t".join(target))))
            combo.blockSignals(False)

    def mapping(self) -> Mapping:
        cells = []
        for (kind, category), combo in zip(self.rows, self.targets, strict=True):
            if combo.currentData():
                field, row, col = combo.currentData().split("\t")
                cells.append(CellMap(kind, category, field, row, col))
        return Mapping(self.table.code, self.form().id, tuple(cells), self.table.title)

    def _save(self) -> None:
        mapping = self.mapping()
        targets = [(c.field, c.row, c.col) for c in mapping.cells]
        if not targets:
            self.problem.setText(_("Bitte mindestens eine Spalte einem Feld zuordnen."))
            return
        twice = next((t for t in targets if targets.count(t) > 1), None)
        if twice is not None:
            self.problem.setText(_("„{cell}“ ist mehreren Spalten zugeordnet; jedes Feld kann nur eine Zahl je Jahr "
                                   "aufnehmen.").format(cell=_cell_label(self.form(), twice)))
            return
        self.accept()


class GenesisImportDialog(QDialog):
    """The table, the town's regional key, the values it gives per year with their reference date, and a dry run
    that lists every approved figure it would replace (old → new). Only „Übernehmen“ saves."""

    def __init__(self, db, table: GenesisTable, file_name: str, parent=None):
        super().__init__(parent)
        self.db, self.table = db, table
        self.taken: list[Taken] = []
        self.results: list[YearResult] = []
        self.mapping: Mapping | None = None
        self.setWindowTitle(_("Amtliche Tabelle übernehmen: {name}").format(name=file_name))
        self.resize(1100, 760)
        layout = QVBoxLayout(self)
        facts = [_("Tabelle {code}: {title}").format(code=table.code, title=table.title),
                 _("Stichtag bzw. Zeitraum: {reference}").format(reference=table.reference or "?"),
                 _("Regionale Tiefe: {depth}").format(depth=table.depth or "?")]
        if table.stand:
            facts.append(_("Stand: {day}").format(day=table.stand))
        intro = plain_label(f"{file_name}\n" + "\n".join(facts), "genesis_intro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        used: set[str] = set()
        row = QHBoxLayout()
        self.ags = QLineEdit(registry_ags(db))
        self.ags.setObjectName("genesis_ags")
        self.ags.setMaxLength(8)
        self.ags.setPlaceholderText(_("z. B. 05974040"))
        ags_label = plain_label(_mnemonic(_("Amtlicher Gemeindeschlüssel (Stadt: 8 Ziffern, Kreis: 5)"), used) + ":",
                                buddy=self.ags)
        self.region = plain_label("", "genesis_region")
        self.map_button = QPushButton(_mnemonic(_("Spalten zuordnen…"), used))
        self.map_button.setObjectName("genesis_map")
        self.map_button.clicked.connect(self.edit_mapping)
        for widget, stretch in ((ags_label, 0), (self.ags, 0), (self.region, 1), (self.map_button, 0)):
            row.addWidget(widget, stretch)
        layout.addLayout(row)
        self.target = plain_label("", "genesis_target")
        self.target.setWordWrap(True)
        layout.addWidget(self.target)
        self.gemeinden = QCheckBox(_mnemonic(_("Die Gemeinden des Kreises als Gebiete übernehmen"), used))
        self.gemeinden.setObjectName("genesis_gemeinden")
        self.gemeinden.setToolTip(_("Jede Gemeinde des Kreises wird ein Gebiet der Ebene „Gemeinde“, mit ihren "
                                    "Zahlen aus dieser Tabelle: für Karte, Segregation und Bericht nach Gebieten."))
        self.gemeinden.hide()
        self.gemeinden.toggled.connect(self._schedule)
        layout.addWidget(self.gemeinden)
        self.values = _table("genesis_values", [_("Jahr"), _("Angabe"), _("Wert"), _("Stichtag"), _("Reihe"),
                                                _("Zeile der Datei")])
        self.values.verticalHeader().hide()
        values_label = plain_label(_mnemonic(_("Was übernommen wird"), used) + ":", buddy=self.values)
        layout.addWidget(values_label)
        layout.addWidget(self.values, 3)
        self.problem = problem_label("genesis_problem")
        layout.addWidget(self.problem)
        self.details = dry_run_text("genesis_details")
        details_label = plain_label(_mnemonic(_("Probelauf nach Jahren (nichts gespeichert)"), used) + ":",
                                    buddy=self.details)
        layout.addWidget(details_label)
        layout.addWidget(self.details, 2)
        buttons, self.apply_button = save_buttons(self, _("Übernehmen"))
        layout.addWidget(buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)  # a new key is checked when the officer stops typing
        self.timer.timeout.connect(self.update_preview)
        self.ags.textChanged.connect(self._schedule)
        self.update_preview()

    def _schedule(self) -> None:
        self.apply_button.setEnabled(False)
        self.timer.start()

    def _fail(self, message: str) -> None:
        self.taken, self.results = [], []
        self.problem.setText(message)
        self.values.setRowCount(0)
        self.details.clear()
        self.apply_button.setEnabled(False)

    def ags_text(self) -> str:
        return self.ags.text().strip()

    def update_preview(self) -> None:
        self.timer.stop()
        ags = self.ags_text()
        self.region.setText("")
        if not is_valid_ags(ags):
            self._fail(_("Bitte den amtlichen Gemeindeschlüssel eintragen: 8 Ziffern für eine Stadt (Soest: "
                         "05974040), 5 für einen Kreis (Kreis Soest: 05974)."))
            return
        lines = self.table.of(ags)
        if lines:
            self.region.setText(lines[0].name)
        # A Kreis may take its Gemeinden as areas where the table reaches down to them.
        self.gemeinden.setVisible(len(ags) == 5 and any(len(line.key) == 8 and line.key.startswith(ags)
                                                        for line in self.table.lines))
        self.mapping = mapping_for(self.table, remembered_mapping(self.db, self.table.code))
        if self.mapping is None:
            self.target.setText("")
            self._fail(_("Diese Tabelle kennt das Programm noch nicht. Bitte mit „Spalten zuordnen…“ einmal festlegen, "
                         "welche Spalte in welches Feld gehört."))
            return
        form = latest_form(self.mapping.form)
        self.target.setText(_("→ Formular „{form}“ ({how})").format(
            form=form.title, how=_("eigene Zuordnung") if self.mapping.key == self.table.code
            else _("mitgelieferte Zuordnung „{title}“").format(title=self.mapping.title)))
        try:
            self.taken = take(self.table, self.mapping, form, ags)
            self.results = import_genesis(self.db, form, self.table, self.taken, who="", dry_run=True)
        except UserError as exc:
            self._fail(exc.message)
            return
        self.problem.setText("")
        self.values.setRowCount(len(self.taken))
        for r, t in enumerate(self.taken):
            shown = t.value.display() + (f" ({t.symbol})" if t.symbol and t.value.number is None else "")
            for c, text in enumerate((str(t.year), _cell_label(form, t.address), shown, t.reference,
                                      t.series or _("Berichtsreihe"), str(t.line))):
                self.values.setItem(r, c, QTableWidgetItem(text))
        self.values.resizeColumnsToContents()
        lines_out = []
        for result in self.results:
            series = f" ({result.series})" if result.series else ""
            if result.problems:
                verdict = _("wird NICHT übernommen")
            elif result.unchanged:
                verdict = _("unverändert (diese Zahlen gelten schon)")
            elif result.replaced:
                verdict = _("wird übernommen und ersetzt freigegebene Werte")
            else:
                verdict = _("wird übernommen")
            lines_out.append(f"{result.year}{series}: {verdict}")
            lines_out += [f"  ✖ {p}" for p in result.problems] + [f"  ↻ {x}" for x in result.replaced]
            lines_out += [f"  ⚠ {w}" for w in result.warnings]
        if not self.gemeinden.isHidden() and self.gemeinden.isChecked():
            try:
                plan = gemeinden_of(self.table, self.mapping, form, ags)
            except UserError as exc:
                self._fail(exc.message)
                return
            lines_out.append(_("{n} Gemeinden als Gebiete der Ebene „{level}“, {m} Zahlen").format(
                n=len(plan.areas), level=GEMEINDE_LEVEL, m=len(plan.figures)))
        self.details.setPlainText("\n".join(lines_out))
        if any(r.problems for r in self.results):
            self.problem.setText(_("Jahre mit einem Fehler (✖) werden nicht übernommen."))
        self.apply_button.setEnabled(any(not r.problems and not r.unchanged for r in self.results)
                                     or (not self.gemeinden.isHidden() and self.gemeinden.isChecked()))

    def edit_mapping(self) -> None:
        if not is_valid_ags(self.ags_text()):
            self.ags.setFocus()
            return
        dialog = GenesisMappingDialog(self.table, self.ags_text(), self.mapping, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            remember_mapping(self.db, self.table.code, dialog.mapping().to_json())
            self.update_preview()

    def take_over(self) -> list[YearResult]:
        """After „Übernehmen": the preview listed every approved figure it replaces; that was the confirmation."""
        form = latest_form(self.mapping.form)
        results = import_genesis(self.db, form, self.table, self.taken, who=_("Integrationsbüro"), replace=True)
        if not self.gemeinden.isHidden() and self.gemeinden.isChecked():
            keep_gemeinden(self.db, gemeinden_of(self.table, self.mapping, form, self.ags_text()),
                           source_line(self.table), replace=True)
        if not registry_ags(self.db):
            set_registry_ags(self.db, self.ags_text())
        return results
