"""The layout holds: the core packages and the headless command line work on a machine where Qt would not even
load, the arrows between packages run one way, and only `store/` speaks SQL."""

import ast
import re
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


def test_imports_between_packages_run_one_way():
    wrong = []
    for package, allowed in MAY_IMPORT.items():
        for path in sources(package):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
                for name in names:
                    top = name.split(".")[0]
                    if top in MAY_IMPORT and top != package and top not in allowed:
                        wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert wrong == []


def test_only_the_store_speaks_sql():
    sql = re.compile(r"\.(execute|executemany|executescript|query)\(|\bdb\[\"|\bsqlite3\.connect\(")
    offenders = [f"{p.relative_to(ROOT)}:{n}" for package in MAY_IMPORT if package != "store"
                 for p in sources(package) for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if sql.search(line)]
    assert offenders == []
