"""Segregation measures over units (schools of one type, Kitas, Bezirke): dissimilarity, group-vs-total segregation,
isolation, and the representation ratio of one institution against its Bezirk.

Notation as in DOMAIN.md: a_i = members of the group in unit i, b_i = the rest, t_i = a_i + b_i, A = Σa_i, B = Σb_i,
T = A + B.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from common.i18n import _
from reports.errors import ReportError

# Below this many persons a unit's share is mostly chance, and chance alone pushes D above 0.
SMALL_UNIT_TOTAL = 20


@dataclass(frozen=True)
class Unit:
    """One unit: `group` members of the group among `total` persons."""

    name: str
    group: int
    total: int

    def __post_init__(self) -> None:
        if self.group < 0 or self.total < 0:
            raise ReportError(_("Einheit „{name}“: negative Anzahl (Gruppe {group}, insgesamt {total}). Bitte die "
                                "Zahlen prüfen.").format(name=self.name, group=self.group, total=self.total))
        if self.group > self.total:
            raise ReportError(_("Einheit „{name}“: die Gruppe ({group}) ist größer als die Gesamtzahl ({total}). "
                                "Bitte die Zahlen prüfen.").format(name=self.name, group=self.group, total=self.total))

    @property
    def rest(self) -> int:
        return self.total - self.group


@dataclass(frozen=True)
class Segregation:
    """The measures over the units that were used; a measure is None where it is undefined or says nothing.

    `units` must always be printed with the measures: D is biased upwards when units are small, because chance alone
    makes their shares differ. `small_units` flags a unit under SMALL_UNIT_TOTAL persons; `warning` is a German text
    for the reader, empty when there is nothing to warn about.

    `dissimilarity` is D = ½ Σ |a_i/A − b_i/B|: the share of the group (or of the rest) that would have to move for
    both to be spread alike.

    `segregation` is the group against the whole population, ½ Σ |a_i/A − t_i/T|: the share of the group that would
    have to move for the group to be spread like the whole population. Since a_i/A − t_i/T = (B/T)(a_i/A − b_i/B),
    it equals (1 − share) · D, so it adds no information beyond D and the share; it is what some reports call the
    segregation index. Dividing it by (1 − A/T), as is sometimes proposed, gives D back exactly.

    `isolation` is xPx = Σ (a_i/A)(a_i/t_i): the group share in the unit of an average group member, to be read
    against `share`.

    `exposure` is xPy = Σ (a_i/A)(b_i/t_i): the share of the rest in the unit of an average group member, the chance
    of meeting someone outside the group. With two groups xPx + xPy = 1; it is printed because readers look for it.
    """

    units: int
    group: int
    rest: int
    share: float | None
    dissimilarity: float | None
    segregation: float | None
    isolation: float | None
    small_units: bool
    warning: str
    exposure: float | None = None


def measure(units: Iterable[Unit]) -> Segregation:
    """The segregation measures over `units`; units with nobody in them are left out and not counted."""
    used = [u for u in units if u.total > 0]
    a_sum = sum(u.group for u in used)
    b_sum = sum(u.rest for u in used)
    t_sum = a_sum + b_sum
    small = any(u.total < SMALL_UNIT_TOTAL for u in used)
    warnings: list[str] = []
    dissimilarity = segregation = isolation = exposure = None

    if not used:
        warnings.append(_("Keine Einheit mit Personen: kein Segregationsmaß berechenbar."))
    elif len(used) == 1:
        # Over one unit D and S are 0 and xPx is the share, whatever the data: printing them would suggest a finding.
        warnings.append(_("Nur 1 Einheit: kein Segregationsmaß berechenbar."))
    elif a_sum == 0:
        warnings.append(_("Niemand gehört zur Gruppe: Segregationsmaße sind nicht sinnvoll."))
    else:
        segregation = math.fsum(abs(u.group / a_sum - u.total / t_sum) for u in used) / 2
        isolation = math.fsum((u.group / a_sum) * (u.group / u.total) for u in used)
        exposure = math.fsum((u.group / a_sum) * (u.rest / u.total) for u in used)
        if b_sum == 0:
            warnings.append(_("Alle gehören zur Gruppe: der Dissimilaritätsindex D ist nicht berechenbar."))
        else:
            dissimilarity = math.fsum(abs(u.group / a_sum - u.rest / b_sum) for u in used) / 2
    if small:
        warnings.append(_("Kleine Einheiten (unter {n} Personen) überzeichnen D.").format(n=SMALL_UNIT_TOTAL))

    return Segregation(
        units=len(used),
        group=a_sum,
        rest=b_sum,
        share=a_sum / t_sum if t_sum else None,
        dissimilarity=dissimilarity,
        segregation=segregation,
        isolation=isolation,
        small_units=small,
        warning=" ".join(warnings),
        exposure=exposure,
    )


def representation_ratio(unit_group: int, unit_total: int, area_group: int, area_total: int) -> float | None:
    """The institution's group share divided by that of the matching age group in its Bezirk (1 = proportional).

    None when a share is undefined or the Bezirk's share is 0, as the ratio would be infinite or meaningless.
    """
    for what, group, total in ((_("Einrichtung"), unit_group, unit_total), (_("Bezirk"), area_group, area_total)):
        if group < 0 or total < 0 or group > total:
            raise ReportError(_("{what}: ungültige Zahlen (Gruppe {group}, insgesamt {total}). Die Gruppe darf "
                                "nicht negativ und nicht größer als die Gesamtzahl sein.").format(
                                    what=what, group=group, total=total))
    if unit_total == 0 or area_total == 0 or area_group == 0:
        return None
    return (unit_group / unit_total) / (area_group / area_total)
