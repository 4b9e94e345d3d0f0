"""Refreshes are incremental, repeatable and invisible to BI readers.

One scenario on a copy of the shared refresh (tests/conftest.py: inbox and warehouse copied), two more real
`gongkai refresh` runs into that warehouse (shared by every test here):
  1. cold: the shared refresh itself;
  2. warm: the same inbox again: nothing is read, and since the inbox, parser and code are those serving.duckdb was
     built from, dbt, the gates and publishing are skipped (serving.duckdb is not rewritten);
  3. one new report (seed 000 as its 2019 edition) while a BI reader holds serving.duckdb open read-only and
     another process holds build.duckdb open read-write for a while: dbt's transient lock conflict is retried with
     backoff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ARTIFACTS, Published, seed_path

pytestmark = pytest.mark.e2e

GONGKAI = Path(sys.executable).parent / "gongkai"
# The only mart column allowed to differ between two refreshes of the same inbox: when the inbox was scanned.
RUN_COLUMNS = {("dim_report", "scanned_at")}
GRAINS = {
    "fact_disclosure": ["agency_id", "report_year", "indicator_code", "requester_type"],
    "dim_report": ["document_id"],
    "dim_agency": ["agency_id"],
    "dim_indicator": ["code"],
}
READER = textwrap.dedent(
    """
    import select, sys, duckdb
    query = "select count(*) from marts.fact_disclosure"
    held = duckdb.connect(sys.argv[1], read_only=True)
    print(held.execute(query).fetchone()[0], flush=True)
    seen = set()
    reads = 0
    while not select.select([sys.stdin], [], [], 0.1)[0]:  # keep reading until the test says the refresh is over
        seen.add(held.execute(query).fetchone()[0])
        reads += 1
    print(reads, sorted(seen), flush=True)
    held.close()
    print(duckdb.connect(sys.argv[1], read_only=True).execute(query).fetchone()[0], flush=True)
    """
)
LOCKER = textwrap.dedent(
    """
    import sys, time, duckdb
    from pathlib import Path
    held = duckdb.connect(sys.argv[1])  # read-write: holds the file lock, as a careless notebook would
    print("locked", flush=True)
    log, deadline = Path(sys.argv[2]), time.time() + 400
    while time.time() < deadline:  # keep the lock until dbt has failed on it and asked for a retry
        if log.exists() and 'step "gongkai_dbt_models" failed and has requested a retry' in log.read_text("utf-8"):
            break
        time.sleep(0.2)
    held.close()
    print("released", flush=True)
    """
)


@dataclass
class Refresh:
    completed: subprocess.CompletedProcess[str]
    seconds: float
    marts: dict[str, list[tuple]]
    landed: dict[str, int]  # sha256 → mtime_ns of its landed document.parquet
    parsed_at: dict[str, object]  # source_file → dim_report.parsed_at


def _refresh(inbox: Path, warehouse: Path, check: bool = True) -> Refresh:
    started = time.monotonic()
    completed = subprocess.run(
        [str(GONGKAI), "refresh", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        capture_output=True, text=True, timeout=900,
    )
    seconds = time.monotonic() - started
    assert completed.returncode == 0 or not check, completed.stderr[-4000:]
    return _state(warehouse, completed, seconds)


def _state(warehouse: Path, completed: subprocess.CompletedProcess[str], seconds: float) -> Refresh:
    landed = {
        path.parent.name: path.stat().st_mtime_ns
        for path in (warehouse / "landing").glob("pv=*/*/document.parquet")
        if path.parent.name != "_schema"
    }
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as connection:
        tables = [row[0] for row in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()]
        marts = {}
        for table in tables:
            columns = [
                row[0] for row in connection.execute(
                    "select column_name from information_schema.columns where table_schema = 'marts' "
                    "and table_name = ? order by ordinal_position", [table]
                ).fetchall()
                if (table, row[0]) not in RUN_COLUMNS
            ]
            select = ", ".join(f'"{column}"' for column in columns)
            marts[table] = connection.execute(f"select {select} from marts.{table} order by all").fetchall()
        parsed_at = dict(connection.execute("select source_file, parsed_at from marts.dim_report").fetchall())
    return Refresh(completed, seconds, marts, landed, parsed_at)


NEW_FILE = "2020-spring/xianning-2019.txt"


def _new_report(inbox: Path) -> Path:
    """Seed 000 (咸宁市国土资源局, 2017) as if the bureau had published the same figures for 2019."""
    data = seed_path("000").read_bytes().replace(b"2017", b"2019")
    target = inbox / NEW_FILE
    target.parent.mkdir()
    target.write_bytes(data)
    return target


@dataclass
class Scenario:
    inbox: Path
    warehouse: Path
    cold: Refresh
    warm: Refresh  # the same inbox again
    added: Refresh  # one new report, with build.duckdb locked by another process for a while
    reader: list[str]
    files_before_new_report: int
    warm_rewrote_serving: bool


@pytest.fixture(scope="module")
def scenario(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    copy = published.copy(tmp_path_factory.mktemp("incremental"))
    inbox, warehouse = copy.inbox, copy.warehouse
    cold = _state(warehouse, published.completed, published.seconds)
    serving = warehouse / "serving.duckdb"
    serving_before = serving.stat().st_mtime_ns
    warm = _refresh(inbox, warehouse)
    warm_rewrote_serving = serving.stat().st_mtime_ns != serving_before
    files = sum(1 for path in inbox.rglob("*") if path.is_file())
    _new_report(inbox)
    log = warehouse / "logs" / "last_refresh.log"
    log.unlink(missing_ok=True)  # the locker waits for this refresh's retry, not an old log's
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(warehouse / "build.duckdb"), str(log)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(serving)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        assert reader.stdout is not None and reader.stdin is not None
        first_line = reader.stdout.readline()  # the reader has the file open before the refresh starts
        added = _refresh(inbox, warehouse, check=False)  # asserted in its own tests
        output, errors = reader.communicate("done\n", timeout=60)
        locker.communicate(timeout=60)
    finally:
        for process in (reader, locker):
            if process.poll() is None:
                process.kill()
    lines = [first_line.strip(), *output.strip().splitlines()]
    assert reader.returncode == 0 and len(lines) == 3, errors[-2000:]
    # For the record (not asserted): how long each kind of refresh took here.
    ARTIFACTS.mkdir(exist_ok=True)
    timings = {name: round(run.seconds, 1) for name, run in (("cold", cold), ("nothing_new", warm),
                                                              ("one_new_with_lock_retry", added))}
    (ARTIFACTS / "refresh-timings.json").write_text(json.dumps(timings) + "\n")
    return Scenario(inbox, warehouse, cold, warm, added, lines, files, warm_rewrote_serving)


def test_a_second_refresh_of_the_same_inbox_changes_nothing(scenario: Scenario) -> None:
    assert scenario.warm.marts == scenario.cold.marts
    assert "already landed (not read again)" in scenario.warm.completed.stderr


def test_a_refresh_with_nothing_new_skips_dbt_the_gates_and_publishing(scenario: Scenario) -> None:
    stderr = " ".join(scenario.warm.completed.stderr.split())
    assert "nothing new since the last publication" in stderr
    assert not scenario.warm_rewrote_serving
    assert scenario.warm.completed.returncode == 0 and "facts from" in stderr


def test_a_new_file_after_nothing_new_rebuilds_and_publishes(scenario: Scenario) -> None:
    stderr = " ".join(scenario.added.completed.stderr.split())
    assert scenario.added.completed.returncode == 0, stderr[-3000:]
    assert "nothing new" not in stderr


def test_a_second_refresh_reads_nothing_again(scenario: Scenario) -> None:
    assert scenario.warm.landed == scenario.cold.landed  # no landing file was rewritten
    assert scenario.warm.parsed_at == scenario.cold.parsed_at
    assert all(parsed_at is not None for parsed_at in scenario.cold.parsed_at.values())
    summary = " ".join(scenario.warm.completed.stderr.split())
    files = scenario.files_before_new_report  # every path, copies included, was landed before
    assert "read in this run │ 0 │" in summary and f"already landed (not read again) │ {files} │" in summary


def test_published_marts_have_no_duplicate_keys(scenario: Scenario) -> None:
    with duckdb.connect(str(scenario.warehouse / "serving.duckdb"), read_only=True) as connection:
        for table, grain in GRAINS.items():
            keys = ", ".join(grain)
            duplicates = connection.execute(
                f"select {keys}, count(*) from marts.{table} group by all having count(*) > 1"
            ).fetchall()
            assert duplicates == [], (table, duplicates[:5])


def test_dim_report_says_which_parser_read_each_document_and_when(scenario: Scenario) -> None:
    from ingestion import PARSER_VERSION

    with duckdb.connect(str(scenario.warehouse / "serving.duckdb"), read_only=True) as connection:
        rows = connection.execute(
            "select parser_version, parsed_at from marts.dim_report where parse_status = 'parsed'"
        ).fetchall()
    assert rows and {version for version, _ in rows} == {PARSER_VERSION}
    assert all(parsed_at is not None for _, parsed_at in rows)
    # landing files are keyed by parser version: another version finds nothing landed and reads everything anew
    from ingestion.landing.store import staging_area

    landing = {path for path in (scenario.warehouse / "landing").iterdir() if path.is_dir()}
    assert {path.name for path in landing - {staging_area(scenario.warehouse)}} == {f"pv={PARSER_VERSION}"}


def test_a_new_report_is_the_only_document_read_and_adds_its_facts(scenario: Scenario) -> None:
    cold, added = scenario.cold, scenario.added
    new_hashes = set(added.landed) - set(cold.landed)
    assert len(new_hashes) == 1
    assert {sha: added.landed[sha] for sha in cold.landed} == cold.landed  # nothing else rewritten
    new_file = NEW_FILE
    assert set(added.parsed_at) - set(cold.parsed_at) == {new_file}
    assert {path: added.parsed_at[path] for path in cold.parsed_at} == cold.parsed_at
    with duckdb.connect(str(scenario.warehouse / "serving.duckdb"), read_only=True) as connection:
        by_year = dict(connection.execute(
            """
            select f.report_year, count(*)
            from marts.fact_disclosure f join marts.dim_agency a using (agency_id)
            where a.agency_name = '咸宁市国土资源局' group by 1
            """
        ).fetchall())
        status = connection.execute(
            "select parse_status from marts.dim_report where source_file = ?", [new_file]
        ).fetchone()[0]
    assert status == "parsed"
    assert by_year[2019] == by_year[2017] > 50
    assert len(added.marts["fact_disclosure"]) == len(cold.marts["fact_disclosure"]) + by_year[2019]
    assert set(cold.marts["fact_disclosure"]) <= set(added.marts["fact_disclosure"])


def test_a_reader_holding_serving_open_neither_blocks_nor_sees_half_a_refresh(scenario: Scenario) -> None:
    before, during, after = scenario.reader
    reads, seen = during.split(" ", 1)
    old_count = len(scenario.warm.marts["fact_disclosure"])
    assert int(before) == old_count
    assert int(reads) > 10 and seen == f"[{old_count}]"  # the held connection kept its consistent old view
    assert int(after) == len(scenario.added.marts["fact_disclosure"]) > old_count  # a new connection: new data


def test_status_shows_what_the_warehouse_holds(scenario: Scenario) -> None:
    completed = subprocess.run(
        [str(GONGKAI), "status", "--warehouse", str(scenario.warehouse)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "160"},
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    out = completed.stdout
    for expected in ("last refresh published", "Readable reports by year and template", "2016", "2017", "2019",
                     "gb2014", "narrative", "Files by parse status", "parsed", "Report findings by severity",
                     "facts from"):
        assert expected in out, (expected, out)
    missing = subprocess.run(
        [str(GONGKAI), "status", "--warehouse", str(scenario.warehouse / "nowhere")],
        capture_output=True, text=True, timeout=120,
    )
    assert missing.returncode == 2 and "gongkai refresh" in missing.stderr


def test_a_lock_held_on_build_duckdb_is_retried_with_backoff_not_failed(scenario: Scenario) -> None:
    stderr = scenario.added.completed.stderr
    assert scenario.added.completed.returncode == 0 and "retried dbt build" in stderr, stderr[-3000:]
