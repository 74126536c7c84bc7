"""The keys and names a SchILD pupil export uses, read into the rows and columns of the school form.

Each reader takes the cell as text and answers None when it cannot tell, so the caller can count and name the
cases it could not place instead of guessing.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from intake.registry_import import heading_key as _heading_key

# The same few country and language names repeat in every row of a school.
heading_key = lru_cache(maxsize=4096)(_heading_key)

ACTIVE = "2"
LEFT = ("8", "9")  # 8 = Abschluss, 9 = Abgang; 0, 1, 3, 6 (Neuaufnahme, Warteliste, beurlaubt, extern) do not count
_STATUS_NAMES = {"aktiv": "2", "abschluss": "8", "abgang": "9", "extern": "6", "neuaufnahme": "0",
                 "warteliste": "1", "beurlaubt": "3"}

_GERMAN_COUNTRY = {"deutschland", "bundesrepublik deutschland", "d", "de", "deu", "brd", "000"}
_GERMAN_LANGUAGE = {"deutsch", "de", "deu", "ger", "d"}
_YES = {"1", "-1", "j", "ja", "x", "true", "wahr", "y", "yes", "+"}

# Statistik-Kürzel (IT.NRW, as SVWS lists them), the SVWS Kürzel and names; the form's rows since 2021/22.
_ABSCHLUSS = {
    "A": "ohne", "OA": "ohne", "M": "ohne", "FOEG": "ohne", "V": "ohne", "FOEL": "ohne",
    "B": "esa", "C": "esa", "S": "esa", "O": "esa", "HA9A": "esa", "HA9": "esa", "HA9_FOE": "esa", "HA9_Q": "esa",
    "ESA": "esa", "ESAA": "esa",
    "D": "eesa", "U": "eesa", "HA10": "eesa", "HA10_Q": "eesa", "EESA": "eesa",
    "F": "msa", "MSA": "msa", "FOR": "msa",
    "G": "msa_q", "I": "msa_q", "MSA_Q": "msa_q", "MSA_Q1": "msa_q", "FORQ": "msa_q",
    "H": "fhr", "J": "fhr", "FHR_S": "fhr", "FHR": "fhr",
    "K": "ahr", "ABITUR": "ahr", "AHR": "ahr",
}
_ABSCHLUSS_NAMES = {
    "ohne abschluss": "ohne", "erster schulabschluss": "esa", "hauptschulabschluss nach klasse 9": "esa",
    "erweiterter erster schulabschluss": "eesa", "hauptschulabschluss nach klasse 10": "eesa",
    "mittlerer schulabschluss": "msa", "fachoberschulreife": "msa",
    "mittlerer schulabschluss mit qualifikationsvermerk": "msa_q",
    "fachoberschulreife mit qualifikationsvermerk": "msa_q",
    "fachhochschulreife": "fhr", "fachhochschulreife schulischer teil": "fhr",
    "allgemeine hochschulreife": "ahr", "abitur": "ahr", "abitur allgemeine hochschulreife": "ahr",
}

# SVWS: H, H/R, R, R/GY, GY, OHNE with ids 1, 5, 2, 6, 3, 4; older SchILD versions write G for Gymnasium.
_EMPFEHLUNG = {
    "h": "hauptschule", "1": "hauptschule", "hauptschule": "hauptschule",
    "h r": "haupt_eingeschr_real", "5": "haupt_eingeschr_real", "hauptschule realschule eingeschraenkt":
        "haupt_eingeschr_real", "hauptschule eingeschraenkt realschule": "haupt_eingeschr_real",
    "r": "realschule", "2": "realschule", "realschule": "realschule",
    "r gy": "real_eingeschr_gym", "r g": "real_eingeschr_gym", "6": "real_eingeschr_gym",
    "realschule gymnasium eingeschraenkt": "real_eingeschr_gym", "realschule eingeschraenkt gymnasium":
        "real_eingeschr_gym",
    "gy": "gymnasium", "g": "gymnasium", "3": "gymnasium", "gymnasium": "gymnasium",
    "ohne": "keine", "4": "keine", "keine": "keine", "keine empfehlung": "keine",
}

# School types of the registry (and the NRW directory) against the rows of "Übergang nach aufnehmender Schulform".
_TRANSITION_ROW = {
    "Hauptschule": "hauptschule", "Realschule": "realschule", "Sekundarschule": "sekundarschule",
    "Gesamtschule": "gesamtschule", "PRIMUS-Schule": "primus", "Gymnasium": "gymnasium",
    "Förderschule": "foerderschule", "Förderschule Grund-/Hauptschule": "foerderschule",
    "Förderschule Realschule/Gymnasium": "foerderschule", "Förderschule Berufskolleg": "foerderschule",
}
OTHER_SCHOOL = "sonstige"

_PRIMARY = {"1": "k1", "2": "k2", "3": "k3", "4": "k4", "E1": "k1", "E2": "k2"}
_SECONDARY = {"5": "j05", "6": "j06", "7": "j07", "8": "j08", "9": "j09", "10": "j10", "11": "j11", "12": "j12",
              "13": "j13", "EF": "j11", "Q1": "j12", "Q2": "j13"}
_LEADING_GRADE = re.compile(r"^(\d{1,2})(?!\d)")


def status(text: str) -> str:
    """The status number: "2", "02", "Aktiv" and "2 - aktiv" are all "2"."""
    key = text.strip().casefold()
    if not key:
        return ""
    number = re.match(r"\d+", key)
    if number:
        return number.group().lstrip("0") or "0"
    return _STATUS_NAMES.get(key.split()[0], key)


def grade_row(jahrgang: str, klasse: str = "") -> tuple[str, str] | None:
    """(grid, row) of the school form for a Jahrgang such as "05", "EF" or a class such as "05a"."""
    for text, from_class in ((jahrgang, False), (klasse, True)):
        key = text.strip().upper().replace(" ", "")
        if not key:
            continue
        if not from_class or key in _SECONDARY or key in _PRIMARY:
            found = _grade(key)
            if found:
                return found
        match = _LEADING_GRADE.match(key)
        if match:
            return _grade(match.group(1))
        if not from_class:
            return None  # a Jahrgang that names no grade of the form ("E3", "SK") is not guessed from the class
    return None


def _grade(key: str) -> tuple[str, str] | None:
    key = key.lstrip("0") if key.isdigit() else key
    if key in _PRIMARY:
        return "schueler_klasse_primar", _PRIMARY[key]
    if key in _SECONDARY:
        return "schueler_jahrgang_sek", _SECONDARY[key]
    return None


def is_primary_class4(jahrgang: str, klasse: str = "") -> bool:
    return grade_row(jahrgang, klasse) == ("schueler_klasse_primar", "k4")


def is_foreign(staat: str) -> bool:
    """Staatsangehörigkeit as the three-digit key of the federal statistics office; 000 and empty are German."""
    key = staat.strip().casefold()
    if not key:
        return False
    if key.isdigit():
        return int(key) != 0
    return heading_key(key) not in _GERMAN_COUNTRY | {"deutsch"}


def abroad(country: str) -> bool:
    key = heading_key(country)
    return bool(key) and key not in _GERMAN_COUNTRY


def language_not_german(language: str) -> bool:
    key = heading_key(language)
    return bool(key) and key not in _GERMAN_LANGUAGE


def yes(text: str) -> bool:
    return text.strip().casefold() in _YES


def year_set(text: str) -> bool:
    key = text.strip()
    return bool(key) and key.strip("0") != ""


def abschluss_row(text: str) -> str | None:
    key = text.strip()
    return _ABSCHLUSS.get(key.upper()) or _ABSCHLUSS_NAMES.get(heading_key(key))


def empfehlung_row(text: str) -> str | None:
    return _EMPFEHLUNG.get(heading_key(text))


def transition_row(school_type: str | None) -> str:
    return _TRANSITION_ROW.get(school_type or "", OTHER_SCHOOL)


def school_number(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return digits.lstrip("0") or ("0" if digits else "")


_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2})$"), ("d", "m", "yy")),
)


def parse_date(text: str) -> date | None:
    key = text.strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(key)
        if not match:
            continue
        parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
        year = parts.get("y") or 2000 + parts["yy"]
        try:
            return date(year, parts["m"], parts["d"])
        except ValueError:
            return None
    return None
