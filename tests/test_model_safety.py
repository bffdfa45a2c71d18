"""Model files are code: a file that is not the one its card describes is refused before
anything in it runs."""

from __future__ import annotations

import os
import shutil

import joblib
import pytest

from stance.classify import card_path, default_model_path
from stance.cli import main


class _Payload:
    """Unpickling this creates a directory: stands for any code hidden in a model file."""

    def __init__(self, marker) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


@pytest.fixture
def tampered(tmp_path):
    model = tmp_path / "model.joblib"
    marker = tmp_path / "payload-ran"
    joblib.dump(_Payload(marker), model)
    shutil.copy(card_path(default_model_path()), card_path(model))  # a genuine card
    return model, marker


@pytest.mark.parametrize("command", [
    ["predict", "The army denied the report."],
    ["score", "examples/articles", "-o", "{tmp}/out.csv", "--jobs", "1"],
    ["track", "examples/articles", "-o", "{tmp}/ledger", "--jobs", "1"],
    ["evaluate", "--data", "{tmp}/labelled.csv"],
])
def test_tampered_model_is_refused_and_nothing_in_it_runs(capsys, tmp_path, tampered, command,
                                                          monkeypatch):
    from conftest import REPO

    monkeypatch.chdir(REPO)
    model, marker = tampered
    (tmp_path / "labelled.csv").write_text("text,label\nThe army denied it.,denial\n",
                                           encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in command] + ["--model", str(model)]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1 and "does not match the one in its card" in err and "--trust-model" in err
    assert not marker.exists()
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "ledger").exists()


def test_trust_model_loads_it_and_shows_why_the_check_matters(capsys, tampered):
    model, marker = tampered
    code = main(["predict", "--model", str(model), "--trust-model", "x"])
    assert marker.exists()  # the hidden code ran: only trust files you know
    assert code == 1 and "not a stance classifier" in capsys.readouterr().err


def test_model_without_a_card_is_refused(capsys, tmp_path):
    model = tmp_path / "copy.joblib"
    shutil.copy(default_model_path(), model)
    code = main(["predict", "--model", str(model), "x"])
    assert code == 1 and "no model card" in capsys.readouterr().err
    assert main(["predict", "--model", str(model), "--trust-model", "The army denied it."]) == 0
