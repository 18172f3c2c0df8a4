"""Engine tests: a real Whoosh index on disk (correctness, top-k, bulk indexing, vocabulary, check_index,
the queue, import, quality on the seeds), and the Elasticsearch path offline."""
