"""The must-not-merge truth counts a country form of the queried word as the
word (search.evaluation.country_forms): «البحرينية» is «البحرين» used as an
adjective, so an article with it and «البحر» is not forbidden for «البحرين»;
the first, strict definition is kept beside it."""
from search.evaluation.corpus import Doc
from search.evaluation.country_forms import country_forms
from search.evaluation.runner import _pair_truth
from search.evaluation.text import canon, canon_token_set


def test_country_forms_join_a_name_and_its_adjectives_only():
    bahrain = country_forms(canon("البحرين"))
    assert {"البحرينيه", "والبحريني", "بحرينيون"} <= bahrain
    assert "البحر" not in bahrain
    turkish = country_forms(canon("التركي"))
    assert {"تركيا", "وتركيا", "التركيه"} <= turkish and "ترك" not in turkish
    assert {"سوريا", "السوريين"} <= country_forms(canon("سورية"))
    assert "دمشق" not in country_forms(canon("سوريا"))  # a capital is not a form of the name
    for word in ("البحر", "ترك", "سور", "الجامعه"):
        assert not country_forms(canon(word))


def test_pair_truth_spares_articles_with_a_country_form_of_the_query():
    texts = {
        "adjective": "قالت الحكومة البحرينية إن البحر هادئ",
        "sea": "البحر هادئ اليوم",
        "name": "زار البحرين أمس",
    }
    docs = [Doc(id=k, title="", body=v, date="2018-01-01", source_id="X", category="c") for k, v in texts.items()]
    tokens = [canon_token_set(d.body) for d in docs]
    pair = {"a": {"text": "البحرين"}, "b": {"text": "البحر"}, "light10_stem": "بحر", "split": "dev"}
    truth = {p["query"]: p for p in _pair_truth(docs, tokens, [pair])}
    assert truth["البحرين"]["forbidden_strict"] == ["adjective", "sea"]
    assert truth["البحرين"]["forbidden"] == ["sea"]
    # the other direction is unchanged: «البحر» is no country's word
    assert truth["البحر"]["forbidden"] == truth["البحر"]["forbidden_strict"] == ["name"]
