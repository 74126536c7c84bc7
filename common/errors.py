"""The base of every error the user may see. Each carries a German message meant for the user."""


class UserError(Exception):
    """An expected problem with a German message that says what is wrong and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DefinitionError(UserError):
    """A form definition file is broken."""

    def __init__(self, file: str, key: str, problem: str):
        from common.i18n import _

        where = _("Formulardefinition {file}").format(file=file)
        if key:
            where += _(", Schlüssel „{key}“").format(key=key)
        super().__init__(f"{where}: {problem}")
        self.file, self.key, self.problem = file, key, problem


class InputError(UserError):
    """Something typed or pasted into a field cannot be taken as its value."""
