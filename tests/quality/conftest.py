"""One real `gongkai refresh` shared by the quality-report, quality-gate and real-report tests (about a minute).

The inbox holds the five seeds and an empty PDF (quarantined), so the report has every kind of entry: a report
with hard violations (seed 000), one with only info remarks (seed 001), one with soft warnings (seed 004),
reports without findings (the narrative seeds 002 and 003) and a quarantined file. Beside them: the real
reports of ../shared/corpus/real (read from there into the temporary inbox, never kept in the repository) and
one of them with every year removed, whose year cannot be read.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, SHARED

GONGKAI = Path(sys.executable).parent / "gongkai"
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
REAL = SHARED / "corpus" / "real"
#: The real report copied with every year removed (its table still prints figures it cannot all place).
UNDATED_SOURCE = REAL / "pingtanxian_sifaju_2013.txt"
UNDATED = "undated/pingtanxian_sifaju.txt"


def undated_report() -> bytes:
    """A real report whose year cannot be read: every 19xx/20xx removed (title, dates, links, prose)."""
    text = UNDATED_SOURCE.read_text(encoding="utf-8")
    return re.sub(r"(?:19|20)\d{2}", "", text).encode("utf-8")


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
    shutil.copytree(REAL, inbox / "real", ignore=shutil.ignore_patterns("*.yaml"))
    (inbox / UNDATED).parent.mkdir()
    (inbox / UNDATED).write_bytes(undated_report())
    warehouse = tmp_path_factory.mktemp("quality_warehouse")
    completed = run_refresh(inbox, warehouse)
    assert completed.returncode == 0, completed.stderr[-4000:]
    return Published(inbox, warehouse, completed)
