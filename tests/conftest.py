"""Shared fixtures: repository paths, the shipped model, ../shared when present."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LABELLED = REPO / "labelled" / "sentences.csv"
SHARED = REPO.parent / "shared"


def shared_file(*parts: str) -> Path:
    """A file under ../shared, or skip the test cleanly where it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"{path} not present (third-party measurement data lives in ../shared)")
    return path


@pytest.fixture(scope="session")
def model():
    """The shipped default model, loaded once."""
    from stance import load_model

    return load_model()


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path from text (UTF-8) or bytes; return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
