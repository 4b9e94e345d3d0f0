"""The quality report asset: after publication, one HTML page people read (reports/quality_report.html).

Thin on purpose: the reading and rendering live in `expectations.quality_report`. The asset adds what only
Dagster knows, this run's quality-gate outcomes (asset-check evaluations recorded in the instance), and puts
the same summary on the asset as Markdown metadata. If a blocking gate refused publication, this asset does
not run, and the previous report stays next to the previous serving.duckdb it describes.
"""

import datetime as dt
import time
from typing import Any

import dagster as dg

from expectations.quality_report import DBT_TEST, GX_GATE, CheckOutcome, collect, render_markdown, write_html
from orchestration.dbt.check_words import check_in_words
from orchestration.gates.checks import GATE_CHECK_KEYS
from orchestration.publish.serving import serving_database
from orchestration.resources import WarehouseResource


def run_check_outcomes(instance: dg.DagsterInstance, run_id: str, asset_graph: Any = None) -> list[CheckOutcome]:
    """The asset-check evaluations this run recorded so far (the latest one per check), each described in words
    from `asset_graph`'s check specs."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    latest: dict[dg.AssetCheckKey, CheckOutcome] = {}
    for record in records:
        event = record.event_log_entry.dagster_event
        evaluation = event.event_specific_data if event is not None else None
        if not isinstance(evaluation, dg.AssetCheckEvaluation):
            continue
        failed = evaluation.metadata.get("failed")  # the GX gates' list of failed expectations, when any failed
        latest[evaluation.asset_check_key] = CheckOutcome(
            name=evaluation.check_name,
            asset=evaluation.asset_key.to_user_string(),
            passed=evaluation.passed,
            severity=evaluation.severity.value,
            blocking=bool(evaluation.blocking),
            detail=None if failed is None else str(failed.value),
            kind=GX_GATE if evaluation.asset_check_key in GATE_CHECK_KEYS else DBT_TEST,
            label=None if asset_graph is None else check_in_words(asset_graph, evaluation.asset_check_key),
        )
    return list(latest.values())


@dg.asset(
    group_name="publish",
    kinds={"html"},
    deps=[serving_database],
    description="Quality report of the last published refresh (reports/quality_report.html): a summary, this "
    "run's quality gates, the rules found (named in Chinese and English), every finding in a table that can be "
    "filtered and paged, a section per agency, files read and quarantined. One file, opens offline.",
)
def quality_report(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    started = time.perf_counter()
    layout = warehouse.layout
    run = context.instance.get_run_record_by_id(context.run_id)
    run_started_at = (
        dt.datetime.fromtimestamp(run.start_time, dt.UTC) if run is not None and run.start_time else None
    )
    report = collect(
        layout.serving_database,
        inbox=warehouse.inbox,
        warehouse=warehouse.warehouse,
        checks=run_check_outcomes(context.instance, context.run_id, context.job_def.asset_layer.asset_graph),
        run_id=context.run_id,
        run_started_at=run_started_at,
    )
    path = write_html(report, layout.quality_report)
    seconds = time.perf_counter() - started
    context.log.info(f"quality report written to {path} ({path.stat().st_size / 1024:.1f} KB in {seconds:.2f} s)")
    metadata: dict[str, dg.MetadataValue] = {
        "summary": dg.MetadataValue.md(render_markdown(report)),
        "path": dg.MetadataValue.path(str(path)),
        "report_url": dg.MetadataValue.url(path.as_uri()),
        "hard_findings": dg.MetadataValue.int(report.severity_counts["hard"]),
        "soft_findings": dg.MetadataValue.int(report.severity_counts["soft"]),
        "reports_with_hard_findings": dg.MetadataValue.int(sum(1 for r in report.reports if r.hard)),
        "size_kb": dg.MetadataValue.float(round(path.stat().st_size / 1024, 1)),
    }
    data_docs = layout.data_docs_dir / "index.html"
    if data_docs.exists():
        metadata["data_docs"] = dg.MetadataValue.url(data_docs.as_uri())
    return dg.MaterializeResult(metadata=metadata)
