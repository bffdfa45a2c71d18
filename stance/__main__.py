"""Allow ``python -m stance``."""

from stance.cli import run

run()
