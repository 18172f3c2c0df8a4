"""System tests (all marked slow): real browser, faults, load scripts, benchmark, PostgreSQL, the
evaluation end to end and its --ci gate on the corpus, live Elasticsearch."""
