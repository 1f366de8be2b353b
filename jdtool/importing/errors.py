"""Errors a user causes by giving the importer a file it cannot read."""

from ..errors import UserError


class UnreadableDocument(UserError):
    """The file cannot be imported; the message says why in words an HR officer understands."""
