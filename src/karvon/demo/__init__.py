"""Demo data: fictional people for demonstrations and load tests."""
