"""msgen: writes the annual Modern Slavery and Human Trafficking statement of UK public bodies."""

__version__ = "0.1.0"
