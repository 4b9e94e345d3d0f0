"""`gongkai` command line: refresh a warehouse from an inbox, see what a warehouse holds, or look at one report."""

from __future__ import annotations

import json
import sys
import time
import uuid
from contextlib import ExitStack, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from orchestration.dbt.ahead import DbtAhead

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Gongkai: disclosure reports → DuckDB marts.")
console = Console(stderr=True, soft_wrap=True)  # long paths stay on one line (greppable)


@app.command()
def refresh(
    inbox: Annotated[Path, typer.Option(help="Folder of report files (searched recursively).")],
    warehouse: Annotated[Path, typer.Option(help="Warehouse folder to build and publish into.")],
    workers: Annotated[int, typer.Option(help="Parser worker processes (0: one per core).")] = 0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print Dagster's and dbt's logs as they come.")]
    = False,
    allow_shrink: Annotated[bool, typer.Option(
        "--allow-shrink", help="Publish even when the inbox holds far fewer files than the warehouse was built from."
    )] = False,
    queue_timeout: Annotated[
        float, typer.Option(help="Seconds to wait for another run of the same Dagster instance to finish.")
    ] = 3600,
) -> None:
    """Materialise the whole asset graph (the same one the Dagster UI shows) for INBOX into WAREHOUSE.

    The run is recorded in the warehouse's Dagster instance (WAREHOUSE/dagster_home, or DAGSTER_HOME when set),
    the one `gongkai ui` opens: its materialisations and check results show there, and it takes its turn in the
    instance's run queue and pools."""
    from orchestration.settings import Settings

    if not inbox.is_dir():
        console.print(f"[red]inbox folder does not exist: {escape(str(inbox))}[/red]")
        raise typer.Exit(2)
    settings = Settings(inbox=inbox, warehouse=warehouse, workers=workers, allow_shrink=allow_shrink)
    from orchestration.cli.lock import WarehouseBusy, warehouse_lock
    from orchestration.dbt.ahead import dbt_ahead
    from orchestration.dbt.executable import DBT_EXECUTABLE

    try:
        # dbt imports itself on the other core while this process loads the pipeline (orchestration.dbt.ahead)
        with warehouse_lock(settings.warehouse), dbt_ahead(DBT_EXECUTABLE) as ahead:
            _refresh(settings, verbose, queue_timeout, ahead)
    except WarehouseBusy as error:
        console.print(f"[red]{escape(str(error))}[/red]")
        raise typer.Exit(3) from None
    except OSError as error:  # a read-only or full warehouse: one line, not a traceback
        where = f" ({error.filename})" if error.filename else ""
        console.print(f"[red]refresh failed: {escape(error.strerror or str(error))}{escape(where)}[/red]: "
                      "the published marts were left as they were")
        raise typer.Exit(2) from None


def _refresh(settings: Any, verbose: bool, queue_timeout: float, ahead: DbtAhead) -> None:
    """The refresh itself, under the warehouse's lock; `ahead` is the dbt waiting for the run's dbt step."""
    layout = settings.layout
    started = time.monotonic()

    with console.status("loading the pipeline (Dagster definitions, dbt manifest)"):
        import dagster as dg

        from orchestration.automation.job import REFRESH_JOB
        from orchestration.automation.policies import TRIGGER_TAG
        from orchestration.cli.instance import cli_run_tags, instance_home, open_instance, wait_for_turn
        from orchestration.cli.refresh_display import (
            RefreshDisplay,
            artifacts,
            execution_notes_to,
            parse_metadata,
            print_failures,
            step_label,
            unchanged_since_publication,
        )
        from orchestration.cli.warehouse_summary import refresh_summary
        from orchestration.dbt.project import ManifestNotPrepared
        from orchestration.definitions import build_definitions
        from orchestration.ingestion.assets import UNCHANGED_RUN_ASSETS, UNCHANGED_RUN_STEPS
        from orchestration.publish.inputs import looks_unchanged
        from orchestration.resources import ProgressFeed

        progress = ProgressFeed()
        try:
            job = build_definitions(settings, progress=progress).resolve_job_def(REFRESH_JOB)
        except ManifestNotPrepared as error:
            console.print(f"[red]{escape(str(error))}[/red]")
            raise typer.Exit(2) from None
    layout.refresh_log.parent.mkdir(parents=True, exist_ok=True)
    instance = open_instance(instance_home(layout))

    def waiting(run: dg.DagsterRun) -> None:
        trigger = run.tags.get(TRIGGER_TAG, "another client")
        console.print(f"waiting for run {run.run_id} ({run.job_name}, started by {trigger}) to finish")

    if not wait_for_turn(instance, timeout=queue_timeout, on_wait=waiting):
        console.print(f"[red]another run of {escape(instance.root_directory)} is still in progress[/red] after "
                      f"{queue_timeout:.0f} s: nothing was changed.")
        instance.dispose()
        raise typer.Exit(1)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    # The full event log goes to <warehouse>/logs/last_refresh.log instead of the terminal, unless --verbose.
    run_config = {} if verbose else {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}

    def execute(selection: list[dg.AssetKey] | None) -> tuple[dg.ExecuteInProcessResult, RefreshDisplay]:
        run_id = str(uuid.uuid4())
        steps = len(job.nodes_in_topological_order) if selection is None else len(UNCHANGED_RUN_STEPS)
        with ExitStack() as stack:
            log = stack.enter_context(layout.refresh_log.open("w", encoding="utf-8", buffering=1))  # line by line
            bars = stack.enter_context(Progress(*columns, console=console, transient=False,
                                                redirect_stdout=False, redirect_stderr=False))
            display = RefreshDisplay(bars, total_steps=steps, log=log)
            if ahead.waiting():
                log.write(f"dbt started ahead of its step: process {ahead.process.pid}\n")

            # Called in this process as each event is stored: a storage watcher would re-read the run's events
            # from SQLite after every write, in a thread contending for the same lock.
            instance.add_event_listener(run_id, display.on_event)
            stack.enter_context(progress.listening(display.on_progress))
            if not verbose:
                stack.enter_context(redirect_stdout(log))  # dbt's console output, echoed by dagster-dbt
                stack.enter_context(execution_notes_to(log))
            result = job.execute_in_process(
                run_config=run_config,
                instance=instance,
                raise_on_error=False,
                run_id=run_id,
                asset_selection=selection,
                tags={TRIGGER_TAG: "cli", **cli_run_tags()},
            )
            display.finish(result.success)
        return result, display

    with instance:  # disposed (its event log checkpointed) before the summary
        # Nothing changed since the last publication, by a stat-only look: the run takes only the steps that
        # decide it for certain (fewer planned events to record). Should the parse step find something new after
        # all, the whole graph runs next.
        selection = UNCHANGED_RUN_ASSETS if looks_unchanged(settings.inbox, settings.warehouse) else None
        if selection is not None:
            ahead.cancel()  # no dbt step in this run
        result, display = execute(selection)
        if selection is not None and result.success and not unchanged_since_publication(result):
            result, display = execute(None)
    elapsed = time.monotonic() - started

    published = any(
        materialization.asset_key == dg.AssetKey("serving_database")
        for materialization in result.asset_materializations_for_node("serving_database")
    )
    unchanged = result.success and unchanged_since_publication(result)
    print_failures(result, console)
    for step_key, count in display.retries.items():
        console.print(f"[yellow]retried[/yellow] {step_label(step_key)} {count}× after a transient failure")
    if unchanged:
        console.print(
            f"nothing new since the last publication: {escape(str(layout.serving_database))} already holds this "
            "inbox (same files, parser and code), so dbt, the gates and publishing were skipped"
        )
    elif not result.success or not published:
        console.print(f"[red]publication refused[/red]: {escape(str(layout.serving_database))} was left as it was.")
        console.print(f"full log: {escape(str(layout.refresh_log))}")
        raise typer.Exit(1)

    summary = refresh_summary(layout.serving_database)
    parse = parse_metadata(result)
    console.print(
        f"[green]refreshed[/green] {escape(str(settings.inbox))} → {escape(str(settings.warehouse))} in {elapsed:.0f} s"
    )
    table = Table()
    table.add_column("files by status")
    table.add_column("count", justify="right")
    for status, count in summary.status_counts.items():
        colour = {"parsed": "green", "quarantined": "yellow"}.get(status, "default")
        table.add_row(f"[{colour}]{status}[/{colour}]", str(count))
    table.add_section()
    table.add_row("read in this run", str(parse.get("parsed", 0) + parse.get("quarantined", 0)))
    table.add_row("already landed (not read again)", str(parse.get("already_landed", 0)))
    table.add_row("facts published", str(summary.facts))
    table.add_row("reports with facts", str(summary.reports_with_facts))
    table.add_row("hard rule violations in reports", str(summary.hard_findings))
    console.print(table)
    if summary.quarantined:
        console.print("[bold]Quarantined files[/bold] (bytes kept in quarantine/, listed in dim_report)")
        quarantined = Table()
        quarantined.add_column("file", style="yellow")
        quarantined.add_column("reason")
        for path, reason in summary.quarantined:
            quarantined.add_row(escape(path), escape(reason or ""))  # a name may hold rich markup: report[/]x.txt
        console.print(quarantined)
    for label, location in artifacts(result, layout).items():
        console.print(f"{label}: {escape(str(location))}")
    console.print(f"full log: {escape(str(layout.refresh_log))}")
    # The historic one-line summary, which scripts and tests grep for.
    console.print(
        f"{summary.facts} facts from {summary.reports_with_facts} reports; "
        f"{summary.hard_findings} hard rule violations. Marts: {escape(str(layout.serving_database))}"
    )


@app.command()
def ui(
    warehouse: Annotated[Path, typer.Option(help="Warehouse folder whose Dagster instance the UI opens.")] = Path(
        "warehouse"
    ),
    inbox: Annotated[Path, typer.Option(help="Inbox the UI's runs read.")] = Path("sample_corpus"),
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 3000,
) -> None:
    """Start the Dagster UI (`dg dev`) on WAREHOUSE's Dagster instance: the runs `gongkai refresh` recorded there,
    their materialisations and check results, and new runs that read INBOX into WAREHOUSE."""
    import os

    from orchestration.cli.instance import instance_home, prepare_home, ui_home
    from orchestration.settings import REPO_ROOT, Settings

    settings = Settings(inbox=inbox, warehouse=warehouse)
    home = ui_home(prepare_home(instance_home(settings.layout)))
    environ = {
        **os.environ, "DAGSTER_HOME": str(home), "GONGKAI_INBOX": str(settings.inbox),
        "GONGKAI_WAREHOUSE": str(settings.warehouse),
    }
    command = [str(Path(sys.executable).parent / "dg"), "dev", "-w", str(REPO_ROOT / "workspace.yaml"),
               "-h", host, "-p", str(port)]
    console.print(f"Dagster instance: {escape(str(home))}\nUI: http://{host}:{port}")
    os.chdir(REPO_ROOT)  # workspace.yaml's working directory
    os.execve(command[0], command, environ)  # dg dev stops its webserver, daemon and code server on Ctrl-C


@app.command()
def status(
    warehouse: Annotated[Path, typer.Option(help="Warehouse folder (reads its serving.duckdb, read-only).")],
) -> None:
    """Show what WAREHOUSE holds: reports by year and template, last refresh, parse statuses, findings."""
    from orchestration.cli.warehouse_summary import warehouse_status
    from orchestration.settings import WarehouseLayout

    serving = WarehouseLayout(warehouse).serving_database
    if not serving.is_file():
        console.print(f"[red]no published marts at {escape(str(serving))}[/red]: run `gongkai refresh` first.")
        raise typer.Exit(2)
    state = warehouse_status(serving)
    out = Console(soft_wrap=True)

    def when(moment: Any) -> str:
        return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z") if moment else "—"

    out.print(f"[bold]{escape(str(serving.resolve()))}[/bold]")
    out.print(f"last refresh published {when(state.published_at)} (inbox scanned {when(state.scanned_at)})")
    out.print(
        f"documents parsed between {when(state.parsed_at[0])} and {when(state.parsed_at[1])} "
        f"by parser version {', '.join(state.parser_versions) or '—'}"
    )
    out.print(f"{state.facts} facts from {state.agencies} agencies")

    templates = sorted({template or "—" for _, template, _ in state.reports_by_year_template})
    years = sorted({year for year, _, _ in state.reports_by_year_template}, key=lambda y: (y is None, y or 0))
    counts = {(year, template or "—"): n for year, template, n in state.reports_by_year_template}
    out.print("\n[bold]Readable reports by year and template[/bold] (parsed or superseded)")
    by_year = Table()
    by_year.add_column("report year")
    for template in templates:
        by_year.add_column(template, justify="right")
    by_year.add_column("total", justify="right")
    for year in years:
        row = [counts.get((year, template), 0) for template in templates]
        by_year.add_row(str(year) if year is not None else "unknown", *map(str, row), str(sum(row)))
    out.print(by_year)

    out.print("\n[bold]Files by parse status[/bold]")
    out.print(_count_table("status", "files", state.status_counts))
    out.print("\n[bold]Report findings by severity[/bold] (in fct_report_findings)")
    out.print(_count_table("severity", "findings", state.findings_by_severity or {"none": 0}))


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="One report file.")],
    timeout_seconds: Annotated[float, typer.Option(help="Time limit (a refresh's per-document limit).")] = 0,
    memory_mb: Annotated[int, typer.Option(help="Memory limit in MB (a refresh worker's).")] = 0,
) -> None:
    """Print what the platform reads from FILE as one JSON object, without touching any warehouse. FILE is read
    in a worker process under a refresh's memory and time limits."""
    from dataclasses import replace

    from ingestion.extract import UnreadableDocument
    from ingestion.landing.pipeline import extract_isolated
    from ingestion.limits import ReadLimits

    limits = ReadLimits()
    limits = replace(limits, timeout_seconds=timeout_seconds or limits.timeout_seconds,
                     memory_bytes=memory_mb * 1024**2 or limits.memory_bytes)
    if not file.is_file():
        print(f"gongkai extract: {file}: no such file", file=sys.stderr)
        raise typer.Exit(2)
    try:
        result = extract_isolated(file.read_bytes(), limits)
    except UnreadableDocument as error:
        print(f"gongkai extract: {file}: {error}", file=sys.stderr)
        raise typer.Exit(2) from None
    except OSError as error:  # one line, never a traceback
        print(f"gongkai extract: {file}: {error.strerror or error}", file=sys.stderr)
        raise typer.Exit(2) from None
    print(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=1))


def _count_table(label: str, count: str, counts: dict[str, int]) -> Table:
    """A two-column table of names and counts."""
    table = Table()
    table.add_column(label)
    table.add_column(count, justify="right")
    for name, value in counts.items():
        table.add_row(name, str(value))
    return table
