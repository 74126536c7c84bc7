"""German number text, the one way every window, report, file and message writes a number: "1.234.567", "12,5"."""

from __future__ import annotations

MINUS = "\u2212"
_GERMAN = str.maketrans({",": ".", ".": ","})


def format_number(value: float, decimals: int = 0, *, signed: bool = False, minus: str = "-") -> str:
    """Thousands grouped with a dot, decimals after a comma. Rounds as format() does (half to even on the binary
    value: 0,5 → "0", 1,5 → "2"), so that a printed figure and the same figure in a table never disagree.

    signed puts "+" before a positive value (a difference); zero stays unsigned. minus is what stands before a
    negative value: typeset output (charts, the report's key figures) passes the real MINUS, text that may meet a
    Windows console or another program keeps the ASCII hyphen.
    """
    # An int is formatted as an int: through float, counts above 2**53 would lose their last digits.
    text = f"{value:,}" if isinstance(value, int) and not decimals else f"{value:,.{decimals}f}"
    text = text.translate(_GERMAN)
    if text.startswith("-"):
        return minus + text[1:]
    return "+" + text if signed and value > 0 else text
