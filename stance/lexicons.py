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
    that ends where a longer one goes on is an optional, greedy tail (compile it with
    :func:`compile_searcher` to skip quickly to where a word can start)."""
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


def _parser():
    """The standard library's regular expression parser (``re._parser`` since Python
    3.11, ``sre_parse`` before), or None if neither can be imported."""
    try:
        from re import _parser as parser
    except ImportError:  # Python 3.10
        try:
            import sre_parse as parser
        except ImportError:
            return None
    return parser


def _first_chars(items) -> tuple[set[str] | None, bool]:
    """(the characters a match of the parsed *items* can start with, or None when that
    is not known; whether the items can match the empty string)."""
    chars: set[str] = set()
    for op, arg in items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):  # \b, ^, $, lookarounds: zero width
            continue
        if name == "LITERAL":
            chars.add(chr(arg))
            return chars, False
        if name == "IN":
            for item, value in arg:
                if str(item) == "LITERAL":
                    chars.add(chr(value))
                elif str(item) == "RANGE" and value[1] - value[0] < 256:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                else:  # negated sets, \w, \s, wide ranges
                    return None, False
            return chars, False
        if name == "BRANCH":
            empty = False
            for alternative in arg[1]:
                sub, sub_empty = _first_chars(alternative)
                if sub is None:
                    return None, False
                chars |= sub
                empty |= sub_empty
        elif name == "SUBPATTERN":
            _, add_flags, del_flags, body = arg
            if add_flags or del_flags:
                return None, False
            sub, empty = _first_chars(body)
            if sub is None:
                return None, False
            chars |= sub
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, body = arg
            sub, sub_empty = _first_chars(body)
            if sub is None:
                return None, False
            chars |= sub
            empty = low == 0 or sub_empty
        else:  # any character, lookarounds, backreferences, ...: unknown
            return None, False
        if not empty:
            return chars, False
    return chars, True


def compile_searcher(pattern: str, flags: int = 0) -> re.Pattern:
    """Compile *pattern* for ``search``: the same matches, found faster.

    Python's engine skips quickly through text only to a literal prefix or a leading
    character set; a pattern that opens with ``\\b`` or a group of alternatives is
    tried at every position instead. When the characters a match can start with are
    known from the parsed pattern, a lookahead for them is put in front. Patterns whose
    first character cannot be known (``\\w``, ``.``, backreferences, inline flags) are
    compiled as they are.
    """
    compiled = re.compile(pattern, flags)
    parser = _parser()
    if parser is None:
        return compiled
    try:
        data = parser.parse(pattern, flags).data
        if data and str(data[0][0]) in ("LITERAL", "IN"):
            return compiled  # the engine already skips ahead to these
        chars, empty = _first_chars(data)
        if chars is None or empty or not chars:
            return compiled
        lead = "".join(re.escape(ch) for ch in sorted(chars))
        close = "\n)" if flags & re.VERBOSE else ")"  # a trailing comment ends at a newline
        return re.compile(f"(?=[{lead}])(?:{pattern}{close}", flags)
    except Exception:  # an unfamiliar parse tree, inline global flags: as it is
        return compiled


def _literals(items) -> set[str] | None:
    """Strings of which every match of the parsed *items* contains one (None when no
    such set is known): the longest run of literal characters, or the literals of a
    group or alternation that must match, whichever is the most selective."""
    options: list[set[str]] = []
    run: list[str] = []
    for op, arg in [*items, (None, None)]:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(arg))
            continue
        if run:
            options.append({"".join(run)})
            run = []
        sub = None
        if name == "BRANCH":
            alternatives = [_literals(a) for a in arg[1]]
            if all(alternatives):
                sub = set().union(*alternatives)
        elif name == "SUBPATTERN" and not (arg[1] or arg[2]):  # no inline flags
            sub = _literals(arg[3])
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and arg[0] >= 1:
            sub = _literals(arg[2])
        if sub:
            options.append(sub)
    return max(options, key=lambda o: min(map(len, o)), default=None)


def required_literals(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Lower-case strings of which any match of *pattern* (compiled with *flags*, which
    must include ``re.IGNORECASE``) contains one, in an ASCII text: a cheap test that
    lets a search be skipped (``not any(s in text.lower() for s in found)``). None when
    the pattern names no such strings."""
    parser = _parser()
    if parser is None or not flags & re.IGNORECASE:
        return None
    try:
        found = _literals(parser.parse(pattern, flags).data)
    except Exception:  # an unfamiliar parse tree: no shortcut
        return None
    return tuple(sorted({s.lower() for s in found})) if found else None
