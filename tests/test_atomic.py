"""Outputs are replaced whole or not at all."""

from __future__ import annotations

import os

import pytest

from stance._atomic import atomic_write, discard_leftovers


def test_failed_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half of the new")
        raise RuntimeError("killed")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_written_file_has_the_usual_mode(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    with atomic_write(target) as fh:
        fh.write("new")
    mask = os.umask(0)
    os.umask(mask)
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_leftovers_of_killed_writes_are_discarded_and_nothing_else(tmp_path):
    target = tmp_path / "out[1].csv"  # glob characters in the name are literal
    target.write_text("done", encoding="utf-8")
    leftover = tmp_path / ".out[1].csv.x7k2.tmp"
    others = [tmp_path / ".out1.csv.x7k2.tmp", tmp_path / ".out[1].csv.partial"]
    for path in [leftover, *others]:
        path.write_text("torn", encoding="utf-8")
    discard_leftovers(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [target.name, *(p.name for p in others)])
