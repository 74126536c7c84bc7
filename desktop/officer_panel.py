"""The officer's exchange desk: unlock the keys, import files (chosen, dropped, inbox, WebDAV), setup files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.errors import UserError
from common.file_names import file_name_for
from common.i18n import _, ngettext
from desktop import dialogs
from desktop.changes import NOTHING, Changes
from desktop.operation import Operation, shows_errors
from desktop.plain import plain_label
from store.orgunits import INSTITUTION_KINDS, KIND_LABELS, list_org_units
from sync.officer import LOSS_WARNING, exchange_folders, export_key_backup, unlock_officer, write_setup_file
from sync.setup_file import SUFFIX as SETUP_SUFFIX


class OfficerPanel(QWidget):
    def __init__(self, db, db_path: Path, parent=None):
        super().__init__(parent)
        self.db, self.db_path, self.keys = db, Path(db_path), None
        self.folders = exchange_folders(db_path)
        self.pending_source = None
        self.previewed: set[str] | None = None  # the files the last dry run showed, by content hash
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        self.status = plain_label()
        self.status.setObjectName("officer_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        splitter = QSplitter()
        layout.addWidget(splitter, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(plain_label(_("Einrichtungen:")))
        self.institutions = QListWidget()
        self.institutions.setObjectName("institutions")
        self.institutions.setAccessibleName(_("Einrichtungen für Einrichtungsdateien"))
        left_layout.addWidget(self.institutions, 1)
        self.setup_button = QPushButton(_("E&inrichtungsdatei erstellen…"))
        self.update_button = QPushButton(_("Ak&tualisierung erstellen…"))
        self.backup_button = QPushButton(_("Schlüssel si&chern…"))
        self.create_keys_button = QPushButton(_("Schlüssel er&zeugen…"))
        self.create_keys_button.hide()
        self.create_keys_button.clicked.connect(self.create_keys)
        for button in (self.create_keys_button, self.setup_button, self.update_button, self.backup_button):
            left_layout.addWidget(button)
        self.setup_button.clicked.connect(lambda: self.make_setup_file(first=True))
        self.update_button.clicked.connect(lambda: self.make_setup_file(first=False))
        self.backup_button.clicked.connect(self.backup_keys)
        splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        hint = plain_label(_("Meldungsdateien hierher ziehen, auswählen oder aus dem Eingangsordner bzw. WebDAV "
                             "abholen. Abgelehnte Dateien kommen mit Begründung in die Quarantäne; nichts wird "
                             "gelöscht."))
        hint.setWordWrap(True)
        right_layout.addWidget(hint)
        buttons = QHBoxLayout()
        self.choose_button = QPushButton(_("Dateien w&ählen…"))
        self.inbox_button = QPushButton(_("&Eingangsordner abholen"))
        self.webdav_button = QPushButton(_("&WebDAV abholen…"))
        self.dry_run = QCheckBox(_("Erst Probelauf: zeigen, was sich ändern würde"))
        self.dry_run.setChecked(True)
        for widget in (self.choose_button, self.inbox_button, self.webdav_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.dry_run)
        self.summary = plain_label()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        right_layout.addWidget(self.summary)
        self.results = QTableWidget(0, 3)
        self.results.setObjectName("results")
        self.results.setAccessibleName(_("Ergebnis des Einlesens, Datei für Datei"))
        self.results.setHorizontalHeaderLabels([_("Datei"), _("Ergebnis"), _("Grund und Änderungen")])
        self.results.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setWordWrap(True)
        right_layout.addWidget(self.results, 1)
        self.commit_button = QPushButton(_("Jetzt &übernehmen"))
        self.commit_button.setObjectName("commit")
        self.commit_button.setEnabled(False)
        right_layout.addWidget(self.commit_button)
        splitter.addWidget(right)
        splitter.setSizes([320, 960])

        self.choose_button.clicked.connect(self.choose_files)
        self.inbox_button.clicked.connect(self.fetch_inbox)
        self.webdav_button.clicked.connect(self.fetch_webdav)
        self.commit_button.clicked.connect(self.commit)
        self.reload_institutions()
        self._locked_state()

    # --- keys ------------------------------------------------------------------------------------------------
    def unlock(self, attempts: int = 3) -> bool:
        from store.settings import protected_officer_keys

        if not protected_officer_keys(self.db):
            self.create_keys_button.show()
            self._locked_state()
            return False
        for _attempt in range(attempts):
            passphrase = dialogs.ask_passphrase(self, _("Kennwort des Integrationsbüros (öffnet die Meldungen und "
                                                        "unterschreibt Einrichtungsdateien):"))
            if passphrase is None:
                break
            try:
                self.keys = unlock_officer(self.db, passphrase)
                break
            except UserError as exc:
                dialogs.show_error(self, exc)
        self._locked_state()
        return self.keys is not None

    @shows_errors
    def create_keys(self) -> None:
        from sync.officer import init_officer

        passphrase = dialogs.ask_new_passphrase(self)
        if passphrase is None:
            return
        self.keys = init_officer(self.db, passphrase)
        self.create_keys_button.hide()
        self._locked_state()
        dialogs.inform(self, _("Die Schlüssel sind erzeugt. Bitte gleich „Schlüssel sichern…“ wählen.\n\n{w}").format(
            w=_(LOSS_WARNING)))

    def _locked_state(self) -> None:
        unlocked = self.keys is not None
        for button in (self.setup_button, self.update_button, self.choose_button, self.inbox_button,
                       self.webdav_button):
            button.setEnabled(unlocked)
        self.status.setText(_("Schlüssel geöffnet. Fingerabdruck: {fp}").format(fp=self.keys.public.fingerprint)
                            if unlocked else _("Schlüssel gesperrt: ohne Kennwort lassen sich keine Meldungen "
                                               "öffnen."))

    @shows_errors
    def backup_keys(self) -> None:
        path = dialogs.ask_save_path(self, _("Schlüsselsicherung speichern"), Path.home() /
                                     "Integrationsmonitor-Schluessel.json", _("Sicherungen (*.json)"))
        if path is None:
            return
        export_key_backup(self.db, path)
        dialogs.inform(self, _("Sicherung gespeichert: {path}\n\n{warning}").format(path=path, warning=_(LOSS_WARNING)))

    # --- registry and setup files ----------------------------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        if changes.registry:
            self.reload_institutions()

    def reload_institutions(self) -> None:
        self.institutions.clear()
        for unit in list_org_units(self.db):
            if unit.kind in INSTITUTION_KINDS:
                item = QListWidgetItem(f"{unit.name}\n{_(KIND_LABELS[unit.kind])} · {unit.id}")
                item.setData(Qt.ItemDataRole.UserRole, unit.id)
                self.institutions.addItem(item)

    @shows_errors
    def make_setup_file(self, first: bool) -> None:
        item = self.institutions.currentItem()
        if item is None:
            dialogs.inform(self, _("Bitte links zuerst eine Einrichtung wählen."))
            return
        unit_id = item.data(Qt.ItemDataRole.UserRole)
        suffix = "Einrichtung" if first else "Aktualisierung"
        suggested = Path.home() / file_name_for(f"{suffix}_{unit_id}", SETUP_SUFFIX)
        path = dialogs.ask_save_path(self, _("Einrichtungsdatei speichern"), suggested,
                                     _("Einrichtungsdateien (*.imsetup)"))
        if path is None:
            return
        passphrase = write_setup_file(self.db, self.keys, unit_id, path, first=first)
        if passphrase:
            dialogs.inform(self, _("Einrichtungsdatei gespeichert: {path}\n\nEinmal-Kennwort, bitte jetzt notieren und "
                                   "getrennt von der Datei per Telefon oder Brief weitergeben (es wird nicht noch "
                                   "einmal angezeigt):\n\n{p}\n\nFrühere Schlüssel dieser Einrichtung sind damit "
                                   "gesperrt.").format(path=path, p=passphrase))
        else:
            dialogs.inform(self, _("Aktualisierung gespeichert: {path}. Sie braucht kein Kennwort.").format(path=path))

    # --- import ----------------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths = dialogs.ask_open_paths(self, _("Meldungsdateien wählen"), Path.home(),
                                       _("Meldungsdateien und Excel-Formulare (*.imon *.xlsx);;Alle Dateien (*)"))
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[Path]) -> None:
        from sync.transports import FileSource

        self._run(FileSource(paths, archive_dir=self.folders.archive, quarantine_dir=self.folders.quarantine))

    def fetch_inbox(self) -> None:
        from sync.transports import FolderInbox

        self.folders.inbox.mkdir(parents=True, exist_ok=True)
        self._run(FolderInbox(self.folders.inbox, self.folders.archive, self.folders.quarantine))

    @shows_errors
    def fetch_webdav(self) -> None:
        from store.settings import set_webdav_account, webdav_account
        from sync.transports import WebDavInbox

        answer = dialogs.ask_webdav(self, *webdav_account(self.db))
        if answer is None:
            return
        url, user, password = answer
        source = WebDavInbox(url, user, password, self.folders.archive, self.folders.quarantine)  # refuses http://
        set_webdav_account(self.db, url, user)
        self._run(source)

    def _run(self, source, only: set[str] | None = None, dry_run: bool | None = None) -> None:
        if self.keys is None:
            return
        from sync.importer import import_from

        dry_run = self.dry_run.isChecked() if dry_run is None else dry_run
        self.pending_source = source if dry_run else None
        keys, outbox = self.keys, None if dry_run else self.folders.outbox

        def work(progress, cancelled):
            return import_from(self.db, keys, source, dry_run=dry_run, outbox=outbox, progress=progress,
                               cancelled=cancelled, only=only)

        # A dry run rolls back: it changes nothing the other views show.
        Operation(self, _("Meldungen werden eingelesen …"), work,
                  NOTHING if dry_run else Changes(submissions=True, values=True)).success(self.show_summary).run()

    def commit(self) -> None:
        source, self.pending_source = self.pending_source, None
        if source is None:
            return
        self._run(source, only=self.previewed, dry_run=False)

    def show_summary(self, summary) -> None:
        counts = ", ".join(f"{n} {_(outcome)}" for outcome, n in summary.counts.items())
        prefix = _("Probelauf, noch nichts gespeichert: ") if summary.dry_run else _("Eingelesen: ")
        self.previewed = summary.previewed if summary.dry_run else None
        held = ngettext(" – {n} Datei kam nach dem Probelauf an und bleibt für den nächsten Abruf liegen.",
                        " – {n} Dateien kamen nach dem Probelauf an und bleiben für den nächsten Abruf liegen.",
                        len(summary.held_back)).format(n=len(summary.held_back)) if summary.held_back else ""
        self.summary.setText(prefix + counts + held)
        self.results.setRowCount(len(summary.results))
        for row, result in enumerate(summary.results):
            details = "\n".join([result.reason, *result.changes, *(f"⚠ {f}" for f in result.flags)]).strip()
            for column, text in enumerate((result.name, _(result.outcome), details)):
                item = QTableWidgetItem(text)
                # A new submission lists every value: its file name stays in view at the top of the tall row.
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.results.setItem(row, column, item)
        self.results.resizeColumnToContents(0)
        self.results.resizeRowsToContents()
        self.commit_button.setEnabled(summary.dry_run and self.pending_source is not None and bool(summary.results))

    # --- drag and drop ---------------------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls()]
        event.acceptProposedAction()
        if self.keys is None and not self.unlock():
            return
        self.import_paths(paths)
