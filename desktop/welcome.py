"""The first start: how this computer gets to know its institution."""

from __future__ import annotations

from PySide6.QtWidgets import QCommandLinkButton, QDialog, QVBoxLayout

from common.about import APP_NAME
from common.i18n import _
from desktop.plain import rich_label

SETUP_FILE, BY_HAND, DEMO, OFFICER = "setup_file", "by_hand", "demo", "officer"


class WelcomeDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle(_("Willkommen beim {app}").format(app=APP_NAME))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        intro = rich_label(_("<h2>Willkommen!</h2><p>Mit diesem Programm tragen Sie einmal im Jahr die Zahlen "
                             "Ihrer Einrichtung für das Integrationsmonitoring der Stadt ein. Es werden nur Anzahlen "
                             "gemeldet, keine Angaben zu einzelnen Personen. Zuerst muss das Programm wissen, für "
                             "welche Einrichtung Sie melden:</p>"), "welcome_intro")  # a heading, no data
        intro.setWordWrap(True)
        layout.addWidget(intro)
        options = (
            (SETUP_FILE, _("Einrichtungsdatei der Stadt öffnen"),
             _("Empfohlen. Die Stadt hat Ihnen eine Datei geschickt (Endung .imsetup).")),
            (BY_HAND, _("Einrichtung selbst eintragen"),
             _("Name, Art und Adresse Ihrer Einrichtung von Hand eingeben.")),
            (DEMO, _("Demo ausprobieren"),
             _("Eine erfundene Grundschule mit Werten der Vorjahre, zum gefahrlosen Üben.")),
            (OFFICER, _("Ich bin das Integrationsbüro der Stadt"),
             _("Neuen Arbeitsbereich für die Stadt anlegen: Schlüssel erzeugen, Meldungen empfangen.")),
        )
        for choice, title, description in options:
            button = QCommandLinkButton(title, description)
            button.setObjectName(choice)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            layout.addWidget(button)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
