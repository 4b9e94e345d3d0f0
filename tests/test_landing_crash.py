"""A crash never poisons the warehouse: a landing folder is complete or absent, and what a killed writer left
behind is outside the globs dbt reads and swept at the next run's start."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from expectations.frames import documents_frames
from ingestion.extract import parse_file
from ingestion.landing import store
from ingestion.landing.pipeline import register_inbox
from ingestion.landing.store import landing_root, write_landing
from tests.conftest import seed_path


def _landed_documents(warehouse: Path) -> int:
    """What dbt's `landing.documents` source reads: every document.parquet one folder below the pv= root."""
    with duckdb.connect() as connection:
        return connection.execute(
            "select count(*) from read_parquet(?, union_by_name = true)", [store.landing_glob(warehouse, "document")]
        ).fetchone()[0]


def test_a_writer_killed_mid_document_leaves_nothing_the_next_run_reads(tmp_path: Path, monkeypatch) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()
    (inbox / "report.txt").write_bytes(seed_path("004").read_bytes())
    scan = register_inbox(inbox, warehouse)
    result = parse_file(scan.files[0].absolute_path, scan.files[0].sha256)
    written = []

    def dies_after_one_file(table, where, *args, **kwargs):  # the process is killed after the first file
        if written:
            raise KeyboardInterrupt
        written.append(where)
        Path(where).write_bytes(b"PAR1 half a parquet file")

    monkeypatch.setattr(pq, "write_table", dies_after_one_file)
    with pytest.raises(KeyboardInterrupt):
        write_landing(warehouse, result)
    monkeypatch.undo()
    assert written, "the interrupted writer wrote a partial file"
    assert sorted(p.name for p in landing_root(warehouse).iterdir()) == ["_schema"]  # complete or absent
    register_inbox(inbox, warehouse)  # the next run starts
    assert _landed_documents(warehouse) == 0
    assert set(documents_frames(warehouse)["documents"]["path"]) == {"report.txt"}
    partial = [p for p in (warehouse / "landing").rglob("*.parquet")
               if p.parent.name != "_schema" and p.name != "inventory.parquet"]
    assert partial == []  # swept


def test_a_leftover_temporary_folder_in_the_landing_root_is_swept_at_start(tmp_path: Path) -> None:
    """The layout before this fix put temporary folders inside pv=<version>/, where the glob reads them."""
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()
    (inbox / "report.txt").write_bytes(seed_path("004").read_bytes())
    register_inbox(inbox, warehouse)
    leftover = landing_root(warehouse) / ".tmp-k9x2"
    leftover.mkdir()
    (leftover / "document.parquet").write_bytes(b"PAR1")  # too small to be Parquet: the glob would fail on it
    with pytest.raises(duckdb.Error):
        _landed_documents(warehouse)
    register_inbox(inbox, warehouse)
    assert not leftover.exists()
    assert _landed_documents(warehouse) == 0


def test_schema_files_are_replaced_whole(tmp_path: Path, monkeypatch) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()
    register_inbox(inbox, warehouse)
    schema = landing_root(warehouse) / "_schema" / "document.parquet"
    before = schema.read_bytes()

    def dies_mid_write(table, where, *args, **kwargs):
        Path(where).write_bytes(b"PAR1 half")
        raise KeyboardInterrupt

    monkeypatch.setattr(pq, "write_table", dies_mid_write)
    with pytest.raises(KeyboardInterrupt):
        store.write_schema_files(warehouse)
    monkeypatch.undo()
    assert schema.read_bytes() == before
    assert sorted(os.listdir(schema.parent)) == ["document.parquet", "facts.parquet", "findings.parquet"]
    assert _landed_documents(warehouse) == 0
