from common.errors import UserError


class StoreError(UserError):
    """The database cannot do what was asked; the message says why in German."""


class ReadOnlyError(StoreError):
    """A finalised or exported form cannot be edited without a correction revision."""
