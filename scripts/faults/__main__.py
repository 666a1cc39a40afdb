"""`make faults`: python -m scripts.faults."""

from scripts.faults.report import main

main()
