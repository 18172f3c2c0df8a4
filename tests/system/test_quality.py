"""The search-quality evaluation's --ci gate on 800 articles of the development corpus
(skipped without it). Quality on the seeds is tests/engine/test_search_quality.py."""
import pytest
from django.core.management import call_command


@pytest.mark.django_db
@pytest.mark.sqlite_only
def test_evaluate_search_ci_gate():
    from search.evaluation.corpus import corpus_available, corpus_dir

    if not corpus_available(corpus_dir(None)):
        pytest.skip("development corpus not available (ARCHIVE_CORPUS_DIR)")
    # every baseline but stock haystack, whose index build is the slowest and which is the weakest baseline
    call_command("evaluate_search", "--ci", "--size", "800", "--examples", "0",
                 "--engines", "plain-bm25,norm-only,light10,ours", verbosity=0)
