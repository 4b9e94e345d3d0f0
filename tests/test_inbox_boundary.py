"""The inbox is a boundary: every entry is registered, with a reason when it is not read; nothing outside the
inbox is read or copied; odd names, times and depths cost nothing but a remark."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from corpusgen.hostile_inbox import GBK_NAME, build_hostile_inbox, outside_file, remove_inbox
from ingestion.landing.inbox import InboxBoundaryError, display_path, inbox_file, scan_inbox
from ingestion.landing.pipeline import register_inbox
from ingestion.landing.store import quarantine, read_inventory
from orchestration.automation.triggers import inbox_state
from tests.conftest import SAMPLE

READ_KINDS = {"report", "odd_name", "hostile_number", "link_in", "unreadable", "future_mtime", "deep"}
REASONS = {  # entry kind → words its reason must hold
    "link_out": "out of the inbox",
    "link_folder": "link to a folder",
    "dangling": "link to nothing",
    "loop": "link loop",
    "fifo": "named pipe",
    "socket": "socket",
}


@pytest.fixture(scope="module")
def hostile():
    # Outside pytest's temporary folders: pytest's clean-up recurses once per folder level and would fail on the
    # 1,000-deep folders of a run that was killed before its own clean-up.
    root = Path(tempfile.mkdtemp(prefix="gongkai-hostile-"))
    try:
        seeds = {path.name: path.read_bytes() for path in sorted(SAMPLE.glob("*.txt"))}
        entries = build_hostile_inbox(root / "inbox", seeds)
        outside_file(root / "inbox").write_text("outside the inbox: never read", encoding="utf-8")
        yield root / "inbox", entries
    finally:
        remove_inbox(root / "inbox")
        shutil.rmtree(root)


def test_every_entry_is_registered_and_each_unread_one_says_why(hostile) -> None:
    inbox, entries = hostile
    files = {f.path: f for f in scan_inbox(inbox)}
    assert set(files) == {display_path(path) for path in entries}
    secret = (inbox.parent / "outside.txt").read_bytes()
    for path, entry in entries.items():
        record = files[display_path(path)]
        if entry.kind in READ_KINDS:
            assert record.readable, (path, record.entry_reason)
            assert record.absolute_path.is_file()
        else:
            assert not record.readable and record.detected_format is None, path
            assert REASONS[entry.kind] in record.entry_reason, (path, record.entry_reason)
        assert record.entry_reason is None or "\n" not in record.entry_reason
    assert all(f.sha256 != __import__("hashlib").sha256(secret).hexdigest() for f in files.values())
    link = files["links/inside.txt"]
    assert link.sha256 == files[f"seeds/{sorted(p.name for p in SAMPLE.glob('*.txt'))[0]}"].sha256


def test_a_name_that_is_not_utf8_is_read_and_noted(hostile) -> None:
    inbox, _ = hostile
    files = {f.path: f for f in scan_inbox(inbox)}
    shown = display_path(b"odd/" + GBK_NAME + b".txt")
    assert shown == "odd/\\xc4\\xea\\xb6\\xc8\\xb1\\xa8\\xb8\\xe6.txt"
    record = files[shown]
    assert record.readable and record.detected_format == "text"
    assert "not UTF-8" in record.entry_reason and "年度报告" in record.entry_reason
    assert record.absolute_path.is_file()  # the real name, bytes and all


def test_a_time_no_calendar_holds_and_a_file_1000_folders_down(hostile) -> None:
    inbox, _ = hostile
    files = {f.path: f for f in scan_inbox(inbox)}
    future = files["special/year-10000.txt"]
    # ext4 stores the year 10000 as 2446, tmpfs as it is: either is out of the inventory's range
    assert future.readable and future.modified_at is None and "out of range" in future.entry_reason
    deep = next(f for f in files.values() if f.path.startswith("deep/"))
    assert deep.path.count("/") == 1001 and deep.readable


def test_the_inventory_keeps_the_real_names(hostile, tmp_path: Path) -> None:
    inbox, _ = hostile
    scan = register_inbox(inbox, tmp_path / "warehouse")
    again = {f.path: f for f in read_inventory(tmp_path / "warehouse", inbox)}
    for file in scan.files:
        assert again[file.path].absolute_path == file.absolute_path, file.path
        assert again[file.path].entry_reason == file.entry_reason


def test_the_sensor_fingerprints_a_hostile_inbox(hostile) -> None:
    inbox, entries = hostile
    state = inbox_state(inbox)
    assert state.files == len(entries)


def test_a_warehouse_inside_the_inbox_and_the_other_way_round_are_refused(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    with pytest.raises(InboxBoundaryError, match="inside the inbox"):
        register_inbox(tmp_path / "inbox", tmp_path / "inbox" / "warehouse")
    (tmp_path / "warehouse" / "inbox").mkdir(parents=True)
    with pytest.raises(InboxBoundaryError, match="inside the warehouse"):
        register_inbox(tmp_path / "warehouse" / "inbox", tmp_path / "warehouse")
    assert not (tmp_path / "inbox" / "warehouse").exists()


def _scan_as_nobody(folder: Path) -> dict[str, list]:
    """The scan in a forked child that gives up root first (root reads everything), as a share's reader would."""
    import json

    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        status = 1
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            records = {f.path: [f.sha256, f.entry_reason] for f in scan_inbox(folder)}
            os.write(write_end, json.dumps(records).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        output = pipe.read()
    _, status = os.waitpid(child, 0)
    assert status == 0
    return json.loads(output)


def test_a_file_and_a_folder_nobody_may_read_are_registered_unread(seed_bytes: dict[str, bytes]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="gongkai-perm-"))
    try:
        folder.chmod(0o755)
        (folder / "good.txt").write_bytes(seed_bytes["004"])
        (folder / "good.txt").chmod(0o644)
        (folder / "locked.txt").write_bytes(seed_bytes["000"])
        (folder / "locked.txt").chmod(0)
        (folder / "closed").mkdir()
        (folder / "closed" / "inside.txt").write_bytes(b"x")
        (folder / "closed").chmod(0)
        records = _scan_as_nobody(folder)
    finally:
        (folder / "closed").chmod(0o755)
        shutil.rmtree(folder)
    assert records["good.txt"][0] is not None
    assert records["locked.txt"] == [None, "no permission to read this file"]
    assert records["closed"][0] is None and "no permission to read this folder" in records["closed"][1]


def test_the_quarantine_copy_is_bounded_atomic_and_repaired(tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()
    (inbox / "bad.pdf").write_bytes(b"%PDF-1.4 broken" * 1000)
    record = inbox_file(inbox / "bad.pdf", "bad.pdf")
    assert quarantine(warehouse, record, inbox, max_bytes=1000) is None  # over the limit: not copied
    kept = quarantine(warehouse, record, inbox, max_bytes=10**6)
    assert kept is not None and kept.read_bytes() == (inbox / "bad.pdf").read_bytes()
    kept.write_bytes(kept.read_bytes()[:100])  # an earlier run's copy, cut short by a crash
    assert quarantine(warehouse, record, inbox).read_bytes() == (inbox / "bad.pdf").read_bytes()
    assert sorted(p.name for p in kept.parent.iterdir()) == ["bad.pdf"]  # no partial file left


def test_a_link_retargeted_out_of_the_inbox_after_the_scan_copies_nothing(tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()
    (inbox / "real.pdf").write_bytes(b"%PDF-1.4 broken")
    (inbox / "link.pdf").symlink_to("real.pdf")
    record = inbox_file(inbox / "link.pdf", "link.pdf", inbox=inbox)
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 broken")  # the same bytes, even: still not read from outside
    (inbox / "link.pdf").unlink()
    (inbox / "link.pdf").symlink_to(secret)
    assert quarantine(warehouse, record, inbox) is None
    assert not (warehouse / "quarantine").exists() or not any((warehouse / "quarantine").rglob("*.pdf"))
