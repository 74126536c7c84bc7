"""The dialog to add one Bezirk, Unterbezirk or institution to the registry by hand, or to change one."""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout

from common.i18n import _
from common.ids import is_valid_id
from desktop.plain import plain_label
from store.orgunits import INSTITUTION_KINDS, KIND_LABELS, KINDS, SCHOOL_TYPES, OrgUnit


def _area_label(unit: OrgUnit, by_id: dict[str, OrgUnit]) -> str:
    parent = by_id.get(unit.parent_id or "")
    return f"{parent.name} › {unit.name}" if unit.kind == "unterbezirk" and parent else unit.name


def _year(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100 else None


class UnitDialog(QDialog):
    """One Bezirk, Unterbezirk or institution; new (`unit` None) or as it is. Problems show below the fields."""

    def __init__(self, units: list[OrgUnit], unit: OrgUnit | None = None, kind: str | None = None, parent=None,
                 areas: list[tuple[str, str, str]] = (), area: tuple[str, str] | None = None):
        """`areas`: (level, key, label) of every area the institution may lie in; `area` the one it lies in."""
        super().__init__(parent)
        self.units, self.old = units, unit
        self.by_id = {u.id: u for u in units}
        self.setWindowTitle(_("Neuer Eintrag im Verzeichnis") if unit is None else
                            _("„{name}“ bearbeiten").format(name=unit.name))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for k in KINDS:
            self.kind.addItem(_(KIND_LABELS[k]), k)
        self.kind.setCurrentIndex(max(0, self.kind.findData(unit.kind if unit else kind or "schule")))
        self.id_edit, self.id_label = QLineEdit(), plain_label()
        self.id_edit.setObjectName("id")
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.school_type = QComboBox()
        self.school_type.setObjectName("school_type")
        self.school_type.addItems(SCHOOL_TYPES)
        self.traeger, self.street, self.postcode, self.city = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.postcode.setMaxLength(5)
        self.parent_combo, self.parent_label = QComboBox(), plain_label()
        self.parent_combo.setObjectName("parent")
        self.valid_from, self.valid_to = QLineEdit(), QLineEdit()
        for edit, name in ((self.valid_from, "valid_from"), (self.valid_to, "valid_to")):
            edit.setObjectName(name)
            edit.setMaxLength(4)
            edit.setPlaceholderText(_("Jahr, z. B. 2020"))
        self.successor = QComboBox()
        self.successor.setObjectName("successor")
        self.successor.setToolTip(_("Die Einrichtung, in der diese nach einer Zusammenlegung aufgegangen ist."))
        self.area = QComboBox()
        self.area.setObjectName("area")
        self.area.setToolTip(_("Das Gebiet der Stadt, in dem die Einrichtung liegt (Reiter „Gebiete“)."))
        self.area.addItem(_("– keines –"), None)
        for level, key, label in areas:
            self.area.addItem(label, f"{level}\t{key}")  # text: Qt finds a tuple in its items unreliably
        if area is not None:
            self.area.setCurrentIndex(max(0, self.area.findData("\t".join(area))))
        for label, widget in ((_("Art *"), self.kind), (self.id_label, self.id_edit), (_("Name *"), self.name),
                              (_("Schulform *"), self.school_type), (_("Träger"), self.traeger),
                              (_("Straße und Hausnummer"), self.street), (_("Postleitzahl"), self.postcode),
                              (_("Ort"), self.city), (self.parent_label, self.parent_combo),
                              (_("gültig ab"), self.valid_from), (_("gültig bis"), self.valid_to),
                              (_("Nachfolger"), self.successor), (_("Gebiet"), self.area)):
            self.form.addRow(plain_label(label, buddy=widget) if isinstance(label, str) else label, widget)
        layout.addLayout(self.form)
        self.problem = plain_label()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color:#a40000")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Speichern"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if unit is not None:
            self._load(unit)
            self.name.setFocus()
        for edit in (self.id_edit, self.name, self.postcode, self.valid_from, self.valid_to):
            edit.textChanged.connect(self._check)
        self.parent_combo.currentIndexChanged.connect(self._check)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _load(self, unit: OrgUnit) -> None:
        self.kind.setEnabled(False)
        self.kind.setToolTip(_("Die Art eines vorhandenen Eintrags bleibt; an ihr hängen seine Meldungen."))
        self.id_edit.setText(unit.id)
        self.id_edit.setReadOnly(True)
        self.id_edit.setStyleSheet("background: palette(window)")
        self.id_edit.setToolTip(_("Die Kennung bleibt; unter ihr sind die Meldungen gespeichert."))
        self.name.setText(unit.name)
        schulform = unit.attributes.get("schulform", "")
        if schulform and self.school_type.findText(schulform) < 0:
            self.school_type.addItem(schulform)  # as the imported list wrote it
        self.school_type.setCurrentText(schulform or SCHOOL_TYPES[0])
        for edit, text in ((self.traeger, unit.traeger), (self.street, unit.street), (self.postcode, unit.postcode),
                           (self.city, unit.city), (self.valid_from, str(unit.valid_from or "")),
                           (self.valid_to, str(unit.valid_to or ""))):
            edit.setText(text)

    def _choices(self, combo: QComboBox, none: str | None, options: list[tuple[str, str]], chosen: str | None):
        combo.blockSignals(True)
        combo.clear()
        if none is not None:
            combo.addItem(none, None)
        for label, unit_id in sorted(options, key=lambda o: o[0].casefold()):
            combo.addItem(label, unit_id)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
        combo.blockSignals(False)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        school, own_id = kind == "schule", self.old.id if self.old else None
        self.id_label.setText(_("Schulnummer (6 Ziffern) *") if school else _("Kennung *"))
        self.id_edit.setPlaceholderText("" if school else _("z. B. kita-sonnenschein"))
        self.form.setRowVisible(self.school_type, school)
        areas = {"stadt": (), "bezirk": ("stadt",), "unterbezirk": ("bezirk",)}.get(kind, ("bezirk", "unterbezirk"))
        options = [(_area_label(u, self.by_id), u.id) for u in self.units if u.kind in areas]
        chosen = self.parent_combo.currentData() or (self.old.parent_id if self.old else None)
        if chosen is None and kind == "bezirk" and options:
            chosen = options[0][1]  # the town
        self._choices(self.parent_combo, None if kind == "unterbezirk" else _("– keiner –"), options, chosen)
        self.parent_label.setText({"bezirk": _("Gehört zu (Stadt)"), "unterbezirk": _("Bezirk *")}.get(
            kind, _("Bezirk/Unterbezirk")))
        self.form.setRowVisible(self.parent_combo, kind != "stadt")
        self.form.setRowVisible(self.area, kind in INSTITUTION_KINDS and self.area.count() > 1)
        family = INSTITUTION_KINDS if kind in INSTITUTION_KINDS else (kind,)
        successors = [(f"{u.name} ({u.id})", u.id) for u in self.units if u.kind in family and u.id != own_id]
        self._choices(self.successor, _("– keiner –"), successors,
                      self.successor.currentData() or (self.old.successor_id if self.old else None))
        self._check()

    def chosen_area(self) -> tuple[str, str] | tuple[None, None]:
        data = self.area.currentData()
        return tuple(data.split("\t", 1)) if data else (None, None)

    def problems(self) -> list[str]:
        kind, unit_id, problems = self.kind.currentData(), self.id_edit.text().strip(), []
        if self.old is None:
            if not unit_id:
                problems.append(_("Bitte die Schulnummer eintragen.") if kind == "schule" else
                                _("Bitte eine Kennung eintragen."))
            elif kind == "schule" and not re.fullmatch(r"\d{6}", unit_id):
                problems.append(_("Die Schulnummer hat 6 Ziffern (sie steht z. B. in der E-Mail-Adresse "
                                  "123456@schule.nrw.de)."))
            elif not is_valid_id(unit_id):
                problems.append(_("Die Kennung darf nur Buchstaben ohne Umlaute, Ziffern, Punkt, Bindestrich und "
                                  "Unterstrich enthalten, beginnt mit einem Buchstaben oder einer Ziffer und hat "
                                  "höchstens 64 Zeichen, z. B. „kita-sonnenschein“."))
            elif unit_id in self.by_id:
                other = self.by_id[unit_id]
                problems.append(_("Die Kennung „{id}“ gibt es schon: {kind} „{name}“. Bitte eine andere wählen oder "
                                  "den vorhandenen Eintrag mit „Bearbeiten…“ ändern.").format(
                    id=unit_id, kind=_(KIND_LABELS[other.kind]), name=other.name))
        if not self.name.text().strip():
            problems.append(_("Bitte den Namen eintragen."))
        postcode = self.postcode.text().strip()
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            problems.append(_("Die Postleitzahl hat 5 Ziffern."))
        years = {}
        for label, edit in ((_("gültig ab"), self.valid_from), (_("gültig bis"), self.valid_to)):
            text = edit.text().strip()
            years[edit] = _year(text)
            if text and years[edit] is None:
                problems.append(_("„{label}“ ist kein Jahr: „{text}“ (bitte vier Ziffern, z. B. 2020).").format(
                    label=label, text=text))
        start, end = years[self.valid_from], years[self.valid_to]
        if start and end and start > end:
            problems.append(_("gültig ab ({start}) liegt nach gültig bis ({end}).").format(start=start, end=end))
        if kind == "unterbezirk" and self.parent_combo.currentData() is None:
            problems.append(_("Ein Unterbezirk gehört zu einem Bezirk: bitte zuerst den Bezirk anlegen."))
        return problems

    def _check(self) -> None:
        problems = self.problems()
        self.problem.setText("\n".join(problems))
        self.save_button.setEnabled(not problems)

    def unit(self) -> OrgUnit:
        kind = self.kind.currentData()
        attributes = dict(self.old.attributes) if self.old else {}
        if kind == "schule":
            attributes["schulform"] = self.school_type.currentText()
        else:
            attributes.pop("schulform", None)
        fields = dict(kind=kind, name=self.name.text().strip(), parent_id=self.parent_combo.currentData()
                      if kind != "stadt" else None, traeger=self.traeger.text().strip(),
                      street=self.street.text().strip(), postcode=self.postcode.text().strip(),
                      city=self.city.text().strip(), attributes=attributes,
                      valid_from=_year(self.valid_from.text().strip()), valid_to=_year(self.valid_to.text().strip()),
                      successor_id=self.successor.currentData())
        if self.old is not None:
            return replace(self.old, **fields)
        unit_id = self.id_edit.text().strip()
        return OrgUnit(id=unit_id, official_number=unit_id if kind == "schule" else None, **fields)
