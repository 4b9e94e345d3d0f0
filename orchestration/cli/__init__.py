"""The `gongkai` command line (console script `gongkai = orchestration.cli:app`)."""

from orchestration.cli.commands import app

__all__ = ["app"]
