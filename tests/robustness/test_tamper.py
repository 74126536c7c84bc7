"""Every single-byte change and every truncation of a reference submission file and a reference setup file is
rejected with a clear German reason; no exception other than a UserError ever reaches the user.

Each file is mutated exhaustively: every byte flipped with XOR 0xFF and with XOR 0x01 (the smallest change, which
keeps hex digits and JSON mostly well-formed and so reaches the deeper checks), and every truncation to 0..len-1
bytes. The setup file's argon2id limits are set to libsodium's minimum for the exhaustive run (the file records its
limits, so the reader follows them); a sampled run on a file with the shipped limits checks the same path for real.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nacl import pwhash

import sync.keys
from common.errors import UserError
from store.database import open_database
from sync.holder import setup_from_file
from sync.importer import IMPORTED, REJECTED, import_from, import_one
from sync.officer import write_setup_file
from tests.sync.exchange_helpers import (
    KITA,
    ListSource,
    Memo,
    export_revision,
    holder_db,
    kita_values,
    officer_db,
)


def mutations(raw: bytes, positions: Iterator[int] | None = None, truncations: bool = True
              ) -> Iterator[tuple[str, bytes]]:
    """(label, bytes) for each byte flip (XOR 0xFF and XOR 0x01) and each truncation to 0..len-1 bytes."""
    for i in range(len(raw)) if positions is None else positions:
        for mask in (0xFF, 0x01):
            changed = bytearray(raw)
            changed[i] ^= mask
            yield f"Byte {i} ^ {mask:#04x}", bytes(changed)
    if truncations:
        for n in range(len(raw)):
            yield f"auf {n} Bytes gekürzt", raw[:n]


def plain_german_reason(text: str) -> bool:
    """A message for the user: not empty, and no Python exception text leaking through."""
    return bool(text.strip()) and not any(s in text for s in ("Traceback", "Error", "Exception", "b'", "\\x"))


def snapshot(db) -> dict[str, list]:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: db.execute(f"SELECT * FROM [{t}]").fetchall() for t in tables}


# --- the submission file -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    folder = tmp_path_factory.mktemp("town")
    officer, keys = officer_db(folder)
    holder = holder_db(folder, officer, keys)
    path, _draft = export_revision(holder, folder, 2025, kita_values())
    yield officer, keys, path.read_bytes()
    holder.close()
    officer.close()


def test_every_byte_flip_and_truncation_of_a_submission_file_is_rejected(town):
    officer, keys, raw = town
    before = snapshot(officer)
    cases = list(mutations(raw))
    assert len(cases) == 3 * len(raw) >= 3000
    print(f"\n{len(cases)} veränderte Meldungsdateien ({len(raw)} Bytes)")

    failures = []
    for label, data in cases:
        try:
            result = import_one(officer, keys, Memo("meldung.imon", data), dry_run=True)
        except Exception as exc:  # every escaping exception is a finding
            failures.append(f"{label}: {type(exc).__name__}: {exc}")
            continue
        if result.outcome != REJECTED or not plain_german_reason(result.reason):
            failures.append(f"{label}: {result.outcome} / {result.reason!r}")
    assert not failures, f"{len(failures)} von {len(cases)} Fällen:\n" + "\n".join(failures[:20])
    assert snapshot(officer) == before

    # The whole import as the officer runs it: every file refused with its reason, none stored, each logged.
    source = ListSource([Memo(f"meldung_{i}.imon", data) for i, (_label, data) in enumerate(cases)])
    summary = import_from(officer, keys, source)
    assert summary.counts[REJECTED] == len(cases) and not summary.ok
    assert source.accepted_items == [] and len(source.rejected_items) == len(cases)
    assert all(plain_german_reason(reason) for _name, reason in source.rejected_items)
    assert officer.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 0
    assert officer.execute("SELECT COUNT(*) FROM cell_values").fetchone()[0] == 0
    assert officer.execute("SELECT COUNT(*), COUNT(DISTINCT outcome), MIN(outcome) FROM import_log").fetchone() == (
        len(cases), 1, REJECTED)

    # The untouched file still goes in: the refusals above were about the changes, not the test's set-up.
    assert import_one(officer, keys, Memo("meldung.imon", raw)).outcome == IMPORTED


# --- the setup file ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def setup_files(tmp_path_factory):
    """A first setup file with its passphrase and a yearly update, both with the smallest argon2id limits."""
    folder = tmp_path_factory.mktemp("setup")
    officer, keys = officer_db(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sync.keys, "OPSLIMIT", pwhash.argon2id.OPSLIMIT_MIN)
        mp.setattr(sync.keys, "MEMLIMIT", pwhash.argon2id.MEMLIMIT_MIN)
        first = folder / "kita.imsetup"
        passphrase = write_setup_file(officer, keys, KITA.id, first)
    update = folder / "kita-update.imsetup"
    assert write_setup_file(officer, keys, KITA.id, update, first=False) is None
    yield folder, first.read_bytes(), passphrase, update.read_bytes()
    officer.close()


def refuse_all(holder, folder: Path, cases: list[tuple[str, bytes]], passphrase: str | None) -> list[str]:
    """Feeds each changed file to setup_from_file; returns what went wrong (an empty list when all were refused)."""
    failures = []
    target = folder / "geaendert.imsetup"
    for label, data in cases:
        target.write_bytes(data)
        try:
            unit = setup_from_file(holder, target, passphrase)
        except UserError as exc:
            if not plain_german_reason(exc.message):
                failures.append(f"{label}: {type(exc).__name__} {exc.message!r}")
        except Exception as exc:  # every escaping exception is a finding
            failures.append(f"{label}: {type(exc).__name__}: {exc}")
        else:
            failures.append(f"{label}: angenommen ({unit.id})")
    return failures


def assert_every_change_refused_and_the_original_taken(holder, tmp_path, raw: bytes, passphrase: str | None,
                                                       what: str) -> None:
    """Every mutation of `raw` is refused without changing the holder's database; the file itself is then taken."""
    before = snapshot(holder)
    cases = list(mutations(raw))
    assert len(cases) == 3 * len(raw) >= 3000
    print(f"\n{len(cases)} veränderte {what} ({len(raw)} Bytes)")

    failures = refuse_all(holder, tmp_path, cases, passphrase)
    assert not failures, f"{len(failures)} von {len(cases)} Fällen:\n" + "\n".join(failures[:20])
    assert snapshot(holder) == before

    (tmp_path / "echt.imsetup").write_bytes(raw)
    assert setup_from_file(holder, tmp_path / "echt.imsetup", passphrase).id == KITA.id


def test_every_byte_flip_and_truncation_of_a_first_setup_file_is_refused(setup_files, tmp_path):
    folder, raw, passphrase, _update = setup_files
    holder = open_database(tmp_path / "kita.sqlite")
    assert_every_change_refused_and_the_original_taken(holder, tmp_path, raw, passphrase, "Einrichtungsdateien")
    holder.close()


def test_every_byte_flip_and_truncation_of_a_setup_update_is_refused(setup_files, tmp_path):
    folder, first, passphrase, raw = setup_files
    holder = open_database(tmp_path / "kita.sqlite")
    (tmp_path / "erst.imsetup").write_bytes(first)
    setup_from_file(holder, tmp_path / "erst.imsetup", passphrase)
    assert_every_change_refused_and_the_original_taken(holder, tmp_path, raw, None, "Aktualisierungen")
    holder.close()


def test_changed_setup_file_with_the_shipped_passphrase_limits_is_refused(tmp_path):
    """The same path with the real argon2id limits (about 0.1 s each), on a deterministic sample of positions:
    the protected key in the header, the signature and the body."""
    officer, keys = officer_db(tmp_path)
    path = tmp_path / "kita.imsetup"
    passphrase = write_setup_file(officer, keys, KITA.id, path)
    raw = path.read_bytes()
    positions = sorted({*range(0, len(raw), max(1, len(raw) // 24)), len(raw) - 1})
    cases = list(mutations(raw, iter(positions), truncations=False))
    cases += [(f"auf {n} Bytes gekürzt", raw[:n]) for n in (0, 10, len(raw) // 2, len(raw) - 1)]
    holder = open_database(tmp_path / "kita.sqlite")
    before = snapshot(holder)

    failures = refuse_all(holder, tmp_path, cases, passphrase)
    assert not failures, "\n".join(failures)
    assert snapshot(holder) == before
    holder.close()
    officer.close()


@pytest.mark.parametrize(("field", "value"), [("memlimit", 1024), ("opslimit", 0), ("salt", "00" * 4)])
def test_setup_file_with_out_of_range_passphrase_limits_is_refused_not_crashing(tmp_path, field, value):
    """A header whose argon2id parameters libsodium would refuse (below its minimum, a short salt) is reported
    as a damaged file; before, libsodium's ValueError escaped to the user."""
    from sync.keys import KeyProblem, unprotect

    officer, keys = officer_db(tmp_path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sync.keys, "OPSLIMIT", pwhash.argon2id.OPSLIMIT_MIN)
        mp.setattr(sync.keys, "MEMLIMIT", pwhash.argon2id.MEMLIMIT_MIN)
        protected = sync.keys.protect(b"{}", "abcd")
    protected[field] = value
    with pytest.raises(KeyProblem, match="beschädigt"):
        unprotect(protected, "abcd")
    officer.close()
