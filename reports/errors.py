"""The errors of the reports package, each with a German message that says what is wrong and what to do."""

from __future__ import annotations

from common.errors import UserError


class ReportError(UserError):
    """A report or receipt cannot be produced."""


class FontMissingError(ReportError):
    """A font that PDFs embed is missing from this installation."""


class ReceiptError(ReportError):
    """The receipt could not be written."""


class ReportCancelled(ReportError):
    """The officer stopped the report; nothing was written."""
