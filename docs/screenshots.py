"""Screenshots for the handbook in docs/handbuch, made from the demo town so that they stay current.

    python docs/screenshots.py [--out docs/handbuch/bilder] [--only NAME ...] [--list]

Builds the workspaces in a temporary folder: the town hall's (demo.town.build_demo, with the officer's keys and
setup files) and one holder database each for a Grundschule, a Kita, a Jugendtreff and a Verein, set up from the
town's setup file the way a holder does it on the first start. Then it opens the real main window offscreen at
1280×800, works through it like a user (list, keys, buttons, tabs) and saves QWidget.grab() images under stable
names that the Markdown files link to.

Dialogs that would wait for an answer are answered here, the way tests/desktop/conftest.py does: the functions of
desktop/dialogs.py are replaced, and a dialog's exec() (or a table's context menu) shows it without blocking, so that
it can be photographed and answered. Everything is fixed: the demo's seed, the figures typed, "today" (16 November of
the year after the demo's last year), and the demo's keys and one-time passphrase. A second run gives the same
pictures, byte for byte, unless the program changed.

`make docs` runs it (about 20 seconds); tests/test_docs.py checks that the handbook and this script agree.
"""

from __future__ import annotations

import argparse
import datetime as datetime_module
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import chdir, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python docs/screenshots.py` without the package installed
os.environ["IMON_LANGUAGE"] = "de"  # the handbook is German, whatever the computer's language; read at import

from nacl.public import PrivateKey  # noqa: E402
from nacl.signing import SigningKey  # noqa: E402
from PySide6.QtCore import QEvent, QPoint, Qt, QTime  # noqa: E402
from PySide6.QtGui import QKeyEvent, QPainter, QPixmap  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QCommandLinkButton,
    QDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QWidget,
)

import desktop.entry.fields  # noqa: E402
import desktop.entry_host  # noqa: E402
import desktop.officer_views  # noqa: E402
import desktop.ops.workspace  # noqa: E402
import desktop.registry_view  # noqa: E402
import desktop.report_view  # noqa: E402
import desktop.visitor_log  # noqa: E402
import reports.report_builder  # noqa: E402
import sync.keys  # noqa: E402
import sync.officer  # noqa: E402
from common.about import APP_NAME  # noqa: E402
from common.numbers import format_number  # noqa: E402
from demo.institutions import GENERATORS  # noqa: E402
from demo.registry import LAST_YEAR, make_institutions  # noqa: E402
from demo.town import build_demo  # noqa: E402
from desktop import dialogs  # noqa: E402
from desktop.holder_window import HolderWindow  # noqa: E402
from desktop.ops.entry_session import EntrySession  # noqa: E402
from desktop.ops.workspace import open_form, open_workspace  # noqa: E402
from forms.catalog import form_for, latest_form  # noqa: E402
from forms.model import FieldType  # noqa: E402
from forms.values import Address, Value  # noqa: E402
from store.database import open_database, write  # noqa: E402
from store.submissions import current_submission, load_values  # noqa: E402
from store.visits import GENDERS, age_groups, record_visit  # noqa: E402
from sync.export import default_file_name, export_submission  # noqa: E402
from sync.holder import setup_from_file  # noqa: E402
from sync.officer import exchange_folders, init_officer, write_setup_file  # noqa: E402

DEFAULT_OUT = ROOT / "docs" / "handbuch" / "bilder"

# name: (scene, what it shows). The names are part of the handbook: tests/test_docs.py checks both sides.
SHOTS: dict[str, tuple[str, str]] = {
    "willkommen": ("schule", "erster Start: wie das Programm seine Einrichtung kennenlernt"),
    "schule-formular": ("schule", "Formular der Grundschule, geöffnet, mit Vorjahreswert und Hilfe"),
    "schule-schild": ("schule", "Vorschläge aus dem SchILD-Export neben den Feldern"),
    "schule-fehler": ("schule", "Tippfehler: ZWG größer als Schüler/innen insgesamt"),
    "schule-hinweis": ("schule", "Hinweis gegenüber dem Vorjahr mit „Begründung eintragen“"),
    "schule-exportiert": ("schule", "abgeschlossen und exportiert"),
    "kita-formular": ("kita", "Formular der Kita mit den Spalten der KJH-Statistik"),
    "jugendtreff-besucherliste": ("jugendtreff", "Besucherliste (Strichliste)"),
    "jugendtreff-formular": ("jugendtreff", "Besuche nach Monat aus der Besucherliste übernommen"),
    "verein-schaetzung": ("verein", "Rechtsklick in eine Zelle: als geschätzt markieren"),
    "verein-formular": ("verein", "Formular des Vereins mit geschätzten Angaben"),
    "buero-verzeichnis": ("buero", "Verzeichnis der Einrichtungen"),
    "buero-einmal-kennwort": ("buero", "Einrichtungsdatei erstellt: das Einmal-Kennwort"),
    "buero-austausch": ("buero", "Probelauf beim Einlesen des Eingangsordners"),
    "buero-pruefung": ("buero", "Prüfung einer Meldung neben dem Vorjahr"),
    "buero-jahresuebersicht": ("buero", "Jahresübersicht: wer gemeldet hat, wer fehlt"),
    "buero-erinnerung": ("buero", "Erinnerungsschreiben"),
    "buero-statistik-import": ("buero", "Tabelle der zweiten Quelle importieren: Vorschau"),
    "buero-statistik": ("buero", "Amtliche Statistik mit Hauptquelle und weiterer Quelle"),
    "buero-quellen": ("buero", "Quellen vergleichen"),
    "buero-bericht": ("buero", "Bericht (intern): wichtige Kennzahlen"),
    "buero-bericht-kapitel": ("buero", "Bericht (intern): ein Kapitel mit Grafik"),
    "buero-bericht-veroeffentlichbar": ("buero", "Bericht (veröffentlichbar): gesperrte Werte"),
}
# The report is made on the worker while the window waits behind its progress dialog: on a busy machine that takes
# most of a minute, and the click no longer waits for it.
REPORT_SECONDS = 300
SCENES = ("schule", "kita", "jugendtreff", "verein", "buero")
NEEDS = {"buero": ("schule", "kita")}  # the town hall imports the files these holders export


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Erzeugt die Bildschirmfotos des Handbuchs aus der Demo-Stadt.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Ordner für die PNG-Dateien")
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=sorted(SHOTS),
                        help="nur diese Bilder (ohne .png)")
    parser.add_argument("--list", action="store_true", help="nur die Dateinamen ausgeben")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(f"{name}.png" for name in SHOTS))
        return 0
    wanted = set(args.only or SHOTS)
    scenes = {SHOTS[name][0] for name in wanted}
    scenes |= {need for scene in list(scenes) for need in NEEDS.get(scene, ())}
    started = time.monotonic()
    # Absolute: some scenes run with the temporary workspace as the current folder.
    saved = make_screenshots(args.out.resolve(), wanted, [s for s in SCENES if s in scenes])
    for path in saved:
        print(path)
    print(f"{len(saved)} Bilder in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


# --- the demo town and the fixed date ---------------------------------------------------------------------------

SEED = 1  # the demo town's seed, as demo.town.build_demo and desktop.ops.workspace.setup_demo use it
OFFICER_PASSPHRASE = "Rathaus-Integration-2026"
DEMO_PASSPHRASE = "mk7q-2xwd-p9ta-r4vn-h8se"  # instead of a random one-time passphrase, as sync.keys makes them
HOLDERS = {"schule": "990001", "kita": "kita-01", "jugendtreff": "jt-01", "verein": "verein-01"}
OTHER_SENDERS = ("990002", "990003", "990005", "990011", "990014", "kita-02", "kita-03", "kita-05", "kita-06",
                 "kita-08")
DAMAGED = "990015"  # its file arrives cut off, as an e-mail attachment can
NEW_SETUP = "jt-02"  # the officer makes its setup file in the window
YEAR = LAST_YEAR + 1  # the year the institutions report now; the demo has every year before it
TODAY = date(YEAR, 11, 16)
NOW = datetime(YEAR, 11, 16, 15, 30, tzinfo=UTC)


def make_screenshots(out: Path, wanted: set[str], scenes: list[str]) -> list[Path]:
    # Read when the application starts: no window on the screen, and the same size on every computer.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["QT_SCALE_FACTOR"] = "1"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="integrationsmonitor-handbuch-") as folder:
        studio = Studio(out, wanted, Path(folder))
        with studio.fixed_time_and_keys(), studio.answering():
            town = prepare_town(studio, others_send="buero" in scenes)
            for scene in scenes:
                SCENE_FUNCTIONS[scene](studio, town)
        return studio.saved


class ScreenshotError(RuntimeError):
    pass


# --- the studio: one offscreen application, fixed date, dialogs answered, pictures taken -------------------------

class Studio:
    def __init__(self, out: Path, wanted: set[str], folder: Path):
        self.out, self.wanted, self.folder = out, wanted, folder
        self.app = QApplication.instance() or QApplication(["integrationsmonitor"])
        self.app.setApplicationName(APP_NAME)
        self.saved: list[Path] = []
        self.problems: list[str] = []
        # What the user answers when the program asks (desktop/dialogs.py).
        self.passphrase: str | None = None
        self.open_path: Path | None = None
        self.save_path: Path | None = None
        self.comment: str | None = None
        self.informed: list[str] = []
        self.message_shot: str | None = None  # the next information shown is photographed under this name
        self.on_dialog: list[Callable[[QDialog], bool]] = []  # acts on the next dialogs; True accepts
        self.on_menu: list[tuple[str, str | None]] = []  # (action to choose, picture name) for the next menus

    # --- pictures ---------------------------------------------------------------------------------------------
    def shoot(self, name: str, widget: QWidget) -> None:
        self.settle()
        self.shoot_pixmap(name, widget.grab())

    def shoot_pixmap(self, name: str, pixmap: QPixmap) -> None:
        assert name in SHOTS, name
        self.check()
        if name not in self.wanted:
            return
        path = self.out / f"{name}.png"
        if pixmap.isNull() or not pixmap.save(str(path), "PNG"):
            raise ScreenshotError(f"{path} konnte nicht gespeichert werden.")
        self.saved.append(path)

    def check(self) -> None:
        if self.problems:
            raise ScreenshotError("Das Programm hat unterwegs einen Fehler gemeldet:\n" + "\n".join(self.problems))

    # --- waiting ----------------------------------------------------------------------------------------------
    def settle(self) -> None:
        for _ in range(3):
            QApplication.processEvents()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def wait(self, condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise ScreenshotError(f"Zeitüberschreitung beim Warten auf: {what}")
            QTest.qWait(10)
        self.check()

    def activate(self, window: QWidget) -> None:
        window.activateWindow()
        self.wait(window.isActiveWindow, f"aktives Fenster {window.windowTitle()}")

    # --- what would change from run to run --------------------------------------------------------------------
    @contextmanager
    def fixed_time_and_keys(self) -> Iterator[None]:
        """Every view that asks for today's date gets TODAY, the visitor log's clock NOW, the status bar a fixed
        time."""
        patches = [(module, "date", FixedDate) for module in (
            desktop.ops.workspace, desktop.officer_views, desktop.report_view, desktop.registry_view,
            reports.report_builder)]
        patches += [(desktop.visitor_log, "datetime", FixedDateTime), (desktop.entry_host, "QTime", FixedTime)]
        # The demo's keys and one-time passphrases are fixed too (the program makes them at random), so that the
        # fingerprint and the passphrase in the pictures stay the same. They exist only in the temporary folder.
        patches += [(sync.keys.OfficerKeys, "generate", classmethod(lambda cls: cls(SigningKey(bytes(range(32))),
                                                                                    PrivateKey(bytes(range(32, 64)))))),
                    (sync.officer, "new_passphrase", lambda: DEMO_PASSPHRASE)]
        with patched(patches):
            yield

    # --- answers ------------------------------------------------------------------------------------------------
    @contextmanager
    def answering(self) -> Iterator[None]:
        def given(value, what: str):
            if value is None:
                self.problems.append(f"Keine Antwort vorbereitet für: {what}")
            return value

        answers = {
            "inform": self.inform,
            "show_error": lambda parent, error: self.problems.append(f"Fehlermeldung: {error}"),
            "confirm": lambda parent, message: True,
            "ask_save_path": lambda parent, title, suggested, flt: given(self.save_path, title),
            "ask_open_path": lambda parent, title, folder, flt: given(self.open_path, title),
            "ask_comment": lambda parent, title, label, text: given(self.comment, title),
            "ask_passphrase": lambda parent, label: given(self.passphrase, label),
        }
        patches = [(dialogs, name, function) for name, function in answers.items()]
        studio = self

        class ScriptedMenu(QMenu):  # QMenu.exec cannot be replaced on the class (its static overload wins)
            def exec(self, *args):
                return studio._menu(self, *args)

        patches += [(QDialog, "exec", lambda dialog: self._dialog(dialog)),
                    (desktop.entry.fields, "QMenu", ScriptedMenu)]
        old_hook = sys.excepthook
        sys.excepthook = lambda kind, error, trace: self.problems.append(f"{kind.__name__}: {error}")
        try:
            with patched(patches):
                yield
        finally:
            sys.excepthook = old_hook

    def inform(self, parent: QWidget | None, message: str) -> None:
        self.informed.append(message)
        name, self.message_shot = self.message_shot, None
        if name is not None:  # the same box QMessageBox.information shows, without waiting for OK
            box = QMessageBox(QMessageBox.Icon.Information, APP_NAME, message, QMessageBox.StandardButton.Ok, parent)
            box.show()
            self.shoot(name, box)
            box.close()

    def _dialog(self, dialog: QDialog) -> QDialog.DialogCode:
        if not self.on_dialog:
            self.problems.append(f"Unerwarteter Dialog: {dialog.windowTitle()}")
            return QDialog.DialogCode.Rejected
        act = self.on_dialog.pop(0)
        dialog.show()
        self.activate(dialog)
        accepted = act(dialog)
        if dialog.isVisible():
            dialog.done(QDialog.DialogCode.Accepted if accepted else QDialog.DialogCode.Rejected)
        self.settle()
        return QDialog.DialogCode(dialog.result())

    def _menu(self, menu: QMenu, position: QPoint | None = None, *_args):
        if not self.on_menu:
            self.problems.append("Unerwartetes Kontextmenü")
            return None
        text, name = self.on_menu.pop(0)
        action = next((a for a in menu.actions() if a.text() == text), None)
        if action is None:
            self.problems.append(f"Im Menü fehlt „{text}“: {[a.text() for a in menu.actions()]}")
            return None
        if name is not None:  # the window with the menu open over it, as the user sees it
            window = menu.parentWidget().window()
            menu.popup(position)
            self.settle()
            menu.setActiveAction(action)
            picture = window.grab()
            painter = QPainter(picture)
            painter.drawPixmap(window.mapFromGlobal(menu.pos()), menu.grab())
            painter.end()
            self.shoot_pixmap(name, picture)
            menu.hide()
        action.trigger()
        return action


@contextmanager
def patched(patches: list[tuple[object, str, object]]) -> Iterator[None]:
    saved = [(target, name, getattr(target, name)) for target, name, _value in patches]
    for target, name, value in patches:
        setattr(target, name, value)
    try:
        yield
    finally:
        for target, name, value in reversed(saved):
            setattr(target, name, value)


class FixedDate(date):
    @classmethod
    def today(cls) -> date:
        return TODAY


class FixedDateTime(datetime):
    @classmethod
    def now(cls, tz=None) -> datetime:
        return NOW.astimezone(tz)


class FixedTime:
    """For "Gespeichert um …" in the status bar."""

    @staticmethod
    def currentTime() -> QTime:  # noqa: N802 - Qt's name
        return QTime(16, 30, 5)


# --- acting like a user -----------------------------------------------------------------------------------------

def focused() -> QWidget:
    widget = QApplication.focusWidget()
    if widget is None:
        raise ScreenshotError("Kein Eingabefeld hat den Fokus.")
    return widget


def type_text(text: str) -> None:
    for char in text:
        if char.isascii():
            QTest.keyClicks(focused(), char)
        else:  # QTest maps only ASCII to keys; an umlaut comes from a German keyboard as a key event with text
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(focused(), QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier,
                                                            char))
        QApplication.processEvents()


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)
    QApplication.processEvents()


def click(button: QPushButton) -> None:
    if not button.isEnabled():
        raise ScreenshotError(f"Die Schaltfläche „{button.text()}“ ist nicht aktiv.")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()


def click_tab(tabs: QTabWidget, page: QWidget) -> None:
    bar = tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(tabs.indexOf(page)).center())
    QApplication.processEvents()


def retype(studio: Studio, widget: QWidget, text: str) -> None:
    """Into a field that already holds something: Strg+A, then type over it."""
    studio.activate(widget.window())
    widget.setFocus()
    studio.wait(widget.hasFocus, "Fokus im Feld")
    press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(text)


def select_row(table: QTableWidget, column: int, text: str) -> None:
    for row in range(table.rowCount()):
        if table.item(row, column).text().startswith(text):
            table.setCurrentCell(row, column)
            return
    raise ScreenshotError(f"„{text}“ steht nicht in der Tabelle {table.objectName()}.")


def fill_field(studio: Studio, view, code: str, cells: dict[Address, Value]) -> None:
    """Types one field's values as a person does: into the field, cell by cell with Enter in a table."""
    box, field_ = view.boxes[code], view.session.form.field(code)
    box.focus_editor()
    studio.settle()
    if field_.type is FieldType.GRID:
        box.table.setCurrentCell(0, 0)
        for row in field_.rows:
            for column in field_.columns:
                value = cells.get((code, row.code, column.code))
                type_text(value.display() if value is not None else "")
                press(Qt.Key.Key_Return)
        return
    value = cells.get((code, "", ""), Value())
    if field_.type is FieldType.CHOICE:
        for _ in range(box.combo.findData(value.text) - box.combo.currentIndex()):
            press(Qt.Key.Key_Down)
    else:
        type_text(value.display())


def fill_form(studio: Studio, view, cells: dict[Address, Value], skip: tuple[str, ...] = ()) -> None:
    filled = {address[0] for address in cells}
    for field_ in view.session.form.fields():
        if field_.code in view.boxes and field_.code in filled and field_.code not in skip:
            fill_field(studio, view, field_.code, cells)


# --- the town and its institutions ------------------------------------------------------------------------------

@dataclass
class Town:
    path: Path
    inbox: Path
    later: Path  # files that reach the inbox only after the first import
    setups: dict[str, tuple[Path, str]] = field(default_factory=dict)  # institution: (setup file, passphrase)


def figures(unit_id: str, year: int = YEAR) -> dict[Address, Value]:
    """This year's figures of a demo institution, drawn the way the demo drew the earlier years."""
    institution = next(i for i in make_institutions(random.Random(SEED)) if i.unit.id == unit_id)
    form = form_for(institution.unit.kind, year)
    return GENERATORS[institution.unit.kind](random.Random(f"{unit_id}-{year}"), institution, form, year)


def prepare_town(studio: Studio, others_send: bool) -> Town:
    """The demo town hall with its keys and setup files for the holders; for the town hall's pictures also the files
    that other institutions have sent: a first batch in the inbox, a second one (a correction, a file sent twice,
    a damaged file) that arrives later."""
    path = studio.folder / "rathaus" / "rathaus.sqlite"
    path.parent.mkdir()
    db = open_database(path)
    build_demo(db, seed=SEED)
    keys = init_officer(db, OFFICER_PASSPHRASE)
    town = Town(path, exchange_folders(path).inbox, studio.folder / "spaeter")
    for folder in (town.inbox, town.later, studio.folder / "post", studio.folder / "Dokumente"):
        folder.mkdir(parents=True)
    senders = (*OTHER_SENDERS, DAMAGED) if others_send else ()
    for unit_id in (*HOLDERS.values(), *senders):
        setup = studio.folder / "post" / f"Einrichtung_{unit_id}.imsetup"
        town.setups[unit_id] = (setup, write_setup_file(db, keys, unit_id, setup))
    write_itnrw_table(db, studio.folder / "itnrw-bevoelkerung.csv")
    db.close()
    if others_send:
        sent = [send_by_program(studio, town, unit_id, town.inbox) for unit_id in OTHER_SENDERS]
        twice = town.later / sent[-1].name
        twice.write_bytes(sent[-1].read_bytes())
        correct_by_program(studio, OTHER_SENDERS[0], {("auslaender", "", ""): 2,
                                                     ("schueler_klasse_primar", "k1", "auslaender"): 2}, town.later)
        damaged = send_by_program(studio, town, DAMAGED, town.later)
        damaged.write_bytes(damaged.read_bytes()[:900])
    return town


def send_by_program(studio: Studio, town: Town, unit_id: str, folder: Path) -> Path:
    """A holder who is not photographed: set up from the town's file, figures in, finalised, exported."""
    db, _unit = open_workspace(studio.folder / "einrichtungen" / unit_id / "einrichtung.sqlite")
    setup, passphrase = town.setups[unit_id]
    unit = setup_from_file(db, setup, passphrase)
    submission = open_form(db, unit, form_for(unit.kind, YEAR), YEAR)
    session = EntrySession(db, submission.id, who=unit.name)
    for address, value in figures(unit_id).items():
        session.type_text(address, value.display())
    session.finalise()
    path = folder / default_file_name(db, submission.id)
    export_submission(db, submission.id, path)
    db.close()
    return path


def correct_by_program(studio: Studio, unit_id: str, added: dict[Address, int], folder: Path) -> Path:
    """The same holder finds a mistake after sending: a correction (Fassung 2) with a few figures changed."""
    db, unit = open_workspace(studio.folder / "einrichtungen" / unit_id / "einrichtung.sqlite")
    session = EntrySession(db, current_submission(db, unit_id, unit.kind, YEAR).id, who=unit.name)
    session.create_correction()
    for address, n in added.items():
        session.type_text(address, str(session.value(address).number + n))
    session.finalise()
    path = folder / default_file_name(db, session.submission.id)
    export_submission(db, session.submission.id, path)
    db.close()
    return path


def write_itnrw_table(db, path: Path) -> None:
    """IT.NRW's population for last year as a statistics office exports it: other headings than the program's,
    and other figures than the register's (the report found 48,526 against 48,043 inhabitants for 2007)."""
    year = YEAR - 1
    register = load_values(db, current_submission(db, "stadt", "bevoelkerung", year).id)
    grid = latest_form("bevoelkerung").field("bevoelkerung_alter")
    lines = ["Berichtsjahr;Merkmal;Altersgruppe;Gruppe;Anzahl;Quelle"]
    source = f"IT.NRW, Fortschreibung des Bevölkerungsstandes auf Basis des Zensus 2022, Stand 31.12.{year}"
    for row in grid.rows:
        total = register[("bevoelkerung_alter", row.code, "insgesamt")].number
        foreign = register[("bevoelkerung_alter", row.code, "auslaender")].number
        for column, n in (("insgesamt", round(total * 1.012)), ("Ausländer/innen", round(foreign * 1.19))):
            lines.append(f"{year};{grid.label};{row.label};{column};{format_number(n)};{source}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))  # as Excel saves "CSV (Trennzeichen-getrennt)"


def open_main_window(studio: Studio, path: Path) -> QMainWindow:
    """The window the program opens with; the officer's data comes back in the officer's window."""
    window = HolderWindow(path)
    window.show()
    studio.activate(window)
    window = window.open_workspace() or window
    studio.activate(window)
    return window


def close(studio: Studio, window: QMainWindow) -> None:
    window.close()
    window.deleteLater()
    studio.settle()


def first_start(studio: Studio, town: Town, unit_id: str, shot: str | None = None) -> HolderWindow:
    """A holder's first start: the welcome dialog, the town's setup file, the one-time passphrase."""
    setup, passphrase = town.setups[unit_id]
    studio.open_path, studio.passphrase = setup, passphrase

    def welcome(dialog: QDialog) -> bool:
        if shot is not None:
            studio.shoot(shot, dialog)
        click(dialog.findChild(QCommandLinkButton, "setup_file"))
        return True

    studio.on_dialog.append(welcome)
    path = studio.folder / "einrichtungen" / unit_id / "einrichtung.sqlite"
    path.parent.mkdir(parents=True)
    window = open_main_window(studio, path)
    if window.institution is None or window.institution.id != unit_id:
        raise ScreenshotError(f"{unit_id} wurde nicht eingerichtet: {studio.informed[-1:]}")
    studio.wait(window.form_list.hasFocus, "Fokus in der Liste der Formulare")
    return window


def open_newest_form(studio: Studio, window: QMainWindow):
    press(Qt.Key.Key_Return)
    view = window.entry
    studio.wait(lambda: view.isVisible() and QApplication.focusWidget() is not None, "geöffnetes Formular")
    return view


def finalise_and_export(studio: Studio, town: Town, view) -> None:
    click(view.finalise_button)
    studio.wait(lambda: view.export_button.isEnabled(), "abgeschlossenes Formular")
    studio.save_path = town.inbox / view.session.suggested_file_name()
    click(view.export_button)
    studio.wait(lambda: studio.save_path.exists(), "exportierte Meldungsdatei")


# --- the scenes ---------------------------------------------------------------------------------------------------

def scene_schule(studio: Studio, town: Town) -> None:
    unit_id = HOLDERS["schule"]
    window = first_start(studio, town, unit_id, shot="willkommen")
    view = open_newest_form(studio, window)
    studio.shoot("schule-formular", window)

    cells = figures(unit_id)
    # A look at the SchILD suggestions; the figures are then typed by hand, as most schools still do.
    studio.open_path = write_pupil_export(studio.folder / "Schuelerexport.txt", cells, view.session.submission.year)
    click(view.suggest_button)
    studio.wait(lambda: view.suggestions.isVisible(), "Vorschläge aus dem SchILD-Export")
    view.boxes["schueler_gesamt"].focus_editor()
    type_text(format_number(cells[("schueler_gesamt", "", "")].number - 2))  # typed earlier: marked as differing
    studio.shoot("schule-schild", window)
    click(view.suggestions.hide_button)
    view.boxes["schueler_gesamt"].focus_editor()
    press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(Qt.Key.Key_Delete)
    total, zwg = (cells[(code, "", "")].display() for code in ("schueler_gesamt", "zwg_gesamt"))
    type_text(total)
    press(Qt.Key.Key_Tab)
    type_text(zwg + "0")  # one zero too many
    studio.shoot("schule-fehler", window)

    press(Qt.Key.Key_Backspace)
    # New pupils in the welcome class: a big change against last year, which is allowed with a reason.
    cells[("zwg_selbst_zugewandert", "", "")] = Value(number=cells[("zwg_selbst_zugewandert", "", "")].number + 14)
    fill_form(studio, view, cells, skip=("schueler_gesamt", "zwg_gesamt"))
    click(view.finalise_button)  # not yet: the warning needs a reason
    studio.wait(lambda: bool(studio.informed), "Hinweis beim Abschließen")
    studio.shoot("schule-hinweis", window)

    studio.comment = "Seit Februar eine Willkommensklasse mit 14 neu zugewanderten Kindern."
    view.boxes["zwg_selbst_zugewandert"].messages.linkActivated.emit("comment:zwg_selbst_zugewandert||")
    finalise_and_export(studio, town, view)
    view.scroll.verticalScrollBar().setValue(0)
    studio.shoot("schule-exportiert", window)
    close(studio, window)


def write_pupil_export(path: Path, cells: dict[Address, Value], year: int) -> Path:
    """A SchILD pupil export (invented rows, no names) whose classes match the school's figures."""
    lines = ['"Status";"Klasse";"Jahrgang";"Staatsangehörigkeit (Schlüssel)";"Geburtsland";"Geburtsland Mutter";'
             '"Geburtsland Vater";"Zuzugsjahr";"Verkehrssprache in der Familie";"Migrationshintergrund vorhanden"']
    for grade in range(1, 5):
        n, zwg, foreign = (cells[("schueler_klasse_primar", f"k{grade}", c)].number
                           for c in ("anzahl", "zwg", "auslaender"))
        both = min(zwg, foreign)
        kinds = ([("163", "Türkei", "Türkisch")] * both + [("163", "Deutschland", "Deutsch")] * (foreign - both)
                 + [("000", "Deutschland", "Arabisch")] * (zwg - both))
        kinds += [("000", "Deutschland", "Deutsch")] * (n - len(kinds))
        for staat, born, language in kinds:
            flag = "1" if language != "Deutsch" else ""
            lines.append(f'"2";"{grade}a";"0{grade}";"{staat}";"{born}";"{born}";"Deutschland";"";"{language}";'
                         f'"{flag}"')
    path.write_bytes(b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
    return path


def scene_kita(studio: Studio, town: Town) -> None:
    unit_id = HOLDERS["kita"]
    window = first_start(studio, town, unit_id)
    view = open_newest_form(studio, window)
    cells = figures(unit_id)
    cells[("personal_mh", "", "")] = Value(number=None)  # typed as "unbekannt" below
    fill_form(studio, view, cells)
    view.boxes["personal_mh"].focus_editor()
    type_text("unbekannt")
    view.boxes["kinder"].focus_editor()
    studio.shoot("kita-formular", window)
    finalise_and_export(studio, town, view)
    close(studio, window)


def seed_visits(db, unit_id: str) -> None:
    """The clicks on the tally screen since January: about as many a month as last year, on weekday afternoons."""
    rng = random.Random(SEED)
    ages = age_groups(YEAR)
    last_year = load_values(db, current_submission(db, unit_id, "jugendtreff", YEAR - 1).id)
    with write(db):  # one transaction for some ten thousand clicks
        for month in range(1, TODAY.month + 1):
            weekdays = [d for d in (date(YEAR, month, 1) + timedelta(days=n) for n in range(31))
                        if d.month == month and d.weekday() < 5]
            open_days = [d for d in weekdays if d < TODAY]
            total, mh = (last_year[("besuche_monat", f"m{month:02d}", column)].number for column in ("insgesamt", "mh"))
            count = round(total * len(open_days) / len(weekdays) * rng.uniform(0.94, 1.06))
            for i in range(count):
                day = rng.choice(open_days)
                at = datetime(YEAR, month, day.day, rng.randint(13, 18), rng.randint(0, 59), tzinfo=UTC)
                record_visit(db, unit_id, mh=i < count * mh / total, gender=rng.choices(GENDERS, (60, 38, 2))[0],
                             age_group=rng.choices(ages, (15, 33, 36, 16))[0], at=at)


def scene_jugendtreff(studio: Studio, town: Town) -> None:
    unit_id = HOLDERS["jugendtreff"]
    window = first_start(studio, town, unit_id)
    seed_visits(window.db, unit_id)
    with patched([(datetime_module, "date", FixedDate)]):  # HolderWindow.open_visitor_log asks for today's year
        press(Qt.Key.Key_Return)
    log = window.page
    studio.wait(log.hasFocus, "Besucherliste")
    for key in (Qt.Key.Key_E, Qt.Key.Key_Q, Qt.Key.Key_Q, Qt.Key.Key_H, Qt.Key.Key_T, Qt.Key.Key_N):
        QTest.keyClick(log, key)
    studio.shoot("jugendtreff-besucherliste", window)

    click(log.apply_button)
    studio.wait(window.form_list.hasFocus, "Liste nach dem Übernehmen")
    press(Qt.Key.Key_Down)
    view = open_newest_form(studio, window)
    cells = figures(unit_id)
    fill_form(studio, view, cells, skip=("besuche_monat", "angebote"))
    view.boxes["angebote"].focus_editor()
    type_text("Hausaufgabenhilfe mit Sprachpat/innen, Mädchentreff am Mittwoch")
    view.boxes["besuche_monat"].focus_editor()
    view.boxes["besuche_monat"].table.setCurrentCell(TODAY.month - 1, 0)
    studio.shoot("jugendtreff-formular", window)
    close(studio, window)


def scene_verein(studio: Studio, town: Town) -> None:
    unit_id = HOLDERS["verein"]
    window = first_start(studio, town, unit_id)
    view = open_newest_form(studio, window)
    cells = figures(unit_id)
    cells[("geschaetzt", "", "")] = Value(text="geschaetzt")
    fill_form(studio, view, cells)
    grid = view.session.form.field("mitglieder")
    table = view.boxes["mitglieder"].table
    table.setFocus()
    for r, row in enumerate(grid.rows):
        for c, column in enumerate(grid.columns):
            if column.code.startswith("mh_") and cells[("mitglieder", row.code, column.code)].number:
                table.setCurrentCell(r, c)
                first = not any(name for _text, name in studio.on_menu) and r == 0 and c == 1
                studio.on_menu.append(("Als geschätzt markieren", "verein-schaetzung" if first else None))
                table.customContextMenuRequested.emit(table.visualRect(table.model().index(r, c)).center())
    view.boxes["bemerkungen"].focus_editor()
    type_text("Migrationshintergrund geschätzt nach Kenntnis der Übungsleiter/innen.")
    view.boxes["mitglieder"].focus_editor()
    studio.shoot("verein-formular", window)
    close(studio, window)


def scene_buero(studio: Studio, town: Town) -> None:
    studio.passphrase = OFFICER_PASSPHRASE
    window = open_main_window(studio, town.path)
    kinds = window.registry.kind_filter
    kinds.setCurrentIndex(kinds.findText("Schulen"))  # the schools, with the Hauptschule that closed in 2020
    studio.shoot("buero-verzeichnis", window)

    # Exchange: a setup file for one more institution, then the inbox, a dry run first.
    panel = window.officer
    click_tab(window.tabs, panel)
    item = next(panel.institutions.item(r) for r in range(panel.institutions.count())
                if panel.institutions.item(r).data(Qt.ItemDataRole.UserRole) == NEW_SETUP)
    panel.institutions.setCurrentItem(item)
    # Saved relative to the temporary folder, so that the message shows a short path and not a random one.
    studio.save_path = Path("Dokumente") / f"Einrichtung_{NEW_SETUP}.imsetup"
    studio.message_shot = "buero-einmal-kennwort"
    with chdir(studio.folder):
        click(panel.setup_button)
    for batch in ("erste", "zweite"):
        if batch == "zweite":  # what came in since: a correction, a file sent twice, a damaged file
            for path in sorted(town.later.iterdir()):
                path.rename(town.inbox / path.name)
        click(panel.inbox_button)
        studio.wait(panel.commit_button.isEnabled, f"Probelauf der {batch}n Dateien")
        if batch == "zweite":
            studio.shoot("buero-austausch", window)
        click(panel.commit_button)
        studio.wait(lambda: panel.summary.text().startswith("Eingelesen"), f"Übernehmen der {batch}n Dateien")

    # The year: review the Grundschule beside last year, approve; ask the Kita back.
    overview, review = window.overview, window.review
    click_tab(window.tabs, overview)
    retype(studio, overview.year, str(YEAR))
    for form_row, unit_id, decision in ((0, HOLDERS["schule"], review.approve_button),
                                        (0, OTHER_SENDERS[0], review.approve_button),
                                        (0, OTHER_SENDERS[1], review.approve_button),
                                        (1, HOLDERS["kita"], review.query_button),
                                        (1, OTHER_SENDERS[5], review.approve_button)):
        click_tab(window.tabs, overview)
        overview.summary.setCurrentCell(form_row, 0)
        select_row(overview.entries, 1, unit_id)
        click(overview.open_button)
        if unit_id == HOLDERS["schule"]:
            warned = next(r for r, a in enumerate(review.rows) if a[0] == "zwg_selbst_zugewandert")
            review.values.setCurrentCell(warned, 0)
            studio.shoot("buero-pruefung", window)
        studio.comment = "Bitte die Zahl des Personals mit Migrationshintergrund nachtragen, wenn sie bekannt ist."
        click(decision)
    click_tab(window.tabs, overview)
    overview.summary.setCurrentCell(0, 0)
    overview.entries.setCurrentCell(0, 0)  # the missing ones come first
    studio.shoot("buero-jahresuebersicht", window)
    studio.on_dialog.append(lambda dialog: studio.shoot("buero-erinnerung", dialog) or False)
    click(overview.letter_button)

    # Official statistics: IT.NRW's population as a second source beside the register, then both compared.
    statistics = window.statistics
    click_tab(window.tabs, statistics)
    statistics.list.setCurrentRow(next(r for r in range(statistics.list.count())
                                       if statistics.list.item(r).text().startswith("Bevölkerung")))
    studio.open_path = studio.folder / "itnrw-bevoelkerung.csv"

    def preview(dialog) -> bool:
        for name, heading in (("row", "Altersgruppe"), ("column", "Gruppe")):
            dialog.combos[name].setCurrentIndex(dialog.combos[name].findText(heading))
        retype(studio, dialog.source_choice, "IT.NRW")
        studio.wait(dialog.apply_button.isEnabled, "Vorschau des Imports")
        studio.shoot("buero-statistik-import", dialog)
        return True

    studio.on_dialog.append(preview)
    click(statistics.import_button)
    studio.wait(lambda: statistics.compare_button.isEnabled(), "zweite Quelle in der Liste")
    studio.shoot("buero-statistik", window)
    studio.on_dialog.append(lambda dialog: studio.shoot("buero-quellen", dialog) or False)
    click(statistics.compare_button)

    # The report: internal first, then the publishable one with its suppressed cells.
    report = window.report_view
    click_tab(window.tabs, report)
    retype(studio, report.year, str(YEAR - 1))
    retype(studio, report.first_year, "2015")
    click(report.make_button)
    studio.wait(lambda: report.chapters.count() > 0, "Bericht", REPORT_SECONDS)
    studio.shoot("buero-bericht", window)
    report.chapters.setCurrentRow(next(r for r in range(report.chapters.count())
                                       if report.chapters.item(r).text() == "Schulen"))
    studio.shoot("buero-bericht-kapitel", window)
    report.variant.setCurrentIndex(report.variant.findData("veroeffentlichbar"))
    click(report.make_button)
    studio.wait(lambda: report.chapters.count() > 0, "veröffentlichbarer Bericht", REPORT_SECONDS)
    show_suppressed_cells(studio, report)
    studio.shoot("buero-bericht-veroeffentlichbar", window)
    close(studio, window)


def show_suppressed_cells(studio: Studio, report) -> None:
    """The first chapter with a table in which values are suppressed ("."), scrolled to that table."""
    for row in range(1, report.chapters.count()):
        report.chapters.setCurrentRow(row)
        studio.settle()
        for table in report.content.findChildren(QTableWidget):
            if any(table.item(r, c) and table.item(r, c).text().rstrip(" *") == "."
                   for r in range(table.rowCount()) for c in range(1, table.columnCount())):
                layout = report.content_layout
                title = layout.itemAt(layout.indexOf(table) - 1).widget()  # the table's heading
                studio.settle()
                report.scroll.verticalScrollBar().setValue(title.y() - 8)
                return
    raise ScreenshotError("Kein Kapitel des veröffentlichbaren Berichts hat gesperrte Werte.")


SCENE_FUNCTIONS = {"schule": scene_schule, "kita": scene_kita, "jugendtreff": scene_jugendtreff,
                   "verein": scene_verein, "buero": scene_buero}

if __name__ == "__main__":
    sys.exit(main())
