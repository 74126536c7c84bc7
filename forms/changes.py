"""What changed between two sets of a form's values, as the officer reads it: "cell: old → new"."""

from __future__ import annotations

from forms.model import Form
from forms.validation import cell_label
from forms.values import Address, Value


def change_lines(form: Form, old: dict[Address, Value], new: dict[Address, Value]) -> list[str]:
    """One line for each cell whose value differs, in address order; "–" stands for no value."""
    lines = []
    for address in sorted(set(old) | set(new)):
        before, after = old.get(address, Value()), new.get(address, Value())
        if before != after:
            lines.append(f"{cell_label(form, *address)}: {before.display() or '–'} → {after.display() or '–'}")
    return lines
