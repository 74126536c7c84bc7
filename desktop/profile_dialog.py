"""Entering the institution's profile by hand, for holders who have no setup file from the town."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
)

from common.i18n import _
from desktop.plain import plain_label
from store.orgunits import INSTITUTION_KINDS, KIND_LABELS, SCHOOL_TYPES, OrgUnit


def _slug(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")[:40]


class ProfileDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Einrichtung eintragen"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = plain_label(_("Wenn Sie von der Stadt eine Einrichtungsdatei bekommen haben, nutzen Sie besser diese: "
                              "dann stimmen alle Angaben. Felder mit * sind nötig."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in INSTITUTION_KINDS:
            self.kind.addItem(_(KIND_LABELS[kind]), kind)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.number = QLineEdit()
        self.number.setObjectName("number")
        self.number_label = plain_label()
        self.school_type = QComboBox()
        self.school_type.setObjectName("school_type")
        self.school_type.addItems(SCHOOL_TYPES)
        self.school_type_label = plain_label(_("Schulform *"))
        self.traeger = QLineEdit()
        self.street = QLineEdit()
        self.postcode = QLineEdit()
        self.postcode.setMaxLength(5)
        self.city = QLineEdit()
        form.addRow(plain_label(_("Art der Einrichtung *"), buddy=self.kind), self.kind)
        form.addRow(plain_label(_("Name *"), buddy=self.name), self.name)
        form.addRow(self.number_label, self.number)
        form.addRow(self.school_type_label, self.school_type)
        form.addRow(plain_label(_("Träger"), buddy=self.traeger), self.traeger)
        form.addRow(plain_label(_("Straße und Hausnummer"), buddy=self.street), self.street)
        form.addRow(plain_label(_("Postleitzahl"), buddy=self.postcode), self.postcode)
        form.addRow(plain_label(_("Ort"), buddy=self.city), self.city)
        layout.addLayout(form)
        self.problem = plain_label()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color:#a40000")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Übernehmen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for widget in (self.name, self.number, self.postcode):
            widget.textChanged.connect(self._check)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        school = self.kind.currentData() == "schule"
        self.number_label.setText(_("Schulnummer (6 Ziffern) *") if school else _("Kennung von der Stadt"))
        self.school_type.setVisible(school)
        self.school_type_label.setVisible(school)
        self._check()

    def problems(self) -> list[str]:
        problems = []
        if not self.name.text().strip():
            problems.append(_("Bitte den Namen der Einrichtung eintragen."))
        number = self.number.text().strip()
        if self.kind.currentData() == "schule" and not re.fullmatch(r"\d{6}", number):
            problems.append(_("Die Schulnummer hat 6 Ziffern (sie steht z. B. in der E-Mail-Adresse "
                              "123456@schule.nrw.de)."))
        postcode = self.postcode.text().strip()
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            problems.append(_("Die Postleitzahl hat 5 Ziffern."))
        return problems

    def _check(self) -> None:
        problems = self.problems()
        self.problem.setText("\n".join(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)

    def institution(self) -> OrgUnit:
        kind = self.kind.currentData()
        name = self.name.text().strip()
        number = self.number.text().strip()
        unit_id = number or f"{kind}-{_slug(name)}"
        return OrgUnit(
            id=unit_id, kind=kind, name=name, official_number=number or None, traeger=self.traeger.text().strip(),
            street=self.street.text().strip(), postcode=self.postcode.text().strip(), city=self.city.text().strip(),
            attributes={"schulform": self.school_type.currentText()} if kind == "schule" else {},
        )
