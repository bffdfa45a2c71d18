"""Exceptions raised by stance.

Every error a user can cause (a missing file, a malformed CSV, an unreadable model)
is a :class:`StanceError`; the command line turns it into one ``Error: ...`` line and
exit status 1. Anything else is a bug and keeps its traceback under ``--debug``.
"""

from __future__ import annotations


class StanceError(Exception):
    """A problem the user can fix: bad input, a missing file, an unusable model."""


class DataError(StanceError):
    """A labelled or input data file is unreadable or invalid."""

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class ModelError(StanceError):
    """A model file is missing, unreadable or not a stance classifier."""
