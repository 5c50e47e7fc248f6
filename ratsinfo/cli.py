"""The `ratsinfo` console script: Django's management commands with dashed names.

`ratsinfo import-vorlage PATH` runs the management command `import_vorlage`.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratsinfo.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    from ratsinfo.lib.env import ConfigurationError

    try:
        execute_from_command_line(argv)
    except ConfigurationError as exc:
        # A configuration mistake is the operator's to fix: one line, no traceback, status 2.
        print(f"ratsinfo: Konfigurationsfehler: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
