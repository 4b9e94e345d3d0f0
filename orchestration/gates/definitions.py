"""The quality-gates domain: the Great Expectations suites between the layers, as asset checks."""

from __future__ import annotations

import dagster as dg

from orchestration.gates.checks import gate_checks


def definitions() -> dg.Definitions:
    return dg.Definitions(asset_checks=gate_checks)
