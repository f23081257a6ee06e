"""`python -m msgen` runs the same CLI as the `msgen` console script."""

from msgen.cli import main

main()
