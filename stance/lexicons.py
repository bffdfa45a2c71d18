"""Read the lexicons and gazetteers shipped in ``stance/data/``.

One place for the file conventions: UTF-8, ``#`` starts a comment. Word lists may hold
several words a line; pattern lists hold one regular expression a line (so ``#`` only
comments out a whole line there).
"""

from __future__ import annotations

from importlib import resources


def text(name: str) -> str:
    """The whole text of ``stance/data/<name>``."""
    return resources.files("stance").joinpath(f"data/{name}").read_text("utf-8")


def words(name: str) -> list[str]:
    """Every whitespace-separated word of a word list, comments dropped, in file order."""
    return [w for line in text(name).splitlines() for w in line.split("#")[0].split()]


def patterns(name: str) -> list[str]:
    """Every non-blank, non-comment line of a pattern list."""
    return [line for line in text(name).splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
