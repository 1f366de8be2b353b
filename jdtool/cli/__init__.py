"""The `jdtool` command, one module per group of commands. Output formats are a stable contract
(see the README); `core` holds the group, its unit of work and its error handling."""

from . import (  # noqa: F401
    accounts,
    documents,
    exports,
    library,
    organisations,
    personal_data,
    questions,
    server,
    vacancies,
)
from .core import main

__all__ = ["main"]
