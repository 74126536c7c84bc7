"""Paragraph styles and statistical tables of the report PDF (see reports.report_pdf).

A table is always laid out to fit the frame: columns get the width their numbers and header words need, the font
shrinks step by step for wide tables, and only then does text wrap. Every cell is a Paragraph, so nothing can be
drawn past its column.
"""

from __future__ import annotations

from dataclasses import replace
from xml.sax.saxutils import escape

from reports.report_model import TEXT, Table

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
CM = 72 / 2.54
INK, MUTED, RULE, HEAD_BG, ZEBRA = "#1a1a1a", "#555555", "#4d4d4d", "#e6eaef", "#f3f5f7"
_PAD = 3.0
_SIZES = (8.5, 8.0, 7.5, 7.0, 6.5)
_MAX_NUMBER_W, _MAX_TEXT_W, _MIN_LABEL_W, _SHORT_TEXT_W = 2.8 * CM, 7.0 * CM, 4.5 * CM, 1.8 * CM


def markup(text: str) -> str:
    """User text for Paragraph markup: institution names may contain "<" or "&", which must print literally."""
    return escape(str(text)).replace("\n", "<br/>")


def make_styles() -> dict:
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=13, textColor=INK)
    small = ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=MUTED)
    return {
        "base": base,
        "body": ParagraphStyle("body", base, spaceAfter=6),
        "kicker": ParagraphStyle("kicker", base, fontSize=11, leading=14, textColor=MUTED, spaceAfter=8),
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=26, leading=31, spaceAfter=10),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=13, leading=17, spaceAfter=26),
        "fact": ParagraphStyle("fact", base, fontSize=10, leading=14),
        "notice": ParagraphStyle("notice", base, fontName=FONT_BOLD, fontSize=12, leading=16),
        "h1": ParagraphStyle("h1", base, fontName=FONT_BOLD, fontSize=17, leading=21, spaceAfter=10),
        "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=10,
                             spaceAfter=4, keepWithNext=1),
        "caption": ParagraphStyle("caption", base, fontName=FONT_BOLD, fontSize=9.5, leading=12, spaceBefore=12,
                                  spaceAfter=4, keepWithNext=1),
        "small": ParagraphStyle("small", small, spaceBefore=1),
        "note": ParagraphStyle("note", base, fontSize=8.5, leading=11, spaceBefore=2),
        "toc": ParagraphStyle("toc", base, fontSize=10.5, leading=14, spaceBefore=5),
        "cell": ParagraphStyle("cell", base, alignment=TA_LEFT),
        "number": ParagraphStyle("number", base, alignment=TA_RIGHT),
    }


def _cell_styles(styles: dict, size: float) -> dict:
    from reportlab.lib.enums import TA_RIGHT

    leading = round(size * 1.22, 1)
    left = styles["cell"].clone(f"cell-{size}", fontSize=size, leading=leading, splitLongWords=1)
    right = styles["number"].clone(f"number-{size}", fontSize=size, leading=leading)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    head = size - 0.5
    return {
        ("indent", False): right.clone(f"number-i-{size}", rightIndent=stringWidth("*", FONT, size)),
        ("indent", True): right.clone(f"number-ib-{size}", fontName=FONT_BOLD,
                                      rightIndent=stringWidth("*", FONT_BOLD, size)),
        (False, False): left, (False, True): left.clone(f"cell-b-{size}", fontName=FONT_BOLD),
        (True, False): right, (True, True): right.clone(f"number-b-{size}", fontName=FONT_BOLD),
        "head": left.clone(f"head-{size}", fontName=FONT_BOLD, fontSize=head, leading=round(head * 1.2, 1)),
        "head-right": right.clone(f"head-r-{size}", fontName=FONT_BOLD, fontSize=head, leading=round(head * 1.2, 1),
                                  alignment=TA_RIGHT),
    }


# No real name or note is longer; a pasted block of text would make a table row taller than a page, which reportlab
# cannot set. The workbook and the CSV keep the full text.
LONGEST_SHOWN = 300


def shortened(text: str) -> str:
    text = str(text)
    return text if len(text) <= LONGEST_SHOWN else text[:LONGEST_SHOWN - 1] + "…"


def printed(cell) -> str:
    return shortened(cell.text) + ("*" if cell.provisional else "")


def _longest_word(texts, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return max((stringWidth(w, font, size) for t in texts for w in str(t).split()), default=0.0)


def _widest(texts, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return max((stringWidth(str(t), font, size) for t in texts), default=0.0)


def _needs(table: Table, size: float, frame: float) -> tuple[list[float], list[float]]:
    """Per column (row labels first): the width below which text would break inside a word or number, and the
    width the column would like to have."""
    # A word longer than a column can ever be (a pasted name without spaces) is broken, not given the page.
    cap = 0.42 * frame - 2 * _PAD
    head_words = [min(_longest_word([table.row_header], FONT_BOLD, size - 0.5), cap)]
    head_words += [min(_longest_word([c], FONT_BOLD, size - 0.5), cap) for c in table.columns]
    labels = [shortened(label) for label in table.rows]
    # Row labels come first: a long institution name squeezed into a narrow column reads worse than a smaller font.
    need = [max(head_words[0], min(_longest_word(labels, FONT_BOLD, size), cap),
                min(_widest(labels, FONT_BOLD, size), _MIN_LABEL_W)) + 2 * _PAD]
    want = [min(max(need[0], _widest(labels, FONT_BOLD, size) + 2 * _PAD), 0.42 * frame)]
    for i, kind in enumerate(table.kinds):
        texts = [printed(row[i]) for row in table.cells if i < len(row)]
        if kind == TEXT:
            # Short texts ("6 von 29") stay on one line; long ones wrap between words.
            need.append(max(head_words[i + 1], min(_longest_word(texts, FONT_BOLD, size), cap),
                            min(_widest(texts, FONT_BOLD, size), _SHORT_TEXT_W)) + 2 * _PAD)
            want.append(max(need[-1], min(_widest(texts, FONT, size) + 2 * _PAD, _MAX_TEXT_W)))
        else:
            # Room for the header in about two lines; more lines make a tall header row over short numbers.
            need.append(max(head_words[i + 1], _widest(texts, FONT_BOLD, size)) + 2 * _PAD)
            want.append(max(need[-1], min(_widest([table.columns[i]], FONT_BOLD, size - 0.5) / 2 + 2 * _PAD,
                                          _MAX_NUMBER_W)))
    return need, want


def column_widths(table: Table, frame: float) -> tuple[list[float], float]:
    """Column widths summing to the frame width, and the font size that lets the numbers fit unbroken."""
    for size in _SIZES:
        need, want = _needs(table, size, frame)
        if sum(need) <= frame:
            break
    else:
        # Even the smallest font is too wide: every column keeps room for its padding and a few letters, the rest
        # shrinks proportionally and the Paragraphs wrap (a word too long for its column is broken).
        least = 2 * _PAD + 6
        spare = max(frame - least * len(need), 0.0)
        over = [max(w - least, 0.0) for w in need]
        return [least + (o * spare / sum(over) if sum(over) else 0.0) for o in over], _SIZES[-1]
    widths = list(need)
    spare = frame - sum(widths)
    grow = [max(0.0, w - n) for w, n in zip(want, need, strict=True)]
    if sum(grow) > 0:
        share = min(1.0, spare / sum(grow))
        widths = [w + g * share for w, g in zip(widths, grow, strict=True)]
    # What is left goes to the text columns, or else the row labels: a table as wide as the text reads as one block.
    wrapping = [i + 1 for i, kind in enumerate(table.kinds) if kind == TEXT] or [0]
    extra = (frame - sum(widths)) / len(wrapping)
    for i in wrapping:
        widths[i] += extra
    return widths, size


def column_parts(table: Table, frame: float) -> list[Table]:
    """The table itself, or, when its columns cannot fit even at a small font, consecutive column slices that each
    repeat the row labels, as printed statistics do: breaking "48.043" over two lines is no option."""
    columns = len(table.columns)
    for parts in range(1, columns + 1):
        step = -(-columns // parts)
        slices = [(start, min(start + step, columns)) for start in range(0, columns, step)]
        pieces = [replace(table, columns=table.columns[a:b], kinds=table.kinds[a:b],
                          cells=[row[a:b] for row in table.cells]) for a, b in slices]
        if parts == columns or all(sum(_needs(piece, _SIZES[-2], frame)[0]) <= frame for piece in pieces):
            return pieces
    return [table]


def table_flowable(table: Table, frame: float, styles: dict):
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as RLTable

    widths, size = column_widths(table, frame)
    cs = _cell_styles(styles, size)
    numeric = [kind != TEXT for kind in table.kinds]
    rows = [[Paragraph(markup(table.row_header), cs["head"]),
             *(Paragraph(markup(c), cs["head-right" if n else "head"]) for c, n in zip(table.columns, numeric,
                                                                                       strict=True))]]
    # In a column with provisional values the other numbers are indented by the width of "*", so digits align.
    starred = [any(row[i].provisional for row in table.cells) for i in range(len(table.columns))]
    for r, (label, cells) in enumerate(zip(table.rows, table.cells, strict=True)):
        bold = r in table.total_rows
        rows.append([Paragraph(markup(shortened(label)), cs[False, bold]),
                     *(Paragraph(markup(printed(c)), cs["indent", bold] if n and s and not c.provisional
                                 else cs[n, bold]) for c, n, s in zip(cells, numeric, starred, strict=True))])
    return RLTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", style=_table_style(table))


def _table_style(table: Table):
    from reportlab.platypus import TableStyle

    every = ((0, 0), (-1, -1))
    commands = [("FONTNAME", *every, FONT), ("VALIGN", *every, "TOP"), ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                ("LEFTPADDING", *every, _PAD), ("RIGHTPADDING", *every, _PAD), ("TOPPADDING", *every, 2),
                ("BOTTOMPADDING", *every, 2.5), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), ["#ffffff", ZEBRA]),
                ("LINEABOVE", (0, 0), (-1, 0), 0.9, RULE), ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
                ("LINEBELOW", (0, -1), (-1, -1), 0.9, RULE)]
    commands += [("LINEABOVE", (0, r + 1), (-1, r + 1), 0.6, RULE) for r in sorted(table.total_rows) if r > 0]
    return TableStyle(commands)


def table_caption(table: Table, styles: dict) -> list:
    """Definition, source and reference date under the table, then its notes."""
    from reportlab.platypus import Paragraph

    facts = [(label, value) for label, value in (("Definition", table.definition), ("Quelle", table.source),
                                                  ("Stichtag", table.reference_date)) if value and value != "–"]
    flow = []
    if facts:
        flow.append(Paragraph(" · ".join(f"{label}: {markup(value)}" for label, value in facts), styles["small"]))
    flow += [Paragraph(f"Anmerkung: {markup(note)}", styles["small"]) for note in table.notes]
    return flow
