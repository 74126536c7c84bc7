from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox

from desktop.app import run


def test_a_second_window_on_the_same_data_is_refused_with_a_message(qapp, tmp_path, monkeypatch):
    path = tmp_path / "holder.sqlite"
    first = QLockFile(str(path) + ".lock")
    assert first.tryLock(100)
    told = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: told.append(text))
    try:
        assert run(path) == 1
    finally:
        first.unlock()
    assert "schon geöffnet" in told[0]
    assert not path.exists()  # the refused instance did not even open the database
