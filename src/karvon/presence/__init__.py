"""Presence: entries and exits, stay registration, permits, addresses, overstay and who is present now."""
