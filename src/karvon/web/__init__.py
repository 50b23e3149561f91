"""Base templates, navigation, error pages and the vendored static assets of the web interface."""
