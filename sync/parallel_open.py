"""Opening sealed submission files in a second process while the import merges the batch before: on a machine with
two cores a large import then costs little more than opening the seals alone.

The worker gets the officer's box key and a snapshot of the institutions' public keys when it starts (the import
caches the keys for its whole run anyway) and hands back each file's submission, or None where the import should
open the file itself: any refusal, so that its reason is found and worded exactly as without the worker. Nothing
here writes anything. Not used in a bundled (frozen) program, where starting a process needs support in the
launcher, nor for small imports, where starting the process costs more than it saves.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor

MIN_FILES = 200  # a fresh interpreter takes a few tenths of a second to start

_worker: tuple | None = None


def _start(box: bytes, keys: dict[str, list[tuple[str, bool]]]) -> None:
    global _worker
    from nacl.public import PrivateKey

    _worker = (PrivateKey(box), keys)


def _open_all(datas: Sequence[bytes | None]) -> list:
    from nacl.signing import VerifyKey

    from sync.sealed_file import InstitutionKey, unseal

    box, keys = _worker

    def keys_of(unit_id: str) -> list[InstitutionKey]:
        return [InstitutionKey(VerifyKey(bytes.fromhex(k)), revoked=r) for k, r in keys.get(unit_id, ())]

    opened = []
    for data in datas:
        try:
            opened.append(unseal(data, box, keys_of) if data is not None else None)
        except Exception:  # the import opens it again itself and says why it is refused
            opened.append(None)
    return opened


class ParallelOpener:
    """One worker process that opens the seals of the next batch; every failure falls back to opening in place."""

    def __init__(self, box: bytes, keys: dict[str, list[tuple[str, bool]]]):
        import multiprocessing

        # spawn, not fork: the desktop runs the import on a thread of a Qt program, which must not be forked.
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_start,
                                        initargs=(box, keys))

    @staticmethod
    def worth_it(n_files: int) -> bool:
        return n_files >= MIN_FILES and (os.cpu_count() or 1) > 1 and not getattr(sys, "frozen", False)

    def submit(self, datas: list[bytes | None]) -> Future | None:
        try:
            return self.pool.submit(_open_all, datas)
        except Exception:
            return None

    @staticmethod
    def results(future: Future | None, n: int) -> list:
        if future is None:
            return [None] * n
        try:
            opened = future.result()
        except Exception:  # a broken worker: the import opens every file itself
            return [None] * n
        return opened if len(opened) == n else [None] * n

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
