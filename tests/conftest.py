"""Shared test data, the test tiers, and the one refreshed warehouse the end-to-end tests read.

Tiers: a test marked `e2e` runs a real `gongkai refresh`, the UI (`dg dev`) or a browser; `make test-fast` leaves those
out (`-m "not e2e"`), `make test` runs everything. A test that asks for a refreshed warehouse without the mark is a
collection error, so the fast tier never starts a refresh by accident.

`published` (session scope) is one real refresh that the tests which only read a warehouse share: the contract
marts, the analytic marts, the quality report and the real reports are all checked on it. Tests that change a
warehouse (another refresh, a corrupted landing file, dbt writing into it) work on a copy (`copy_of_published`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_corpus"
SHARED = REPO.parent / "shared"
REAL = SHARED / "corpus" / "real"
ARTIFACTS = REPO / "test-artifacts"
GONGKAI = Path(sys.executable).parent / "gongkai"

#: Fixtures that run a refresh, the UI or a browser: a test using one must be marked e2e.
E2E_FIXTURES = frozenset({"published", "copy_of_published", "scenario", "hostile_refresh", "server", "broken_runs"})

# The shared inbox, beside the five seeds under seeds/ (paths relative to the inbox):
#: the real report of ../shared/corpus/real copied with every year removed (its table still prints figures it
#: cannot all place): a readable report whose year cannot be read.
UNDATED_SOURCE = REAL / "pingtanxian_sifaju_2013.txt"
UNDATED = "undated/pingtanxian_sifaju.txt"
#: seed 000 (咸宁市国土资源局 2017) as a 2018 report signed with the agency's post-reform name: one agency.
RENAMED = "variants/xianning_2018.txt"
#: seed 001 (呼和浩特市国土资源局) as 包头市国土资源局: an agency outside the register, inferred.
UNREGISTERED = "variants/baotou_2017.txt"
#: seed 004's bytes under a second name: a duplicate.
COPY_OF_MNR = "variants/copy-of-mnr.txt"
#: files that cannot be read: quarantined with a reason.
EMPTY_PDF = "broken/scan.pdf"
LEGACY_DOC = "broken/old-format.doc"
#: two generated gb2021 reports of one agency (湖北省教育厅) for 2022 and 2023 whose carried-over applications do not
#: agree across the years: cross-year violations, hard findings on the 2023 report.
CROSS_YEAR_AGENCY = "湖北省教育厅"
CROSS_YEAR = {2022: "crossyear/hubei_education_2022.txt", 2023: "crossyear/hubei_education_2023.txt"}


def seed_path(prefix: str) -> Path:
    return next(SAMPLE.glob(f"{prefix}_*.txt"))


def seed_source(prefix: str) -> str:
    """The seed's path under the shared inbox (dim_report.source_file)."""
    return f"seeds/{seed_path(prefix).name}"


@pytest.fixture(scope="session")
def seed_bytes() -> dict[str, bytes]:
    return {prefix: seed_path(prefix).read_bytes() for prefix in ("000", "001", "002", "003", "004")}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = [item.nodeid for item in items
                if E2E_FIXTURES & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("e2e") is None]
    if unmarked:
        raise pytest.UsageError("tests using a refresh, the UI or a browser must be marked e2e: "
                                + ", ".join(unmarked))


# ------------------------------------------------------------------------------------------------ refreshing


def undated_report() -> bytes:
    """A real report whose year cannot be read: every 19xx/20xx removed (title, dates, links, prose)."""
    text = UNDATED_SOURCE.read_text(encoding="utf-8")
    return re.sub(r"(?:19|20)\d{2}", "", text).encode("utf-8")


def cross_year_reports() -> dict[str, bytes]:
    """The CROSS_YEAR pair, as text: the first seeds for which corpusgen's gb2021 generator draws each year."""
    from corpusgen.corpus import render_as
    from corpusgen.reports import generate

    reports: dict[str, bytes] = {}
    for seed in range(200):
        report = generate("gb2021", seed, agency=CROSS_YEAR_AGENCY)
        name = CROSS_YEAR.get(report.year)
        if name is not None and name not in reports:
            reports[name] = render_as(report, "text")
        if len(reports) == len(CROSS_YEAR):
            return reports
    raise AssertionError(f"corpusgen drew no gb2021 report for every year of {sorted(CROSS_YEAR)}")


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


def write_shared_inbox(inbox: Path) -> None:
    shutil.copytree(SAMPLE, inbox / "seeds")
    shutil.copytree(REAL, inbox / "real", ignore=shutil.ignore_patterns("*.yaml"))
    for name, data in {
        UNDATED: undated_report(),
        RENAMED: seed_path("000").read_text(encoding="utf-8")
        .replace("咸宁市国土资源局", "咸宁市自然资源和规划局").replace("2017", "2018").encode("utf-8"),
        UNREGISTERED: seed_path("001").read_text(encoding="utf-8").replace("呼和浩特", "包头").encode("utf-8"),
        COPY_OF_MNR: seed_path("004").read_bytes(),
        EMPTY_PDF: b"",
        LEGACY_DOC: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # OLE2: a legacy Word file
        **cross_year_reports(),
    }.items():
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_bytes(data)


@dataclass(frozen=True)
class Published:
    inbox: Path
    warehouse: Path
    completed: subprocess.CompletedProcess[str]
    seconds: float

    @property
    def report(self) -> Path:
        return self.warehouse / "reports" / "quality_report.html"

    @property
    def serving(self) -> Path:
        return self.warehouse / "serving.duckdb"

    def copy(self, root: Path) -> Published:
        """Inbox and warehouse copied under root (modification times kept), for a test that changes them."""
        shutil.copytree(self.inbox, root / "inbox")
        shutil.copytree(self.warehouse, root / "warehouse")
        return Published(root / "inbox", root / "warehouse", self.completed, self.seconds)


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """One real `gongkai refresh` of the shared inbox (the seeds, their variants, the real reports, files that
    cannot be read), read by every end-to-end test that only reads a warehouse."""
    inbox = tmp_path_factory.mktemp("shared_inbox")
    write_shared_inbox(inbox)
    warehouse = tmp_path_factory.mktemp("shared_warehouse")
    started = time.monotonic()
    completed = run_refresh(inbox, warehouse)
    seconds = time.monotonic() - started
    assert completed.returncode == 0, completed.stderr[-4000:]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "shared-refresh.json").write_text(json.dumps({"cold_refresh_seconds": round(seconds, 1)}) + "\n")
    return Published(inbox, warehouse, completed, seconds)


@pytest.fixture
def copy_of_published(published: Published, tmp_path: Path) -> Published:
    return published.copy(tmp_path)
