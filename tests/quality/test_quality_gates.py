"""Defects in our pipeline stop publication; each layer is broken on purpose here.

A published warehouse (the shared refresh) is copied once per defect, one landing file is corrupted the way a
parser bug would, and `gongkai refresh` runs again on each copy (in parallel, they are independent): it must exit
non-zero, say which check failed on which table, and leave serving.duckdb (and the quality report describing it)
byte for byte as it was. Each defect is named by the one check that owns its rule (docs/quality.md): the
repeated fact by the staged-facts gate, an unknown code and an orphan fact by dbt's relationships tests. The
gates' rules themselves are tested on frames in tests/test_expectations.py.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingestion import PARSER_VERSION
from ingestion.catalogue.indicators import signed_codes
from tests.conftest import Published, digest, refresh_command, refresh_env


def _landing(warehouse: Path) -> Path:
    return warehouse / "landing" / f"pv={PARSER_VERSION}"


def _table_facts(warehouse: Path) -> Path:
    """The facts file of a table-template document (seed 000 or 004: more than 50 facts)."""
    return next(p for p in sorted(_landing(warehouse).glob("*/facts.parquet")) if pq.read_metadata(p).num_rows > 50)


def duplicate_fact(warehouse: Path) -> None:
    """The same indicator and requester type twice in one document (a parser that counts a repeated table twice)."""
    path = _table_facts(warehouse)
    table = pq.read_table(path)
    pq.write_table(pa.concat_tables([table, table.slice(0, 1)]), path)


def negative_count(warehouse: Path) -> None:
    """A count that reads negative (a parser that took a dash for a minus sign)."""
    path = _table_facts(warehouse)
    table = pq.read_table(path)
    values = table.column("value").to_pylist()
    signed = signed_codes()  # the change columns (本年增/减) may be negative
    first = next(i for i, code in enumerate(table.column("indicator_code").to_pylist()) if code not in signed)
    values[first] = -5.0
    index = table.schema.get_field_index("value")
    pq.write_table(table.set_column(index, table.schema.field(index), pa.array(values, pa.float64())), path)


def unknown_indicator_code(warehouse: Path) -> None:
    """A code that is not in the indicator catalogue."""
    path = _table_facts(warehouse)
    table = pq.read_table(path)
    codes = table.column("indicator_code").to_pylist()
    codes[0] = "application_received_by_pigeon"
    index = table.schema.get_field_index("indicator_code")
    pq.write_table(table.set_column(index, table.schema.field(index), pa.array(codes, pa.string())), path)


def orphan_fact(warehouse: Path) -> None:
    """Facts landed for a content hash that has no document record and is not in the inventory."""
    table = pq.read_table(_table_facts(warehouse))
    ghost = hashlib.sha256(b"a document that was never registered").hexdigest()
    folder = _landing(warehouse) / ghost
    folder.mkdir()
    index = table.schema.get_field_index("sha256")
    column = pa.array([ghost] * table.num_rows, table.schema.field(index).type)
    pq.write_table(table.set_column(index, table.schema.field(index), column), folder / "facts.parquet")


def two_records_for_one_document(warehouse: Path) -> None:
    """A document.parquet holding two records for one content hash (a landing writer that appended)."""
    path = next(p for p in sorted(_landing(warehouse).glob("*/document.parquet")) if p.parent.name != "_schema")
    table = pq.read_table(path)
    pq.write_table(pa.concat_tables([table, table]), path)


# defect -> (corruption, the check that must be named, the table it is on)
#: defect → (how to cause it, the check's words as the CLI prints them, its test id, which it must not print, table)
DEFECTS: dict[str, tuple[Callable[[Path], None], str, str | None, str]] = {
    "duplicate_fact": (duplicate_fact, "GX staged-facts gate", None, "staging/stg_landing__facts"),
    "negative_count": (negative_count, "GX staged-facts gate", None, "staging/stg_landing__facts"),
    "unknown_indicator_code": (
        unknown_indicator_code, "every value exists in stg_catalogue__indicators.code",
        "relationships_stg_landing__facts_indicator_code", "staging/stg_landing__facts",
    ),
    "orphan_fact": (
        orphan_fact, "every value exists in stg_landing__documents.sha256", "relationships_stg_landing__facts_sha256",
        "staging/stg_landing__facts",
    ),
    "two_records_for_one_document": (
        two_records_for_one_document,
        "stg_landing__documents.sha256（文件内容的 SHA-256）: 不应重复 · has no repeated values",
        "unique_stg_landing__documents_sha256", "staging/stg_landing__documents",
    ),
}


@dataclass(frozen=True)
class BrokenRun:
    warehouse: Path
    serving_before: str
    report_before: str
    completed: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def broken_runs(published: Published, tmp_path_factory: pytest.TempPathFactory) -> dict[str, BrokenRun]:
    started: dict[str, tuple[Path, str, str, subprocess.Popen[str]]] = {}
    for name, (corrupt, *_) in DEFECTS.items():
        warehouse = tmp_path_factory.mktemp(name) / "warehouse"
        shutil.copytree(published.warehouse, warehouse)
        before = digest(warehouse / "serving.duckdb"), digest(warehouse / "reports" / "quality_report.html")
        corrupt(warehouse)
        process = subprocess.Popen(
            refresh_command(published.inbox, warehouse), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=refresh_env(),
        )
        started[name] = (warehouse, *before, process)
    runs = {}
    for name, (warehouse, serving_before, report_before, process) in started.items():
        stdout, stderr = process.communicate(timeout=900)
        completed = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        runs[name] = BrokenRun(warehouse, serving_before, report_before, completed)
    return runs


@pytest.mark.e2e
@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_a_pipeline_defect_refuses_publication_and_says_where(broken_runs: dict[str, BrokenRun], defect: str) -> None:
    run = broken_runs[defect]
    _, words, test_id, table = DEFECTS[defect]
    output = run.completed.stdout + run.completed.stderr
    assert run.completed.returncode != 0, output[-4000:]
    assert "publication refused" in output, output[-4000:]
    failures = [line for line in output.splitlines() if "quality gate failed" in line]
    assert any(words in line and table in line for line in failures), output[-4000:]
    if test_id is not None:  # the check in words, never dbt's id for it
        assert test_id not in output, output[-4000:]
    assert digest(run.warehouse / "serving.duckdb") == run.serving_before
    # the quality report did not run: the page still describes the serving.duckdb that is still published
    assert digest(run.warehouse / "reports" / "quality_report.html") == run.report_before


@pytest.mark.e2e
def test_the_duplicate_fact_message_names_the_grain_and_the_row(broken_runs: dict[str, BrokenRun]) -> None:
    output = broken_runs["duplicate_fact"].completed.stderr
    assert "expect_compound_columns_to_be_unique(sha256, indicator_code, requester_type)" in output
