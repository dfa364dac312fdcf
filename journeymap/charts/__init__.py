"""Charts of a map, as matplotlib Figures built without pyplot (no global state)."""
