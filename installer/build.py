"""Builds the PyInstaller bundle (dist/Integrationsmonitor/) and proves it with its own self-test.

    python installer/build.py               # bundle + `--version` + `--selftest` of the built program
    python installer/build.py --installer   # Windows: then the Inno Setup installer (needs ISCC.exe, Inno Setup 6)

Run it with the project's virtual environment (`make build` does), so that PyInstaller and every dependency come
from there. The same script serves Linux and Windows; see installer/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from common.about import APP_NAME  # noqa: E402  (stdlib only; the spec names the bundle after it too)

SPEC = ROOT / "installer" / "integrationsmonitor.spec"
ISS = ROOT / "installer" / "windows" / "integrationsmonitor.iss"
DIST, WORK = ROOT / "dist", ROOT / "build" / "pyinstaller"


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def bundle_dir() -> Path:
    return DIST / APP_NAME


def executable() -> Path:
    return bundle_dir() / (APP_NAME + (".exe" if sys.platform == "win32" else ""))


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build() -> None:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)], cwd=ROOT, check=True)
    if not executable().is_file():
        raise SystemExit(f"PyInstaller finished, but {executable()} is missing")
    print(f"Bundle: {bundle_dir()} ({folder_size(bundle_dir()) / 2**20:.0f} MiB), "
          f"built in {time.monotonic() - started:.0f} s", flush=True)


def check_bundle() -> None:
    """The built program, not the source tree: --version must match pyproject.toml, --selftest must pass.
    Runs from a neutral folder so nothing is found by accident in the working directory."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([str(executable()), "--version"], capture_output=True, text=True, encoding="utf-8",
                         errors="replace", cwd=DIST, env=env, check=True).stdout.strip()
    print(out, flush=True)
    if not out.endswith(" " + project_version()):
        raise SystemExit(f"the bundle says {out!r}, pyproject.toml says {project_version()}")
    result = subprocess.run([str(executable()), "--selftest"], cwd=DIST, env=env)
    if result.returncode != 0:
        raise SystemExit(f"the bundle's self-test failed (exit code {result.returncode})")


def find_iscc() -> Path:
    found = shutil.which("ISCC") or shutil.which("iscc")
    candidates = [Path(found)] if found else []
    for variable in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        if os.environ.get(variable):
            base = Path(os.environ[variable])
            candidates += [base / "Inno Setup 6" / "ISCC.exe", base / "Programs" / "Inno Setup 6" / "ISCC.exe"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise SystemExit("ISCC.exe (Inno Setup 6) not found: install it or put it on PATH")


def build_installer() -> None:
    if sys.platform != "win32":
        raise SystemExit("--installer builds the Windows setup program and runs on Windows only")
    subprocess.run([str(find_iscc()), f"/DAppVersion={project_version()}", f"/DBundleDir={bundle_dir()}",
                    f"/O{DIST}", str(ISS)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-selftest", action="store_true", help="skip --version and --selftest of the bundle")
    parser.add_argument("--installer", action="store_true", help="then build the Inno Setup installer (Windows)")
    args = parser.parse_args()
    build()
    if not args.no_selftest:
        check_bundle()
    if args.installer:
        build_installer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
