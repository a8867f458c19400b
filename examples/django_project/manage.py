#!/usr/bin/env python
"""Django's command-line utility for the example project."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nexus.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":  # pragma: no cover - run from a shell, not imported by the tests
    main()
