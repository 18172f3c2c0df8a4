"""System tests (all marked slow): real browser, faults, load scripts, benchmark, PostgreSQL, search quality
and evaluation, live Elasticsearch."""
