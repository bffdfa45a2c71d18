"""The README is the contract with new users: keep its commands true."""

from __future__ import annotations

import re

from conftest import REPO

from stance.cli import EXAMPLES, build_parser

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    head = "\n".join(README.splitlines()[:25])
    assert "pip install . && stance track examples/articles -o ledger" in head
    assert "pip install '.[test]' && pytest" in head
    assert ("stance track examples/articles -o ledger && stance reliability ledger "
            "--outcomes examples/outcomes.csv && stance report ledger --outcomes "
            "examples/outcomes.csv -o report.html") in head


def test_ci_runs_the_readme_commands():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet '.[test]'" in ci
    assert re.search(r"^pytest$", ci, re.M)


def test_every_command_is_documented_with_its_example():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    commands = set(sub.choices)
    for command in commands:
        assert f"stance {command}" in README, f"README does not document `stance {command}`"
    for name, example in EXAMPLES.items():
        assert f"stance {name}" in README or example in README, name
    for example in EXAMPLES.values():
        assert example.split()[1] in commands


def test_examples_are_our_own_files():
    assert (REPO / "examples" / "sentences.txt").is_file()
