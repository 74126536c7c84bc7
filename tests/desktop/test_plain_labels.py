"""Every label shows its text as written. Only the few labels listed here carry formatting the program writes
itself, and each of them escapes the data in it; any other label that is not plain text fails these tests, so a new
label is plain unless someone adds it here with the reason."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from forms.catalog import form_for
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_draft, set_state
from tests.desktop.test_markup_in_names import EVIL, click_item

# object name → why the label is rich text
RICH = {
    "welcome_intro": "a heading and a paragraph written by the program; no data in it",
    "help": "the field's name in bold; the name, the help text and the hint are escaped",
    "import_counts": "„Probelauf“ in bold; the counts are escaped",
    "suggestion_summary": "the orange mark of suggestions that differ; every text in it is escaped",
    "suggestion_details": "a list of notes on the pupil export; every note is escaped",
}
# object-name prefix (the field's code follows) → why the label is rich text
RICH_PREFIXES = {
    "title_": "the red star of a required field; the field's label is escaped",
    "messages_": "links that move to the comment of a warning; the messages and comments are escaped",
    "grid_suggestion_": "the orange mark of suggestions that differ; the texts are escaped",
}
DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


def rich_on_purpose(label: QLabel) -> bool:
    name = label.objectName()
    return name in RICH or any(name.startswith(prefix) for prefix in RICH_PREFIXES)


def assert_all_plain(widget: QWidget) -> int:
    labels = widget.findChildren(QLabel)
    wrong = [(label.objectName(), label.text()[:80]) for label in labels
             if label.textFormat() != Qt.TextFormat.PlainText and not rich_on_purpose(label)]
    assert not wrong, wrong
    return len(labels)


def test_labels_are_made_in_one_place():
    """A QLabel built anywhere but desktop/plain.py would be Qt.AutoText, which guesses rich text."""
    offenders = []
    for path in DESKTOP.rglob("*.py"):
        if path.name == "plain.py":
            continue
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if "QLabel(" in line or (".setTextFormat(" in line and path.name != "dialogs.py") or (
                    ".addRow(_(" in line):
                offenders.append(f"{path.relative_to(DESKTOP)}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_every_label_of_a_schools_window_and_form_is_plain_or_listed(qtbot, open_window):
    window = open_window(OrgUnit(id="123456", kind="schule", name=EVIL, attributes={"schulform": "Grundschule"}))
    assert window.form_list.count()
    click_item(qtbot, window.form_list, 0)
    assert window.entry is not None
    assert assert_all_plain(window) > 20
    assert any(label.objectName().startswith("title_") for label in window.findChildren(QLabel))


def test_every_label_of_a_youth_centres_visitor_log_is_plain(qtbot, open_window):
    window = open_window(OrgUnit(id="jt-evil", kind="jugendtreff", name=EVIL))
    click_item(qtbot, window.form_list, 0)
    assert window.page is not None and window.entry is None
    assert assert_all_plain(window) > 5


def test_every_label_of_the_officers_window_is_plain_or_listed(qtbot, tmp_path, officer_window):
    from tests.desktop.test_markup_in_names import open_review
    from tests.sync.exchange_helpers import officer_db

    db, _keys = officer_db(tmp_path)
    save_org_units(db, [OrgUnit(id="kita-99", kind="kita", name=EVIL)])
    set_state(db, create_draft(db, "kita-99", form_for("kita", 2024), 2024, source="excel").id, State.RECEIVED)
    db.close()
    window = officer_window(tmp_path / "rathaus.sqlite")
    open_review(qtbot, window, "kita-99")
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
    assert assert_all_plain(window) > 10


@pytest.mark.parametrize("make", ["welcome", "profile", "unit"])
def test_every_label_of_the_dialogs_is_plain_or_listed(qtbot, make):
    from desktop.profile_dialog import ProfileDialog
    from desktop.registry_entry_dialog import UnitDialog
    from desktop.welcome import WelcomeDialog

    evil = OrgUnit(id="kita-99", kind="kita", name=EVIL)
    dialog = {"welcome": WelcomeDialog, "profile": ProfileDialog,
              "unit": lambda: UnitDialog([evil], evil)}[make]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert assert_all_plain(dialog) > 0
