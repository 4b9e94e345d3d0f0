"""The quality gates between the warehouse's layers, as plain declarative data (docs/quality.md says which rule
lives where and why: a rule here is in no dbt test, and the other way round).

Nothing here imports Great Expectations: a suite is a list of `Check` specs (the snake-case name of a
GX expectation plus its keyword arguments) bound to a prepared pandas frame. `expectations.runner`
turns the specs into GX expectation objects inside its function, so importing this module stays cheap.

Rules that GX cannot state on one column (a unit that must equal the catalogue unit of the row's code,
a count that must match another frame, ...) are computed here in pandas as a helper column holding True,
False or NA ("not applicable": such rows are skipped, as GX skips nulls), and the suite expects the helper to
be True. Conditional rules on one frame ("reason is set when the row is quarantined") use a GX row condition,
written as a `Where`.

Layers and the frames each expects (keys of the `frames` mapping; `expectations.frames` reads them):

- ``documents`` (landing, before dbt; warns): ``documents``, the inventory joined with the landed records
- ``staged_facts`` (staging → marts; blocks publication): ``staged_facts``, checked against the indicator
  catalogue (`ingestion.catalogue.indicators`: units, and the signed 本年增/减 change codes)
- ``marts`` (marts → serving.duckdb; blocks publication): ``inventory``, ``dim_report``, ``fact_disclosure``,
  ``fct_report_findings``
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ingestion.catalogue.enums import REPORT_YEARS, ParseStatus, Severity
from ingestion.catalogue.indicators import FRACTIONAL_UNIT, indicators, signed_codes

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LAYERS",
    "STAGED_FACT_GRAIN",
    "Check",
    "TableChecks",
    "Where",
    "build_layer",
    "documents_suite",
    "marts_suite",
    "staged_facts_suite",
]

LAYERS = ("documents", "staged_facts", "marts")

#: The parser's promise: one fact per document, indicator and requester type.
STAGED_FACT_GRAIN = ("sha256", "indicator_code", "requester_type")


@dataclass(frozen=True)
class Where:
    """A row condition: the check only looks at rows where ``column <op> value``.

    ``op`` is one of ``==``, ``!=`` or ``in`` (value then a sequence).
    """

    column: str
    op: str
    value: Any

    def __str__(self) -> str:
        if self.op == "in":
            return f"{self.column} in {list(self.value)!r}"
        return f"{self.column} {self.op} {self.value!r}"


@dataclass(frozen=True)
class Check:
    """One expectation: its GX snake-case name, keyword arguments and an optional row condition."""

    expectation: str
    kwargs: Mapping[str, Any]
    where: Where | None = None
    notes: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        if "column_list" in self.kwargs:
            return tuple(self.kwargs["column_list"])
        if "column" in self.kwargs:
            return (self.kwargs["column"],)
        return ()


@dataclass(frozen=True)
class TableChecks:
    """The checks of one frame, with the prepared frame (original columns plus helper columns).

    ``example_columns`` name the rows in failure messages (only those present in the frame are used).
    """

    table: str
    frame: pd.DataFrame
    checks: tuple[Check, ...]
    example_columns: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------------------- helpers


def _not_null(column: str, *, where: Where | None = None, notes=None) -> Check:
    return Check("expect_column_values_to_not_be_null", {"column": column}, where, notes)


def _in_set(column: str, values: Sequence[Any], *, where: Where | None = None, notes=None) -> Check:
    return Check(
        "expect_column_values_to_be_in_set", {"column": column, "value_set": list(values)}, where, notes
    )


def _between(column: str, min_value=None, max_value=None, *, where: Where | None = None, notes=None) -> Check:
    kwargs: dict[str, Any] = {"column": column}
    if min_value is not None:
        kwargs["min_value"] = min_value
    if max_value is not None:
        kwargs["max_value"] = max_value
    return Check("expect_column_values_to_be_between", kwargs, where, notes)


def _is_true(helper: str, notes: str) -> Check:
    """A helper column computed in pandas must be True wherever it applies (NA rows are skipped)."""
    return _in_set(helper, [True], notes=notes)


def _bool_helper(values: pd.Series, applies: pd.Series) -> pd.Series:
    """A nullable boolean helper column: ``values`` where ``applies``, NA elsewhere."""
    out = values.astype("boolean")
    return out.mask(~applies.fillna(False).astype(bool))


def _require(frames: Mapping[str, pd.DataFrame], *names: str) -> None:
    missing = [n for n in names if n not in frames]
    if missing:
        raise ValueError(f"missing frame(s) {missing}; got {sorted(frames)}")


# --------------------------------------------------------------------------------------- layers


def documents_suite(frames: Mapping[str, pd.DataFrame]) -> list[TableChecks]:
    """Landing, before dbt reads it: one row per inbox file, joined with its landed document record.

    A parsed report without a year is not a defect: it is listed in dim_report with a reason and the parser's
    year_missing finding, and only its facts are held back. A year outside `REPORT_YEARS` is a misreading. That a
    file not read says why is dim_report's rule (dbt), for quarantines and every other status alike.
    """
    _require(frames, "documents")
    df = frames["documents"]
    parsed = Where("parse_status", "==", ParseStatus.PARSED.value)
    checks = (
        _not_null("parse_status", notes="every inbox file was read or quarantined: it has a landing record"),
        Check(
            "expect_column_values_to_match_regex",
            {"column": "sha256", "regex": r"^[0-9a-f]{64}$"},
            notes="lower-case hex SHA-256 of the file content",
        ),
        _between("size_bytes", min_value=0),
        _between(
            "report_year", REPORT_YEARS.start, REPORT_YEARS.stop - 1,
            notes="a year a report can cover (ingestion.catalogue.enums.REPORT_YEARS); null: not read",
        ),
        _not_null("template", where=parsed, notes="a parsed report has a detected template"),
    )
    return [TableChecks("documents", df, checks, ("path", "sha256", "parse_status"))]


def staged_facts_suite(frames: Mapping[str, pd.DataFrame]) -> list[TableChecks]:
    """The parser's facts, against the indicator catalogue: its grain, the catalogue unit, signs, whole numbers.

    Values are counts and amounts, never below 0, except the signed change codes (label 本年增/减, see
    ``ingestion.catalogue.signed_codes``), whose decreases are negative. Codes, requester types and extraction
    methods outside their lists are dbt's to catch (relationships to the seeds), before this gate runs.
    """
    _require(frames, "staged_facts")
    catalogue = {code: indicator.unit for code, indicator in indicators().items()}
    df = frames["staged_facts"]
    prepared = df
    if "indicator_code" in df.columns:
        prepared = prepared.assign(signed_change=df["indicator_code"].isin(signed_codes()).astype(bool))
    if {"indicator_code", "unit"} <= set(df.columns):
        expected_unit = df["indicator_code"].map(catalogue)
        known = expected_unit.notna()  # an unknown code is dbt's relationships test's to report
        same = (df["unit"].astype(object) == expected_unit).fillna(False).astype(bool)  # a null unit differs
        prepared = prepared.assign(
            catalogue_unit=expected_unit, unit_matches_catalogue=_bool_helper(same, known)
        )
    if {"value", "unit"} <= set(df.columns):
        value = df["value"].astype("Float64")
        whole = (value == value.round(0)) | (df["unit"] == FRACTIONAL_UNIT)
        prepared = prepared.assign(value_is_whole_unless_wan_yuan=_bool_helper(whole, value.notna()))
    checks = (
        Check(
            "expect_compound_columns_to_be_unique",
            {"column_list": list(STAGED_FACT_GRAIN)},
            notes="one fact per document, indicator and requester type (a repeated table yields each fact once)",
        ),
        _between(
            "value",
            min_value=0,
            where=Where("signed_change", "==", False),
            notes="counts and amounts are not negative (nulls allowed); the change codes (本年增/减) are signed",
        ),
        _is_true("unit_matches_catalogue", "unit equals the catalogue unit of the indicator code"),
        _is_true(
            "value_is_whole_unless_wan_yuan", f"values are whole numbers unless the unit is {FRACTIONAL_UNIT}"
        ),
    )
    return [
        TableChecks(
            "staged_facts",
            prepared,
            checks,
            ("sha256", "indicator_code", "requester_type", "value", "unit", "catalogue_unit"),
        )
    ]


def _counts(values: pd.Series, of: pd.Series) -> pd.Series:
    """How often each of `values` occurs in `of`."""
    return values.map(of.value_counts()).fillna(0).astype(int)


def marts_suite(frames: Mapping[str, pd.DataFrame]) -> list[TableChecks]:
    """The published marts as the contract promises them, across models (each model's own keys, nulls and
    references are its dbt tests', dim_report's one row per path included): nothing dropped in the inbox
    disappears, dim_report's fact counts are what fact_disclosure holds, and its hard-finding counts
    (violation_count) what fct_report_findings lists: the figure the CLI, `gongkai status`, mart_agency_year and
    the quality report each show."""
    _require(frames, "inventory", "dim_report", "fact_disclosure", "fct_report_findings")
    inventory, report, facts = frames["inventory"], frames["dim_report"], frames["fact_disclosure"]
    findings = frames["fct_report_findings"]
    inventory = inventory.assign(
        in_dim_report=(_counts(inventory["source_file"], report["source_file"]) > 0).astype("boolean")
    )
    published = _counts(report["document_id"], facts["document_id"])
    matches = _bool_helper(report["fact_count"] == published, report["fact_count"].notna())
    hard = _counts(report["document_id"], findings.loc[findings["severity"] == Severity.HARD.value, "document_id"])
    hard_matches = _bool_helper(report["violation_count"] == hard, report["violation_count"].notna())
    report = report.assign(
        published_facts=published, fact_count_matches_fact_disclosure=matches,
        hard_findings=hard, violation_count_matches_findings=hard_matches,
    )
    return [
        TableChecks(
            "inventory",
            inventory,
            (_is_true("in_dim_report", "every file found under the inbox has a row in dim_report"),),
            ("source_file",),
        ),
        TableChecks(
            "dim_report",
            report,
            (
                _is_true(
                    "fact_count_matches_fact_disclosure",
                    "dim_report.fact_count is the number of fact_disclosure rows carrying the document_id",
                ),
                _is_true(
                    "violation_count_matches_findings",
                    "dim_report.violation_count is the number of hard findings of the document in "
                    "fct_report_findings",
                ),
            ),
            ("document_id", "source_file", "fact_count", "published_facts", "violation_count", "hard_findings"),
        ),
    ]


def build_layer(layer: str, frames: Mapping[str, pd.DataFrame]) -> list[TableChecks]:
    """The suites of one layer (see the module docstring for the frames each needs)."""
    suites = {"documents": documents_suite, "staged_facts": staged_facts_suite, "marts": marts_suite}
    if layer not in suites:
        raise ValueError(f"unknown layer {layer!r}; expected one of {LAYERS}")
    return suites[layer](frames)
