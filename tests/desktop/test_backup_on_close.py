"""Once a week the app offers a backup when it closes; the backup can be restored from the menu."""

from store.backup import backup_folder
from store.database import open_database
from store.submissions import current_submission, load_values
from tests.desktop.conftest import KITA
from tests.desktop.keyboard import enter, type_text


def test_weekly_backup_at_closing_and_restore(open_window, fake_dialogs, tmp_path, qtbot):
    window = open_window(KITA)
    enter()
    year = window.entry.session.submission.year
    type_text("12")
    window.close()
    assert any("keine Sicherung" in c for c in fake_dialogs.confirmations)
    backups = list(backup_folder(tmp_path / "holder.sqlite").iterdir())
    assert len(backups) == 1

    fake_dialogs.confirmations.clear()
    again = open_window(None)  # the same database, opened again
    again.close()
    assert not any("keine Sicherung" in c for c in fake_dialogs.confirmations)  # done this week already

    db = open_database(tmp_path / "holder.sqlite")
    submission = current_submission(db, KITA.id, "kita", year)
    db.execute("UPDATE cell_values SET number = 99 WHERE submission_id = ?", [submission.id])
    db.close()
    third = open_window(None)
    fake_dialogs.open_path = backups[0]
    third.restore_backup()
    assert "eingespielt" in fake_dialogs.informed[-1]
    assert load_values(third.db, submission.id)[("kinder", "u3", "insgesamt")].number == 12
