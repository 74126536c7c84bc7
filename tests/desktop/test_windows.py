"""Which window: the program opens with the holder's window (it paints before the data is open) and hands over to
the officer's window once the data is known to be the town's, also right after the first start chose it."""

from desktop.holder_window import HolderWindow
from desktop.officer_window import OfficerWindow
from tests.desktop.conftest import GRUNDSCHULE, OFFICER_PASSPHRASE, opened
from tests.desktop.test_first_start import click_option


def menu_texts(window) -> list[str]:
    return [a.text() for menu in window.menuBar().actions() for a in menu.menu().actions()]


def test_choosing_the_officer_at_the_first_start_opens_the_officers_window(qtbot, tmp_path, fake_dialogs):
    fake_dialogs.passphrase = OFFICER_PASSPHRASE  # typed twice for the new keys, then once to unlock them
    click_option(qtbot, "officer")
    first = HolderWindow(tmp_path / "rathaus.sqlite")
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    window = opened(qtbot, first)
    assert isinstance(window, OfficerWindow) and first.successor is window
    assert not first.isVisible() and first.db is None  # the data belongs to the officer's window now
    assert window.db is not None and window.officer.keys is not None
    assert "Schlüssel des Integrationsbüros sind erzeugt" in fake_dialogs.informed[0]
    assert window.windowTitle().startswith("Integrationsbüro")
    texts = menu_texts(window)
    assert "&Sicherung anlegen…" in texts and "&Beenden" in texts
    assert "&Eingangsbestätigung der Stadt öffnen…" not in texts  # the holder's own items stay the holder's
    window.close()
    assert window.db is None


def test_a_holders_data_stays_in_the_holders_window(open_window):
    window = open_window(GRUNDSCHULE)
    assert window.successor is None and window.db is not None
    assert window.form_list.count() > 0
    assert "&Eingangsbestätigung der Stadt öffnen…" in menu_texts(window)
    assert window.schild_guide_action.isVisible()  # a school gets the SchILD guide
