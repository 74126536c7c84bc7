"""The handbook in docs/handbuch: its pictures are the ones docs/screenshots.py makes, its pages hang together, and
the button labels it names are the program's own."""

import ast
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HANDBOOK = ROOT / "docs" / "handbuch"
PICTURES = HANDBOOK / "bilder"
SCRIPT = ROOT / "docs" / "screenshots.py"
PAGES = sorted(HANDBOOK.glob("*.md"))
CHAPTERS = {"index.md", "schule.md", "schild-export.md", "kita.md", "jugendtreff.md", "verein.md",
            "integrationsbuero.md", "fragen.md"}

IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
# A control of the program is written **„Label“**: a button, tab, menu entry or choice, as the program shows it.
CONTROL = re.compile(r"\*\*„([^“]+)“\*\*")


def script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True)


@pytest.fixture(scope="module")
def made() -> list[str]:
    return script("--list").stdout.split()


def test_the_handbook_has_its_chapters():
    assert {page.name for page in PAGES} == CHAPTERS


def test_every_picture_in_the_handbook_is_made_by_the_script(made):
    for page in PAGES:
        for target in IMAGE.findall(page.read_text(encoding="utf-8")):
            assert target.startswith("bilder/"), f"{page.name}: {target}"
            assert target.removeprefix("bilder/") in made, f"{page.name}: {target} macht docs/screenshots.py nicht"


def test_every_picture_the_script_makes_is_shown_and_was_made(made):
    shown = {target.removeprefix("bilder/") for page in PAGES for target in IMAGE.findall(page.read_text("utf-8"))}
    assert sorted(set(made) - shown) == []
    # The pictures are kept beside the text, so the handbook reads without running anything: `make docs` made them.
    assert sorted(name for name in made if not (PICTURES / name).is_file()) == []


def test_every_chapter_is_linked_from_the_index_and_every_link_leads_somewhere():
    index = (HANDBOOK / "index.md").read_text(encoding="utf-8")
    assert {target.split("#")[0] for target in LINK.findall(index)} >= CHAPTERS - {"index.md"}
    for page in PAGES:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            path = target.split("#")[0]
            if path and "://" not in target:
                assert (HANDBOOK / path).is_file(), f"{page.name}: {target}"


def _plain(label: str) -> str:
    """As the user reads it: without the Alt-key marker, with single spaces, without a trailing ":" or "…"."""
    text = " ".join(label.replace("&&", "\0").replace("&", "").replace("\0", "&").split())
    return text.rstrip(":…").strip()


def program_labels() -> set[str]:
    labels = set()
    for path in (ROOT / "desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                labels.add(_plain(node.args[0].value))
    return labels


def test_the_controls_named_in_the_handbook_exist_in_the_program():
    labels = program_labels()
    named = {(page.name, label) for page in PAGES for label in CONTROL.findall(page.read_text(encoding="utf-8"))}
    assert len(named) > 40  # the pattern still finds the handbook's buttons
    missing = sorted(f"{page}: „{label}“" for page, label in named if _plain(label) not in labels)
    assert missing == []


def test_one_screenshot_is_a_png_of_the_whole_window(tmp_path):
    script("--only", "kita-formular", "--out", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["kita-formular.png"]
    data = (tmp_path / "kita-formular.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 800)
    assert len(data) > 20_000  # a window with a form in it, not a blank picture
