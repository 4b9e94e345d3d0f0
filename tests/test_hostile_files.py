"""Broken and hostile files cost only themselves: each comes back quarantined with a one-line reason."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from corpusgen.hostile import hostile_files
from corpusgen.render import to_docx, to_pdf
from ingestion.extract import parse_file
from ingestion.landing.inbox import inbox_file
from ingestion.landing.pipeline import read_isolated
from ingestion.landing.store import landed_dir
from ingestion.limits import ReadLimits
from ingestion.readers.text import read_text
from tests.conftest import seed_path


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory, seed_bytes: dict[str, bytes]) -> tuple[Path, dict]:
    document = read_text(seed_bytes["004"])
    files = hostile_files(to_pdf(document), to_docx(document))
    folder = tmp_path_factory.mktemp("hostile")
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return folder, files


def test_each_hostile_file_is_quarantined_with_its_reason(hostile_dir) -> None:
    folder, files = hostile_dir
    records = [inbox_file(folder / name, name) for name in files]
    started = time.monotonic()
    results = {file.path: result for file, result in read_isolated(records, ReadLimits(timeout_seconds=8), workers=2)}
    assert time.monotonic() - started < 300  # each worker is killed at its 8 s limit; this bounds the whole
    assert set(results) == set(files)
    for name, (_, expected) in files.items():
        document = results[name].document
        assert document.parse_status == "quarantined", name
        assert any(words in (document.reason or "") for words in expected.split("|")), f"{name}: {document.reason}"
        assert "\n" not in document.reason and len(document.reason) <= 300


def test_file_over_the_size_limit_is_not_read(tmp_path: Path, seed_bytes: dict[str, bytes]) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(seed_bytes["004"])
    limits = ReadLimits(max_file_bytes=1024)
    [(_, result)] = list(read_isolated([inbox_file(path, "big.txt")], limits))
    assert result.document.parse_status == "quarantined"
    assert "over the file-size limit" in result.document.reason


def test_memory_limit_turns_a_bomb_into_a_reason(hostile_dir) -> None:
    folder, _ = hostile_dir
    path = folder / "bomb.pdf"
    limits = ReadLimits(memory_bytes=300 * 1024**2, timeout_seconds=30)
    [(_, result)] = list(read_isolated([inbox_file(path, "bomb.pdf")], limits))
    assert result.document.parse_status == "quarantined"
    assert "memory" in result.document.reason or "crashed" in result.document.reason


def test_workers_land_what_they_read_and_the_parent_lands_what_killed_a_worker(tmp_path: Path, hostile_dir) -> None:
    """A refresh's workers write the landing files themselves (the parent stays small) and send back only the
    document record; a file whose worker died is landed by the parent, quarantined with the reason."""
    folder, _ = hostile_dir
    report = tmp_path / "report.txt"
    report.write_bytes(seed_path("004").read_bytes())
    records = [inbox_file(report, "report.txt"), inbox_file(folder / "bomb.pdf", "bomb.pdf")]
    warehouse = tmp_path / "warehouse"
    limits = ReadLimits(memory_bytes=300 * 1024**2, timeout_seconds=30)
    read = {file.path: result for file, result in read_isolated(records, limits, workers=2, land_in=warehouse)}
    assert read["report.txt"].document.parse_status == "parsed" and read["report.txt"].facts == []
    expected = parse_file(report, records[0].sha256)
    landed = duckdb.execute(f"select count(*) from '{landed_dir(warehouse, records[0].sha256)}/facts.parquet'")
    assert landed.fetchone()[0] == len(expected.facts) > 50
    assert read["bomb.pdf"].document.parse_status == "quarantined"
    bomb = landed_dir(warehouse, records[1].sha256) / "document.parquet"
    status, reason = duckdb.execute(f"select parse_status, reason from '{bomb}'").fetchone()
    assert status == "quarantined" and reason == read["bomb.pdf"].document.reason
