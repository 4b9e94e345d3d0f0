"""What a refresh produced, read back from the published marts for the closing summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class RefreshSummary:
    status_counts: dict[str, int]
    quarantined: list[tuple[str, str]]
    facts: int
    reports_with_facts: int
    hard_findings: int


def refresh_summary(serving_database: Path) -> RefreshSummary:
    with duckdb.connect(str(serving_database), read_only=True) as connection:
        statuses = dict(
            connection.execute(
                "select parse_status, count(*) from marts.dim_report group by 1 order by 1"
            ).fetchall()
        )
        quarantined = connection.execute(
            "select source_file, reason from marts.dim_report where parse_status = 'quarantined' order by 1"
        ).fetchall()
        facts, reports = connection.execute(
            "select count(*), count(distinct document_id) from marts.fact_disclosure"
        ).fetchone()
        hard = connection.execute("select coalesce(sum(violation_count), 0) from marts.dim_report").fetchone()[0]
    return RefreshSummary(statuses, quarantined, facts, reports, int(hard))
