"""The schema as a list of migrations. Never edit a released migration: add a new one and a fixture database.

sqlite-utils' Migrations is built only when a database is opened for writing: the start-up path reads the schema
version without importing sqlite-utils at all."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

_STEPS: list[Callable[[Database], None]] = []
KNOWN: list[str] = []


def _migration(fn):
    KNOWN.append(fn.__name__)
    _STEPS.append(fn)
    return fn


@cache
def migrations() -> Migrations:
    from store.database import sqlite_utils

    steps = sqlite_utils().Migrations("integrationsmonitor")
    for fn in _STEPS:
        steps(name=fn.__name__)(fn)
    return steps


@_migration
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE org_units (
            id TEXT PRIMARY KEY,
            parent_id TEXT REFERENCES org_units(id),
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            official_number TEXT,
            traeger TEXT NOT NULL DEFAULT '',
            street TEXT NOT NULL DEFAULT '',
            postcode TEXT NOT NULL DEFAULT '',
            city TEXT NOT NULL DEFAULT '',
            attributes TEXT NOT NULL DEFAULT '{}',
            valid_from INTEGER,
            valid_to INTEGER,
            successor_id TEXT REFERENCES org_units(id),
            synthetic INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX org_units_parent ON org_units(parent_id);
        CREATE TABLE submissions (
            id INTEGER PRIMARY KEY,
            org_unit_id TEXT NOT NULL REFERENCES org_units(id),
            form_id TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            year INTEGER NOT NULL,
            revision INTEGER NOT NULL,
            state TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT 'app',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finalised_at TEXT,
            exported_at TEXT,
            content_hash TEXT,
            created_by TEXT NOT NULL DEFAULT '',
            UNIQUE (org_unit_id, form_id, year, revision)
        );
        CREATE TABLE cell_values (
            submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            row TEXT NOT NULL DEFAULT '',
            col TEXT NOT NULL DEFAULT '',
            number INTEGER CHECK (number IS NULL OR number BETWEEN 0 AND 1000000),
            state TEXT CHECK (state IS NULL OR state IN ('nicht_zutreffend', 'unbekannt', 'geheim')),
            text TEXT,
            comment TEXT NOT NULL DEFAULT '',
            estimate INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (submission_id, field, row, col)
        );
        CREATE TABLE visits (
            id INTEGER PRIMARY KEY,
            org_unit_id TEXT NOT NULL REFERENCES org_units(id),
            at TEXT NOT NULL,
            mh INTEGER NOT NULL CHECK (mh IN (0, 1)),
            gender TEXT NOT NULL,
            age_group TEXT NOT NULL,
            undone_at TEXT
        );
        CREATE INDEX visits_unit_time ON visits(org_unit_id, at);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL DEFAULT '',
            submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            row TEXT NOT NULL DEFAULT '',
            col TEXT NOT NULL DEFAULT '',
            old TEXT,
            new TEXT,
            why TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX audit_submission ON audit(submission_id);
        """
    )


@_migration
def m002_exchange(db: Database) -> None:
    """Keys of the institutions, form definitions sent by the officer, and a log of every imported file."""
    db.executescript(
        """
        CREATE TABLE institution_keys (
            org_unit_id TEXT NOT NULL REFERENCES org_units(id),
            verify_key TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            PRIMARY KEY (org_unit_id, verify_key)
        );
        CREATE TABLE form_definitions (
            form_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            file_name TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (form_id, version)
        );
        CREATE TABLE import_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT '',
            file_hash TEXT NOT NULL,
            outcome TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            submission_id INTEGER REFERENCES submissions(id)
        );
        CREATE INDEX import_log_hash ON import_log(file_hash);
        """
    )


@_migration
def m003_figure_sources(db: Database) -> None:
    """The officer may keep the same figures from two sources side by side (the register and IT.NRW disagree).
    Each source is its own chain of revisions of the town's submission; '' is the main source, the one the
    report's series use. Revision numbers stay unique per institution, form and year across all sources, so the
    released UNIQUE constraint holds without rebuilding the table."""
    db.executescript(
        """
        ALTER TABLE submissions ADD COLUMN figure_source TEXT NOT NULL DEFAULT '';
        CREATE INDEX submissions_lookup ON submissions(org_unit_id, form_id, year, figure_source, revision);
        """
    )


@_migration
def m004_receipts(db: Database) -> None:
    """The officer's receipts get a table of their own; until now they were JSON under settings keys
    "quittung:<form>:<year>:<revision>", which no query could see. Those move over and leave the settings."""
    db.executescript(
        """
        CREATE TABLE receipts (
            form_id TEXT NOT NULL,
            year INTEGER NOT NULL,
            revision INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            message TEXT NOT NULL DEFAULT '',
            flags TEXT NOT NULL DEFAULT '[]',
            at TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (form_id, year, revision)
        );
        INSERT OR REPLACE INTO receipts(form_id, year, revision, outcome, message, flags, at)
            SELECT substr(key, 10, instr(substr(key, 10), ':') - 1),
                   CAST(substr(substr(key, 10), instr(substr(key, 10), ':') + 1,
                               instr(substr(substr(key, 10), instr(substr(key, 10), ':') + 1), ':') - 1) AS INTEGER),
                   CAST(substr(substr(substr(key, 10), instr(substr(key, 10), ':') + 1),
                               instr(substr(substr(key, 10), instr(substr(key, 10), ':') + 1), ':') + 1) AS INTEGER),
                   COALESCE(json_extract(value, '$.outcome'), ''), COALESCE(json_extract(value, '$.message'), ''),
                   COALESCE(json_extract(value, '$.flags'), '[]'), COALESCE(json_extract(value, '$.at'), '')
            FROM settings WHERE key LIKE 'quittung:%:%:%' AND json_valid(value);
        DELETE FROM settings WHERE key LIKE 'quittung:%';
        """
    )


@_migration
def m005_excel_permissions(db: Database) -> None:
    """The Excel forms the officer made: each carries a random access code (nonce) recorded here with the
    institution, form and year it was made for. A returned workbook is taken only if its code is recorded here for
    the same institution, form and year and not revoked: making the workbook is the officer's permission to report
    without a signature, and nobody else can make one that passes."""
    db.executescript(
        """
        CREATE TABLE excel_permissions (
            nonce TEXT PRIMARY KEY,
            org_unit_id TEXT NOT NULL REFERENCES org_units(id),
            form_id TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            year INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
        CREATE INDEX excel_permissions_unit ON excel_permissions(org_unit_id, year);
        """
    )


@_migration
def m006_value_origins(db: Database) -> None:
    """Where each field of the town's figures came from, and on which reference date it was counted: a table of
    the official statistics names its code and date for every field it fills, and the report prints that line
    under each table. The column mappings an officer made once for a table of the statistical offices are kept
    under the table's code."""
    db.executescript(
        """
        CREATE TABLE value_origins (
            submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            source TEXT NOT NULL,
            reference TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (submission_id, field)
        );
        CREATE TABLE table_mappings (
            table_code TEXT PRIMARY KEY,
            mapping TEXT NOT NULL,
            saved_at TEXT NOT NULL
        );
        """
    )


@_migration
def m007_areas(db: Database) -> None:
    """The town's own geography as data: levels it names itself (Stadtbezirk → Stadtteil, Bezirk → Unterbezirk,
    Sozialraum …), areas by the statistics office's keys with a parent, a lifetime and a boundary, successors
    where boundaries were re-cut, and figures by area key at any level instead of numbered rows of a form.

    A workspace from before keeps what it had: its Bezirke and Unterbezirke become areas of the levels "Bezirk"
    and "Unterbezirk", each institution stays in its area, and the population figures of the rows "Bezirk 1" …
    "Bezirk 12" of the town's form (the n-th Bezirk by id, as the form said) become figures of those areas."""
    db.executescript(
        """
        CREATE TABLE area_levels (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            parent TEXT REFERENCES area_levels(code),
            outline_source TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE areas (
            level TEXT NOT NULL REFERENCES area_levels(code),
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            parent_key TEXT,
            valid_from INTEGER,
            valid_to INTEGER,
            geometry TEXT,
            label_x REAL,
            label_y REAL,
            PRIMARY KEY (level, key)
        );
        CREATE TABLE area_successors (
            level TEXT NOT NULL,
            old_key TEXT NOT NULL,
            new_key TEXT NOT NULL,
            share REAL,
            PRIMARY KEY (level, old_key, new_key)
        );
        CREATE TABLE area_figures (
            level TEXT NOT NULL,
            key TEXT NOT NULL,
            year INTEGER NOT NULL,
            characteristic TEXT NOT NULL,
            number INTEGER CHECK (number IS NULL OR number >= 0),
            state TEXT CHECK (state IS NULL OR state IN ('nicht_zutreffend', 'unbekannt', 'geheim')),
            source TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (level, key, year, characteristic),
            FOREIGN KEY (level, key) REFERENCES areas(level, key)
        ) WITHOUT ROWID;
        ALTER TABLE org_units ADD COLUMN area_level TEXT;
        ALTER TABLE org_units ADD COLUMN area_key TEXT;
        """
    )
    from store.area_migration import bezirke_to_areas

    bezirke_to_areas(db)


SCHEMA_VERSION = len(KNOWN)
