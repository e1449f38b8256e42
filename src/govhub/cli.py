"""The ``govhub`` command: Django's management commands with GovHub's spelling.

``govhub load-reference`` runs ``load_reference``; ``govhub audit verify`` runs ``audit verify``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govhub.settings.dev")
    args = list(sys.argv if argv is None else argv)
    # Benchmarks live with their apps: "govhub bench matching" is the matching app's command.
    if args[1:3] == ["bench", "matching"]:
        args[1:3] = ["bench-matching"]
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
