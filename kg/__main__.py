"""Entry point for ``python -m kg``."""

from __future__ import annotations

from kg.cli import main

main()
