"""Management commands of the matching app."""
