"""Inbox → landing: the assets in front of dbt. All the work is in the `ingestion` library.

Their keys are the dbt sources' keys (`landing/<table>`), so dbt models hang off them in one graph.
"""

from collections import Counter

import dagster as dg

from ingestion import PARSER_VERSION
from ingestion.landing.inbox import InboxFile
from ingestion.landing.pipeline import parse_new_documents, register_inbox
from ingestion.landing.store import is_landed, read_inventory
from orchestration.automation.policies import TRANSIENT_RETRY, transient_failures_only
from orchestration.publish.inputs import (
    code_fingerprint,
    inputs_fingerprint,
    landing_signature,
    published_fingerprint,
)
from orchestration.publish.leftovers import sweep_leftovers
from orchestration.resources import ProgressFeed, WarehouseResource

INVENTORY = dg.AssetKey(["landing", "inventory"])
DOCUMENTS = dg.AssetKey(["landing", "documents"])
FACTS = dg.AssetKey(["landing", "facts"])
FINDINGS = dg.AssetKey(["landing", "findings"])
#: Metadata key of the observation the parse step records when the published marts already reflect the inbox.
UNCHANGED = "unchanged_since_publication"
#: What a run needs to decide that nothing changed: the scan and the parse step (`gongkai refresh` runs only these
#: when a stat-only look finds the inbox as published).
UNCHANGED_RUN_ASSETS = [INVENTORY, DOCUMENTS, FACTS, FINDINGS]
UNCHANGED_RUN_STEPS = ("landing__inventory", "parsed_documents")


@dg.asset(
    key=INVENTORY,
    group_name="ingestion",
    kinds={"python", "parquet"},
    retry_policy=TRANSIENT_RETRY,
    description="Every file under the inbox, registered with its sha256, size and format detected from content "
    "(landing/inventory.parquet).",
)
def inbox_documents(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with transient_failures_only():  # an unreachable share is retried; a bug is not
        scan = register_inbox(warehouse.inbox, warehouse.warehouse, allow_shrink=warehouse.allow_shrink)
    formats = Counter(f.detected_format or "not read" for f in scan.files)
    context.log.info(f"{len(scan.files)} files under {warehouse.inbox}: {dict(formats)}")
    for file in scan.files:
        if not file.readable:
            context.log.warning(f"not read: {file.path}: {file.entry_reason}")
    for file in scan.removed:
        if file.removed_at == scan.scanned_at:
            context.log.warning(f"removed from the inbox since the last refresh: {file.path}")
    return dg.MaterializeResult(
        metadata={
            "inbox": dg.MetadataValue.path(str(warehouse.inbox)),
            "files": len(scan.files),
            "unique_contents": len({f.sha256 for f in scan.files if f.readable}),
            "rejected_entries": sum(1 for f in scan.files if not f.readable),
            "removed_since_last_scan": sum(1 for f in scan.removed if f.removed_at == scan.scanned_at),
            "formats": dg.MetadataValue.json(dict(formats)),
        }
    )


@dg.multi_asset(
    specs=[
        # Skippable: when nothing changed since the last publication the step yields none of them, and Dagster
        # skips dbt, the gates and publishing, which depend on them.
        dg.AssetSpec(DOCUMENTS, deps=[INVENTORY], group_name="ingestion", kinds={"python", "parquet"}, skippable=True,
                     description="One record per document read: agency, year, template, parse status and reason."),
        dg.AssetSpec(FACTS, deps=[INVENTORY], group_name="ingestion", kinds={"python", "parquet"}, skippable=True,
                     description="Facts with catalogue codes, one file per document."),
        dg.AssetSpec(FINDINGS, deps=[INVENTORY], group_name="ingestion", kinds={"python", "parquet"}, skippable=True,
                     description="Rule violations, unmatched rows and other remarks, one file per document."),
    ],
    name="parsed_documents",
    retry_policy=TRANSIENT_RETRY,
)
def parsed_documents(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, progress: dg.ResourceParam[ProgressFeed]
):
    """Read each new document in a worker process; unreadable files are quarantined with a reason.

    When nothing was read and the inbox, parser and code are those the published marts were built from, the
    step records an observation saying so and yields no output: the rest of the run is skipped.
    """
    with transient_failures_only():
        files = read_inventory(warehouse.warehouse, warehouse.inbox)
    pending = len({f.sha256 for f in files if f.readable and not is_landed(warehouse.warehouse, f.sha256)})
    context.log.info(f"{pending} new documents to read ({len(files)} files in the inventory)")
    done = 0

    def on_done(file: InboxFile) -> None:
        nonlocal done
        done += 1
        progress.report("parse", done, pending, file.path)
        if done % 100 == 0:
            context.log.info(f"read {done}/{pending} documents")

    with transient_failures_only():  # a broken worker pool or a full disk is retried; a bug is not
        summary = parse_new_documents(
            files, warehouse.warehouse, inbox=warehouse.inbox, workers=warehouse.workers or None, on_done=on_done,
            limits=warehouse.limits,
        )
    for path, reason in summary.quarantined.items():
        context.log.warning(f"quarantined {path}: {reason}")
    for path, reason in summary.deferred.items():
        context.log.warning(f"not read in this run (read again by the next): {path}: {reason}")
    fingerprint = inputs_fingerprint(
        files, PARSER_VERSION, code_fingerprint(), landing_signature(warehouse.warehouse, PARSER_VERSION)
    )
    read_something = summary.parsed or summary.quarantined or summary.deferred
    if not read_something and fingerprint == published_fingerprint(warehouse.layout):
        sweep_leftovers(warehouse.layout.serving_database)  # publishing, which sweeps them too, is skipped
        context.log.info(
            f"nothing new: {warehouse.layout.serving_database} already holds these {len(files)} entries' marts "
            "(same contents, parser and code); dbt, the gates and publishing are skipped"
        )
        yield dg.AssetObservation(
            asset_key=DOCUMENTS,
            metadata={UNCHANGED: True, "files": len(files), "already_landed": len(summary.skipped)},
        )
        return
    lines = [f"- `{path}`: {reason}" for path, reason in summary.quarantined.items()]
    yield dg.MaterializeResult(
        asset_key=DOCUMENTS,
        metadata={
            "parser_version": PARSER_VERSION,
            "parsed": len(summary.parsed),
            "quarantined": len(summary.quarantined),
            "already_landed": len(summary.skipped),
            "duplicate_files": len(summary.duplicates),
            "deferred": len(summary.deferred),  # a fault that may pass: not landed, read again next run
            "quarantine_reasons": dg.MetadataValue.md("\n".join(lines) or "none"),
        },
    )
    yield dg.MaterializeResult(asset_key=FACTS)
    yield dg.MaterializeResult(asset_key=FINDINGS)
