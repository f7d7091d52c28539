"""`python -m gateui …` is the `gateui` command (for machines without the console script)."""

from gateui.cli import main

main()
