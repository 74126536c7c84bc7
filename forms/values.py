"""What a field holds: a count, a state such as "unbekannt", a choice or a text; and how typed input becomes one."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from common.errors import InputError
from common.i18n import _
from common.numbers import format_number
from forms.model import MAX_COUNT, STATE_LABELS, Field, FieldType, ValueState

# (field code, row, column); row and column are "" for a single value.
Address = tuple[str, str, str]

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_STATE_WORDS = {
    "nicht zutreffend": ValueState.NOT_APPLICABLE,
    "nicht_zutreffend": ValueState.NOT_APPLICABLE,
    "n.z.": ValueState.NOT_APPLICABLE,
    "unbekannt": ValueState.UNKNOWN,
    "geheim": ValueState.SECRET,
    "geheim (an der quelle)": ValueState.SECRET,
}


@dataclass(frozen=True)
class Value:
    number: int | None = None
    state: ValueState | None = None
    text: str | None = None
    comment: str = ""
    estimate: bool = False

    @property
    def is_empty(self) -> bool:
        """No content (number, state or text): what a required field still lacks."""
        return self.number is None and self.state is None and not self.text

    @property
    def is_blank(self) -> bool:
        """Nothing recorded at all. A comment or the estimate flag alone is something the holder said, so a value
        that is not blank is kept, sent and received even without a number."""
        return self.is_empty and not self.comment and not self.estimate

    def with_comment(self, comment: str) -> Value:
        return replace(self, comment=comment)

    def same_content(self, other: Value) -> bool:
        return (self.number, self.state, self.text) == (other.number, other.state, other.text)

    def display(self) -> str:
        if self.number is not None:
            return format_number(self.number)
        if self.state is not None:
            return _(STATE_LABELS[self.state])
        return self.text or ""


def _translated_state_words() -> dict[str, ValueState]:
    """The state words in the program's language too ("unknown"), as the menu enters them; the German ones are
    always understood, since a form may have been printed or explained in German."""
    words = {}
    for state, label in STATE_LABELS.items():
        shown = _(label).lower()
        words[shown] = words[shown.split(" (")[0]] = state
    return words


def parse_count(raw: str, label: str = "") -> int | ValueState | None:
    """Reads a count as a German user types it. Returns None for empty input."""
    text = raw.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not text:
        return None
    state = _STATE_WORDS.get(text.lower()) or _translated_state_words().get(text.lower())
    if state is not None:
        return state
    compact = text.replace(" ", "")
    what = label or _("Dieses Feld")
    if _GROUPED.match(compact):
        compact = compact.replace(".", "")
    if compact.startswith(("-", "−")) and compact[1:].replace(".", "").isdigit():
        raise InputError(
            _("{what}: „{raw}“ ist negativ. Bitte eine Anzahl ab 0 eingeben.").format(what=what, raw=text)
        )
    if re.fullmatch(r"\d+[.,]\d+", compact):
        raise InputError(
            _("{what}: „{raw}“ ist keine ganze Zahl. Bitte eine Anzahl ohne Komma eingeben.").format(
                what=what, raw=text
            )
        )
    if not compact.isdigit() or not compact.isascii():
        raise InputError(
            _(
                "{what}: „{raw}“ ist keine Zahl. Bitte eine Anzahl eingeben, zum Beispiel 12, "
                "oder „unbekannt“ bzw. „nicht zutreffend“."
            ).format(what=what, raw=text)
        )
    number = int(compact)
    if number > MAX_COUNT:
        raise InputError(
            _("{what}: {n} ist größer als {max}. Bitte die Eingabe prüfen.").format(
                what=what, n=format_number(number), max=format_number(MAX_COUNT)
            )
        )
    return number


def parse_input(field: Field, raw: str, label: str = "") -> Value:
    """Turns what was typed into a field's value, or raises InputError with a German message."""
    label = label or field.label
    if field.type in (FieldType.COUNT, FieldType.GRID):
        parsed = parse_count(raw, label)
        if parsed is None:
            return Value()
        if isinstance(parsed, ValueState):
            return Value(state=parsed)
        return Value(number=parsed)
    text = raw.strip()
    if not text:
        return Value()
    if field.type is FieldType.CHOICE:
        for choice in field.choices:
            if text in (choice.code, choice.label):
                return Value(text=choice.code)
        allowed = ", ".join(f"„{c.label}“" for c in field.choices)
        raise InputError(
            _("{what}: „{raw}“ ist keine der möglichen Angaben ({allowed}).").format(
                what=label, raw=text, allowed=allowed
            )
        )
    if len(text) > field.max_length:
        raise InputError(
            _("{what}: Der Text ist {n} Zeichen lang, erlaubt sind {max}. Bitte kürzen.").format(
                what=label, n=len(text), max=field.max_length
            )
        )
    return Value(text=text)
