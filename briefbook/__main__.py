"""`python -m briefbook` and the `briefbook` script."""

from __future__ import annotations

import gc
import sys


def main() -> None:
    # A command runs once and exits: the cyclic collector would only walk the
    # objects that importing the libraries creates (a tenth of an export's
    # time) and free nothing that exiting does not. The window, which runs
    # for hours, turns it back on (`briefbook.cli.main`).
    gc.disable()
    from briefbook.cli.main import main as cli_main

    sys.exit(cli_main())


if __name__ == "__main__":
    main()
