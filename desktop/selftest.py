"""`integrationsmonitor --selftest`: proves that an installed program has everything it needs.

Run on a clean machine right after a build (and by CI on the PyInstaller bundle): it opens the main window
offscreen, loads every shipped form, writes and reads a submission file, finds the report fonts, loads the
indicator catalogue and finds the guides. Each check prints one German line with ✓ or ✗; the exit code is 0 only
if all pass. Nothing outside a temporary folder is touched, and no display is needed. Imports stay inside the
checks, so a missing module in a bundle fails its own check with a clear line instead of the whole self-test.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

OK, FAILED = "✓", "✗"
WINDOW_TIMEOUT_S = 60
HANG_TIMEOUT_S = 300  # a dialog nobody can click would otherwise keep CI waiting forever
_SCHOOL = {"id": "999001", "kind": "schule", "name": "Selbsttest-Grundschule (erfunden)",
           "attributes": {"schulform": "Grundschule"}}


class SelftestError(Exception):
    """A check found something missing or wrong; the message says what."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_window(tmp: Path) -> str:
    """The real start path (desktop.app.show_main_window) on a made-up school's database, then one form opened."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop import dialogs
    from desktop.app import show_main_window
    from desktop.ops.workspace import open_workspace, setup_institution
    from store.orgunits import OrgUnit

    db_path = tmp / "selbsttest.sqlite"
    db, _unit = open_workspace(db_path)
    setup_institution(db, OrgUnit(**_SCHOOL))
    db.close()

    app = QApplication.instance() or QApplication([sys.argv[0]])
    problems: list[str] = []
    saved = _replace_dialogs(dialogs, problems)
    try:
        window = show_main_window(db_path)
        deadline = time.monotonic() + WINDOW_TIMEOUT_S
        while not problems and window.db is None and time.monotonic() < deadline:  # opened after the first paint
            app.processEvents()
            time.sleep(0.01)
        if problems:
            raise SelftestError(problems[0])
        if not window.isVisible():
            raise SelftestError("das Fenster ist nicht sichtbar")
        if window.db is None:
            raise SelftestError(f"die Daten wurden nach {WINDOW_TIMEOUT_S} s noch nicht geöffnet")
        if window.form_list.count() == 0:
            raise SelftestError("keine Formulare in der Liste")
        form_id, version, year = window.form_list.item(0).data(Qt.ItemDataRole.UserRole)
        window.open_form(form_id, version, year)
        app.processEvents()
        if problems:
            raise SelftestError(problems[0])
        if window.entry is None:
            raise SelftestError(f"das Formular „{form_id}“ {year} ließ sich nicht öffnen")
        window.close()
        window.deleteLater()
        app.processEvents()
        if problems:
            raise SelftestError(problems[0])
    finally:
        for name, function in saved.items():
            setattr(dialogs, name, function)
    return "Programmfenster geöffnet"


def _replace_dialogs(dialogs, problems: list[str]) -> dict[str, Callable]:
    """No dialog may wait for a click that never comes: errors and questions are recorded as problems; the
    weekly backup question on closing is answered "no", as a user leaving a fresh workspace would."""
    saved = {name: getattr(dialogs, name) for name in dir(dialogs)
             if name.startswith(("ask_", "show_")) or name in ("inform", "confirm")}

    def unexpected(name: str) -> Callable:
        def record(*args, **kwargs):
            problems.append(f"unerwarteter Dialog {name}: {args[1:] or kwargs}")
        return record

    for name in saved:
        setattr(dialogs, name, unexpected(name))
    dialogs.show_error = lambda parent, error: problems.append(_describe(error))
    dialogs.confirm = lambda parent, message: False
    return saved


def check_forms(tmp: Path) -> str:
    from forms.catalog import DEFINITIONS_DIR, definition_files, shipped_forms
    from forms.loader import load_form
    from forms.validation import validate

    files = definition_files()
    if not files:
        raise SelftestError(f"keine Formulardefinitionen in {DEFINITIONS_DIR}")
    for path in files:
        validate(load_form(path), {})  # raises DefinitionError naming the file and key
    if len(shipped_forms()) != len(files):
        raise SelftestError(f"{len(files)} Dateien, aber {len(shipped_forms())} Formulare")
    return f"{len(files)} Formulare geladen"


def check_submission_file(tmp: Path) -> str:
    from common import about
    from forms.catalog import shipped_forms
    from forms.model import FieldType, ValueState
    from forms.values import Value
    from store.submissions import Submission
    from sync.submission_file import read_submission_file, suggested_name, write_submission_file

    form = next((f for f in shipped_forms() if f.kind == _SCHOOL["kind"]), None)
    if form is None:
        raise SelftestError("kein Formular für Schulen")
    counts = [f for f in form.fields() if f.type is FieldType.COUNT]
    values = {(counts[0].code, "", ""): Value(number=298, comment="Selbsttest")}
    if len(counts) > 1:
        values[(counts[1].code, "", "")] = Value(state=ValueState.UNKNOWN)
    submission = Submission(
        org_unit_id=_SCHOOL["id"], institution_name=_SCHOOL["name"], form_id=form.id, form_version=form.version,
        year=form.years[0], revision=1, values=values, created_at="2025-01-01T00:00:00+00:00",
        app_version=about.APP_VERSION, content_hash="")
    path = tmp / suggested_name(submission.org_unit_id, form.id, submission.year, submission.revision)
    written = write_submission_file(submission, path)
    read = read_submission_file(path)
    if read != written or read.values != values or read.org_unit_id != submission.org_unit_id:
        raise SelftestError(f"{path.name} liest sich anders zurück, als sie geschrieben wurde")
    return "Meldungsdatei geschrieben und gelesen"


def check_fonts(tmp: Path) -> str:
    import io

    from reportlab.pdfgen.canvas import Canvas

    from reports.receipt import font_files
    from reports.report_pdf_page import register_fonts
    from reports.report_pdf_tables import FONT, FONT_BOLD

    regular, bold = font_files()
    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out)
    for y, font in ((700, FONT), (680, FONT_BOLD)):
        canvas.setFont(font, 10)
        canvas.drawString(72, y, "Schüler/innen – Größe ≤ 5 %")
    canvas.save()
    if not out.getvalue().startswith(b"%PDF") or b"DejaVuSans" not in out.getvalue():
        raise SelftestError("die Schrift wurde nicht in das PDF eingebettet")
    return f"Bericht-Schriften gefunden ({regular.name}, {bold.name})"


def check_indicators(tmp: Path) -> str:
    from reports.catalog import catalog

    indicators = catalog().indicators
    if not indicators:
        raise SelftestError("der Katalog enthält keine Kennzahlen")
    return f"Indikatorenkatalog geladen ({len(indicators)} Kennzahlen)"


def check_guides(tmp: Path) -> str:
    from desktop.help import HELP_DIR, guide

    # Each language on its own: a bundle that lost the English file would silently show the German one.
    found = [language for language in ("de", "en") if (HELP_DIR / f"schild_export.{language}.md").is_file()
             and guide("schild_export", language).startswith("# ")]
    if found != ["de", "en"]:
        raise SelftestError(f"die Anleitung zum SchILD-Export fehlt in {HELP_DIR} (gefunden: {found or 'keine'})")
    return "Anleitung zum SchILD-Export gefunden (deutsch, englisch)"


def check_geography(tmp: Path) -> str:
    """The data the bundle must carry for areas and official tables: a GeoJSON projected to the maps' metres
    (pyproj's database and GEOS), the characteristics by area, and the shipped GENESIS mappings."""
    from forms.area_characteristics import characteristics
    from intake.genesis_mapping import shipped_mappings
    from intake.gis import read_boundaries

    square = tmp / "gebiet.geojson"
    square.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"NR": "1", '
                      '"NAME": "Test"}, "geometry": {"type": "Polygon", "coordinates": [[[8.10, 51.57], [8.12, '
                      '51.57], [8.12, 51.58], [8.10, 51.58], [8.10, 51.57]]]}}]}', encoding="utf-8")
    area = read_boundaries(square).features[0].area_m2
    if not 1_000_000 < area < 2_000_000:  # 0.02° × 0.01° near Soest is about 1.5 km²
        raise SelftestError(f"die Projektion stimmt nicht (Fläche {area:.0f} m²)")
    if not characteristics() or not shipped_mappings():
        raise SelftestError("Merkmale nach Gebieten oder GENESIS-Zuordnungen fehlen")
    return f"Projektion, {len(characteristics())} Merkmale, {len(shipped_mappings())} GENESIS-Zuordnungen"


CHECKS: tuple[tuple[str, Callable[[Path], str]], ...] = (
    ("Programmfenster", check_window),
    ("Formulare", check_forms),
    ("Meldungsdatei", check_submission_file),
    ("Bericht-Schriften", check_fonts),
    ("Indikatorenkatalog", check_indicators),
    ("Anleitungen", check_guides),
    ("Gebiete und amtliche Tabellen", check_geography),
)


def _describe(error: BaseException) -> str:
    message = getattr(error, "message", None)
    return message if isinstance(message, str) else f"{type(error).__name__}: {error}"


def run() -> int:
    # Before anything imports Qt: the self-test must run on a machine without a display (CI, a build server).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a Windows console code page without ✓ must not end the test
            stream.reconfigure(errors="replace")
    # On a hang: the stack of every thread (where it waits), then exit code 1. Without a usable stderr (a windowed
    # program) there is no watchdog.
    with contextlib.suppress(AttributeError, ValueError, OSError):
        faulthandler.dump_traceback_later(HANG_TIMEOUT_S, exit=True)
    failed = []
    # ignore_cleanup_errors: on Windows a file still open after a failed check must not hide the report.
    with tempfile.TemporaryDirectory(prefix="integrationsmonitor-selbsttest-", ignore_cleanup_errors=True) as tmp:
        for label, check in CHECKS:
            try:
                line = check(Path(tmp))
            except Exception as exc:  # every failure is reported, none stops the other checks
                failed.append(label)
                print(f"{FAILED} {label}: {_describe(exc)}", flush=True)
                if not isinstance(getattr(exc, "message", None), str):  # not a worded error: show where it came from
                    traceback.print_exc(file=sys.stderr)
            else:
                print(f"{OK} {line}", flush=True)
    faulthandler.cancel_dump_traceback_later()
    if failed:
        print(f"Selbsttest fehlgeschlagen: {len(failed)} von {len(CHECKS)} Prüfungen ({', '.join(failed)}). "
              "Die Installation ist unvollständig oder beschädigt.", file=sys.stderr)
        return 1
    print(f"Selbsttest bestanden: {len(CHECKS)} von {len(CHECKS)} Prüfungen.")
    return 0
