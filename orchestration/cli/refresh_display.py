"""What `gongkai refresh` shows while and after the run: progress bars per step and per document, a plain log file,
the failed checks and steps, and where the run put the things a person opens."""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress

from orchestration.dbt.check_words import check_in_words
from orchestration.settings import WarehouseLayout

if TYPE_CHECKING:
    import dagster as dg

DBT_STEP = "gongkai_dbt_models"  # the @dbt_assets function's step
# What each step of the `refresh` job is called on screen; other steps keep their Dagster step key.
STEP_LABELS = {
    "landing__inventory": "register the inbox",
    "parsed_documents": "read new documents",
    DBT_STEP: "dbt build (models and data tests)",
    "serving_database": "publish serving.duckdb",
}


def step_label(step_key: str) -> str:
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

    def on_event(self, entry: dg.EventLogEntry) -> None:
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
            label = step_label(key)
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
        self.progress.update(self.parse, completed=done, total=total, description=escape(f"read {item}"[:60]))

    def finish(self, success: bool) -> None:
        self.progress.update(self.steps, description="done" if success else "stopped")
        if self.parse is not None:
            self.progress.update(self.parse, description="documents read")


def artifacts(result: dg.ExecuteInProcessResult, layout: WarehouseLayout) -> dict[str, str]:
    """Where the run put things a person opens: every path or URL under the warehouse that an asset or check
    reported (the quality report, exports, Data Docs…), plus serving.duckdb."""
    import dagster as dg

    warehouse = layout.root
    found: dict[str, str] = {"marts (serving.duckdb)": str(layout.serving_database)}
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
    data_docs = layout.data_docs_dir / "index.html"
    if data_docs.exists() and str(data_docs) not in found.values():
        found["Data Docs (Great Expectations)"] = str(data_docs)
    return found


def _tests_named_in_words(text: str, asset_graph: Any) -> str:
    """dbt's error text with each data test's id replaced by what the test checks, in words (quoted)."""
    names = {key.name: key for key in asset_graph.asset_check_keys}
    if not names:
        return text
    pattern = re.compile("|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)))
    return pattern.sub(lambda match: f"«{check_in_words(asset_graph, names[match.group(0)])}»", text)


def print_failures(result: dg.ExecuteInProcessResult, console: Console) -> None:
    import dagster as dg

    asset_graph = result.job_def.asset_layer.asset_graph
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            continue
        detail = evaluation.metadata.get("failed")
        # a warn-level check (a dbt test with severity warn) is worth reading but did not stop anything
        heading = (
            "[yellow]quality warning:[/yellow]" if evaluation.severity == dg.AssetCheckSeverity.WARN
            else "[red]quality gate failed:[/red]"
        )
        # escaped: a dbt expression in the words may contain [brackets] that rich would read as markup
        console.print(
            f"{heading} {escape(check_in_words(asset_graph, evaluation.asset_check_key))} "
            f"(on {evaluation.asset_key.to_user_string()})" + (f"\n{escape(str(detail.value))}" if detail else "")
        )
    for event in result.all_events:
        if event.is_step_failure:
            error = event.event_specific_data.error
            messages = []
            while error is not None:  # Dagster wraps the asset's own exception: show the chain, briefly
                text = error.message.split("Errors parsed from dbt logs:")[-1].strip()  # dbt's own errors
                if text:
                    messages.append(_tests_named_in_words(" ".join(text.split()), asset_graph)[:600])
                error = error.cause or error.context
            console.print(f"[red]step failed:[/red] {step_label(event.step_key)}: " + escape(" ← ".join(messages)))


@contextmanager
def execution_notes_to(log: Any) -> Iterator[None]:
    """Dagster's execution-plan notes (for example 'blocking asset check … emitted no result' for the checks of a
    skipped dbt step) go to the refresh log with the rest of the run's events, not to the terminal."""
    logger = logging.getLogger("dagster._core.execution.plan.active")
    handler = logging.StreamHandler(log)
    handler.setFormatter(logging.Formatter("%(asctime)s - %(message)s", "%H:%M:%S"))
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def unchanged_since_publication(result: dg.ExecuteInProcessResult) -> bool:
    """Whether the parse step found the published marts already built from this inbox (and skipped the rest)."""
    from orchestration.ingestion.assets import UNCHANGED

    return UNCHANGED in parse_metadata(result)


def parse_metadata(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
    import dagster as dg

    from orchestration.ingestion.assets import DOCUMENTS

    for event in result.events_for_node("parsed_documents"):
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            record = event.event_specific_data.materialization
        elif event.event_type == dg.DagsterEventType.ASSET_OBSERVATION:  # nothing new: see ingestion.assets
            record = event.event_specific_data.asset_observation
        else:
            continue
        if record.asset_key == DOCUMENTS:
            return {name: value.value for name, value in record.metadata.items()}
    return {}
