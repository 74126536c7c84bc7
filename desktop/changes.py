"""What an operation changed, and the one signal that tells every view: each view decides itself whether it must
read its data again, so no action has to know which views show what it touched (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Changes:
    values: bool = False  # figures inside a submission
    submissions: bool = False  # a submission came, went or changed its state
    registry: bool = False  # Bezirke and institutions
    statistics: bool = False  # the town's own figures
    settings: bool = False  # the profile, keys, stored choices

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)})


NOTHING = Changes()
EVERYTHING = Changes(values=True, submissions=True, registry=True, statistics=True, settings=True)


class ChangeBus(QObject):
    """Held by a window; its views connect to `changed` and refresh themselves if concerned."""

    changed = Signal(object)

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("change_bus")


def announce(widget: QWidget | None, changes: Changes) -> None:
    """Tells the views of the widget's window what changed; a view standing alone (in a test) has nobody to tell."""
    if widget is None or not changes:
        return
    bus = widget.window().findChild(ChangeBus, "change_bus")
    if bus is not None:
        bus.changed.emit(changes)
