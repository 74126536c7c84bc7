"""`integrationsmonitor --selftest` from source, and the PyInstaller spec's data files against what the code reads.

The built bundle runs the same self-test in CI (`make build`); these tests keep it honest without a build.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import common.i18n
import forms.catalog
import reports.catalog

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "integrationsmonitor.spec"


def selftest(*code: str) -> subprocess.CompletedProcess:
    """The command line in a fresh interpreter; `code` runs first (to break something on purpose)."""
    script = "\n".join([*code, "import sys", "from launcher import main", "sys.exit(main(['--selftest']))"])
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=180)


def test_selftest_passes_with_one_line_per_check():
    result = subprocess.run([sys.executable, "-m", "launcher", "--selftest"], cwd=ROOT, capture_output=True,
                            text=True, encoding="utf-8", timeout=180,
                            env=dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8"))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "✓ Programmfenster geöffnet",
        f"✓ {len(forms.catalog.definition_files())} Formulare geladen",
        "✓ Meldungsdatei geschrieben und gelesen",
    ]
    assert lines[3] == "✓ Bericht-Schriften gefunden (DejaVuSans.ttf, DejaVuSans-Bold.ttf)"
    assert lines[4] == f"✓ Indikatorenkatalog geladen ({len(reports.catalog.catalog().indicators)} Kennzahlen)"
    assert lines[5] == "✓ Anleitung zum SchILD-Export gefunden (deutsch, englisch)"
    assert lines[6].startswith("✓ Projektion, ") and "GENESIS-Zuordnungen" in lines[6]
    assert lines[7:] == ["Selbsttest bestanden: 7 von 7 Prüfungen."]


def test_a_missing_data_folder_fails_with_a_clear_line_and_the_other_checks_still_run(tmp_path):
    result = selftest("import pathlib, forms.catalog",
                      f"forms.catalog.DEFINITIONS_DIR = pathlib.Path({str(tmp_path)!r})")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"✗ Formulare: keine Formulardefinitionen in {tmp_path}" in lines
    assert "✗ Programmfenster: keine Formulare in der Liste" in lines
    assert any(line.startswith("✓ Bericht-Schriften gefunden") for line in lines)
    assert len(lines) == 7
    assert "Selbsttest fehlgeschlagen: 4 von 7 Prüfungen" in result.stderr
    assert "Traceback" not in result.stderr  # worded errors need no traceback


def test_missing_report_fonts_fail_their_check_by_name():
    result = selftest("import reports.receipt",
                      "from reports.errors import FontMissingError",
                      "def missing(): raise FontMissingError('Die Schrift „DejaVu Sans“ fehlt.')",
                      "reports.receipt.font_files = missing")
    assert result.returncode == 1
    assert "✗ Bericht-Schriften: Die Schrift „DejaVu Sans“ fehlt." in result.stdout.splitlines()


# --- the spec --------------------------------------------------------------------------------------------------

def spec_lists() -> dict[str, list[tuple[str, str]]]:
    """DATA and OPTIONAL_DATA as the spec assigns them, read without running PyInstaller."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    found = {}
    for node in tree.body:
        names = [getattr(target, "id", None) for target in getattr(node, "targets", [])]
        if isinstance(node, ast.Assign) and names in (["DATA"], ["OPTIONAL_DATA"]):
            found[names[0]] = ast.literal_eval(node.value)
    assert set(found) == {"DATA", "OPTIONAL_DATA"}
    return found


def test_every_required_data_entry_of_the_spec_exists_and_keeps_its_place_beside_the_modules():
    for source, target in spec_lists()["DATA"]:
        pattern = ROOT.joinpath(*source.split("/"))
        matches = sorted(pattern.parent.glob(pattern.name))
        assert matches, f"{source} names nothing"
        for path in matches:
            # The code finds its data relative to its own module, so the bundle must keep the relative path.
            assert Path(*target.split("/")) / path.name == path.relative_to(ROOT)


def test_the_spec_bundles_every_place_the_code_reads_data_from():
    lists = spec_lists()
    targets = {Path(*target.split("/")) for _source, target in lists["DATA"] + lists["OPTIONAL_DATA"]}
    required = {Path(*target.split("/")) for _source, target in lists["DATA"]}
    assert forms.catalog.DEFINITIONS_DIR.relative_to(ROOT) in required
    assert reports.catalog.CATALOG_FILE.parent.relative_to(ROOT) in required
    assert reports.catalog.CATALOG_FILE.relative_to(ROOT).as_posix() in {s for s, _t in lists["DATA"]}
    # Translations are optional until there are some; once the folder exists, the spec takes it along.
    assert common.i18n.LOCALE_DIR.relative_to(ROOT) in targets


def test_the_spec_is_portable():
    """No path of one machine: everything is built from the spec's folder or found through the packages."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    for text in strings:
        assert text == "/" or not text.startswith(("/", "~")), text  # "/" alone: relative paths split with pathlib
        assert "\\" not in text and ":/" not in text, text
        assert "site-packages" not in text and ".venv" not in text, text
