"""The national registry: persons, names, documents, households, registrations and profiles."""
