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
