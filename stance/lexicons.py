"""Read the lexicons and gazetteers shipped in ``stance/data/``.

One place for the file conventions: UTF-8, ``#`` starts a comment. Word lists may hold
several words a line; pattern lists hold one regular expression a line (so ``#`` only
comments out a whole line there).
"""

from __future__ import annotations

import re
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


def alternation(words: list[str]) -> str:
    """A regular expression matching any of *words*, factored on common prefixes
    ("said|says|saying" -> "sa(?:id|ys|ying)"): Python's regex engine tries the
    branches of a flat alternation one by one at every position, a trie only once.
    Longer words win over their prefixes, as in a longest-first alternation: a word
    that ends where a longer one goes on is an optional, greedy tail."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        # branches start with different characters: at most one can match, order is free
        parts = [re.escape(k) + build(node[k]) for k in sorted(k for k in node if k)]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if end else body

    return "(?:" + build(trie) + ")"

