"""The `jdtool` command, one module per group of commands. Output formats are a stable contract
(see the README); `core` holds the group, its unit of work and its error handling."""

from . import accounts, documents, exports, library, personal_data, server, vacancies  # noqa: F401
from .core import main

__all__ = ["main"]
