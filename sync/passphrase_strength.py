"""Is the officer's passphrase hard enough to guess? It protects every key of the town's exchange, and its backup
lies on a USB stick: an attacker with the file can try guesses offline.

A small estimate in the manner of zxcvbn, without its megabytes of lists: the passphrase (as sync.keys reads it:
lower case, without spaces and dashes) is cut into pieces, each costing the bits an attacker needs to guess it —
a word from the shipped list of common passwords and obvious words (haeufige_kennwoerter.txt) about 11 bits, a
year 7, a run of one character, a keyboard or alphabet sequence or a repetition of an earlier part a few, every
other character 3 to 5. Enough bits and at least 12 characters make a passphrase good enough.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from common.i18n import _

MIN_LENGTH = 12
MIN_BITS = 40
WORD_BITS = 11  # about 2,000 entries in the list
WORD_LIST = Path(__file__).resolve().parent / "haeufige_kennwoerter.txt"
SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertzuiopü", "asdfghjklöä", "yxcvbnm", "qwertyuiop",
             "zxcvbnm", "1qay2wsx3edc4rfv5tgb6zhn7ujm8ik9ol0p", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p")
LEET = str.maketrans("0134578@$!|", "oieastbasil")


@cache
def common_words() -> frozenset[str]:
    try:
        lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    except OSError:  # a bundle without the list still refuses the worst
        lines = ["passwort", "password", "kennwort", "integration", "qwertz", "qwerty", "hallo", "geheim"]
    return frozenset(w for w in (line.strip().lower() for line in lines) if len(w) >= 4 and not w.startswith("#"))


def normalised(passphrase: str) -> str:
    # As sync.keys._normalised reads it: capitals, spaces and dashes add nothing an attacker has to guess.
    return "".join(passphrase.lower().split()).replace("-", "")


def _sequence_length(text: str, i: int) -> int:
    best = 0
    for line in SEQUENCES:
        for run in (line, line[::-1]):
            n = 0
            start = run.find(text[i]) if text[i] in run else -1
            while start >= 0 and i + n < len(text) and start + n < len(run) and text[i + n] == run[start + n]:
                n += 1
            best = max(best, n)
    return best if best >= 3 else 0


def _pieces(text: str, known: frozenset[str] = frozenset()) -> list[tuple[int, float]]:
    """(length, bits) of each piece, left to right; at each place the longest pattern wins, then the cheapest."""
    words, leet = common_words() | known, text.translate(LEET)
    longest_word = max(map(len, words), default=0)
    pieces, i = [], 0
    while i < len(text):
        found: list[tuple[int, float]] = []
        for n in range(min(longest_word, len(text) - i), 3, -1):
            if text[i:i + n] in words:
                found.append((n, WORD_BITS))
                break
            if leet[i:i + n] in words:
                found.append((n, WORD_BITS + 1))
                break
        for n in range(len(text) - i, 2, -1):
            if text[i:i + n] in text[:i]:
                found.append((n, 2.0))  # a repetition of an earlier part
                break
        same = len(text[i:]) - len(text[i:].lstrip(text[i]))
        if same >= 3:
            found.append((same, 2 + math.log2(same)))
        seq = _sequence_length(text, i)
        if seq:
            found.append((seq, 4.0))
        digits = len(text[i:]) - len(text[i:].lstrip("0123456789"))
        if digits == 4 and text[i:i + 2] in ("19", "20"):
            found.append((4, 7.0))  # a year
        if found:
            pieces.append(max(found, key=lambda f: (f[0], -f[1])))
        else:
            ch = text[i]
            pieces.append((1, 3.3 if ch.isdigit() else 4.7 if ch.isalpha() else 5.0))
        i += pieces[-1][0]
    return pieces


def guess_bits(passphrase: str, known_words: Iterable[str] = ()) -> float:
    known = frozenset(w for name in known_words for w in re.split(r"[^\w]+|_", name.lower()) if len(w) >= 4)
    return sum(bits for _n, bits in _pieces(normalised(passphrase)[:128], known))  # enough to judge, and quick


def passphrase_problem(passphrase: str, known_words: Iterable[str] = ()) -> str | None:
    """None for a good passphrase, else a German sentence saying why not and what a good one looks like.
    `known_words`: names an attacker would try first, e.g. the town's and its districts'."""
    advice = _("Ein gutes Kennwort ist lang und für andere nicht vorhersehbar, z. B. vier zufällige Wörter wie "
               "„Kranich Mühle Oboe Treppe“ – ohne Namen, Jahreszahlen, Tastaturfolgen wie „qwertz“ oder "
               "„1234“ und ohne Wiederholungen.")
    if len(normalised(passphrase)) < MIN_LENGTH:
        return _("Das Kennwort ist zu kurz: bitte mindestens {n} Zeichen (ohne Leerzeichen und Bindestriche).").format(
            n=MIN_LENGTH) + " " + advice
    if guess_bits(passphrase, known_words) < MIN_BITS:
        return _("Das Kennwort ist zu leicht zu erraten: es besteht vor allem aus häufigen Wörtern, Zahlen, Folgen "
                 "oder Wiederholungen.") + " " + advice
    return None
