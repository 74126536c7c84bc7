"""The holder's window lists the forms without loading the heavy libraries, nor PyNaCl, which only signing needs: each
of them costs a busy school secretary a visible pause at every start, and none is needed before a report, a
workbook or an export is made."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "numpy", "matplotlib", "openpyxl", "reportlab", "nacl", "pyproj", "shapely", "shapefile")

START = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from desktop.app import show_main_window
window = show_main_window(Path(sys.argv[1]))
while window.form_list.count() == 0:
    app.processEvents()
print(window.form_list.count())
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[2:])))
"""


def test_the_form_list_appears_without_pandas_numpy_or_the_report_libraries(tmp_path):
    db = tmp_path / "schule.sqlite"
    subprocess.run([sys.executable, "-c", "import sys; from store.database import open_database; "
                    "from desktop.ops.workspace import setup_demo; setup_demo(open_database(sys.argv[1]))", str(db)],
                   cwd=ROOT, check=True, timeout=120)
    result = subprocess.run([sys.executable, "-c", START, str(db), *HEAVY], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    listed, loaded = result.stdout.splitlines()
    assert int(listed) >= 5  # the demo school's years are there
    assert loaded == ""
