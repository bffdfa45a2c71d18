"""Score articles on a Dask cluster (``stance score --engine dask``).

The inputs are cut into partitions: a file of one article (.txt, .html), a CSV file,
blocks of :data:`JSONL_LINES` lines of a JSONL file, or row groups of a Parquet file.
Each partition is one task: the worker reads it from the path (so inputs must live on a
filesystem every worker sees: a shared disk or a mounted object store), scores it and
sends back its rows. The model goes to every worker once (scattered with
``broadcast``), not with each task. Results come back in the order of the partitions,
at most a few partitions per worker in flight, so the output is the same rows in the
same order as the local engine, in flat memory.

Without ``scheduler`` a :class:`distributed.LocalCluster` is started on this machine;
with one (``tcp://host:8786``) the client connects to that cluster.
``dask[distributed]`` is an optional dependency: ``pip install 'stance-tracker[dask]'``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from stance.classify import load_model
from stance.errors import StanceError
from stance.ingest import Article, Rejected, english_only, expand, read_file
from stance.score import BATCH, Summary, _batches, _score

#: Lines of a JSONL file in one partition.
JSONL_LINES = 2_000
#: How long to wait for a scheduler given with --scheduler.
CONNECT_TIMEOUT = "20s"
#: Partitions in flight per worker (bounds memory; keeps workers busy).
IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class Partition:
    """A piece of one input file that one task reads and scores."""

    path: str
    kind: str  # "file", "jsonl" or "parquet"
    offset: int = 0  # jsonl: byte offset; parquet: unused
    first: int = 1  # number of the first line (jsonl) or row (parquet)
    size: int = 0  # jsonl: lines; parquet: unused
    row_groups: tuple[int, ...] = ()


def _require_distributed():
    try:
        import distributed
    except ImportError:
        raise StanceError("--engine dask needs Dask: pip install 'stance-tracker[dask]' "
                          "(or pip install 'dask[distributed]')") from None
    return distributed


def partitions(inputs: Iterable[str]) -> Iterator[Partition | Rejected]:
    """The partitions of *inputs*, in input order (rejects where a name matches nothing)."""
    for target in expand(inputs):
        if isinstance(target, Rejected):
            yield target
        elif target == "-":
            yield Rejected("-", "standard input cannot be read by a cluster; give files")
        elif target.suffix.lower() == ".jsonl":
            yield from _jsonl_partitions(target)
        elif target.suffix.lower() == ".parquet":
            yield from _parquet_partitions(target)
        else:
            yield Partition(str(target), "file")


def _jsonl_partitions(path: Path) -> Iterator[Partition]:
    """Blocks of JSONL_LINES lines, found by one streaming pass over the file."""
    offset, line, start_offset, start_line = 0, 0, 0, 1
    try:
        with open(path, "rb") as fh:
            for raw in fh:
                line += 1
                offset += len(raw)
                if line - start_line + 1 == JSONL_LINES:
                    yield Partition(str(path), "jsonl", start_offset, start_line, JSONL_LINES)
                    start_offset, start_line = offset, line + 1
    except OSError:
        yield Partition(str(path), "file")  # the reader reports why it cannot read it
        return
    if line >= start_line:
        yield Partition(str(path), "jsonl", start_offset, start_line, line - start_line + 1)
    elif line == 0:
        yield Partition(str(path), "file")


def _parquet_partitions(path: Path) -> Iterator[Partition]:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception:  # unreadable: let the reader reject it with its reason
        yield Partition(str(path), "file")
        return
    first = 1
    for group in range(meta.num_row_groups):
        yield Partition(str(path), "parquet", first=first, row_groups=(group,))
        first += meta.row_group(group).num_rows


def read_partition(part: Partition, english: bool = True) -> Iterator[Article | Rejected]:
    """The records of one partition, numbered as the local reader numbers them."""
    from stance.ingest import read_jsonl, read_parquet

    if part.kind == "jsonl":
        import io
        import itertools

        with open(part.path, "rb") as fh:
            fh.seek(part.offset)
            lines = list(itertools.islice(fh, part.size))
        records = read_jsonl(io.BytesIO(b"".join(lines)), part.path, first_line=part.first)
    elif part.kind == "parquet":
        records = read_parquet(Path(part.path), list(part.row_groups), part.first)
    else:
        records = read_file(Path(part.path))
    return english_only(records) if english else records


def score_partition(part: Partition, model) -> list:
    """Score one partition on a worker: its records in order, each article replaced by
    its result (see :func:`stance.score._score`), each reject
    kept."""
    records = list(read_partition(part, english=False))
    articles = [r for r in records if isinstance(r, Article)]
    results = iter([result for batch in _batches(articles, BATCH)
                    for result in _score(batch, model, check_english=True)])
    return [next(results) if isinstance(r, Article) else r for r in records]


def score_articles_dask(inputs: Iterable[str], model_path: str | os.PathLike | None = None,
                        scheduler: str | None = None, summary: Summary | None = None,
                        workers: int | None = None, trust_model: bool = False
                        ) -> Iterator[dict]:
    """Stream the rows of *inputs* scored on a Dask cluster, in input order."""
    distributed = _require_distributed()
    summary = summary if summary is not None else Summary()
    model = load_model(model_path, trust=trust_model)
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
        except OSError as exc:
            raise StanceError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        cluster = None
    else:
        cluster = distributed.LocalCluster(n_workers=workers or os.cpu_count() or 1,
                                           threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        client = distributed.Client(cluster)
    try:
        shipped = client.scatter(model, broadcast=True, hash=False)  # once per worker
        limit = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info()["workers"]))
        queue: list = []
        parts = partitions(inputs)

        def drain_one() -> Iterator[dict]:
            item = queue.pop(0)
            if isinstance(item, Rejected):
                summary.rejected.append(item)
                return
            for record in item.result():
                if isinstance(record, Rejected):
                    summary.rejected.append(record)
                    continue
                yield from summary.account(record) or ()

        for part in parts:
            queue.append(part if isinstance(part, Rejected)
                         else client.submit(score_partition, part, shipped, pure=False))
            while sum(not isinstance(q, Rejected) for q in queue) > limit:
                yield from drain_one()
        while queue:
            yield from drain_one()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
