"""The seeds folder of the dbt project: the one place the parser reads its data files from.

The catalogue, the identity rules, the vocabulary of closed code lists, the agency register and the division
table are dbt seeds, so the warehouse and the parser read the same rows.
"""

from __future__ import annotations

import csv
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


def seed_path(name: str) -> Path:
    return SEEDS_DIR / name


def read_seed(name: str) -> list[dict[str, str]]:
    """The rows of one seed file (`name` with its .csv), as strings."""
    with seed_path(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
