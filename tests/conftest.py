import os

# Must be set before anything imports Qt, so GUI tests run without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The tests read the German texts whatever the machine's language, and never the tester's own saved choice;
# tests of the English translation start their own process with IMON_LANGUAGE=en.
os.environ["IMON_LANGUAGE"] = "de"
os.environ["IMON_CONFIG_DIR"] = os.path.join(os.path.dirname(__file__), "..", ".pytest_cache", "imon-config")

import pytest  # noqa: E402

from store.database import open_database  # noqa: E402


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "test.sqlite")
    yield database
    database.close()


@pytest.fixture(autouse=True)
def quick_officer_keys(request, monkeypatch):
    """The officer's keys are protected with argon2id's moderate limits (about 1 s and 256 MiB per try); the tests
    make and unlock them dozens of times, so they use the interactive limits, except where a test names the
    `real_officer_limits` fixture to check the real ones."""
    if "real_officer_limits" not in request.fixturenames:
        import sync.keys

        monkeypatch.setattr(sync.keys, "OFFICER_OPSLIMIT", sync.keys.OPSLIMIT)
        monkeypatch.setattr(sync.keys, "OFFICER_MEMLIMIT", sync.keys.MEMLIMIT)


@pytest.fixture
def real_officer_limits():
    """Asks quick_officer_keys to leave the officer's argon2id limits as the program has them."""
