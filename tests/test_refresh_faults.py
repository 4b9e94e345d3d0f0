"""What issue 14 checks, end to end: a refresh over the seeds and a hostile inbox publishes the good reports and
puts every entry on record with a reason; what a crash leaves does not break the next refresh; one writer per
warehouse; an empty inbox does not wipe the marts and a removed file stays visible; repeated `kill -9` at random
moments never leaves the warehouse unable to refresh, nor a worker or dbt behind, and the next refresh equals
an uninterrupted one.

The warehouse folder's name holds `'` and `[` (no path may reach SQL text or a glob unescaped).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from corpusgen.hostile_inbox import build_hostile_inbox, outside_file, remove_inbox
from ingestion import PARSER_VERSION
from ingestion.landing.inbox import display_path
from orchestration.publish.inputs import forget_published
from orchestration.settings import WarehouseLayout
from tests.conftest import SAMPLE, digest, refresh_command, refresh_env, run_refresh

pytestmark = pytest.mark.e2e

GOOD = {"parsed", "superseded", "duplicate"}
OUTSIDE_SECRET = b"outside the inbox: never read"


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("faults")
    inbox, warehouse = root / "inbox", root / "ware'house [1]"
    entries = build_hostile_inbox(inbox, {p.name: p.read_bytes() for p in sorted(SAMPLE.glob("*.txt"))})
    outside_file(inbox).write_bytes(OUTSIDE_SECRET)
    completed = run_refresh(inbox, warehouse)
    yield inbox, warehouse, entries, completed
    remove_inbox(inbox)


def _marts(warehouse: Path) -> tuple[list[tuple], list[tuple]]:
    """dim_report (without the run's clock) and fact_disclosure, sorted."""
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as connection:
        reports = connection.execute(
            "select * exclude (parsed_at, scanned_at) from marts.dim_report order by source_file").fetchall()
        facts = connection.execute("select * from marts.fact_disclosure order by all").fetchall()
    return reports, facts


def _dim_report(warehouse: Path) -> dict[str, tuple[str, str | None, int, str | None]]:
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as connection:
        return {path: (status, reason, facts, sha) for path, status, reason, facts, sha in connection.execute(
            "select source_file, parse_status, reason, fact_count, sha256 from marts.dim_report").fetchall()}


def test_a_hostile_inbox_publishes_the_good_reports_and_keeps_every_entry_on_record(hostile_run) -> None:
    _, warehouse, entries, completed = hostile_run
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Traceback" not in completed.stderr and "report[/]x.txt" in completed.stderr  # printed, escaped
    rows = _dim_report(warehouse)
    assert sorted(rows) == sorted(display_path(path) for path in entries)  # one row per entry, no more
    for path, entry in entries.items():
        status, reason, facts, sha256 = rows[display_path(path)]
        if entry.readable_report or entry.kind == "link_in":  # a link to a report inside: read as that file
            assert status in GOOD, (path, status, reason)
        else:
            assert status in {"quarantined", "rejected"} and reason, (path, status, reason)
            assert "\n" not in reason
        if entry.kind in {"link_out", "dangling", "loop", "fifo", "socket", "link_folder"}:
            assert status == "rejected" and sha256 is None, path
    for name in ("decimal-count", "400-digits", "numeral-run"):  # a finding on its report, not a blocked gate
        status, reason, facts, _ = rows[f"numbers/{name}.txt"]
        assert status == "parsed" and facts > 60 and "printed figure(s) not used" in reason
    assert "not UTF-8" in rows[display_path(next(p for p in entries if b"odd/\xc4" in p))][1]


def test_nothing_from_outside_the_inbox_is_copied_in(hostile_run) -> None:
    _, warehouse, _, _ = hostile_run
    passwd = Path("/etc/passwd").read_bytes()[:64]
    for path in warehouse.rglob("*"):
        if path.is_file() and path.stat().st_size < 50 * 1024**2:
            data = path.read_bytes()
            assert OUTSIDE_SECRET not in data and passwd not in data, path


def test_a_crash_leftover_does_not_break_the_next_refresh(hostile_run) -> None:
    inbox, warehouse, _, _ = hostile_run
    before = _marts(warehouse)
    landing = warehouse / "landing"
    # what a run killed mid-write leaves: partial Parquet in landing/tmp/, an old-style .tmp-* folder inside the
    # globbed pv= folder, a temporary serving file of a publisher that is gone
    for folder in (landing / "tmp" / "killed-run", landing / f"pv={PARSER_VERSION}" / ".tmp-killed"):
        folder.mkdir(parents=True, exist_ok=True)
        for table in ("document", "facts", "findings"):
            (folder / f"{table}.parquet").write_bytes(b"PAR1 cut short")
    (warehouse / ".serving.duckdb.999999999.tmp").write_bytes(b"half a database")
    completed = run_refresh(inbox, warehouse)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert _marts(warehouse) == before
    assert not (warehouse / ".serving.duckdb.999999999.tmp").exists()


def test_a_second_refresh_of_a_held_warehouse_exits_with_one_line(hostile_run) -> None:
    inbox, warehouse, _, _ = hostile_run
    # Without the record of the last publication the first refresh rebuilds everything (dbt, gates, publishing):
    # it holds the lock far longer than the second takes to start and wait for it. A refresh with nothing new
    # is over in about as long as that.
    forget_published(WarehouseLayout(warehouse))
    first = subprocess.Popen(refresh_command(inbox, warehouse), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=refresh_env())
    try:
        lock = warehouse / "refresh.lock"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and lock.read_text().strip() != str(first.pid):
            time.sleep(0.2)
        second = run_refresh(inbox, warehouse)
        assert second.returncode == 3
        assert f"another refresh holds this warehouse (pid {first.pid}" in second.stderr
        assert "Traceback" not in second.stderr and "IO Error" not in second.stderr
    finally:
        assert first.wait(600) == 0


def test_an_empty_inbox_is_refused_and_a_removed_file_stays_visible(hostile_run, tmp_path: Path) -> None:
    inbox, warehouse, _, _ = hostile_run
    published = digest(warehouse / "serving.duckdb")
    empty = tmp_path / "unmounted-share"
    empty.mkdir()
    refused = run_refresh(empty, warehouse)
    assert refused.returncode != 0 and "refusing to publish" in refused.stderr and "--allow-shrink" in refused.stderr
    assert digest(warehouse / "serving.duckdb") == published
    seed = next((inbox / "seeds").glob("004_*"))
    moved = tmp_path / seed.name
    shutil.move(seed, moved)
    try:
        completed = run_refresh(inbox, warehouse)
        assert completed.returncode == 0, completed.stderr[-3000:]
        status, reason, facts, _ = _dim_report(warehouse)[f"seeds/{seed.name}"]
        assert status == "removed" and facts == 0 and "removed from the inbox" in reason
    finally:
        shutil.move(moved, seed)


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_repeated_kill_9_never_leaves_the_warehouse_unable_to_refresh(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE, inbox / "seeds")
    reference, warehouse = tmp_path / "uninterrupted", tmp_path / "killed"
    assert run_refresh(inbox, reference).returncode == 0
    chance = random.Random(14)
    for _ in range(4):
        run = subprocess.Popen(refresh_command(inbox, warehouse), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=refresh_env())
        deadline = time.monotonic() + chance.uniform(3, 30)
        children: dict[int, psutil.Process] = {}
        while time.monotonic() < deadline and run.poll() is None:
            children.update({child.pid: child for child in _descendants(run.pid)})
            time.sleep(0.05)
        run.send_signal(signal.SIGKILL)
        run.wait(30)
        started = time.monotonic()
        while time.monotonic() - started < 15 and not all(_gone(child) for child in children.values()):
            time.sleep(0.2)
        left = [child for child in children.values() if not _gone(child)]
        for child in left:
            os.kill(child.pid, signal.SIGKILL)
        assert not left, f"outlived the killed refresh: {[c.pid for c in left]}"
    completed = run_refresh(inbox, warehouse)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert _marts(warehouse) == _marts(reference)
