"""The seven stance labels and their priority order.

The order is the tie-break of the guideline (``labelled/GUIDELINE.md``): when a
sentence does several things, the first label that applies wins.
"""

from __future__ import annotations

#: Labels in priority order: ``denial`` beats ``confirmation`` beats ... ``none``.
LABELS: tuple[str, ...] = (
    "denial",
    "confirmation",
    "no-comment",
    "warning",
    "reassurance",
    "report-citation",
    "none",
)

#: Labels that are an actor's response to a claim (what tracking links to reports).
RESPONSE_LABELS: frozenset[str] = frozenset(
    {"denial", "confirmation", "no-comment", "warning", "reassurance"}
)
