"""The annual round beside the build: next-year, pull, redline and the registry answers."""
