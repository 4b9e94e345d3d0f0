"""Progress of long steps for whoever runs the job in this process: `gongkai refresh` shows it as a progress bar.

Assets call `report(...)`; nothing listens under `dagster dev` (steps run in other processes there, and their
logs show the same progress), so it costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[str, int, int, str], None]  # (stage, done, total, item)

_listeners: list[Listener] = []


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def report(stage: str, done: int, total: int, item: str = "") -> None:
    for listener in list(_listeners):
        listener(stage, done, total, item)
