"""Tests of the matching app."""
