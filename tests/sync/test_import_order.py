"""Whatever order files arrive in, and however often, the officer ends with the same database."""

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.database import open_database
from sync.importer import import_from
from tests.sync.exchange_helpers import ListSource, Memo, export_revision, holder_db, kita_values, officer_db


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ordnung")
    officer, keys = officer_db(folder)
    holder = holder_db(folder, officer, keys)
    files = []
    for year in (2023, 2024):
        path, sid = export_revision(holder, folder, year, kita_values(40 + year % 10), name=f"{year}-1.imon")
        files.append(path)
        for revision, children in ((2, 44), (3, 47)):
            path, sid = export_revision(holder, folder, year, kita_values(children + year % 10), correction_of=sid,
                                        name=f"{year}-{revision}.imon")
            files.append(path)
    officer.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    officer.close()
    return folder / "rathaus.sqlite", keys, [Memo(p.name, p.read_bytes()) for p in files]


def final_state(db):
    rows = db.execute(
        """SELECT s.year, s.revision, v.field, v.row, v.col, v.number FROM submissions s
           JOIN cell_values v ON v.submission_id = s.id ORDER BY 1, 2, 3, 4, 5""").fetchall()
    current = db.execute("SELECT year, MAX(revision) FROM submissions GROUP BY year ORDER BY year").fetchall()
    return rows, current


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_order_with_repeats_gives_the_same_database(town, tmp_path_factory, data):
    template, keys, files = town
    order = data.draw(st.permutations(files))
    repeats = data.draw(st.lists(st.sampled_from(files), max_size=4))
    path = tmp_path_factory.mktemp("lauf") / "rathaus.sqlite"
    shutil.copy(template, path)
    db = open_database(path)
    summary = import_from(db, keys, ListSource(list(order) + repeats))
    assert summary.ok
    rows, current = final_state(db)
    assert current == [(2023, 3), (2024, 3)]
    assert len({(r[0], r[1]) for r in rows}) == 6  # every revision kept as history

    reference_path = tmp_path_factory.mktemp("referenz") / "rathaus.sqlite"
    shutil.copy(template, reference_path)
    reference = open_database(reference_path)
    import_from(reference, keys, ListSource(list(files)))
    assert (rows, current) == final_state(reference)
