"""Score into a file so that a killed run can be finished (``stance score --resume``).

Rows go to a partial file beside the output (``.OUT.partial``: the output itself being
written for CSV and JSONL; JSONL rows to convert at the end for Parquet). Every
:data:`CHECKPOINT_EVERY` articles the partial file is flushed to disk and a progress
file (``.OUT.progress.json``, written atomically) records how many input records are
done, the partial file's size at that point, and the counts and rejects so far. Input
order is deterministic, so ``--resume`` cuts the partial file back to the last
checkpoint, skips the records already done and carries on: no row is written twice and
none is lost. When the run ends, the output is renamed into place (or converted) and
the progress file removed; a run that is not resumed starts over.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from stance._atomic import atomic_write, discard_leftovers
from stance.errors import StanceError
from stance.ingest import Article, Rejected, read_articles
from stance.output import encode_rows, write_rows
from stance.score import Summary, score_encoded

#: Articles between two checkpoints.
CHECKPOINT_EVERY = 64


def _paths(out: Path) -> tuple[Path, Path]:
    return (out.with_name(f".{out.name}.partial"),
            out.with_name(f".{out.name}.progress.json"))


def _fingerprint(inputs: Sequence[str], fmt: str, model_path: str | None) -> str:
    """What a resumed run must share with the interrupted one."""
    return hashlib.sha256(json.dumps([list(inputs), fmt, str(model_path)]).encode()).hexdigest()


def _article_ids(partial: Path, fmt: str) -> Iterator[str]:
    """The article ids in a partial output (to refuse their reuse after a resume)."""
    with open(partial, encoding="utf-8", newline="") as fh:
        if fmt == "csv":
            reader = csv.reader(fh)
            next(reader, None)
            for row in reader:
                if row:
                    yield row[0]
        else:
            for line in fh:
                if line.strip():
                    yield json.loads(line)["article_id"]


def score_to_file(inputs: Sequence[str], out: str | os.PathLike, fmt: str,
                  columns: Sequence[str], types: dict[str, str], *, resume: bool = False,
                  jobs: int = 1, model_path: str | None = None, trust_model: bool = False,
                  summary: Summary | None = None, notes: list[str] | None = None) -> Summary:
    """Score *inputs* into *out* with checkpoints; with *resume*, finish a killed run."""
    out = Path(out)
    summary = summary if summary is not None else Summary()
    notes = notes if notes is not None else []
    partial, progress = _paths(out)
    fingerprint = _fingerprint(inputs, fmt, model_path)
    state = None
    if progress.is_file() and partial.is_file():
        try:
            state = json.loads(progress.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = None
        if state is not None and state.get("fingerprint") != fingerprint:
            if resume:
                raise StanceError(f"{out}: the interrupted run had other inputs, format or "
                                  "model; rerun it with the same ones, or without --resume")
            state = None
        if state is not None and not resume:
            notes.append(f"an interrupted run of {out} was found: starting over "
                         "(pass --resume to finish it instead)")
            state = None
    elif resume:
        notes.append(f"nothing to resume for {out}: starting from the beginning")
    spool_fmt = "jsonl" if fmt == "parquet" else fmt
    skip = 0
    if state is not None:
        skip = state["records"]
        summary.articles, summary.sentences = state["articles"], state["sentences"]
        summary.rejected.extend(Rejected(s, r) for s, r in state["rejected"])
        summary.foreign_lines.update(state["foreign"])
        with open(partial, "r+b") as fh:
            fh.truncate(state["bytes"])
        for article_id in _article_ids(partial, spool_fmt):  # ids already used
            summary.remember(article_id)
        notes.append(f"resuming {out}: {skip} record(s) already done")
    else:
        with open(partial, "wb") as fh:
            if fmt == "csv":
                fh.write(encode_rows([dict(zip(columns, columns, strict=True))], "csv", columns))
    index_of: dict[str, int] = {}
    done = [skip]

    def records() -> Iterator[Article | Rejected]:
        for i, record in enumerate(read_articles(inputs, english=False)):
            if i < skip:
                continue
            index_of[record.source] = i
            yield record

    fh = open(partial, "ab")  # noqa: SIM115 - closed in the finally below
    try:
        batch: list[bytes] = []
        since = 0

        def checkpoint() -> None:
            fh.write(b"".join(batch))
            batch.clear()
            fh.flush()
            os.fsync(fh.fileno())
            rejected = [(r.source, r.reason) for r in summary.rejected
                        if index_of.get(r.source, -1) < done[0]]
            with atomic_write(progress, "w", encoding="utf-8") as pf:
                json.dump({"fingerprint": fingerprint, "records": done[0],
                           "bytes": fh.tell(), "articles": summary.articles,
                           "sentences": summary.sentences, "rejected": rejected,
                           "foreign": summary.foreign_lines}, pf)

        def on_result(source: str) -> None:
            # results come in input order: every record before this one is out too
            nonlocal since
            done[0] = index_of.pop(source, done[0] - 1) + 1
            since += 1
            if since >= CHECKPOINT_EVERY:
                checkpoint()
                since = 0

        summary.on_result = on_result
        encode = functools.partial(encode_rows, fmt=spool_fmt, columns=tuple(columns))
        for data in score_encoded(records(), encode, model_path=model_path, jobs=jobs,
                                  summary=summary, check_english=True, trust_model=trust_model):
            batch.append(data)  # the article's rows, encoded in the worker
        fh.write(b"".join(batch))
        fh.flush()
        os.fsync(fh.fileno())
    except BaseException:
        fh.close()
        if not progress.exists():  # nothing checkpointed: leave nothing behind
            partial.unlink(missing_ok=True)
        raise
    finally:
        fh.close()
        summary.on_result = None
    if fmt == "parquet":
        with open(partial, encoding="utf-8") as spool:
            write_rows((json.loads(line) for line in spool), str(out), "parquet", columns, types)
        partial.unlink()
    else:
        os.replace(partial, out)
    progress.unlink(missing_ok=True)
    discard_leftovers(progress)  # a checkpoint a kill cut short
    discard_leftovers(out)
    return summary
