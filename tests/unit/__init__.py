"""Unit tests: pure functions (analysis, cleaning, tagging, query parsing, expansion, charts), property tests."""
