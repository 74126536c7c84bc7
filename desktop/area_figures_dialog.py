"""A long table by area from the town's statistics office: each characteristic the table names mapped once to one
the program knows (remembered), the level of its areas, and a dry run that names every problem before anything is
saved."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QTableWidgetItem,
    QVBoxLayout,
)

from common.errors import UserError
from common.i18n import _
from desktop.dialog_parts import dry_run_text, problem_label, save_buttons
from desktop.plain import plain_label
from desktop.statistics_import_dialog import _mnemonic, _table
from forms.area_characteristics import characteristics, known_code
from intake.area_figures import MAPPING_KEY, AreaFiguresResult, import_area_figures, layout
from intake.tables import Table
from store.areas import levels
from store.table_mappings import remember_mapping, remembered_mapping

ANY_LEVEL = ""


class AreaFiguresDialog(QDialog):
    def __init__(self, db, table: Table, file_name: str, parent=None):
        super().__init__(parent)
        self.db, self.table = db, table
        self.result: AreaFiguresResult | None = None
        self.setWindowTitle(_("Zahlen nach Gebieten: {name}").format(name=file_name))
        self.resize(900, 640)
        layout_ = QVBoxLayout(self)
        intro = plain_label(_("{name}: {rows} Zeilen. Bitte jedem Merkmal der Tabelle ein Merkmal des Programms "
                              "zuordnen; die Zuordnung wird gemerkt. Gespeichert wird erst mit „Übernehmen“.").format(
            name=file_name, rows=len(table.rows)), "area_figures_intro")
        intro.setWordWrap(True)
        layout_.addWidget(intro)
        used: set[str] = set()
        row = QHBoxLayout()
        self.level = QComboBox()
        self.level.setObjectName("area_figures_level")
        self.level.addItem(_("– nach Schlüssel oder Name auf jeder Ebene –"), ANY_LEVEL)
        for lv in levels(db):
            self.level.addItem(lv.name, lv.name)
        row.addWidget(plain_label(_mnemonic(_("Ebene der Gebiete"), used) + ":", buddy=self.level))
        row.addWidget(self.level, 1)
        layout_.addLayout(row)
        remembered = remembered_mapping(db, MAPPING_KEY) or {}
        column = layout(table).get("characteristic")
        texts = list(dict.fromkeys(r[column].strip() for r in table.rows if column is not None and column < len(r)))
        self.texts = texts
        self.mapping = _table("area_figures_mapping", [_("Merkmal der Tabelle"), _("Merkmal des Programms")])
        self.mapping.setRowCount(len(texts))
        self.targets: list[QComboBox] = []
        for r, text in enumerate(texts):
            self.mapping.setItem(r, 0, QTableWidgetItem(text))
            combo = QComboBox()
            combo.setAccessibleName(_("Merkmal für „{text}“").format(text=text))
            combo.addItem(_("– nicht übernehmen –"), "")
            for c in characteristics().values():
                combo.addItem(c.label, c.code)
            chosen = remembered.get(text) or known_code(text)
            if chosen:
                combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.currentIndexChanged.connect(self.update_preview)
            self.mapping.setCellWidget(r, 1, combo)
            self.targets.append(combo)
        self.mapping.resizeColumnsToContents()
        layout_.addWidget(plain_label(_mnemonic(_("Merkmale"), used) + ":", buddy=self.mapping))
        layout_.addWidget(self.mapping, 2)
        self.problem = problem_label("area_figures_problem")
        layout_.addWidget(self.problem)
        self.details = dry_run_text("area_figures_details")
        layout_.addWidget(plain_label(_mnemonic(_("Probelauf (nichts gespeichert)"), used) + ":",
                                      buddy=self.details))
        layout_.addWidget(self.details, 1)
        buttons, self.apply_button = save_buttons(self, _("Übernehmen"))
        layout_.addWidget(buttons)
        self.level.currentIndexChanged.connect(self.update_preview)
        self.update_preview()

    def chosen_mapping(self) -> dict[str, str]:
        """Only the texts mapped here; a text left on „nicht übernehmen" is refused by name in the preview."""
        return {text: combo.currentData() for text, combo in zip(self.texts, self.targets, strict=True)
                if combo.currentData()}

    def update_preview(self, *_args) -> None:
        self.apply_button.setEnabled(False)
        try:
            self.result = import_area_figures(self.db, self.table, self.level.currentData() or None,
                                              self.chosen_mapping(), dry_run=True)
        except UserError as exc:
            self.problem.setText(exc.message)
            self.details.clear()
            return
        count = sum(len(f) for f in self.result.figures.values())
        lines = [_("{n} Zahlen für {areas} Gebiete.").format(
            n=count, areas=len({(lv, k) for lv, f in self.result.figures.items() for k, _y, _c in f}))]
        lines += [f"↻ {r}" for r in self.result.replaced] + [f"✖ {p}" for p in self.result.problems]
        self.details.setPlainText("\n".join(lines))
        self.problem.setText(_("Zeilen mit einem Fehler (✖): es wird nichts übernommen, bis die Tabelle stimmt.")
                             if self.result.problems else "")
        self.apply_button.setEnabled(not self.result.problems and count > 0)

    def take_over(self) -> AreaFiguresResult:
        """After „Übernehmen": the preview listed every figure it replaces (old → new); that was the confirmation."""
        mapping = self.chosen_mapping()
        result = import_area_figures(self.db, self.table, self.level.currentData() or None, mapping, replace=True)
        if result.written:
            remember_mapping(self.db, MAPPING_KEY, (remembered_mapping(self.db, MAPPING_KEY) or {}) | mapping)
        return result
