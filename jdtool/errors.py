"""Errors a user can cause; each message is written for a school HR officer."""


class DomainError(Exception):
    """A request the user made cannot be carried out; the message says why."""


class NotFound(DomainError):
    """The thing asked for does not exist."""


class Forbidden(DomainError):
    """The action is not allowed, for this user or in this state."""
