"""Peak memory of the officer's app on an NRW-sized workspace (all 5,407 schools with 10 years of submissions):
every tab opened and the report made, against a bare PySide6 window in the same run. Target: under 400 MB."""

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._machine import describe, record  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import resource
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("Integrationsmonitor")
label.show()
app.processEvents()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

APP = """
import resource, sys
from PySide6.QtWidgets import QApplication
from desktop.holder_window import HolderWindow
app = QApplication([])
window = HolderWindow(sys.argv[1])
window.resize(1280, 800)
window.show()
window = window.open_workspace()  # the officer's data comes back in the officer's window
for index in range(window.tabs.count()):
    window.tabs.setCurrentIndex(index)
    app.processEvents()
view = window.report_view
view.year.setValue(2024)
view.first_year.setValue(2015)
view.make()
from desktop import operation
while operation.running():  # the report is made on the worker; its chapters arrive with the callback
    app.processEvents()
for row in range(view.chapters.count()):
    view.chapters.setCurrentRow(row)
    app.processEvents()
assert view.report is not None
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_mib(code: str, *args: str) -> float:
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, env=env,
                         check=True)
    return int(run.stdout.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    from bench.report import nrw
    from store.settings import OFFICER, set_role

    with tempfile.TemporaryDirectory() as tmp:
        db, schools, submissions, values = nrw(Path(tmp))
        set_role(db, OFFICER)
        db.close()
        bare = peak_mib(BARE)
        app = peak_mib(APP, str(Path(tmp) / "nrw.sqlite"))
    print(f"machine: {describe()}")
    print(f"bare PySide6 window:                                   {bare:7.0f} MiB (baseline)")
    print(f"officer app, NRW ({schools} schools, {submissions} submissions, {values} values), every tab and the "
          f"report: {app:7.0f} MiB  ratio {app / bare:.1f}  (target < 400 MiB)")
    record("Spitzenspeicher der Rathaus-Anwendung, NRW-Größe, alle Reiter und Bericht", app, "MiB",
           "leeres PySide6-Fenster", bare, "< 400 MiB", app < 400)


if __name__ == "__main__":
    main()
