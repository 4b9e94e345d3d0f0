"""The run event log of `gongkai refresh`: Dagster's SQLite event log, with each database opened once per run.

Dagster's `SqliteEventLogStorage` creates an SQLAlchemy engine for every statement it runs, connects, commits and
closes; closing the last connection to a WAL database checkpoints it. A refresh stores ~700 events (each dbt
model and data test is an asset or an asset check), several statements each: measured here 8.6 ms of CPU per
stored materialization, most of a seeds refresh outside dbt. This storage keeps one engine and one open
connection per database file (1.7 ms per event): the same files, tables and format, so the UI and runs it starts
read and write them with Dagster's own storage as before.

Two things change with connections held open, both handled here:
- commits go to the write-ahead log and reach the database file at checkpoints; Dagster's file watcher (the UI
  following a run live) reacts to changes of the database file, so checkpoints come every `CHECKPOINT_PAGES`
  pages and when the storage is disposed, at the end of the refresh;
- `synchronous=NORMAL`: in WAL mode a commit survives the process being killed, and only an operating-system
  crash can lose the last events of a run (its results are in the warehouse files, not here).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from dagster._core.storage.event_log import SqliteEventLogStorage  # the class dagster.yaml names by default

#: Pages of write-ahead log between checkpoints (SQLite's default is 1,000): about every 50 events.
CHECKPOINT_PAGES = 100
#: How long a statement waits for another process's lock (the UI's) before failing, as Dagster's storage does.
BUSY_TIMEOUT_SECONDS = 15


class HeldOpenSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` with one engine and one pooled connection per database file."""

    def __init__(self, base_dir: str, inst_data: Any = None) -> None:
        self._engines: dict[str, sa.Engine] = {}
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(cls, inst_data: Any, config_value: Mapping[str, Any]) -> HeldOpenSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> sa.Engine:
        engine = self._engines.get(shard)
        if engine is None:
            engine = sa.create_engine(
                self.conn_string_for_shard(shard),
                pool_size=1,
                max_overflow=4,  # another thread of this process (a log watcher) gets a connection of its own
                connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            sa.event.listen(engine, "connect", _tune)
            self._engines[shard] = engine
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sa.Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as connection, connection.begin():
                yield connection

    def dispose(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()  # closing the last connection checkpoints the log into the database file
            self._engines.clear()
        super().dispose()


def _tune(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")


def event_log_settings(home: Path) -> dict[str, Any]:
    """The instance setting that gives the runs of `home` this storage (Dagster's own folder for the files)."""
    return {
        "event_log_storage": {
            "module": __name__,
            "class": HeldOpenSqliteEventLogStorage.__name__,
            "config": {"base_dir": str(home / "history" / "runs")},
        }
    }
