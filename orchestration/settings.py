"""Where the inbox and the warehouse are, and the environment every run needs (telemetry off)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ingestion import PARSER_VERSION

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_INBOX = REPO_ROOT / "sample_corpus"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse"


def configure_environment(inbox: Path | None = None, warehouse: Path | None = None) -> tuple[Path, Path]:
    """Fix the inbox and warehouse for this process and the dbt/GX subprocesses it starts.

    dbt reads the warehouse and parser version from environment variables (profiles.yml, sources).
    """
    inbox = (inbox or Path(os.environ.get("GONGKAI_INBOX", DEFAULT_INBOX))).resolve()
    warehouse = (warehouse or Path(os.environ.get("GONGKAI_WAREHOUSE", DEFAULT_WAREHOUSE))).resolve()
    os.environ["GONGKAI_INBOX"] = str(inbox)
    os.environ["GONGKAI_WAREHOUSE"] = str(warehouse)
    os.environ["GONGKAI_PARSER_VERSION"] = PARSER_VERSION
    # No network at run time: no usage statistics from dbt, Great Expectations or Dagster.
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    # dagster-dbt looks for `dbt` on PATH (also when it prepares the manifest): use this environment's.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    warehouse.mkdir(parents=True, exist_ok=True)
    return inbox, warehouse


def inbox_dir() -> Path:
    return Path(os.environ["GONGKAI_INBOX"])


def warehouse_dir() -> Path:
    return Path(os.environ["GONGKAI_WAREHOUSE"])
