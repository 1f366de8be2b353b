"""Errors a user can cause; each message is written for a school HR officer."""


class UserError(Exception):
    """Something the user can fix; the message says what, in words an HR officer understands.

    The one hierarchy of user errors: the web shows the message where the user is looking, the
    command line prints it as one line and exits with status 1.
    """


class DomainError(UserError):
    """A request the user made cannot be carried out; the message says why."""


class FieldError(DomainError):
    """A form value is wrong; `field` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    """The thing asked for does not exist."""


class Forbidden(DomainError):
    """The action is not allowed, for this user or in this state."""
