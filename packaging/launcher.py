"""The bundle's entry point (PyInstaller runs this file as `__main__`): the same
`main` as the `briefbook` script and `python -m briefbook`."""

from briefbook.__main__ import main

if __name__ == "__main__":
    main()
