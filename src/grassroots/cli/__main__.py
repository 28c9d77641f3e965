"""Run the ``grassroots`` command as ``python -m grassroots.cli``."""

from grassroots.cli import main

if __name__ == "__main__":
    main()
