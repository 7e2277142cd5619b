"""Entry point for ``python -m kg`` and the ``kg`` command: Ctrl-C while kg loads is one line."""

from __future__ import annotations

import sys


def main() -> None:
    """Import the CLI and run it; an interrupt during the import ends quietly (130)."""
    try:
        from kg.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted: nothing was written.\n")
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
