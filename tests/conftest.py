import os

# Must be set before anything imports Qt, so GUI tests run without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from store.database import open_database  # noqa: E402


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "test.sqlite")
    yield database
    database.close()
