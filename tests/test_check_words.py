"""A person reads what a check checks, in words, never a dbt test id (issue 16): the UI's check descriptions,
`gongkai refresh`'s warnings and failures, and the quality report all take the words from the check specs."""

from __future__ import annotations

import io

import dagster as dg
import pytest
from rich.console import Console

OPEN_RATE_BOUND = dg.AssetCheckKey(
    dg.AssetKey(["marts", "fct_application_outcomes"]), "value_between_fct_application_outcomes_open_rate__1__0"
)


@pytest.fixture(scope="module")
def asset_graph():
    from orchestration.definitions import defs as load_definitions

    return load_definitions().resolve_asset_graph()


def test_every_dbt_check_is_described_in_words(asset_graph) -> None:
    from orchestration.gates.checks import GATE_CHECK_KEYS

    dbt_checks = [key for key in asset_graph.asset_check_keys if key not in GATE_CHECK_KEYS]
    assert len(dbt_checks) > 130  # the refresh's data tests (selectors.yml); the catalogue's run in make test
    for key in dbt_checks:
        description = asset_graph.get_check_spec(key).description
        assert description, key
        assert key.name not in description, (key.name, description)


def test_the_rate_bound_reads_as_a_sentence_with_the_column_label(asset_graph) -> None:
    description = asset_graph.get_check_spec(OPEN_RATE_BOUND).description
    assert description == (
        "fct_application_outcomes.open_rate（公开率）: 值应在 0 与 1 之间 · values lie between 0 and 1"
    )


def test_dbt_error_text_names_tests_in_words(asset_graph) -> None:
    from orchestration.cli.refresh_display import _tests_named_in_words

    text = f"Failure in test {OPEN_RATE_BOUND.name} (models/marts/_marts__analytics.yml) Got 3 results"
    worded = _tests_named_in_words(text, asset_graph)
    assert OPEN_RATE_BOUND.name not in worded
    assert "«fct_application_outcomes.open_rate（公开率）: 值应在 0 与 1 之间" in worded
    assert worded.endswith("Got 3 results")


def test_a_warning_prints_words_and_not_the_test_id(asset_graph) -> None:
    from orchestration.cli import refresh_display

    class Result:  # what print_failures reads of an ExecuteInProcessResult
        job_def = type("Job", (), {"asset_layer": type("Layer", (), {"asset_graph": asset_graph})})()
        all_events = ()

        @staticmethod
        def get_asset_check_evaluations() -> list[dg.AssetCheckEvaluation]:
            return [
                dg.AssetCheckEvaluation(
                    asset_key=OPEN_RATE_BOUND.asset_key, check_name=OPEN_RATE_BOUND.name, passed=False,
                    severity=dg.AssetCheckSeverity.WARN, metadata={},
                )
            ]

    out = io.StringIO()
    refresh_display.print_failures(Result(), Console(file=out, width=250, no_color=True))  # type: ignore[arg-type]
    printed = out.getvalue()
    assert "quality warning: fct_application_outcomes.open_rate（公开率）: 值应在 0 与 1 之间" in printed
    assert "(on marts/fct_application_outcomes)" in printed
    assert OPEN_RATE_BOUND.name not in printed
