"""Areas from the town's GIS: which attribute is the key, which the name and how each area finds its parent, a
preview, and all areas of a file taken together or none."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from common.errors import UserError
from common.i18n import _
from common.ids import is_valid_id
from store.areas import Area, Boundary, areas_of, ensure_level, find_level, save_areas, set_outline_source

MAX_NAME = 120
_KEY_HINTS = re.compile(r"(^|_)(nr|nummer|key|schluessel|id|code)$", re.IGNORECASE)
_NAME_HINTS = re.compile(r"(^|_)(name|bezeichnung|bez)$", re.IGNORECASE)


class AreaImportError(UserError):
    """A file or a choice that cannot become areas; nothing was changed."""


@dataclass
class AreaPlan:
    level: str  # the level's name as the officer gave it
    parent_level: str | None
    areas: list[Area] = field(default_factory=list)
    boundaries: dict[str, Boundary] = field(default_factory=dict)
    crs: str = ""
    source: str = ""  # where the outlines come from, with their licence: printed under every map
    new: int = 0
    updated: int = 0


def propose_fields(fields: list[str]) -> tuple[str | None, str | None]:
    """The key and name attributes as a GIS usually calls them (STT_NR, STT_NAME); the officer may choose others."""
    key = next((f for f in fields if _KEY_HINTS.search(f)), None)
    name = next((f for f in fields if _NAME_HINTS.search(f)), None)
    return key, name


def _text(value: str) -> str:
    return " ".join("".join(ch for ch in str(value) if ch.isprintable()).split())


def plan_areas(db, boundaries, level: str, key_field: str | None = None, name_field: str | None = None,
               parent_level: str | None = None, parent_field: str | None = None,
               parent_prefix: int | None = None) -> AreaPlan:
    """What the file would give, checked throughout: every key by the one id pattern, every name as plain text,
    every parent found among the areas of the parent level. Nothing is written."""
    proposed_key, proposed_name = propose_fields(boundaries.fields)
    key_field, name_field = key_field or proposed_key, name_field or proposed_name
    for role, chosen in ((_("Schlüssel"), key_field), (_("Name"), name_field), (_("Oberes Gebiet"), parent_field)):
        if chosen is not None and chosen not in boundaries.fields:
            raise AreaImportError(_("{file} hat kein Feld „{field}“ (für {role}). Vorhanden: {fields}.").format(
                file=boundaries.file_name, field=chosen, role=role, fields=", ".join(boundaries.fields)))
    if key_field is None or name_field is None:
        raise AreaImportError(_("Welches Feld ist der Schlüssel, welches der Name? Bitte mit --key und --name "
                                "angeben. Vorhanden: {fields}.").format(fields=", ".join(boundaries.fields)))
    if (parent_field or parent_prefix) and not parent_level:
        raise AreaImportError(_("Bitte mit --parent-level angeben, auf welcher Ebene die oberen Gebiete liegen."))
    if parent_level and not (parent_field or parent_prefix):
        raise AreaImportError(_("Bitte angeben, wie ein Gebiet sein oberes Gebiet findet: mit --parent-field FELD "
                                "oder --parent-prefix N (die ersten N Zeichen des Schlüssels)."))
    parents: set[str] | None = None
    parent_code = None
    if parent_level:
        found = find_level(db, parent_level)
        if found is None:
            raise AreaImportError(_("Die Ebene „{level}“ gibt es noch nicht. Bitte zuerst ihre Gebiete "
                                    "übernehmen.").format(level=parent_level))
        parent_code = found.code
        parents = {a.key for a in areas_of(db, found.code)}
    existing = find_level(db, level)
    known = {a.key for a in areas_of(db, existing.code)} if existing is not None else set()
    plan = AreaPlan(level, parent_code, crs=boundaries.crs, source=boundaries.file_name)
    seen: dict[str, int] = {}
    for number, feature in enumerate(boundaries.features, start=1):
        key = _text(feature.attributes.get(key_field, ""))
        name = _text(feature.attributes.get(name_field, ""))[:MAX_NAME]
        where = _("{file}, Gebiet {n}").format(file=boundaries.file_name, n=number)
        if not is_valid_id(key):
            raise AreaImportError(_("{where}: der Schlüssel „{key}“ ist keiner (erlaubt: Buchstaben, Ziffern, „-“, "
                                    "„_“ und „.“, höchstens 64 Zeichen).").format(where=where, key=key[:40]))
        if key in seen:
            raise AreaImportError(_("{where}: der Schlüssel „{key}“ kommt schon bei Gebiet {first} vor.").format(
                where=where, key=key, first=seen[key]))
        seen[key] = number
        if not name:
            raise AreaImportError(_("{where} ({key}): kein Name im Feld „{field}“.").format(
                where=where, key=key, field=name_field))
        parent = None
        if parents is not None:
            parent = key[:parent_prefix] if parent_prefix else _text(feature.attributes.get(parent_field, ""))
            if parent not in parents:
                raise AreaImportError(_("{where} ({name}): das obere Gebiet „{parent}“ gibt es auf der Ebene "
                                        "„{level}“ nicht.").format(where=where, name=name, parent=parent,
                                                                    level=parent_level))
        plan.areas.append(Area("", key, name, parent))
        plan.boundaries[key] = Boundary(feature.rings, feature.representative_point)
        if key in known:
            plan.updated += 1
        else:
            plan.new += 1
    if not plan.areas:
        raise AreaImportError(_("{file} enthält keine Gebiete.").format(file=boundaries.file_name))
    return plan


def apply_plan(db, plan: AreaPlan) -> str:
    """Writes the areas; returns the level's code."""
    level = ensure_level(db, plan.level, plan.parent_level)
    save_areas(db, level.code, [Area(level.code, a.key, a.name, a.parent_key) for a in plan.areas], plan.boundaries)
    set_outline_source(db, level.code, " ".join(plan.source.split())[:200])
    return level.code
