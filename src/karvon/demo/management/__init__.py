"""Management commands that load and describe the demo."""
