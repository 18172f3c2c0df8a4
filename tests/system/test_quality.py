"""The search-quality evaluation's --ci gate on 800 articles of the development corpus
(skipped without it). Quality on the seeds is tests/engine/test_search_quality.py."""
import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db
def test_evaluate_search_ci_gate():
    from search.evaluation.corpus import corpus_available, corpus_dir

    if not corpus_available(corpus_dir(None)):
        pytest.skip("development corpus not available (ARCHIVE_CORPUS_DIR)")
    if connection.vendor != "sqlite":
        # The evaluation indexes the corpus files itself: the second (PostgreSQL) pass of make test
        # would measure the same indexes again for a minute and a half.
        pytest.skip("the quality gate runs in the SQLite pass")
    call_command("evaluate_search", "--ci", "--size", "800", "--examples", "0", verbosity=0)
