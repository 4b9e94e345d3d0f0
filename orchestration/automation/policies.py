"""How steps survive trouble and share DuckDB, and how a run says what started it. Imported by every domain's
assets; imports none of them."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

import dagster as dg
import duckdb

#: Every run says what started it: `sensor`, `schedule`, `cli`, or `ui` (the job's default, so a refresh launched
#: from the job page in the UI carries it).
TRIGGER_TAG = "gongkai/trigger"

#: Only one process writes a given DuckDB file at a time (DuckDB allows a single read-write process, and a
#: read-only open fails while another process writes). The limit is set in dagster_home/dagster.yaml
#: (`concurrency: pools: default_limit: 1`); ops of this pool queue rather than fail on the file lock.
DUCKDB_WRITER_POOL = "duckdb_writer"

#: Transient failures (a share that blinked, a worker pool that broke, a file lock held for a moment, a full
#: disk someone is cleaning up) are retried with exponential backoff: about 2 s, 6 s, 14 s. Quality gates are
#: asset checks that report `passed=False`: they never raise and carry no retry policy, so they are never
#: retried. Inside a retried asset, `transient_failures_only()` turns every other exception (a bug, bad
#: configuration) into a failure that is not retried.
TRANSIENT_RETRY = dg.RetryPolicy(
    max_retries=3, delay=2, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, BrokenProcessPool, duckdb.IOException)


@contextmanager
def transient_failures_only() -> Iterator[None]:
    """Let TRANSIENT_ERRORS through to the retry policy; fail at once, without retries, on anything else."""
    try:
        yield
    except (*TRANSIENT_ERRORS, dg.Failure, dg.RetryRequested):
        raise
    except Exception as error:
        raise dg.Failure(
            description=f"{type(error).__name__}: {error} (not a transient failure: not retried)",
            allow_retries=False,
        ) from error


def retry_later(context: dg.AssetExecutionContext, reason: str) -> dg.RetryRequested | dg.Failure:
    """What to raise for a transient condition found by hand (not an exception): a retry with TRANSIENT_RETRY's
    backoff while retries remain, else a failure saying why."""
    if context.retry_number < TRANSIENT_RETRY.max_retries:
        return dg.RetryRequested(
            max_retries=TRANSIENT_RETRY.max_retries,
            seconds_to_wait=TRANSIENT_RETRY.calculate_delay(context.retry_number + 1),
        )
    return dg.Failure(description=f"{reason} (still after {TRANSIENT_RETRY.max_retries} retries)")
