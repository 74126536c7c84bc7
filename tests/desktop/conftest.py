from dataclasses import dataclass, field
from pathlib import Path

import pytest

from desktop import dialogs
from desktop.holder_window import HolderWindow
from desktop.officer_window import OfficerWindow
from desktop.ops.workspace import open_workspace, setup_demo, setup_institution
from store.orgunits import OrgUnit

GRUNDSCHULE = OrgUnit(id="123456", kind="schule", name="Grundschule Am Lindenweg", traeger="Stadt Musterstadt",
                      attributes={"schulform": "Grundschule"})
KITA = OrgUnit(id="kita-sonnenschein", kind="kita", name="Kita Sonnenschein")
VEREIN = OrgUnit(id="verein-tus", kind="verein", name="TuS Grün-Weiß 1911 e. V.")
JUGENDTREFF = OrgUnit(id="jt-sued", kind="jugendtreff", name="Jugendtreff Süd")


@dataclass
class FakeDialogs:
    """Stands in for the modal dialogs; records what the user was told and answers as a user would."""

    save_path: Path | None = None
    open_path: Path | None = None
    comment: str | None = None
    passphrase: str | None = None
    confirm_answer: bool = True
    informed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    confirmations: list[str] = field(default_factory=list)


@pytest.fixture
def fake_dialogs(monkeypatch):
    fake = FakeDialogs()
    monkeypatch.setattr(dialogs, "inform", lambda parent, message: fake.informed.append(message))
    monkeypatch.setattr(dialogs, "show_error", lambda parent, error: fake.errors.append(str(error)))

    def confirm(parent, message):
        fake.confirmations.append(message)
        return fake.confirm_answer

    monkeypatch.setattr(dialogs, "confirm", confirm)
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, title, suggested, flt: fake.save_path)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda parent, title, folder, flt: fake.open_path)
    monkeypatch.setattr(dialogs, "ask_comment", lambda parent, title, label, text: fake.comment)
    monkeypatch.setattr(dialogs, "ask_passphrase", lambda parent, label: fake.passphrase)
    return fake


def opened(qtbot, window):
    """Opens the window's data as the app does after the first paint. The officer's data comes back in the
    officer's window, which takes over from the one the program opened with."""
    taken = window.open_workspace()
    if taken is None or taken is window:
        return window
    qtbot.addWidget(taken)
    qtbot.waitExposed(taken)
    taken.activateWindow()
    qtbot.waitUntil(taken.isActiveWindow)
    return taken


@pytest.fixture
def open_window(qtbot, tmp_path, fake_dialogs):
    """A main window on a holder database already set up for the given institution."""

    def make(unit: OrgUnit | None, opened: bool = True) -> HolderWindow:
        """opened=False: shown, but the data not yet opened, as the program is before its first paint ends."""
        path = tmp_path / "holder.sqlite"
        if unit is not None:
            db, _ = open_workspace(path)
            setup_institution(db, unit)
            db.close()
        window = HolderWindow(path)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        if opened:
            window.open_workspace()
        return window

    return make


OFFICER_PASSPHRASE = "Rathaus-Integration-2026"


@pytest.fixture
def officer_window(qtbot, fake_dialogs):
    """The officer's window on an officer's database, unlocked with OFFICER_PASSPHRASE and active."""

    def make(path: Path) -> OfficerWindow:
        fake_dialogs.passphrase = OFFICER_PASSPHRASE
        window = HolderWindow(path)
        qtbot.addWidget(window)
        window.show()
        window = opened(qtbot, window)
        assert isinstance(window, OfficerWindow)
        return window

    return make


@pytest.fixture
def demo_workspaces(tmp_path) -> tuple[Path, Path]:
    """A holder's demo database (a Grundschule) and the officer's demo town, for tests that start the app in a
    process of its own."""
    from demo.town import build_demo
    from store.database import open_database
    from store.settings import OFFICER, set_role

    holder = tmp_path / "holder.sqlite"
    db, _unit = open_workspace(holder)
    setup_demo(db)
    db.close()
    officer = tmp_path / "officer.sqlite"
    db = open_database(officer)
    build_demo(db, seed=1)
    set_role(db, OFFICER)
    db.close()
    return holder, officer


def officer_with_kita_file(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """An officer's database with the Kita in its directory, and the Kita's sealed file for the year 2024."""
    from tests.sync.exchange_helpers import export_revision, holder_db, kita_values, officer_db

    officer_dir, kita_dir = tmp_path / "rathaus", tmp_path / "kita"
    officer_dir.mkdir()
    kita_dir.mkdir()
    officer, keys = officer_db(officer_dir)
    holder = holder_db(kita_dir, officer, keys)
    officer.close()
    sent, _id = export_revision(holder, kita_dir, 2024, kita_values(40), name=name)
    holder.close()
    return officer_dir / "rathaus.sqlite", sent
