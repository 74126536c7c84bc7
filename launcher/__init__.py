"""The program's entry: the command line's parser decides; with no command the window opens.

It stands apart from `cli/` and `desktop/` because it is the one place that may reach both: the command line never
loads Qt, and the window never runs a headless job.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from cli.main import default_db_path, parse_args, run

    args = parse_args(argv)
    if args.selftest and not args.version:
        from desktop.selftest import run as selftest

        return selftest()
    if not args.selftest and args.command is None and not args.version:
        from desktop.app import run as run_window

        return run_window(args.db or default_db_path())
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
