"""Write row streams as CSV, JSONL or Parquet: streamed, and atomic for files.

Rows arrive one at a time and are written as they come (Parquet in row groups), so a
table of any size is written in flat memory; a file appears under its name only when it
is complete (see :mod:`stance._atomic`).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence

from stance._atomic import atomic_write
from stance.errors import StanceError

PARQUET_ROW_GROUP = 50_000


def encode_rows(rows: list[dict], fmt: str, columns: Sequence[str]) -> bytes:
    """*rows* as UTF-8 CSV lines (no header) or JSON lines, written as by
    :func:`write_rows`: what scoring workers send back, so the process that writes the
    file only has bytes to write."""
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"cannot encode rows as {fmt}")
    buf = io.StringIO()
    if fmt == "jsonl":
        _jsonl(rows, buf)
    else:
        _csv(rows, buf, columns, header=False)
    return buf.getvalue().encode("utf-8")


def write_encoded(chunks: Iterable[bytes], fmt: str, columns: Sequence[str]) -> None:
    """Write chunks of :func:`encode_rows` output to standard output, as
    :func:`write_rows` would write their rows (CSV with its header)."""
    if fmt == "parquet":
        raise StanceError("Parquet cannot go to standard output: give -o FILE.parquet")
    if fmt == "csv":
        _csv([], sys.stdout, columns)  # the header
    for data in chunks:
        sys.stdout.write(data.decode("utf-8"))


def _jsonl(rows: Iterable[dict], fh) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def _csv(rows: Iterable[dict], fh, columns: Sequence[str], header: bool = True) -> int:
    writer = csv.writer(fh, lineterminator="\n")
    if header:
        writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([row.get(c) for c in columns])
        n += 1
    return n


def _parquet(rows: Iterable[dict], fh, columns: Sequence[str], types: dict[str, str]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        raise StanceError("Parquet needs pyarrow: pip install pyarrow") from None
    schema = pa.schema([(c, pa.type_for_alias(types.get(c, "string"))) for c in columns])
    n = 0
    batch: list[dict] = []
    with pq.ParquetWriter(fh, schema) as writer:
        for row in rows:
            batch.append(row)
            n += 1
            if len(batch) >= PARQUET_ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch.clear()
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return n


def write_rows(rows: Iterable[dict], path: str | None, fmt: str,
               columns: Sequence[str], types: dict[str, str] | None = None) -> int:
    """Write *rows* to *path* (standard output when None) in *fmt*; return the count.

    *types* maps columns to pyarrow type names ("string", "int64", "double", "bool")
    for Parquet; other columns are strings.
    """
    if path is None:
        if fmt == "parquet":
            raise StanceError("Parquet cannot go to standard output: give -o FILE.parquet")
        out = sys.stdout
        return _jsonl(rows, out) if fmt == "jsonl" else _csv(rows, out, columns)
    mode = "wb" if fmt == "parquet" else "w"
    kwargs = {} if fmt == "parquet" else {"encoding": "utf-8", "newline": ""}
    with atomic_write(path, mode, **kwargs) as fh:
        if fmt == "jsonl":
            return _jsonl(rows, fh)
        if fmt == "csv":
            return _csv(rows, fh, columns)
        return _parquet(rows, fh, columns, types or {})
