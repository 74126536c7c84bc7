"""Where it is kept: the SQLite schema, migrations and all SQL, shared by the holder's and the officer's database."""

import sys


def _import_sqlite_utils_without_pandas() -> None:
    """sqlite-utils imports pandas and numpy whenever they are installed, only to map their types when it creates
    tables from DataFrames, which this program never does; that costs about half a second before the holder's
    first form is listed. Imported while both are marked absent, it skips them; a report's later `import pandas`
    still loads the real one, because the marks are taken away again at once."""
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # the import system's own sign for "not installed"
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


_import_sqlite_utils_without_pandas()
