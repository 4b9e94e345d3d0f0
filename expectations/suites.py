"""The data-quality suites of each warehouse layer, as plain declarative data.

Nothing here imports Great Expectations: a suite is a list of `Check` specs (the snake-case name of a
GX expectation plus its keyword arguments) bound to a prepared pandas frame. `expectations.runner`
turns the specs into GX expectation objects inside its function, so importing this module stays cheap.

Rules that GX cannot state on one column (a unit that must equal the catalogue unit of the row's code,
a referential-integrity lookup against another frame, ...) are computed here in pandas as a helper
column holding True, False or NA ("not applicable": such rows are skipped, as GX skips nulls), and the
suite expects the helper to be True. Conditional rules on one frame ("reason is set when the row is
quarantined") use a GX row condition, written as a `Where`.

Layers and the frames each expects (keys of the `frames` mapping):

- ``documents``: ``documents``
- ``staged_facts``: ``staged_facts`` (needs the indicator catalogue: code -> unit; the codes whose values are
  signed come from ``ingestion.catalogue.signed_codes``, the catalogue's change rows labelled 本年增/减)
- ``marts``: ``fact_disclosure``, ``dim_report``, ``dim_agency``, ``dim_indicator`` (and optionally
  ``fct_report_findings``)
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingestion.catalogue.enums import (
    REPORT_YEARS,
    ExtractionMethod,
    ParseStatus,
    RequesterType,
    Severity,
    report_templates,
)
from ingestion.catalogue.indicators import FRACTIONAL_UNIT

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LAYERS",
    "PARSE_STATUSES",
    "REQUESTER_TYPES",
    "TEMPLATES",
    "Check",
    "TableChecks",
    "Where",
    "build_layer",
    "documents_suite",
    "load_catalogue",
    "marts_suite",
    "staged_facts_suite",
]

LAYERS = ("documents", "staged_facts", "marts")

PARSE_STATUSES = tuple(s.value for s in ParseStatus)
TEMPLATES = tuple(t.template for t in report_templates())
REQUESTER_TYPES = tuple(r.value for r in RequesterType)
EXTRACTION_METHODS = tuple(m.value for m in ExtractionMethod)
MIN_REPORT_YEAR = REPORT_YEARS.start

FACT_GRAIN = ("agency_id", "report_year", "indicator_code", "requester_type")
STAGED_FACT_GRAIN = ("sha256", "indicator_code", "requester_type")
FINDING_SEVERITIES = tuple(s.value for s in Severity)


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


def _not_null(column: str, *, where: Where | None = None, mostly: float | None = None, notes=None) -> Check:
    kwargs: dict[str, Any] = {"column": column}
    if mostly is not None:
        kwargs["mostly"] = mostly
    return Check("expect_column_values_to_not_be_null", kwargs, where, notes)


def _in_set(column: str, values: Sequence[Any], *, where: Where | None = None, notes=None) -> Check:
    return Check(
        "expect_column_values_to_be_in_set", {"column": column, "value_set": list(values)}, where, notes
    )


def _unique(column: str, notes=None) -> Check:
    return Check("expect_column_values_to_be_unique", {"column": column}, notes=notes)


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


def load_catalogue(seed_csv: Path) -> dict[str, str]:
    """Read the indicator catalogue (the dbt seed ``indicators.csv``) as ``{code: unit}``."""
    with open(seed_csv, encoding="utf-8", newline="") as fh:
        return {row["code"]: row["unit"] for row in csv.DictReader(fh)}


# --------------------------------------------------------------------------------------- layers


def documents_suite(frames: Mapping[str, pd.DataFrame], *, today: dt.date | None = None) -> list[TableChecks]:
    """One row per discovered file: identity, status, quarantine reason, year and template.

    A parsed report without a year is not a defect of the pipeline: it is listed in dim_report with a reason and
    the parser's year_missing finding, and only its facts are held back (the marts suite checks that it says
    so). No share of year-less reports is required here: an inbox of undated reports is data, not a bug.
    """
    _require(frames, "documents")
    df = frames["documents"]
    max_year = (today or dt.date.today()).year + 1
    parsed = Where("parse_status", "==", "parsed")
    if {"path", "sha256"} <= set(df.columns):
        # One landing record per content hash: a hash with two document records would repeat its paths.
        per_hash = df.groupby("sha256", dropna=False)["path"].transform(lambda paths: len(paths) == paths.nunique())
        df = df.assign(one_record_per_sha256=_bool_helper(per_hash.astype(bool), df["sha256"].notna()))
    checks = (
        _not_null("path"),
        _unique("path", notes="one row per discovered file"),
        _not_null("sha256"),
        Check(
            "expect_column_values_to_match_regex",
            {"column": "sha256", "regex": r"^[0-9a-f]{64}$"},
            notes="lower-case hex SHA-256 of the file content",
        ),
        _is_true("one_record_per_sha256", "hashes unique: one landing document record per content hash"),
        _between("size_bytes", min_value=0),
        _not_null("parse_status"),
        _in_set("parse_status", PARSE_STATUSES),
        _not_null("reason", where=Where("parse_status", "==", "quarantined"), notes="a quarantine says why"),
        _between("report_year", MIN_REPORT_YEAR, max_year, notes="nulls allowed: a year that cannot be read"),
        _in_set("template", TEMPLATES, notes="null allowed for non-parsed rows"),
        _not_null("template", where=parsed, notes="a parsed report has a detected template"),
    )
    return [TableChecks("documents", df, checks, ("path", "sha256", "parse_status"))]


def staged_facts_suite(frames: Mapping[str, pd.DataFrame], catalogue: Mapping[str, str]) -> list[TableChecks]:
    """Extracted facts, checked against the indicator catalogue ``{code: unit}``.

    Values are counts and amounts, never below 0, except the signed change codes (label 本年增/减, see
    ``ingestion.catalogue.signed_codes``), whose decreases are negative.
    """
    from ingestion.catalogue.indicators import signed_codes

    _require(frames, "staged_facts")
    if not catalogue:
        raise ValueError("the staged_facts suite needs the indicator catalogue (code -> unit)")
    df = frames["staged_facts"]
    codes = sorted(catalogue)
    prepared = df
    if "indicator_code" in df.columns:
        prepared = prepared.assign(signed_change=df["indicator_code"].isin(signed_codes()).astype(bool))
    if {"indicator_code", "unit"} <= set(df.columns):
        expected_unit = df["indicator_code"].map(dict(catalogue))
        known = expected_unit.notna()  # unknown codes are reported by the code check, not here
        prepared = prepared.assign(
            catalogue_unit=expected_unit,
            unit_matches_catalogue=_bool_helper(df["unit"].astype(object) == expected_unit, known),
        )
    if {"value", "unit"} <= set(df.columns):
        value = df["value"].astype("Float64")
        whole = (value == value.round(0)) | (df["unit"] == FRACTIONAL_UNIT)
        prepared = prepared.assign(value_is_whole_unless_wan_yuan=_bool_helper(whole, value.notna()))
    checks = (
        _not_null("sha256"),
        Check(
            "expect_compound_columns_to_be_unique",
            {"column_list": list(STAGED_FACT_GRAIN)},
            notes="one fact per document, indicator and requester type (a repeated table yields each fact once)",
        ),
        _not_null("indicator_code"),
        _in_set("indicator_code", codes, notes="codes of the indicator catalogue (dbt seed indicators.csv)"),
        _not_null("requester_type"),
        _in_set("requester_type", REQUESTER_TYPES),
        _between(
            "value",
            min_value=0,
            where=Where("signed_change", "==", False),
            notes="counts and amounts are not negative (nulls allowed); the change codes (本年增/减) are signed",
        ),
        _in_set("is_approximate", [True, False]),
        _not_null("extraction_method"),
        _in_set("extraction_method", EXTRACTION_METHODS),
        _not_null("unit"),
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


def _key_column(frame: pd.DataFrame, *candidates: str) -> str:
    for c in candidates:
        if c in frame.columns:
            return c
    return candidates[0]


def _membership(values: pd.Series, frame: pd.DataFrame, key: str) -> pd.Series:
    """True when the value is a key of ``frame``; NA for null values (the not-null check owns those)."""
    keys = frame[key].dropna().unique() if key in frame.columns else []
    return _bool_helper(values.isin(keys), values.notna())


def marts_suite(frames: Mapping[str, pd.DataFrame]) -> list[TableChecks]:
    """The dbt marts: fact grain, report dimension, and referential integrity of facts to dimensions."""
    _require(frames, "fact_disclosure", "dim_report", "dim_agency", "dim_indicator")
    fact, report = frames["fact_disclosure"], frames["dim_report"]
    agency, indicator = frames["dim_agency"], frames["dim_indicator"]
    indicator_key = _key_column(indicator, "indicator_code", "code")

    helpers = {}
    for col, dim, key, helper in (
        ("document_id", report, "document_id", "document_id_in_dim_report"),
        ("agency_id", agency, "agency_id", "agency_id_in_dim_agency"),
        ("indicator_code", indicator, indicator_key, "indicator_code_in_dim_indicator"),
    ):
        if col in fact.columns:
            helpers[helper] = _membership(fact[col], dim, key)
    fact_prepared = fact.assign(**helpers)

    fact_checks = (
        Check(
            "expect_compound_columns_to_be_unique",
            {"column_list": list(FACT_GRAIN)},
            notes="grain: one value per agency, year, indicator and requester type",
        ),
        *(_not_null(c) for c in (*FACT_GRAIN, "document_id")),
        _is_true("document_id_in_dim_report", "every fact's document_id is in dim_report"),
        _is_true("agency_id_in_dim_agency", "every fact's agency_id is in dim_agency"),
        _is_true("indicator_code_in_dim_indicator", "every fact's indicator_code is in dim_indicator"),
    )
    # A report whose agency or year could not be read is a finding about that report, not a pipeline
    # defect: its facts are held back from fact_disclosure. What must hold is that every report whose
    # facts are published has both.
    if "fact_count" in report.columns:
        report = report.assign(publishes_facts=report["fact_count"].fillna(0) > 0)
        published = Where("publishes_facts", "==", True)
    else:
        published = Where("parse_status", "==", "parsed") if "parse_status" in report.columns else None
    report_checks: tuple[Check, ...] = (
        _not_null("document_id"),
        _unique("document_id"),
        _not_null("agency_id", where=published, notes="every report with published facts has an agency"),
        _not_null("report_year", where=published, notes="every report with published facts has a year"),
    )
    # ... and a readable report without them is still listed, saying why its facts are not published.
    if {"parse_status", "agency_id", "report_year", "reason"} <= set(report.columns):
        held_back = (report["parse_status"] == "parsed") & (report["agency_id"].isna() | report["report_year"].isna())
        report = report.assign(held_back_report_says_why=_bool_helper(report["reason"].notna(), held_back))
        report_checks += (
            _is_true(
                "held_back_report_says_why",
                "a parsed report without agency or year is listed with a reason (its facts are held back)",
            ),
        )
    agency_checks = (_not_null("agency_id"), _unique("agency_id"))
    indicator_checks = (_not_null(indicator_key), _unique(indicator_key))
    tables = [
        TableChecks("fact_disclosure", fact_prepared, fact_checks, ("document_id", *FACT_GRAIN)),
        TableChecks("dim_report", report, report_checks, ("document_id", "agency_id", "report_year")),
        TableChecks("dim_agency", agency, agency_checks, ("agency_id",)),
        TableChecks("dim_indicator", indicator, indicator_checks, (indicator_key,)),
    ]
    if "fct_report_findings" in frames:  # optional: findings about reports must name a report we list
        findings = frames["fct_report_findings"]
        if "document_id" in findings.columns:
            findings = findings.assign(
                document_id_in_dim_report=_membership(findings["document_id"], report, "document_id")
            )
        finding_checks = (
            _not_null("document_id"),
            _is_true("document_id_in_dim_report", "every finding's document_id is in dim_report"),
            _not_null("severity"),
            _in_set("severity", FINDING_SEVERITIES),
        )
        tables.append(
            TableChecks("fct_report_findings", findings, finding_checks, ("document_id", "rule_id", "severity"))
        )
    return tables


def build_layer(
    layer: str,
    frames: Mapping[str, pd.DataFrame],
    *,
    catalogue: Mapping[str, str] | None = None,
) -> list[TableChecks]:
    """The suites of one layer (see the module docstring for the frames each needs)."""
    if layer == "documents":
        return documents_suite(frames)
    if layer == "staged_facts":
        return staged_facts_suite(frames, catalogue or {})
    if layer == "marts":
        return marts_suite(frames)
    raise ValueError(f"unknown layer {layer!r}; expected one of {LAYERS}")
