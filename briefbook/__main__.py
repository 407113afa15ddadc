"""`python -m briefbook` and the `briefbook` script."""

from __future__ import annotations

import sys


def main() -> None:
    from briefbook.cli.main import main as cli_main

    sys.exit(cli_main())


if __name__ == "__main__":
    main()
