"""Hostile input files for the robustness tests: small ones are committed in tests/robustness/hostile/ (run this
module to write them again), big or app-dependent ones are made at test time in tmp_path.

Every workbook is built with zipfile by hand, so that the XML is exactly as hostile as written here; nothing in
this module needs the application except form_workbook(), which starts from a genuine Excel form.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

CORPUS = Path(__file__).parent / "hostile"
PASSWD = "file:///etc/passwd"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>')
NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def workbook_xml(doctype: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype +
            f'<workbook {NS}><sheets><sheet name="Einrichtungen" sheetId="1" r:id="rId1"/></sheets></workbook>')


def sheet_xml(cells: list[list[str]], doctype: str = "") -> str:
    """A worksheet of inline strings; a cell text is put in as it is, so "&lol9;" stays an entity reference."""
    rows = []
    for r, row in enumerate(cells, 1):
        rows.append(f'<row r="{r}">' + "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{text}</t></is></c>' for c, text in enumerate(row))
            + "</row>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype +
            f'<worksheet {NS}><sheetData>{"".join(rows)}</sheetData></worksheet>')


def billion_laughs(root: str = "worksheet") -> str:
    """The classic: ten levels of ten references each, 10**9 "lol"s (3 GB) if a parser expands them."""
    lines = [f'<!DOCTYPE {root} [', '<!ENTITY lol "lol">']
    lines += [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    return "\n".join(lines) + "\n]>\n"


def external_entity(root: str = "worksheet") -> str:
    return f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{PASSWD}">]>\n'


def xlsx(sheet: str, workbook: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook or workbook_xml())
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


HEADER = ["Kennung", "Name", "Art"]


def plain_table() -> bytes:
    """The harmless twin of the hostile workbooks: it must be read, or the hostile ones prove nothing."""
    return xlsx(sheet_xml([HEADER, ["kita-1", "Kita Sonnenschein", "Kita"]]))


def laughs_in_sheet() -> bytes:
    return xlsx(sheet_xml([HEADER, ["kita-1", "&lol9;", "Kita"]], billion_laughs()))


def laughs_in_workbook() -> bytes:
    return xlsx(sheet_xml([HEADER, ["kita-1", "Kita", "Kita"]]), workbook_xml(billion_laughs("workbook")))


def passwd_in_sheet() -> bytes:
    return xlsx(sheet_xml([HEADER, ["kita-1", "&xxe;", "Kita"]], external_entity()))


def passwd_in_workbook() -> bytes:
    return xlsx(sheet_xml([HEADER, ["kita-1", "Kita", "Kita"]]),
                workbook_xml(external_entity("workbook")).replace('name="Einrichtungen"', 'name="&xxe;"'))


CORPUS_FILES = {
    "plain_table.xlsx": plain_table,
    "billion_laughs_sheet.xlsx": laughs_in_sheet,
    "billion_laughs_workbook.xlsx": laughs_in_workbook,
    "xxe_passwd_sheet.xlsx": passwd_in_sheet,
    "xxe_passwd_workbook.xlsx": passwd_in_workbook,
}
XML_ATTACKS = [name for name in CORPUS_FILES if name != "plain_table.xlsx"]


def zip_bomb(path: Path, unpacked_mb: int, member: str = "xl/worksheets/sheet1.xml",
             base: bytes | None = None) -> Path:
    """A workbook whose `member` unpacks to `unpacked_mb` MB of zeros (about 1 MB on disk per 220 MB); the
    other members come from `base` (default: plain_table()). Made at test time: never committed."""
    with zipfile.ZipFile(io.BytesIO(base or plain_table())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info.filename, source.read(info.filename))
        chunk = b"0" * (1 << 20)
        with target.open(member, mode="w", force_zip64=True) as out:
            for _ in range(unpacked_mb):
                out.write(chunk)
    return path


def rich_text_table(runs: int) -> bytes:
    """A list whose second name is made of `runs` formatted pieces ("rich text runs") in the shared strings: a few
    kilobytes that would take openpyxl seconds to minutes. Each piece is "ab", so the name is "ab" * runs."""
    content_types = CONTENT_TYPES.replace(
        "</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              f'<sst {NS}><si><t>Kita Sonnenschein</t></si><si>' + "<r><t>ab</t></r>" * runs + "</si></sst>")
    rows = [HEADER, ["kita-1", None, "Kita"], ["kita-2", 1, "Kita"]]
    cells = "".join(
        f'<row r="{r}">' + "".join(
            f'<c r="{chr(65 + c)}{r}" t="s"><v>{text}</v></c>' if isinstance(text, int) or text is None
            else f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{text}</t></is></c>'
            for c, text in enumerate(0 if v is None else v for v in row)) + "</row>"
        for r, row in enumerate(rows, 1))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<worksheet {NS}><sheetData>{cells}</sheetData></worksheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook_xml())
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared)
    return buffer.getvalue()


def sparse_file(path: Path, size: int = 2 * 1024**3) -> Path:
    """A file that says it is 2 GB and takes no disk space; never committed."""
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


def replace_member(data: bytes, member: str, new: bytes | str) -> bytes:
    """The same workbook with one member replaced, e.g. a genuine Excel form with a hostile sheet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, new if info.filename == member else source.read(info.filename))
    return buffer.getvalue()


def write_corpus(folder: Path = CORPUS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in CORPUS_FILES.items():
        path = folder / name
        path.write_bytes(make())
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_corpus():
        print(p)
