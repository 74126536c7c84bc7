"""Fixtures of the robustness tests.

IMON_KILL_POINTS: how many times tests/robustness/test_crash.py kills a worker with SIGKILL in one run, shared
between the saving and the importing worker (default 200, the issue's minimum). Raise it for a longer hunt, e.g.
``IMON_KILL_POINTS=2000 .venv/bin/pytest tests/robustness/test_crash.py``. (An environment variable, not a
``--kill-points`` option: pytest takes pytest_addoption only from the root conftest.)
"""

import os

import pytest

DEFAULT_KILL_POINTS = 200


@pytest.fixture(scope="session")
def kill_points() -> int:
    value = os.environ.get("IMON_KILL_POINTS", "").strip()
    try:
        points = int(value) if value else DEFAULT_KILL_POINTS
    except ValueError:
        raise pytest.UsageError(f"IMON_KILL_POINTS must be a whole number, not {value!r}") from None
    if points < 2:
        raise pytest.UsageError("IMON_KILL_POINTS must be at least 2 (one kill for each worker)")
    return points
