"""Unit tests: pure functions (analysis, cleaning, tagging, query parsing, expansion, charts, the
evaluation's metrics and baseline stemmer), property tests."""
