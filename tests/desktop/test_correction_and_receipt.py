"""After sending: a PDF receipt for the records, and a correction that keeps the sent version."""

from pypdf import PdfReader
from PySide6.QtCore import Qt

from desktop.ops.workspace import open_workspace
from store.submissions import revisions
from sync.submission_file import read_submission_file
from tests.desktop.conftest import KITA
from tests.desktop.keyboard import enter, fill_grid, press, tab, type_text


def test_receipt_then_correction(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_window(KITA)
    enter()
    view = window.entry
    fill_grid([(12, 4, 3, 1), (30, 20, 15, 6)])
    tab()
    type_text("8")
    assert not view.receipt_button.isEnabled()  # a receipt is for what was finalised, not for a draft
    qtbot.mouseClick(view.finalise_button, Qt.MouseButton.LeftButton)
    fake_dialogs.save_path = tmp_path / "fassung1.imon"
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    sent = read_submission_file(tmp_path / "fassung1.imon")

    fake_dialogs.save_path = tmp_path / "beleg.pdf"
    qtbot.mouseClick(view.receipt_button, Qt.MouseButton.LeftButton)
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "beleg.pdf").pages)
    assert "Kita Sonnenschein" in text
    assert sent.content_hash.removeprefix("sha256:") in text.replace("\n", "")

    qtbot.mouseClick(view.correction_button, Qt.MouseButton.LeftButton)
    assert "bleibt unverändert erhalten" in fake_dialogs.confirmations[0]
    view = window.entry
    assert view.state_label.text() == "Status: in Bearbeitung (Korrektur, Fassung 2)"
    assert view.boxes["personal_gesamt"].edit.text() == "8"
    view.boxes["personal_gesamt"].focus_editor()
    press(Qt.Key.Key_Backspace)
    type_text("9")
    qtbot.mouseClick(view.finalise_button, Qt.MouseButton.LeftButton)
    assert view.session.suggested_file_name() == f"Meldung_kita-sonnenschein_kita_{sent.year}_Fassung2.imon"
    fake_dialogs.save_path = tmp_path / view.session.suggested_file_name()
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    corrected = read_submission_file(fake_dialogs.save_path)
    assert corrected.revision == 2 and corrected.values[("personal_gesamt", "", "")].number == 9

    db, _unit = open_workspace(tmp_path / "holder.sqlite")
    history = revisions(db, KITA.id, "kita", sent.year)
    assert [r.revision for r in history] == [1, 2]
    assert history[0].content_hash == sent.content_hash  # the sent version is kept as it was
