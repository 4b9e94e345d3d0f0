from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_corpus"
SHARED = REPO.parent / "shared"


def seed_path(prefix: str) -> Path:
    return next(SAMPLE.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def seed_bytes() -> dict[str, bytes]:
    return {prefix: seed_path(prefix).read_bytes() for prefix in ("000", "001", "002", "003", "004")}
