"""Run a layer's data-quality suites with Great Expectations and build the Data Docs site.

    result = run_suite("marts", marts_frames(build_database), docs_dir=warehouse / "reports" / "data_docs")
    if not result.success:
        print("\\n".join(result.failed))

GX validates pandas frames the caller fetched from DuckDB (GX's SQL datasource on DuckDB is not used).
Great Expectations is imported inside `run_suite` only: the import takes ~2.5 s of CPU and ~190 MB. A refresh
imports it at its first gate, after dbt: imported while dbt ran (to hide the seconds), it held those megabytes
beside dbt's own peak, and a refresh of 4,000 reports went past 800 MB.

Offline by construction: analytics are disabled in the context config (``analytics_enabled=False``; nothing
is written to the environment), and the built pages load their scripts, styles, fonts and logo from copies
beside them (`expectations.data_docs`), not from CDNs; the context is ephemeral apart from two local filesystem
stores. Those
(expectation suites and the latest validation result of every suite) live in ``store_dir`` (default
``<docs_dir>/.gx_store``) so that the Data Docs index built after one layer's run still lists the other layers'
latest results; each run replaces the previous results of its own suites.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations.data_docs import localize
from expectations.suites import Check, TableChecks, build_layer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SuiteResult", "run_suite"]

log = logging.getLogger(__name__)

SITE_NAME = "gongkai"
EXAMPLES = 3
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# GX keeps process-global state (the active project); one run at a time per process.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class SuiteResult:
    success: bool
    layer: str
    evaluated: int
    failed: list[str]
    data_docs_index: Path | None


def run_suite(
    layer: str,
    frames: Mapping[str, pd.DataFrame],
    *,
    docs_dir: Path | None,
    store_dir: Path | None = None,
) -> SuiteResult:
    """Validate one layer's frames and (when ``docs_dir`` is given) rebuild the Data Docs site there.

    ``frames`` maps table names to pandas frames (see `expectations.suites` for the names per layer;
    `expectations.frames` reads them from a warehouse). Returns a `SuiteResult`; ``failed`` has one line per
    failed expectation, naming the table and check.
    """
    tables = build_layer(layer, frames)
    with _LOCK:
        if docs_dir is None:
            with tempfile.TemporaryDirectory(prefix="gongkai-gx-") as tmp:
                return _run(layer, tables, docs_dir=None, store_dir=Path(tmp))
        docs_dir = Path(docs_dir)
        return _run(layer, tables, docs_dir=docs_dir, store_dir=Path(store_dir or docs_dir / ".gx_store"))


# --------------------------------------------------------------------------------------- GX plumbing


def _import_gx():
    import great_expectations as gx

    return gx


def _view(name: str) -> dict[str, str]:
    return {"module_name": "expectations.gx_views", "class_name": name}  # templates compiled once per process


def _context(gx, docs_dir: Path | None, store_dir: Path):
    from great_expectations.data_context.types.base import DataContextConfig, ProgressBarsConfig

    def filesystem(path: Path) -> dict:
        return {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(path)}

    in_memory = {"class_name": "InMemoryStoreBackend"}
    sites = {}
    if docs_dir is not None:
        sites[SITE_NAME] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": filesystem(docs_dir),
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder", "view": _view("IndexPageView")},
            "site_section_builders": {
                section: {"view": _view("PageView")} for section in ("expectations", "validations", "profiling")
            },
        }
    config = DataContextConfig(
        stores={
            "expectations_store": {
                "class_name": "ExpectationsStore",
                "store_backend": filesystem(store_dir / "expectations"),
            },
            "validation_results_store": {
                "class_name": "ValidationResultsStore",
                "store_backend": filesystem(store_dir / "validations"),
            },
            "checkpoint_store": {"class_name": "CheckpointStore", "store_backend": in_memory},
            "validation_definition_store": {
                "class_name": "ValidationDefinitionStore",
                "store_backend": in_memory,
            },
        },
        expectations_store_name="expectations_store",
        validation_results_store_name="validation_results_store",
        checkpoint_store_name="checkpoint_store",
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _expectation(gx, check: Check, index: int):
    from great_expectations.expectations.row_conditions import Column

    cls_name = "".join(part.capitalize() for part in check.expectation.split("_"))
    cls = getattr(gx.expectations, cls_name)
    kwargs: dict[str, Any] = dict(check.kwargs)
    if check.where is not None:
        col = Column(check.where.column)
        op, value = check.where.op, check.where.value
        kwargs["row_condition"] = {"==": col.__eq__, "!=": col.__ne__, "in": col.is_in}[op](value)
    return cls(**kwargs, notes=check.notes, meta={"check": index}, catch_exceptions=True)


def _run(layer: str, tables: list[TableChecks], *, docs_dir: Path | None, store_dir: Path) -> SuiteResult:
    gx = _import_gx()
    context = _context(gx, docs_dir, store_dir)
    datasource = context.data_sources.add_pandas(name=layer)
    results_store = context.validation_results_store

    evaluated, failed = 0, []
    for tc in tables:
        suite_name = f"{layer}.{tc.table}"
        for key in results_store.list_keys():  # keep only the latest result of each suite
            if key.expectation_suite_identifier.name == suite_name:
                results_store.remove_key(key)
        suite = context.suites.add_or_update(
            gx.ExpectationSuite(
                name=suite_name,
                expectations=[_expectation(gx, c, i) for i, c in enumerate(tc.checks)],
                meta={"layer": layer, "table": tc.table},
            )
        )
        batch = datasource.add_dataframe_asset(name=tc.table).add_batch_definition_whole_dataframe("whole")
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite_name, data=batch, suite=suite)
        )
        id_columns = [c for c in tc.example_columns if c in tc.frame.columns]
        result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES}
        if id_columns:
            result_format["unexpected_index_column_names"] = id_columns
        outcome = validation.run(batch_parameters={"dataframe": tc.frame}, result_format=result_format)
        ordered = sorted(outcome.results, key=lambda r: (r.expectation_config.meta or {}).get("check", 0))
        evaluated += len(ordered)
        failed.extend(_describe(tc, r) for r in ordered if not r.success)

    index = None
    if docs_dir is not None:
        context.build_data_docs(site_names=[SITE_NAME])
        index = docs_dir / "index.html"
        if not index.exists():  # pragma: no cover - GX logs rendering errors instead of raising
            log.warning("GX Data Docs did not write %s", index)
            index = None
        remote = localize(docs_dir)
        if remote:
            log.warning("Data Docs pages still load %d web addresses (run `make setup`): %s", len(remote), remote)
    return SuiteResult(
        success=not failed, layer=layer, evaluated=evaluated, failed=failed, data_docs_index=index
    )


# --------------------------------------------------------------------------------------- messages


def _short(value: Any, limit: int = 60) -> str:
    import pandas as pd

    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "null"
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, str) and _SHA256.match(value):
        return repr(value[:12] + "…")
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _signature(check: Check) -> str:
    parts = list(check.columns)
    kw = check.kwargs
    if "value_set" in kw:
        values = list(kw["value_set"])
        parts.append(f"in {values!r}" if len(values) <= 8 else f"in <{len(values)} values>")
    if "min_value" in kw:
        parts.append(f"min={kw['min_value']}")
    if "max_value" in kw:
        parts.append(f"max={kw['max_value']}")
    if "regex" in kw:
        parts.append(f"regex={kw['regex']}")
    text = f"{check.expectation}({', '.join(parts)})"
    if check.where is not None:
        text += f" where {check.where}"
    return text


def _exception_message(result) -> str | None:
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for nested in info.values():
        if isinstance(nested, dict) and nested.get("raised_exception"):
            return str(nested.get("exception_message"))
    return None


def _describe(tc: TableChecks, result) -> str:
    meta = result.expectation_config.meta or {}
    check = tc.checks[meta["check"]] if "check" in meta else None
    head = f"{tc.table}: {_signature(check) if check else result.expectation_config.type}"
    if (message := _exception_message(result)) is not None:
        return f"{head} failed — raised: {message}"
    res = result.result or {}
    count = res.get("unexpected_count")
    if count is None:
        return f"{head} failed — observed {_short(res.get('observed_value'))}"
    total = res.get("element_count")
    rows = "row" if count == 1 else "rows"
    text = f"{head} failed — {count} unexpected {rows}"
    if total:
        text += f" of {total} ({res.get('unexpected_percent') or 0:.2f}%)"
    examples = res.get("partial_unexpected_index_list") or []
    if examples and isinstance(examples[0], dict):
        shown = [
            "{" + ", ".join(f"{k}={_short(v)}" for k, v in ex.items()) + "}" for ex in examples[:EXAMPLES]
        ]
    else:
        shown = [_short(v) for v in (res.get("partial_unexpected_list") or [])[:EXAMPLES]]
    if shown:
        text += ", e.g. " + "; ".join(shown)
    return text
