"""Where a submission comes from is shown in a badge of its own beside the name, so no name can push "nicht
signiert" out of view; and approving an unsigned submission (an Excel form, a file from an institution without
a key) asks once more, with real clicks on the approve button."""

import pytest
from PySide6.QtCore import Qt

from forms.catalog import form_for
from store.orgunits import OrgUnit, save_org_units
from store.submissions import State, create_draft, get_submission, set_state
from sync.importer import APP, APP_UNSIGNED, EXCEL
from tests.desktop.test_markup_in_names import EVIL, open_review

LONG_NAME = EVIL + " " + "Kindertagesstätte" * 40  # one endless word: it cannot wrap
EXCEL_QUESTION = ("Diese Meldung ist nicht unterschrieben (Excel-Formular). Bitte nur freigeben, wenn Sie die "
                  "Angaben geprüft haben. Trotzdem freigeben?")


@pytest.fixture
def review_of(qtbot, tmp_path, officer_window):
    """The officer's review of a Kita's 2024 submission that came in from the given source."""
    from tests.sync.exchange_helpers import officer_db

    def make(source: str):
        db, _keys = officer_db(tmp_path)
        save_org_units(db, [OrgUnit(id="kita-99", kind="kita", name=LONG_NAME)])
        submission = create_draft(db, "kita-99", form_for("kita", 2024), 2024, source=source)
        set_state(db, submission.id, State.RECEIVED)
        db.close()
        window = officer_window(tmp_path / "rathaus.sqlite")
        open_review(qtbot, window, "kita-99", LONG_NAME)
        return window, submission.id

    return make


@pytest.mark.parametrize(("source", "shown"), [(EXCEL, "Excel, nicht signiert"),
                                               (APP_UNSIGNED, "Meldungsdatei, nicht signiert"),
                                               (APP, "Meldungsdatei, signiert")])
def test_the_source_stands_in_a_badge_of_its_own_that_no_name_pushes_away(qtbot, review_of, source, shown):
    window, _id = review_of(source)
    review = window.review
    badge = review.source_badge
    assert badge.text() == shown and badge.textFormat() == Qt.TextFormat.PlainText
    assert "signiert" not in review.heading.text() and "signiert" not in review.name_label.text()
    assert review.name_label.text() == LONG_NAME
    qtbot.waitUntil(badge.isVisible)
    # The whole badge lies inside the review, however long the name beside it.
    assert not badge.visibleRegion().isEmpty()
    corner = badge.mapTo(review, badge.rect().bottomRight())
    assert review.rect().contains(corner) and badge.width() >= badge.sizeHint().width()


@pytest.mark.parametrize("source", [EXCEL, APP_UNSIGNED])
def test_approving_an_unsigned_submission_asks_first(qtbot, review_of, fake_dialogs, source):
    window, submission_id = review_of(source)
    review = window.review

    fake_dialogs.confirm_answer = False
    qtbot.mouseClick(review.approve_button, Qt.MouseButton.LeftButton)
    assert len(fake_dialogs.confirmations) == 1
    assert "nicht unterschrieben" in fake_dialogs.confirmations[0]
    assert fake_dialogs.confirmations[0].endswith("Trotzdem freigeben?")
    if source == EXCEL:
        assert fake_dialogs.confirmations[0] == EXCEL_QUESTION
    assert get_submission(window.db, submission_id).state is State.RECEIVED  # "Nein": nothing approved

    fake_dialogs.confirm_answer = True
    qtbot.mouseClick(review.approve_button, Qt.MouseButton.LeftButton)
    assert len(fake_dialogs.confirmations) == 2
    assert get_submission(window.db, submission_id).state is State.APPROVED
    assert not fake_dialogs.errors


def test_a_signed_submission_is_approved_without_a_second_question(qtbot, review_of, fake_dialogs):
    window, submission_id = review_of(APP)
    qtbot.mouseClick(window.review.approve_button, Qt.MouseButton.LeftButton)
    assert fake_dialogs.confirmations == []
    assert get_submission(window.db, submission_id).state is State.APPROVED
    assert not fake_dialogs.errors
