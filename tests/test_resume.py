"""A `stance score` killed mid-run (SIGKILL) is finished by `--resume`: no row twice,
none missing; and nothing half-written ever sits under the output's name."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import REPO

from stance.cli import main


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """600 articles built from the team's labelled articles (a few seconds of scoring),
    with a bad record in the middle."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench
    finally:
        sys.path.pop(0)
    path = tmp_path_factory.mktemp("resume") / "corpus.jsonl"
    bench.build_corpus(path, 600)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(300, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_killed_run_resumes_without_duplicates_or_gaps(corpus, tmp_path, fmt, capsys):
    expected = tmp_path / f"expected.{fmt}"
    assert main(["score", str(corpus), "-o", str(expected), "--jobs", "1"]) == 3
    capsys.readouterr()

    out = tmp_path / f"out.{fmt}"
    progress = tmp_path / f".out.{fmt}.progress.json"
    cmd = [sys.executable, "-m", "stance", "score", str(corpus), "-o", str(out), "--jobs", "2"]
    child = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until a few checkpoints are on disk
        if progress.exists():
            try:
                if json.loads(progress.read_text())["records"] >= 150:
                    break
            except ValueError:
                pass
        if child.poll() is not None:
            pytest.fail("the run finished before it could be killed")
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert not out.exists()  # nothing under the output's name until it is complete
    # as if the kill had cut a checkpoint's write short
    (tmp_path / f".{progress.name}.k1ll3d.tmp").write_text('{"records": 1', encoding="utf-8")

    code = main(["score", str(corpus), "-o", str(out), "--jobs", "2", "--resume"])
    err = capsys.readouterr().err
    assert code == 3 and "resuming" in err
    assert "601 record(s) read: 600 article(s) scored" in err and "1 rejected" in err
    assert err.count("corpus.jsonl:301: invalid JSON") == 1
    read = pd.read_parquet if fmt == "parquet" else pd.read_csv
    got, want = read(out), read(expected)
    assert not got.duplicated(["article_id", "sentence"]).any()
    pd.testing.assert_frame_equal(got, want)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([expected.name, out.name])


def test_a_run_not_resumed_starts_over(corpus, tmp_path, capsys):
    out = tmp_path / "out.csv"
    (tmp_path / ".out.csv.partial").write_text("garbage", encoding="utf-8")
    (tmp_path / ".out.csv.progress.json").write_text('{"fingerprint": "other"}',
                                                     encoding="utf-8")
    code = main(["score", str(REPO / "examples" / "articles"), "-o", str(out), "--jobs", "1"])
    assert code == 0
    assert pd.read_csv(out)["article_id"].nunique() == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
