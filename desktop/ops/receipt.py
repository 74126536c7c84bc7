"""The holder's PDF receipt of the open form."""

from __future__ import annotations

from pathlib import Path

from desktop.ops.entry_session import EntrySession


def receipt_for(session: EntrySession, path: Path) -> Path:
    from reports.receipt import write_receipt

    return write_receipt(path, institution=session.institution, form=session.form, submission=session.submission,
                         values=session.values, content_hash=session.submission.content_hash or "",
                         exported_file_name=session.suggested_file_name())
