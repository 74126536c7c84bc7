from common.errors import UserError


class SubmissionFileError(UserError):
    """A submission file cannot be written or read; the message says why and what to do."""
