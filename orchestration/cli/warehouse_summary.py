"""What the published marts hold, read back from serving.duckdb (read-only) for the CLI's tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
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
                "select parse_status, count(*) from marts.dim_report group by 1 order by 2 desc, 1"
            ).fetchall()
        )
        quarantined = connection.execute(
            "select source_file, reason from marts.dim_report where parse_status in ('quarantined', 'rejected') "
            "order by 1"
        ).fetchall()
        facts, reports = connection.execute(
            "select count(*), count(distinct document_id) from marts.fact_disclosure"
        ).fetchone()
        hard = connection.execute("select coalesce(sum(violation_count), 0) from marts.dim_report").fetchone()[0]
    return RefreshSummary(statuses, quarantined, facts, reports, int(hard))


@dataclass(frozen=True)
class WarehouseStatus:
    published_at: datetime  # when serving.duckdb was last replaced
    scanned_at: datetime | None  # when the inbox behind it was scanned
    parsed_at: tuple[datetime | None, datetime | None]  # oldest and newest parse of a published document
    parser_versions: list[str]
    reports_by_year_template: list[tuple[int | None, str | None, int]]  # (year, template, readable reports)
    status_counts: dict[str, int]
    findings_by_severity: dict[str, int]
    facts: int
    agencies: int


def warehouse_status(serving_database: Path) -> WarehouseStatus:
    """Everything `gongkai status` shows. Opens the file read-only, so it never disturbs a refresh."""
    published_at = datetime.fromtimestamp(serving_database.stat().st_mtime, UTC)
    with duckdb.connect(str(serving_database), read_only=True) as connection:
        scanned_at, oldest, newest = connection.execute(
            "select max(scanned_at), min(parsed_at), max(parsed_at) from marts.dim_report"
        ).fetchone()
        versions = [
            row[0]
            for row in connection.execute(
                "select distinct parser_version from marts.dim_report where parser_version is not null order by 1"
            ).fetchall()
        ]
        by_year_template = connection.execute(
            """
            select report_year, template, count(*)
            from marts.dim_report
            where parse_status in ('parsed', 'superseded')
            group by all
            order by report_year nulls last, template nulls last
            """
        ).fetchall()
        statuses = dict(
            connection.execute(
                "select parse_status, count(*) from marts.dim_report group by 1 order by 2 desc, 1"
            ).fetchall()
        )
        severities = dict(
            connection.execute(
                "select coalesce(severity, 'unspecified'), count(*) from marts.fct_report_findings "
                "group by 1 order by 2 desc, 1"
            ).fetchall()
        )
        facts = connection.execute("select count(*) from marts.fact_disclosure").fetchone()[0]
        agencies = connection.execute(
            "select count(distinct agency_id) from marts.dim_report where parse_status = 'parsed'"
        ).fetchone()[0]
    return WarehouseStatus(
        published_at=published_at,
        scanned_at=scanned_at,
        parsed_at=(oldest, newest),
        parser_versions=versions,
        reports_by_year_template=by_year_template,
        status_counts=statuses,
        findings_by_severity=severities,
        facts=facts,
        agencies=agencies,
    )
