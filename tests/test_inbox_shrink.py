"""An empty or shrunken inbox does not wipe the marts; a removed file stays on record as `removed`."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.landing.pipeline import InboxShrunkError, register_inbox
from ingestion.landing.store import read_inventory
from tests.conftest import seed_path


def _fill(inbox: Path, prefixes: tuple[str, ...]) -> None:
    inbox.mkdir(exist_ok=True)
    for prefix in prefixes:
        (inbox / f"{prefix}.txt").write_bytes(seed_path(prefix).read_bytes())


def test_an_empty_inbox_is_refused_and_the_inventory_kept(tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    _fill(inbox, ("000", "001", "002"))
    register_inbox(inbox, warehouse)
    for path in inbox.iterdir():
        path.unlink()
    with pytest.raises(InboxShrunkError, match=r"holds 0 entries.*built from 3.*--allow-shrink"):
        register_inbox(inbox, warehouse)
    assert len(read_inventory(warehouse, inbox)) == 3  # nothing written: the marts keep their files


def test_far_fewer_files_are_refused_unless_allowed_and_the_removal_is_kept(tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    _fill(inbox, ("000", "001", "002", "003", "004"))
    register_inbox(inbox, warehouse)
    for prefix in ("001", "002", "003"):
        (inbox / f"{prefix}.txt").unlink()
    with pytest.raises(InboxShrunkError):
        register_inbox(inbox, warehouse)
    scan = register_inbox(inbox, warehouse, allow_shrink=True)
    assert [f.path for f in scan.files] == ["000.txt", "004.txt"]
    rows = {f.path: f for f in read_inventory(warehouse, inbox)}
    assert sorted(rows) == ["000.txt", "001.txt", "002.txt", "003.txt", "004.txt"]
    removed = rows["001.txt"]
    assert removed.removed_at == scan.scanned_at and removed.sha256 is None
    assert "removed from the inbox" in removed.entry_reason
    # the next scan keeps the history (without counting it as files the warehouse holds) …
    again = register_inbox(inbox, warehouse)
    assert {f.path for f in again.removed} == {"001.txt", "002.txt", "003.txt"}
    assert {f.removed_at for f in again.removed} == {scan.scanned_at}
    # … until a file appears at that path again
    _fill(inbox, ("001",))
    back = register_inbox(inbox, warehouse)
    assert {f.path for f in back.removed} == {"002.txt", "003.txt"}
    assert next(f for f in back.files if f.path == "001.txt").readable


def test_a_few_files_fewer_is_an_ordinary_refresh(tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    _fill(inbox, ("000", "001", "002"))
    register_inbox(inbox, warehouse)
    (inbox / "002.txt").unlink()
    assert [f.path for f in register_inbox(inbox, warehouse).removed] == ["002.txt"]
