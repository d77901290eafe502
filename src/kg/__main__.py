"""`python -m kg` runs the CLI (tests use this to run the installed command)."""

from kg.cli import main

main()
