"""Errors a user causes by giving the importer a file it cannot read."""


class UnreadableDocument(Exception):
    """The file cannot be imported; the message says why in words an HR officer understands."""
