"""`gongkai` command line: refresh a warehouse from an inbox, or look at one report."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Gongkai: disclosure reports → DuckDB marts.")
console = Console(stderr=True)


@app.command()
def refresh(
    inbox: Annotated[Path, typer.Option(help="Folder of report files (searched recursively).")],
    warehouse: Annotated[Path, typer.Option(help="Warehouse folder to build and publish into.")],
    workers: Annotated[int, typer.Option(help="Parser worker processes (0: one per core).")] = 0,
) -> None:
    """Materialise the whole asset graph (the same one the Dagster UI shows) for INBOX into WAREHOUSE."""
    from orchestration.settings import configure_environment

    if not inbox.is_dir():
        console.print(f"[red]inbox folder does not exist: {inbox}[/red]")
        raise typer.Exit(2)
    inbox, warehouse = configure_environment(inbox, warehouse)

    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.report import refresh_summary

    job = defs.resolve_job_def("refresh")
    run_config = {"resources": {"warehouse": {"config": {
        "inbox_dir": str(inbox), "warehouse_dir": str(warehouse), "workers": workers,
    }}}}
    with console.status("refreshing: inbox → landing → dbt → quality gates → serving.duckdb"):
        result = job.execute_in_process(
            run_config=run_config,
            instance=dg.DagsterInstance.ephemeral(),
            raise_on_error=False,
            tags={"gongkai/trigger": "cli"},
        )
    failed_checks = [
        evaluation
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed
    ]
    for evaluation in failed_checks:
        detail = evaluation.metadata.get("failed")
        console.print(
            f"[red]quality gate failed:[/red] {evaluation.check_name} on "
            f"{evaluation.asset_key.to_user_string()}" + (f"\n{detail.value}" if detail else "")
        )
    published = any(
        materialization.asset_key == dg.AssetKey("serving_database")
        for materialization in result.asset_materializations_for_node("serving_database")
    ) if "serving_database" in {node.name for node in job.nodes_in_topological_order} else False
    if not result.success or not published:
        for event in result.all_events:
            if event.is_step_failure:
                console.print(f"[red]step failed:[/red] {event.step_key}: {event.event_specific_data.error.message}")
        console.print(
            f"[red]publication refused[/red]: {warehouse / 'serving.duckdb'} was left as it was."
        )
        raise typer.Exit(1)
    summary = refresh_summary(warehouse / "serving.duckdb")
    table = Table(title=f"Refresh of {inbox}")
    for column in ("status", "files"):
        table.add_column(column)
    for status, count in summary.status_counts.items():
        table.add_row(status, str(count))
    console.print(table)
    for path, reason in summary.quarantined:
        console.print(f"  quarantined [yellow]{path}[/yellow]: {reason}")
    console.print(
        f"{summary.facts} facts from {summary.reports_with_facts} reports; "
        f"{summary.hard_findings} hard rule violations. Marts: {warehouse / 'serving.duckdb'}"
    )


@app.command()
def extract(file: Annotated[Path, typer.Argument(help="One report file.")]) -> None:
    """Print what the platform reads from FILE as one JSON object, without touching any warehouse."""
    from ingestion.inbox import detect_format
    from ingestion.parse import UnreadableDocument, read_report

    if not file.is_file():
        print(f"gongkai extract: {file}: no such file", file=sys.stderr)
        raise typer.Exit(2)
    data = file.read_bytes()
    try:
        result = read_report(data, detect_format(data[:8192], data))
    except UnreadableDocument as error:
        print(f"gongkai extract: {file}: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    except Exception as error:  # one line, never a traceback
        print(f"gongkai extract: {file}: parser error: {type(error).__name__}: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    print(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    app()
