"""The `briefbook` command line: one module per group of sub-commands."""
