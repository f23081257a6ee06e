"""Load and validate: a profile file becomes checked data (loader, yamlsource, validate);
the annual commands edit a profile in its author's layout (edit), and `msgen init`
writes a starter one (presets)."""
