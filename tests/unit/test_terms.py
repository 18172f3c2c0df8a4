"""Scoring of the top words of a search (search.terms), on small inputs."""
from search.analysis import STOPWORDS, normalize
from search.terms import count_words, log_likelihood, query_matcher, rank_terms


def test_count_words_counts_articles_not_occurrences_and_keeps_the_written_form():
    df, written = count_words([
        "الحرب في أوكرانيا. الحرب مستمرة 2023",
        "الحرب، والسلام!",
        "",
    ])
    assert df["الحرب"] == 2  # twice in the first article, once in the second
    assert written["الحرب"] == "الحرب"
    assert "2023" not in df and not any(ch in f for f in df for ch in "،.!")
    assert not set(df) & STOPWORDS  # «في» is a stopword
    assert "في" not in df
    # the most frequent surface form of the normalized word
    df, written = count_words(["أوكرانيا", "أوكرانيا", "اوكرانيا"])
    form = next(iter(df))
    assert df[form] == 3 and written[form] == "أوكرانيا"


def test_log_likelihood_is_zero_without_difference_and_grows_with_it():
    assert log_likelihood(10, 100, 100, 1000) == 0.0
    weak = log_likelihood(15, 100, 100, 1000)
    strong = log_likelihood(50, 100, 100, 1000)
    assert 0 < weak < strong
    assert log_likelihood(1, 0, 5, 10) == 0.0


def _rank(sample, background, n_total, exclude=None):
    df, written = count_words(sample)
    return rank_terms(df, written, len(sample), lambda f: background.get(f, 0) + df.get(f, 0), n_total,
                      exclude=exclude)


def test_a_word_concentrated_in_the_matches_outranks_a_common_one():
    sample = ["فاغنر تمرد قال"] * 20 + ["قال الرئيس"] * 20
    # background (the 960 other articles): «قال» is in all, «الرئيس» in a quarter, «فاغنر» in none
    background = {normalize("قال"): 960, normalize("الرئيس"): 240, normalize("تمرد"): 30}
    ranked = _rank(sample, background, 1000)
    words = [t.term for t in ranked]
    assert words == ["فاغنر", "تمرد", "الرئيس"]
    assert "قال" not in words  # as frequent in the rest of the archive: not over-represented
    top = ranked[0]
    assert top.count == 20 and top.score > 0
    assert [t.score for t in ranked] == sorted((t.score for t in ranked), reverse=True)


def test_an_under_represented_word_is_left_out_and_the_limit_holds():
    sample = ["عادية نادرة"] * 30 + ["نادرة"] * 30
    background = {normalize("عادية"): 940}  # in every other article, in half of the matches
    ranked = _rank(sample, background, 1000)
    assert [t.term for t in ranked] == ["نادرة"]
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهي"
    words = [f"{a}{b}{c}" for a in letters[:5] for b in letters[5:10] for c in letters[10:12]]
    df, written = count_words([" ".join(words)] * 3)
    assert len(df) == 50
    assert len(rank_terms(df, written, 3, lambda f: 3, 100, limit=30)) == 30


def test_the_query_words_and_their_clitic_and_spelling_forms_are_excluded():
    is_query = query_matcher(["فاغنر"], expansions=[{"word": "فاغنر", "variants": ["فاجنر"]}])
    assert is_query("فاغنر") and is_query("وفاغنر") and is_query("فاجنر")
    assert not is_query("بوتين")
    sample = ["فاغنر وفاغنر فاجنر بريغوجين"] * 10
    ranked = _rank(sample, {}, 1000, exclude=is_query)
    assert [t.term for t in ranked] == ["بريغوجين"]


def test_no_background_outside_the_sample_gives_nothing():
    df, written = count_words(["حرب"] * 5)
    assert rank_terms(df, written, 5, lambda f: 5, 5) == []
