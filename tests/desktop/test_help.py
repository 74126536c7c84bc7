"""The guides the program ships (desktop/help): the SchILD export guide names the columns the app reads, its German
text is the handbook page word for word, it comes in the program's language, and it is packed into wheel and bundle."""

import ast
import fnmatch
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from common import i18n
from desktop import help as guides
from intake.pupil_export import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "integrationsmonitor.spec"
HANDBOOK_PAGE = ROOT / "docs" / "handbuch" / "schild-export.md"
GERMAN = guides.HELP_DIR / "schild_export.de.md"
ENGLISH = guides.HELP_DIR / "schild_export.en.md"
DISPLAY_NAMES = [display for display, _keys in COLUMNS.values()]
# A row of the guide's table of fields: "| 4 | Staatsangehörigkeit (Schlüssel) | what it is for |".
FIELD_ROW = re.compile(r"^\| *(\d+) *\| *([^|]+?) *\|", re.MULTILINE)


def test_the_handbook_page_is_the_shipped_german_guide_byte_for_byte():
    assert HANDBOOK_PAGE.read_bytes() == GERMAN.read_bytes(), (
        "docs/handbuch/schild-export.md und desktop/help/schild_export.de.md sind auseinandergelaufen: "
        "eine Datei ändern und die andere durch eine Kopie ersetzen")


@pytest.mark.parametrize("path", [GERMAN, ENGLISH], ids=["de", "en"])
def test_the_guide_names_every_column_the_app_reads(path):
    text = path.read_text(encoding="utf-8")
    assert [name for name in DISPLAY_NAMES if name not in text] == []
    # The table of fields to tick lists exactly these, in this order, numbered 1, 2, 3 …
    rows = FIELD_ROW.findall(text)
    assert [name for _number, name in rows] == DISPLAY_NAMES
    assert [int(number) for number, _name in rows] == list(range(1, len(DISPLAY_NAMES) + 1))
    assert str(len(DISPLAY_NAMES)) in text  # "these 15 fields"


@pytest.mark.parametrize("path", [GERMAN, ENGLISH], ids=["de", "en"])
def test_the_guide_reads_on_its_own(path):
    """Shown inside the program, where no other handbook page and no picture can be reached."""
    text = path.read_text(encoding="utf-8")
    assert re.findall(r"\]\(([^)]*)\)", text) == []
    assert text.startswith("# ") and text.endswith("\n") and "\r" not in text


def test_the_german_and_english_guides_have_the_same_steps():
    def shape(path: Path) -> list[str]:
        return re.findall(r"^(#+ |\d+\. )", path.read_text(encoding="utf-8"), re.MULTILINE)

    assert shape(GERMAN) == shape(ENGLISH)


def test_guide_is_german_under_the_tests_language():
    assert os.environ["IMON_LANGUAGE"] == "de" and i18n.LANGUAGE == "de"
    assert guides.guide("schild_export") == GERMAN.read_text(encoding="utf-8")


def test_guide_follows_the_program_language(monkeypatch):
    monkeypatch.setattr(i18n, "LANGUAGE", "en")
    assert guides.guide("schild_export") == ENGLISH.read_text(encoding="utf-8")
    assert guides.guide("schild_export", "de") == GERMAN.read_text(encoding="utf-8")


def test_guide_falls_back_to_german_and_refuses_odd_names(monkeypatch):
    monkeypatch.setattr(i18n, "LANGUAGE", "fr")
    assert guides.guide("schild_export") == GERMAN.read_text(encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        guides.guide("no_such_guide")
    for name in ("../schild_export", "schild_export.de", "", "Schild_Export"):
        with pytest.raises(ValueError):
            guides.guide(name)


def test_an_english_program_shows_the_english_guide():
    """The language is fixed when the program starts, so this one runs in a process of its own."""
    probe = "from desktop.help import guide; import sys; sys.stdout.buffer.write(guide('schild_export').encode())"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, timeout=60,
                            env={**os.environ, "IMON_LANGUAGE": "en"})
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == ENGLISH.read_bytes()


# --- packaging -------------------------------------------------------------------------------------------------

def test_the_pyinstaller_spec_bundles_the_guides_beside_the_module():
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    data = next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                and [getattr(t, "id", None) for t in node.targets] == ["DATA"])
    entries = [(source, target) for source, target in data if source.startswith("desktop/help/")]
    assert entries == [("desktop/help/*.md", guides.HELP_DIR.relative_to(ROOT).as_posix())]
    source = entries[0][0]
    assert {GERMAN, ENGLISH} <= set(ROOT.glob(source))


def test_the_wheel_takes_the_guides_along():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = project["package-data"]["desktop"]
    for path in (GERMAN, ENGLISH):
        inside = path.relative_to(ROOT / "desktop").as_posix()
        assert any(fnmatch.fnmatch(inside, pattern) for pattern in patterns), inside
    assert any(fnmatch.fnmatch("desktop.help", pattern) for pattern in project["packages"]["find"]["include"])
