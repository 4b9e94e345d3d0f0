"""What the published marts were built from (orchestration.publish.inputs): the fingerprint that lets a refresh
with nothing new skip dbt, the gates and publishing, and that changes with anything those steps read."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from ingestion.landing.inbox import InboxFile
from orchestration.publish.inputs import (
    code_fingerprint,
    forget_published,
    inputs_fingerprint,
    published_fingerprint,
    record_published,
)
from orchestration.settings import WarehouseLayout


def _file(path: str, sha: str, fmt: str = "text") -> InboxFile:
    return InboxFile(path=path, absolute_path=Path("/inbox") / path, sha256=sha, size_bytes=1, detected_format=fmt,
                     modified_at="2026-01-01T00:00:00+00:00")


FILES = [_file("a.txt", "1" * 64), _file("b/c.pdf", "2" * 64, "pdf")]


def test_the_fingerprint_ignores_order_and_follows_every_input() -> None:
    base = inputs_fingerprint(FILES, "0.5.0", "code")
    assert inputs_fingerprint(list(reversed(FILES)), "0.5.0", "code") == base
    changed = [
        [*FILES, _file("d.txt", "3" * 64)],  # a file added
        FILES[:1],  # a file removed
        [FILES[0], _file("b/c.pdf", "4" * 64, "pdf")],  # a file's contents changed
        [FILES[0], _file("b/moved.pdf", "2" * 64, "pdf")],  # a file renamed
        [FILES[0], replace(FILES[1], removed_at="2026-12-01T00:00:00+00:00")],  # removed: a history row
    ]
    assert len({base, *(inputs_fingerprint(files, "0.5.0", "code") for files in changed)}) == 6
    assert inputs_fingerprint(FILES, "0.6.0", "code") != base
    assert inputs_fingerprint(FILES, "0.5.0", "other code") != base


def test_the_code_fingerprint_is_stable_and_covers_the_dbt_project() -> None:
    from orchestration.publish.inputs import _code_files

    assert code_fingerprint() == code_fingerprint()
    names = {path.name for path in _code_files()}
    assert {"selectors.yml", "indicators.csv", "fact_disclosure.sql", "inputs.py", "detect.py"} <= names


def test_a_record_counts_only_beside_a_complete_publication(tmp_path: Path) -> None:
    layout = WarehouseLayout(tmp_path)
    record_published(layout, "f" * 64)
    assert published_fingerprint(layout) is None  # no serving.duckdb
    layout.serving_database.write_bytes(b"x")
    assert published_fingerprint(layout) is None  # no quality report of it
    layout.quality_report.parent.mkdir(parents=True)
    layout.quality_report.write_text("report")
    later = time.time() + 5
    os.utime(layout.quality_report, (later, later))
    assert published_fingerprint(layout) == "f" * 64
    os.utime(layout.serving_database, (later + 5, later + 5))  # republished, report not yet rewritten
    assert published_fingerprint(layout) is None
    os.utime(layout.serving_database, (later - 5, later - 5))
    forget_published(layout)
    assert published_fingerprint(layout) is None


def test_the_landing_signature_follows_the_landed_files_not_the_schema_files(tmp_path: Path) -> None:
    from ingestion.landing.store import landing_root
    from orchestration.publish.inputs import landing_signature

    root = landing_root(tmp_path, "9.9.9")
    (root / ("a" * 64)).mkdir(parents=True)
    (root / "_schema").mkdir()
    facts = root / ("a" * 64) / "facts.parquet"
    facts.write_bytes(b"PAR1 facts")
    (root / "_schema" / "facts.parquet").write_bytes(b"PAR1 schema")
    before = landing_signature(tmp_path, "9.9.9")
    (root / "_schema" / "facts.parquet").write_bytes(b"PAR1 schema, written again by the next scan")
    assert landing_signature(tmp_path, "9.9.9") == before
    facts.write_bytes(b"PAR1 facts changed by hand")
    assert landing_signature(tmp_path, "9.9.9") != before
    assert landing_signature(tmp_path, "0.0.0") != before  # nothing landed under another version
