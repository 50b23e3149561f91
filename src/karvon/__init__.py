"""Karvon: mixed-migration registry, asylum procedures and regional statistics."""
