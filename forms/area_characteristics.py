"""The figures a town's statistics office keeps per area: what each means, on which day it counts, and of which
total it is a part (a group, for shares and segregation)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from common.i18n import _

CATALOGUE = Path(__file__).with_name("area_characteristics.toml")


@dataclass(frozen=True)
class Characteristic:
    code: str
    label: str
    definition: str
    reference: str
    part_of: str = ""


@cache
def characteristics() -> dict[str, Characteristic]:
    with CATALOGUE.open("rb") as fh:
        raw = tomllib.load(fh)["characteristics"]
    texts = ("label", "definition")  # what the user reads, in the catalogue's words
    return {c["code"]: Characteristic(c["code"], *(_(str(c[k])) for k in texts), c["reference"], c.get("part_of", ""))
            for c in raw}


def groups() -> list[Characteristic]:
    """The characteristics that are a part of a total: the groups segregation is measured for."""
    return [c for c in characteristics().values() if c.part_of]


def known_code(text: str) -> str | None:
    """The characteristic a table's text names by its code or label, None where the text is the table's own."""
    wanted = " ".join(text.split()).casefold()
    return next((c.code for c in characteristics().values()
                 if wanted in (c.code.casefold(), " ".join(c.label.split()).casefold())), None)
