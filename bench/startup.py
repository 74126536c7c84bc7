"""Cold start to the main window, against a bare PySide6 window started the same way in the same run.

Each start is a fresh process (cold imports); runs alternate between the two so that machine noise hits both.
Targets: the app's window appears, and the holder's forms are listed, within 1.5 times the bare window's time.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._machine import describe, record  # noqa: E402

RUNS = 9
# Each child prints wall-clock times (time.time()) of its first paint and of being ready; the parent subtracts
# the moment it started the process, so interpreter start-up and every import are included.
PAINT_PROBE = """
import time
from PySide6.QtCore import QEvent, QObject
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "at"):
            self.at = time.time()
        return False
"""
BARE = PAINT_PROBE + """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 800)
probe = FirstPaint()
window.installEventFilter(probe)
window.show()
while not hasattr(probe, "at"):
    app.processEvents()
print("shown", probe.at, flush=True)
"""
APP = PAINT_PROBE + """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from desktop.holder_window import HolderWindow
probe = FirstPaint()
_show = HolderWindow.show
def show(self):
    self.installEventFilter(probe)
    _show(self)
HolderWindow.show = show
from desktop.app import show_main_window
window = show_main_window(Path(sys.argv[1]))
while not hasattr(probe, "at") or window.form_list.count() == 0:
    app.processEvents()
print("shown", probe.at, flush=True)
print("ready", time.time(), flush=True)
"""


def start(script: str, *args: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    began = time.time()
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env,
                            cwd=Path(__file__).resolve().parent.parent, check=True)
    return {name: float(at) - began for name, at in (line.split() for line in result.stdout.splitlines())}


PACKAGES = ("common", "forms", "store", "sync", "intake", "reports", "demo", "cli", "desktop", "launcher")


def main() -> None:
    # The bare window's libraries were compiled to bytecode when pip installed them, and so is an installed or
    # bundled Integrationsmonitor; where PYTHONDONTWRITEBYTECODE is set, the project's own modules would otherwise be
    # compiled anew at every start and the comparison would be unfair to them.
    subprocess.run([sys.executable, "-m", "compileall", "-q", *PACKAGES], check=True,
                   cwd=Path(__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "holder.sqlite"
        subprocess.run([sys.executable, "-c", "from store.database import open_database; from desktop.ops.workspace "
                        "import setup_demo; setup_demo(open_database(__import__('sys').argv[1]))", str(db)],
                       check=True, cwd=Path(__file__).resolve().parent.parent)
        bare, shown, ready = [], [], []
        for _ in range(RUNS):
            bare.append(start(BARE)["shown"])
            marks = start(APP, str(db))
            shown.append(marks["shown"])
            ready.append(marks["ready"])
    b, s, r = statistics.median(bare), statistics.median(shown), statistics.median(ready)
    print(f"machine: {describe()}; {RUNS} cold starts each, medians")
    print(f"bare PySide6 window shown:        {b * 1000:7.0f} ms (baseline)")
    print(f"Integrationsmonitor window shown: {s * 1000:7.0f} ms  ratio {s / b:.2f}  (target <= 1.5)")
    print(f"Integrationsmonitor forms listed: {r * 1000:7.0f} ms  ratio {r / b:.2f}  (target <= 1.5)")
    record("Kaltstart bis Fenster sichtbar", s * 1000, "ms", "leeres PySide6-Fenster", b * 1000, "Verhältnis <= 1,5",
           s / b <= 1.5)
    record("Kaltstart bis Formulare gelistet", r * 1000, "ms", "leeres PySide6-Fenster", b * 1000,
           "Verhältnis <= 1,5", r / b <= 1.5)


if __name__ == "__main__":
    main()
