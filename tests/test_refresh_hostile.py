"""A refresh over good reports mixed with hostile files: finishes, keeps every file, publishes the good."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from corpusgen.hostile import hostile_files
from corpusgen.render import to_docx, to_pdf
from corpusgen.reports import generate
from corpusgen.scans import to_scan
from ingestion.readers.text import read_text
from tests.conftest import SAMPLE

pytestmark = pytest.mark.e2e

GONGKAI = Path(sys.executable).parent / "gongkai"


@pytest.fixture(scope="module")
def hostile_refresh(tmp_path_factory: pytest.TempPathFactory):
    inbox = tmp_path_factory.mktemp("mixed-inbox")
    for seed in sorted(SAMPLE.glob("*.txt")):
        document = read_text(seed.read_bytes())
        (inbox / "good" / "text").mkdir(parents=True, exist_ok=True)
        (inbox / "good" / "text" / seed.name).write_bytes(seed.read_bytes())
    mnr = read_text(next(SAMPLE.glob("004_*")).read_bytes())
    (inbox / "good" / "mnr-2016.pdf").write_bytes(to_pdf(mnr))
    xianning = read_text(next(SAMPLE.glob("000_*")).read_bytes())
    (inbox / "good" / "xianning-2017.docx").write_bytes(to_docx(xianning))
    scanned = generate("gb2021", seed=31, pages_of_prose=1, paragraphs=1)  # the signed paper copy, scanned
    (inbox / "good" / "scanned-2021.pdf").write_bytes(to_scan(to_pdf(scanned.document), seed=31))
    files = hostile_files(to_pdf(document), to_docx(document))
    for name, (data, _) in files.items():
        (inbox / "hostile").mkdir(exist_ok=True)
        (inbox / "hostile" / name).write_bytes(data)
    warehouse = tmp_path_factory.mktemp("warehouse")
    started = time.monotonic()
    completed = subprocess.run(
        [str(GONGKAI), "refresh", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        capture_output=True, text=True, timeout=900,
    )
    return inbox, warehouse, completed, files, time.monotonic() - started


def test_refresh_finishes_and_publishes(hostile_refresh) -> None:
    _, warehouse, completed, _, seconds = hostile_refresh
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert seconds < 600
    assert (warehouse / "serving.duckdb").exists()


def test_every_file_is_on_record_and_each_bad_one_has_its_reason(hostile_refresh) -> None:
    inbox, warehouse, _, files, _ = hostile_refresh
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as connection:
        rows = dict(
            (path, (status, reason)) for path, status, reason in connection.execute(
                "select source_file, parse_status, reason from marts.dim_report"
            ).fetchall()
        )
        facts = connection.execute(
            "select count(*) from marts.fact_disclosure f join marts.dim_report r using (document_id) "
            "where r.source_file = 'good/mnr-2016.pdf' or r.source_file like 'good/text/004_%'"
        ).fetchone()[0]
    on_disk = {p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file()}
    assert set(rows) == on_disk
    for name, (_, expected) in files.items():
        status, reason = rows[f"hostile/{name}"]
        if status == "duplicate":  # empty.pdf and empty.docx are the same (zero) bytes: one is the duplicate
            assert reason.startswith("same content as"), (name, reason)
            continue
        assert status == "quarantined", name
        assert any(words in reason for words in expected.split("|")), f"{name}: {reason}"
    # the good reports are published (the PDF and the text of 国土资源部 2016 are one agency-year)
    assert rows["good/mnr-2016.pdf"][0] in {"parsed", "superseded"}
    assert facts >= 60
    kept = {p.name for p in (warehouse / "quarantine").rglob("*") if p.is_file()}
    assert kept >= {name for name in files if name not in {"empty.pdf", "empty.docx"}} - {"random.txt"}


def test_a_scanned_report_is_read_by_ocr_into_the_marts(hostile_refresh) -> None:
    _, warehouse, _, _, _ = hostile_refresh
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as connection:
        status, template, facts = connection.execute(
            "select parse_status, template, fact_count from marts.dim_report "
            "where source_file = 'good/scanned-2021.pdf'"
        ).fetchone()
        methods = connection.execute(
            "select distinct f.extraction_method from marts.fact_disclosure f join marts.dim_report r "
            "using (document_id) where r.source_file = 'good/scanned-2021.pdf'"
        ).fetchall()
    assert (status, template) == ("parsed", "gb2021")
    assert facts >= 190 and methods == [("ocr",)]
