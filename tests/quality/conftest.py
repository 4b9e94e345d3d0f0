"""One real `gongkai refresh` shared by the quality-report and quality-gate tests (it takes about a minute).

The inbox holds the five seeds and an empty PDF (quarantined), so the report has every kind of entry: a report
with hard violations (seed 000), one with only info remarks (seed 001), one with soft warnings (seed 004),
reports without findings (the narrative seeds 002 and 003) and a quarantined file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

GONGKAI = Path(sys.executable).parent / "gongkai"
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"


def refresh_command(inbox: Path, warehouse: Path) -> list[str]:
    return [str(GONGKAI), "refresh", "--inbox", str(inbox), "--warehouse", str(warehouse)]


def refresh_env() -> dict[str, str]:
    # A wide console, so that rich does not fold long check names across lines in the closing messages.
    return {**os.environ, "COLUMNS": "250", "NO_COLOR": "1"}


def run_refresh(inbox: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        refresh_command(inbox, warehouse), capture_output=True, text=True, timeout=900, env=refresh_env()
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Published:
    inbox: Path
    warehouse: Path
    completed: subprocess.CompletedProcess[str]

    @property
    def report(self) -> Path:
        return self.warehouse / "reports" / "quality_report.html"

    @property
    def serving(self) -> Path:
        return self.warehouse / "serving.duckdb"


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    inbox = tmp_path_factory.mktemp("quality_inbox")
    shutil.copytree(SAMPLE, inbox / "seeds")
    (inbox / "broken").mkdir()
    (inbox / "broken" / "scan.pdf").write_bytes(b"")
    warehouse = tmp_path_factory.mktemp("quality_warehouse")
    completed = run_refresh(inbox, warehouse)
    assert completed.returncode == 0, completed.stderr[-4000:]
    return Published(inbox, warehouse, completed)
