"""The command line: exit codes, exact error lines, output formats."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pytest
from conftest import LABELLED

from stance.cli import main
from stance.dataset import read_labelled


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory):
    """30 rows per label of our labelled set, as a CSV."""
    data = read_labelled(LABELLED)
    part = data.groupby("label").sample(30, random_state=1)
    path = tmp_path_factory.mktemp("data") / "small.csv"
    part[["text", "label", "group"]].to_csv(path, index=False)
    return path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_data_check_ok(capsys, small_csv):
    code, out, err = run(capsys, "data", "check", str(small_csv))
    assert code == 0 and out == ""
    assert "210 valid row(s), 0 error(s)" in err


def test_data_check_reports_each_problem(capsys, write):
    path = write("bad.csv", "text,label,group\nA.,denail,g\n,none,g\nB.,none,g\nB.,warning,g\n")
    code, out, err = run(capsys, "data", "check", str(path))
    assert code == 1
    assert out.splitlines() == [
        f"{path}:2: error: unknown label 'denail' (did you mean 'denial'?); expected one of: "
        "denial, confirmation, no-comment, warning, reassurance, report-citation, none",
        f"{path}:3: error: empty text",
        f"{path}:5: error: same text as line 4 with a different label ('warning' here, "
        "'none' there)",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sentence,label\nA.,none\n", ":1: missing column(s) 'text', 'group'; found "
         "'sentence', 'label'"),
        ("", ": file is empty; expected a CSV with a header row"),
        (b"\x00\x01\x02binary\x00", ": binary data (NUL bytes), not a text CSV file; "
         "UTF-16 files must be saved as UTF-8"),
    ],
)
def test_train_refuses_bad_data_in_one_line(capsys, write, tmp_path, content, message):
    path = write("in.csv", content)
    code, out, err = run(capsys, "train", str(path), "-o", str(tmp_path / "m.joblib"))
    assert code == 1
    assert err == f"Error: {path}{message}\n"
    assert not (tmp_path / "m.joblib").exists()


def test_train_writes_model_card_and_metrics(capsys, small_csv, tmp_path):
    out_model = tmp_path / "m.joblib"
    code, out, err = run(capsys, "train", str(small_csv), "-o", str(out_model), "--folds", "3")
    assert code == 0
    assert "grouped stratified 3-fold cross-validation" in out
    assert "macro-F1" in out and "confusion matrix" in out
    card = json.loads((tmp_path / "m.card.json").read_text())
    assert card["cross_validation"]["folds"] == 3
    assert card["training_data"]["sentences"] == 210
    code, out, err = run(capsys, "evaluate", "--data", str(small_csv), "--model",
                         str(out_model), "--json")
    assert code == 0
    assert json.loads(out)["n"] == 210


def test_evaluate_shipped_model_ignores_other_columns(capsys, write):
    path = write("ev.csv", "id,text,label,note\n1,The army denied the report.,denial,x\n"
                 "2,Officials declined to comment.,no-comment,y\n")
    code, out, err = run(capsys, "evaluate", "--data", str(path))
    assert code == 0
    assert "macro-F1" in out and "no-comment" in out


def test_evaluate_missing_model(capsys, small_csv, tmp_path):
    missing = tmp_path / "nope.joblib"
    code, out, err = run(capsys, "evaluate", "--data", str(small_csv), "--model", str(missing))
    assert (code, err) == (1, f"Error: {missing}: model file not found\n")


def test_garbage_model_file(capsys, write):
    path = write("m.joblib", b"this is not a pickle at all")
    code, out, err = run(capsys, "predict", "--model", str(path), "Hello.")
    assert code == 1 and "no model card" in err  # refused before it is read
    code, out, err = run(capsys, "predict", "--model", str(path), "--trust-model", "Hello.")
    assert code == 1
    assert err.startswith(f"Error: {path}: not a readable model file (")
    assert "Traceback" not in err


def test_predict_jsonl(capsys):
    code, out, err = run(capsys, "predict", "--format", "jsonl",
                         "Peskov called the report a hoax.", "It rained on Tuesday.")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 2
    assert set(rows[0]) == {"text", "stance", "confidence", "probabilities"}
    assert rows[0]["stance"] == "denial"
    assert abs(sum(rows[0]["probabilities"].values()) - 1) < 1e-3


def test_predict_reads_stdin_and_explains(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(
        "The club declined to comment on the report.\n\nThe Times reported the deal.\n"))
    code, out, err = run(capsys, "predict", "--format", "csv", "--explain")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert lines[0].startswith("text,stance,confidence,p_") and lines[0].endswith("explanation")
    assert ",no-comment," in lines[1]


def test_predict_table(capsys):
    code, out, err = run(capsys, "predict", "Officials warned of serious consequences.")
    assert code == 0
    assert out.splitlines()[1].startswith("warning")


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["predict", "--format", "xml", "x"])
    assert info.value.code == 2


@pytest.mark.parametrize("argv", [["stance", "--help"], [sys.executable, "-m", "stance", "--help"]])
def test_installed_entry_points(argv):
    if argv[0] == "stance" and shutil.which("stance") is None:
        pytest.skip("the stance command is not installed in this environment")
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "predict" in done.stdout


def test_installed_command_finds_the_shipped_model_anywhere(tmp_path):
    exe = shutil.which("stance")
    if exe is None:
        pytest.skip("the stance command is not installed in this environment")
    done = subprocess.run([exe, "predict", "--format", "jsonl", "Peskov called the report a hoax."],
                          capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stance"] == "denial"


def test_version_mismatch_is_one_warning_line(capsys, tmp_path):
    from stance.classify import card_path, default_model_path

    shipped = default_model_path()
    model = tmp_path / "m.joblib"
    model.write_bytes(shipped.read_bytes())
    card = json.loads(card_path(shipped).read_text())
    card["libraries"]["scikit-learn"] = "0.0"
    card_path(model).write_text(json.dumps(card))
    code, out, err = run(capsys, "predict", "--model", str(model), "It rained.")
    assert code == 0
    assert err == ("Warning: m.joblib was trained with scikit-learn 0.0, this is "
                   f"{__import__('sklearn').__version__}: predictions may differ\n")
