"""No Django admin for personal data; organisation set-up uses the management commands."""
