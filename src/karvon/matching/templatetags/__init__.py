"""Template tags of matching."""
