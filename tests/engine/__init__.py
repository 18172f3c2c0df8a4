"""Engine tests: a real Whoosh index on disk (correctness, top-k, bulk indexing, vocabulary, check_index,
the queue, import), and the Elasticsearch path offline."""
