"""`gongkai` command line: refresh a warehouse from an inbox, see what a warehouse holds, or look at one report."""

from __future__ import annotations

import json
import sys
import time
import uuid
from collections import Counter
from contextlib import ExitStack, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    import dagster as dg

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Gongkai: disclosure reports → DuckDB marts.")
console = Console(stderr=True, soft_wrap=True)  # long paths stay on one line (greppable)

DBT_STEP = "gongkai_dbt_models"  # the @dbt_assets function's step
# What each step of the `refresh` job is called on screen; other steps keep their Dagster step key.
STEP_LABELS = {
    "landing__inventory": "register the inbox",
    "parsed_documents": "read new documents",
    DBT_STEP: "dbt build (models and data tests)",
    "serving_database": "publish serving.duckdb",
}


def _step_label(step_key: str) -> str:
    if step_key in STEP_LABELS:
        return STEP_LABELS[step_key]
    if step_key.endswith("_suite"):
        return f"Great Expectations {step_key.rsplit('_', 2)[-2]} suite"
    return step_key.replace("__", "/")


class RefreshDisplay:
    """Follows the run's event log (in this process) and the parse progress; writes a plain log file too."""

    def __init__(self, progress: Progress, total_steps: int, log: Any) -> None:
        self.progress = progress
        self.log = log
        self.steps = progress.add_task("starting", total=total_steps)
        self.parse: Any = None
        self.current: set[str] = set()
        self.materialized = Counter[str]()
        self.retries = Counter[str]()  # step key → transient failures retried

    def on_event(self, entry: dg.EventLogEntry, _cursor: str | None = None) -> None:
        import dagster as dg

        stamp = time.strftime("%H:%M:%S", time.localtime(entry.timestamp))
        self.log.write(f"{stamp} {entry.step_key or '-'} {entry.message or ''}\n".replace("\n\n", "\n"))
        event = entry.dagster_event
        if event is None or entry.step_key is None:
            return
        kind = event.event_type
        if kind == dg.DagsterEventType.STEP_START:
            self.current.add(entry.step_key)
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            self.materialized[entry.step_key] += 1
        elif kind == dg.DagsterEventType.STEP_UP_FOR_RETRY:
            self.retries[entry.step_key] += 1
            self.current.discard(entry.step_key)
        elif kind in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE,
                      dg.DagsterEventType.STEP_SKIPPED):
            self.current.discard(entry.step_key)
            self.progress.advance(self.steps)
        self._describe()

    def _describe(self) -> None:
        labels = []
        for key in sorted(self.current):
            label = _step_label(key)
            if self.materialized[key] > 1:
                label += f": {self.materialized[key]} assets"
            if self.retries[key]:
                label += f" (retry {self.retries[key]})"
            labels.append(label)
        self.progress.update(self.steps, description=", ".join(labels) or "between steps")

    def on_progress(self, stage: str, done: int, total: int, item: str) -> None:
        if stage != "parse":
            return
        if self.parse is None:
            self.parse = self.progress.add_task("reading documents", total=total)
        self.progress.update(self.parse, completed=done, total=total, description=f"read {item}"[:60])

    def finish(self, success: bool) -> None:
        self.progress.update(self.steps, description="done" if success else "stopped")
        if self.parse is not None:
            self.progress.update(self.parse, description="documents read")


def _preload_gx_when_dbt_starts(entry: dg.EventLogEntry, _cursor: str | None = None) -> None:
    """The quality suites run after dbt in this in-process run: import Great Expectations while this process
    only waits on the dbt subprocess (the parser workers are done by then, so nothing forks mid-import)."""
    import dagster as dg

    event = entry.dagster_event
    if event is not None and event.event_type == dg.DagsterEventType.STEP_START and entry.step_key == DBT_STEP:
        from expectations.runner import preload

        preload()


def _run_config(inbox: Path, warehouse: Path, workers: int, verbose: bool) -> dict:
    config: dict[str, Any] = {"resources": {"warehouse": {"config": {
        "inbox_dir": str(inbox), "warehouse_dir": str(warehouse), "workers": workers,
    }}}}
    if not verbose:  # the full event log goes to warehouse/logs/last_refresh.log instead of the terminal
        config["loggers"] = {"console": {"config": {"log_level": "CRITICAL"}}}
    return config


def _artifacts(result: dg.ExecuteInProcessResult, warehouse: Path) -> dict[str, str]:
    """Where the run put things a person opens: every path or URL under the warehouse that an asset or check
    reported (the quality report, exports, Data Docs…), plus serving.duckdb."""
    import dagster as dg

    found: dict[str, str] = {"marts (serving.duckdb)": str(warehouse / "serving.duckdb")}
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            data = event.event_specific_data.materialization
            owner = data.asset_key.to_user_string()
            metadata = data.metadata
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            data = event.event_specific_data
            owner = data.check_name
            metadata = data.metadata
        else:
            continue
        if owner.startswith(("marts/", "staging/", "intermediate/", "catalogue/")):
            continue  # dbt's own metadata
        for name, value in metadata.items():
            if isinstance(value, dg.PathMetadataValue | dg.UrlMetadataValue):
                text = str(value.value).removeprefix("file://")
                if not Path(text).is_relative_to(warehouse):
                    continue  # e.g. the inbox
                label = f"{owner.replace('_', ' ')}" + ("" if name == "path" else f" ({name.replace('_', ' ')})")
                if name == "data_docs":
                    label = "Data Docs (Great Expectations)"
                if text != found["marts (serving.duckdb)"] and text not in found.values():
                    found[label] = text
    data_docs = warehouse / "reports" / "data_docs" / "index.html"
    if data_docs.exists() and str(data_docs) not in found.values():
        found["Data Docs (Great Expectations)"] = str(data_docs)
    return found


def _print_failures(result: dg.ExecuteInProcessResult) -> None:
    import dagster as dg

    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            continue
        detail = evaluation.metadata.get("failed")
        # a warn-level check (a dbt test with severity warn) is worth reading but did not stop anything
        heading = (
            "[yellow]quality warning:[/yellow]" if evaluation.severity == dg.AssetCheckSeverity.WARN
            else "[red]quality gate failed:[/red]"
        )
        console.print(
            f"{heading} {evaluation.check_name} on "
            f"{evaluation.asset_key.to_user_string()}" + (f"\n{detail.value}" if detail else "")
        )
    for event in result.all_events:
        if event.is_step_failure:
            error = event.event_specific_data.error
            messages = []
            while error is not None:  # Dagster wraps the asset's own exception: show the chain, briefly
                text = error.message.split("Errors parsed from dbt logs:")[-1].strip()  # dbt's own errors
                if text:
                    messages.append(" ".join(text.split())[:400])
                error = error.cause or error.context
            console.print(f"[red]step failed:[/red] {event.step_key}: " + " ← ".join(messages))


def _parse_metadata(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
    import dagster as dg

    for materialization in result.asset_materializations_for_node("parsed_documents"):
        if materialization.asset_key == dg.AssetKey(["landing", "documents"]):
            return {name: value.value for name, value in materialization.metadata.items()}
    return {}


@app.command()
def refresh(
    inbox: Annotated[Path, typer.Option(help="Folder of report files (searched recursively).")],
    warehouse: Annotated[Path, typer.Option(help="Warehouse folder to build and publish into.")],
    workers: Annotated[int, typer.Option(help="Parser worker processes (0: one per core).")] = 0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print Dagster's and dbt's logs as they come.")]
    = False,
) -> None:
    """Materialise the whole asset graph (the same one the Dagster UI shows) for INBOX into WAREHOUSE."""
    from orchestration.settings import configure_environment

    if not inbox.is_dir():
        console.print(f"[red]inbox folder does not exist: {inbox}[/red]")
        raise typer.Exit(2)
    inbox, warehouse = configure_environment(inbox, warehouse)
    started = time.monotonic()

    with console.status("loading the pipeline (Dagster definitions, dbt manifest)"):
        import dagster as dg

        from orchestration import progress
        from orchestration.automation import TRIGGER_TAG
        from orchestration.definitions import defs
        from orchestration.report import refresh_summary

        job = defs.resolve_job_def("refresh")
    log_path = warehouse / "logs" / "last_refresh.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    instance = dg.DagsterInstance.ephemeral()
    run_id = str(uuid.uuid4())
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with ExitStack() as stack:
        log = stack.enter_context(log_path.open("w", encoding="utf-8", buffering=1))  # line by line, live
        bars = stack.enter_context(Progress(*columns, console=console, transient=False,
                                            redirect_stdout=False, redirect_stderr=False))
        display = RefreshDisplay(bars, total_steps=len(job.nodes_in_topological_order), log=log)
        instance.watch_event_logs(run_id, None, display.on_event)
        instance.watch_event_logs(run_id, None, _preload_gx_when_dbt_starts)
        stack.enter_context(progress.listening(display.on_progress))
        if not verbose:
            stack.enter_context(redirect_stdout(log))  # dbt's console output, echoed by dagster-dbt
        result = job.execute_in_process(
            run_config=_run_config(inbox, warehouse, workers, verbose),
            instance=instance,
            raise_on_error=False,
            run_id=run_id,
            tags={TRIGGER_TAG: "cli"},
        )
        display.finish(result.success)
    elapsed = time.monotonic() - started

    published = any(
        materialization.asset_key == dg.AssetKey("serving_database")
        for materialization in result.asset_materializations_for_node("serving_database")
    )
    _print_failures(result)
    for step_key, count in display.retries.items():
        console.print(f"[yellow]retried[/yellow] {_step_label(step_key)} {count}× after a transient failure")
    if not result.success or not published:
        console.print(f"[red]publication refused[/red]: {warehouse / 'serving.duckdb'} was left as it was.")
        console.print(f"full log: {log_path}")
        raise typer.Exit(1)

    summary = refresh_summary(warehouse / "serving.duckdb")
    parse = _parse_metadata(result)
    console.print(f"[green]refreshed[/green] {inbox} → {warehouse} in {elapsed:.0f} s")
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
            quarantined.add_row(path, reason)
        console.print(quarantined)
    for label, location in _artifacts(result, warehouse).items():
        console.print(f"{label}: {location}")
    console.print(f"full log: {log_path}")
    # The historic one-line summary, which scripts and tests grep for.
    console.print(
        f"{summary.facts} facts from {summary.reports_with_facts} reports; "
        f"{summary.hard_findings} hard rule violations. Marts: {warehouse / 'serving.duckdb'}"
    )


@app.command()
def status(
    warehouse: Annotated[Path, typer.Option(help="Warehouse folder (reads its serving.duckdb, read-only).")],
) -> None:
    """Show what WAREHOUSE holds: reports by year and template, last refresh, parse statuses, findings."""
    from orchestration.report import warehouse_status

    serving = warehouse / "serving.duckdb"
    if not serving.is_file():
        console.print(f"[red]no published marts at {serving}[/red]: run `gongkai refresh` first.")
        raise typer.Exit(2)
    state = warehouse_status(serving)
    out = Console(soft_wrap=True)

    def when(moment: Any) -> str:
        return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z") if moment else "—"

    out.print(f"[bold]{serving.resolve()}[/bold]")
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
def extract(file: Annotated[Path, typer.Argument(help="One report file.")]) -> None:
    """Print what the platform reads from FILE as one JSON object, without touching any warehouse."""
    from ingestion.extract import UnreadableDocument, read_report
    from ingestion.readers.detect import detect_format

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


def _count_table(label: str, count: str, counts: dict[str, int]) -> Table:
    """A two-column table of names and counts."""
    table = Table()
    table.add_column(label)
    table.add_column(count, justify="right")
    for name, value in counts.items():
        table.add_row(name, str(value))
    return table


if __name__ == "__main__":
    app()

