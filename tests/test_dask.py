"""`stance score --engine dask`: the same rows in the same order as the local engine."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import REPO

from stance import dask_engine
from stance.cli import main
from stance.ingest import read_articles
from stance.score import Summary, score_articles

pytest.importorskip("distributed")


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """JSONL cut into several partitions (with bad lines), Parquet with several row
    groups, a directory of text articles, and a name that matches nothing."""
    monkeypatch.setattr(dask_engine, "JSONL_LINES", 3)
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples" / "articles")
                                                           .glob("*.txt"))]
    lines = [json.dumps({"id": f"j{i}", "text": t.split("\n", 1)[1]}) for i, t in
             enumerate(texts)]
    lines.insert(4, "{broken json")
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = pd.DataFrame({"id": [f"p{i}" for i in range(len(texts))],
                          "text": [t.split("\n", 1)[1] for t in texts]})
    frame.to_parquet(tmp_path / "b.parquet", row_group_size=4)
    return [str(tmp_path / "a.jsonl"), str(tmp_path / "b.parquet"),
            str(REPO / "examples" / "articles"), str(tmp_path / "missing.txt")]


def test_dask_engine_matches_the_local_engine_row_for_row(corpus, model):
    local_summary, dask_summary = Summary(), Summary()
    local = list(score_articles(read_articles(corpus), model=model, summary=local_summary))
    parts = [p for p in dask_engine.partitions(corpus) if isinstance(p, dask_engine.Partition)]
    assert len([p for p in parts if p.kind == "jsonl"]) >= 3
    assert len([p for p in parts if p.kind == "parquet"]) >= 2
    remote = list(dask_engine.score_articles_dask(corpus, summary=dask_summary, workers=2))
    assert remote == local
    assert [str(r) for r in dask_summary.rejected] == [str(r) for r in local_summary.rejected]
    assert (dask_summary.articles, dask_summary.sentences) == \
        (local_summary.articles, local_summary.sentences)


def test_dask_engine_from_the_command_line(capsys, tmp_path):
    out = tmp_path / "out.csv"
    code = main(["score", str(REPO / "examples" / "articles"), "-o", str(out),
                 "--engine", "dask", "--jobs", "2"])
    assert code == 0
    local = tmp_path / "local.csv"
    assert main(["score", str(REPO / "examples" / "articles"), "-o", str(local),
                 "--jobs", "1"]) == 0
    assert out.read_bytes() == local.read_bytes()


def test_unreachable_scheduler_is_a_one_line_error(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "2s")
    code = main(["score", str(REPO / "examples" / "articles"), "-o", str(tmp_path / "o.csv"),
                 "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert not (tmp_path / "o.csv").exists()


def test_without_dask_the_engine_says_how_to_install_it(capsys, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    code = main(["score", str(REPO / "examples" / "articles"), "-o", str(tmp_path / "o.csv"),
                 "--engine", "dask"])
    err = capsys.readouterr().err
    assert code == 1 and "pip install 'stance-tracker[dask]'" in err
