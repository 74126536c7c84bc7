"""The layout holds: the core packages and the headless command line work on a machine where Qt would not even
load."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ("common", "forms", "store", "sync", "intake", "reports", "demo", "cli")
# DESIGN.md: desktop, cli → sync, intake, reports, demo → store → forms; common is the plumbing under all of them.
MAY_IMPORT = {
    "common": set(),
    "forms": {"common"},
    "store": {"common", "forms"},
    "sync": {"common", "forms", "store"},
    "intake": {"common", "forms", "store"},
    "reports": {"common", "forms", "store"},
    "demo": {"common", "forms", "store", "sync", "intake"},
    "cli": {"common", "forms", "store", "sync", "intake", "reports", "demo"},
    "desktop": {"common", "forms", "store", "sync", "intake", "reports", "demo"},
    "launcher": {"cli", "desktop"},
}

IMPORT_ALL_CORE = f"""
import importlib, pkgutil, sys
for package in {CORE!r}:
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        importlib.import_module(info.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(len([m for m in sys.modules if m.split(".")[0] in {CORE!r}]))
assert not loaded, loaded
"""


def sources(package: str):
    return sorted((ROOT / package).rglob("*.py"))


def test_core_packages_import_without_qt():
    result = subprocess.run([sys.executable, "-c", IMPORT_ALL_CORE], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 60  # every core module was really imported


def test_headless_commands_do_not_load_qt(tmp_path):
    script = f"""
import sys
from cli.main import main
assert main(["forms", "check"]) == 0
assert main(["demo", "--db", r"{tmp_path / 'demo.sqlite'}"]) == 0
assert not [m for m in sys.modules if m.startswith("PySide6")]
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_core_sources_never_import_qt():
    offenders = [str(p.relative_to(ROOT)) for package in CORE for p in sources(package)
                 if "PySide6" in p.read_text(encoding="utf-8")]
    assert offenders == []
