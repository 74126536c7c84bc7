"""The town's areas: the levels and their areas, the figures by area with a map, and the segregation measures; the
way in is a GIS file (Shapefile or GeoJSON) from the town's GIS office, with a preview before anything is saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.errors import UserError
from common.i18n import _
from common.numbers import format_number
from desktop.changes import Changes, announce
from desktop.dialog_parts import problem_label, save_buttons
from desktop.officer_views import year_selector
from desktop.operation import shows_errors
from desktop.plain import plain_label
from forms.area_characteristics import characteristics
from reports.area_measures import area_segregation
from reports.area_tables import shares
from reports.disclosure import Rules
from store.areas import areas_of, figures_at, levels

MAP_PIXELS = (1100, 1000)
NO_PARENT = ""


def _table(name: str, headings: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headings))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headings)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


class AreaImportDialog(QDialog):
    """Which attribute is the key, which the name, on which level the areas lie and how each finds its parent; the
    first areas as they would be taken, and every problem before anything is saved."""

    def __init__(self, db, boundaries, parent=None):
        super().__init__(parent)
        from intake.area_import import propose_fields

        self.db, self.boundaries, self.plan = db, boundaries, None
        self.setWindowTitle(_("Gebiete übernehmen: {name}").format(name=boundaries.file_name))
        self.resize(900, 620)
        layout = QVBoxLayout(self)
        intro = plain_label(_("{file}: {n} Gebiete, Projektion {crs}. Bitte wählen, welches Feld der Schlüssel und "
                              "welches der Name ist; gespeichert wird erst mit „Übernehmen“.").format(
            file=boundaries.file_name, n=format_number(len(boundaries.features)), crs=boundaries.crs), "areas_intro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        key, name = propose_fields(boundaries.fields)
        self.level = QLineEdit()
        self.level.setObjectName("area_level")
        self.level.setPlaceholderText(_("z. B. Stadtteil"))
        self.key = self._fields("area_key", key)
        self.name = self._fields("area_name", name)
        self.parent_level = QComboBox()
        self.parent_level.setObjectName("area_parent_level")
        self.parent_level.addItem(_("– keine (oberste Ebene) –"), NO_PARENT)
        for lv in levels(db):
            self.parent_level.addItem(lv.name, lv.name)
        self.parent_field = self._fields("area_parent_field", None, _("– aus dem Anfang des Schlüssels –"))
        self.prefix = QSpinBox()
        self.prefix.setObjectName("area_parent_prefix")
        self.prefix.setRange(1, 20)
        self.source = QLineEdit(boundaries.file_name)
        self.source.setObjectName("area_source")
        self.source.setMaxLength(200)
        self.source.setToolTip(_("Steht unter jeder Karte: woher die Umrisse stammen und unter welcher Lizenz, z. B. "
                                 "„Stadt Köln, Offene Daten, CC BY“."))
        rows = ((_("&Ebene der Gebiete"), self.level), (_("&Schlüssel"), self.key), (_("&Name"), self.name),
                (_("&Obere Ebene"), self.parent_level), (_("Feld des oberen &Gebiets"), self.parent_field),
                (_("oder die ersten N &Zeichen des Schlüssels"), self.prefix),
                (_("&Herkunft und Lizenz der Umrisse"), self.source))
        for i, (text, widget) in enumerate(rows):
            grid.addWidget(plain_label(text + ":", buddy=widget), i // 2, 2 * (i % 2))
            grid.addWidget(widget, i // 2, 2 * (i % 2) + 1)
        layout.addLayout(grid)
        self.preview = _table("areas_preview", [_("Schlüssel"), _("Name"), _("oberes Gebiet")])
        self.preview.setAccessibleName(_("Gebiete, wie sie übernommen würden"))
        layout.addWidget(self.preview, 1)
        self.problem = problem_label("areas_problem")
        layout.addWidget(self.problem)
        buttons, self.apply_button = save_buttons(self, _("Übernehmen"))
        layout.addWidget(buttons)
        for widget in (self.key, self.name, self.parent_level, self.parent_field):
            widget.currentIndexChanged.connect(self.update_preview)
        self.level.textChanged.connect(self.update_preview)
        self.source.textChanged.connect(self.update_preview)
        self.prefix.valueChanged.connect(self.update_preview)
        self.update_preview()

    def _fields(self, name: str, chosen: str | None, none_label: str | None = None) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        if none_label is not None:
            combo.addItem(none_label, None)
        for f in self.boundaries.fields:
            combo.addItem(f, f)
        if chosen is not None:
            combo.setCurrentIndex(combo.findData(chosen))
        return combo

    def update_preview(self, *_args) -> None:
        from intake.area_import import plan_areas

        self.plan = None
        self.apply_button.setEnabled(False)
        parent_level = self.parent_level.currentData() or None
        self.parent_field.setEnabled(parent_level is not None)
        self.prefix.setEnabled(parent_level is not None and self.parent_field.currentData() is None)
        if not self.level.text().strip():
            self.problem.setText(_("Bitte die Ebene benennen, z. B. „Stadtteil“ oder „Sozialraum“."))
            return
        try:
            plan = plan_areas(self.db, self.boundaries, self.level.text(), self.key.currentData(),
                              self.name.currentData(), parent_level,
                              self.parent_field.currentData() if parent_level else None,
                              self.prefix.value() if parent_level and self.parent_field.currentData() is None
                              else None)
        except UserError as exc:
            self.problem.setText(exc.message)
            self.preview.setRowCount(0)
            return
        self.preview.setRowCount(len(plan.areas))
        for r, area in enumerate(plan.areas):
            for c, text in enumerate((area.key, area.name, area.parent_key or "–")):
                self.preview.setItem(r, c, QTableWidgetItem(text))
        self.preview.resizeColumnsToContents()
        plan.source = self.source.text().strip() or self.boundaries.file_name
        self.problem.setText(_("{n} Gebiete: {new} neu, {updated} schon bekannt.").format(
            n=len(plan.areas), new=plan.new, updated=plan.updated))
        self.plan = plan
        self.apply_button.setEnabled(True)


class AreasView(QWidget):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        top, self.year = year_selector(_("Jahr:"), "areas_year", self.refresh)
        self.level = QComboBox()
        self.level.setObjectName("areas_level")
        self.level.currentIndexChanged.connect(self.refresh)
        self.group = QComboBox()
        self.group.setObjectName("areas_group")
        for c in characteristics().values():
            if c.part_of:
                self.group.addItem(c.label, c.code)
        self.group.currentIndexChanged.connect(self.refresh)
        for text, widget in ((_("&Ebene:"), self.level), (_("Gr&uppe:"), self.group)):
            top.insertWidget(top.count() - 1, plain_label(text, buddy=widget))
            top.insertWidget(top.count() - 1, widget)
        layout.addLayout(top)
        self.hint = plain_label("", "areas_hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        body = QHBoxLayout()
        self.table = _table("areas_table", [_("Schlüssel"), _("Gebiet"), _("oberes Gebiet"), _("Einwohner/innen"),
                                            _("Anteil in %")])
        self.table.setAccessibleName(_("Gebiete der Ebene"))
        body.addWidget(self.table, 3)
        self.map = plain_label("", "areas_map")
        self._map_picture: QPixmap | None = None
        self.map.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.map.setMinimumSize(360, 300)
        self.map.setAccessibleName(_("Karte"))
        body.addWidget(self.map, 4)
        layout.addLayout(body, 1)
        self.measures = plain_label("", "areas_segregation")
        self.measures.setWordWrap(True)
        self.measures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.measures)
        buttons = QHBoxLayout()
        self.import_button = QPushButton(_("Gebiete aus GIS-Datei über&nehmen…"))
        self.import_button.setToolTip(_("Eine Shapefile- (.shp mit .shx, .dbf, .prj) oder GeoJSON-Datei aus dem "
                                        "GIS der Stadt"))
        self.import_button.clicked.connect(self.import_areas)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.refresh()

    def on_changes(self, changes: Changes) -> None:
        if changes.registry or changes.statistics:
            self.refresh()

    def _fill_levels(self) -> None:
        chosen = self.level.currentData()
        self.level.blockSignals(True)
        self.level.clear()
        for lv in levels(self.db):
            self.level.addItem(lv.name, lv.code)
        if chosen is not None and self.level.findData(chosen) >= 0:
            self.level.setCurrentIndex(self.level.findData(chosen))
        self.level.blockSignals(False)

    def refresh(self, *_args) -> None:
        self._fill_levels()
        level, year = self.level.currentData(), self.year.value()
        if level is None:
            self.hint.setText(_("Noch keine Gebiete. Übernehmen Sie zuerst die Gebiete Ihrer Stadt aus dem GIS "
                                "(Shapefile oder GeoJSON), oberste Ebene zuerst – z. B. die Stadtbezirke, dann die "
                                "Stadtteile. Danach lassen sich Zahlen nach Gebieten übernehmen (Reiter „Amtliche "
                                "Statistik“), und Bericht, Karte und Segregation zeigen sie."))
            self.table.setRowCount(0)
            self._map_picture = None
            self.map.clear()
            self.measures.setText("")
            return
        self.hint.setText("")
        group = characteristics()[self.group.currentData()]
        totals = figures_at(self.db, level, year, "einwohner")
        found = {s.key: s for s in shares(self.db, level, year, group, False, Rules())}
        areas = areas_of(self.db, level, year)
        self.table.setRowCount(len(areas))
        for r, area in enumerate(areas):
            share = found[area.key].percent
            cells = (area.key, area.name, area.parent_key or "–",
                     "." if totals.get(area.key) is None else format_number(totals[area.key]),
                     "." if share is None else format_number(share, 1))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        result, missing = area_segregation(self.db, level, year, group)

        def text(v):
            return "x" if v is None else format_number(v, 4)

        line = _("{group} {year}: {n} Gebiete mit Zahlen, Anteil insgesamt {share} %, D = {d}, xPx = {x}, "
                 "xPy = {y}.").format(group=group.label, year=year, n=result.units,
                                      share="x" if result.share is None else format_number(result.share * 100, 1),
                                      d=text(result.dissimilarity), x=text(result.isolation), y=text(result.exposure))
        if missing:
            line += " " + _("Ohne Zahlen: {n} Gebiete.").format(n=len(missing))
        self.measures.setText(line + (" " + result.warning if result.warning else ""))
        self._draw_map(level, year, group, list(found.values()))

    def _draw_map(self, level: str, year: int, group, found) -> None:
        from store.areas import boundaries_of

        outlines = boundaries_of(self.db, level)
        if not outlines:
            self._map_picture = None
            self.map.setText(_("Für diese Ebene gibt es keine Umrisse; eine Karte braucht die Gebiete aus einer "
                               "GIS-Datei."))
            return
        from reports.map_figures import institution_points, render_png, source_line

        # Drawn once at a size that reads well and scaled to the space the window gives it.
        png = render_png(outlines, found, _("Anteil {group} nach {level}, {year}").format(
            group=group.label, level=self.level.currentText(), year=year), "%", source_line(self.db, level),
            MAP_PIXELS[0], MAP_PIXELS[1], institution_points(self.db, year))
        self._map_picture = QPixmap()
        self._map_picture.loadFromData(png)
        self._show_map()

    def _show_map(self) -> None:
        if self._map_picture is not None and not self._map_picture.isNull():
            self.map.setPixmap(self._map_picture.scaled(self.map.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                        Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._show_map()

    @shows_errors
    def import_areas(self) -> None:
        from desktop import dialogs
        from intake.area_import import apply_plan
        from intake.gis import read_boundaries

        path = dialogs.ask_open_path(self, _("GIS-Datei mit den Gebieten"), Path.home(),
                                     _("Gebiete (*.shp *.geojson *.json);;Alle Dateien (*)"))
        if path is None:
            return
        dialog = AreaImportDialog(self.db, read_boundaries(path), self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.plan is None:
            return
        code = apply_plan(self.db, dialog.plan)
        dialogs.inform(self, _("{n} Gebiete der Ebene „{level}“ übernommen.").format(
            n=len(dialog.plan.areas), level=dialog.plan.level))
        announce(self, Changes(registry=True))
        self.refresh()
        self.level.setCurrentIndex(max(0, self.level.findData(code)))
