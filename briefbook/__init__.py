"""briefbook: the application (Qt window and command line) over the core in `db/` and `exporters/`.

Importing this package loads no Qt: the command line stays fast and runs
without a screen.
"""

__version__ = "0.1.0"
