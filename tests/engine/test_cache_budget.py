"""Every engine cache is bounded in bytes under SEARCH_CACHE_BUDGET_MB
(search/engine/budget.py): after many distinct queries on a real index the
bytes the caches account for stay under the budget and each share under its
bound, while the caches did fill (least recently used entries evicted)."""
import random
from datetime import date, timedelta

import numpy as np
import pytest

from archive.models import Article
from search.engine import budget
from search.service import parse_search_params, run_search

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

WORDS = ("روسيا أوكرانيا بوتين الكرملين موسكو كييف الحرب السلام مفاوضات عقوبات اقتصاد نفط غاز "
         "الصين أمريكا أوروبا الناتو مجلس الأمن قمة رئيس وزير حكومة برلمان انتخابات جيش هجوم "
         "صواريخ طائرات حدود لاجئين مساعدات تضخم أسعار القمح").split()


def test_byte_lru_evicts_by_bytes(settings):
    settings.SEARCH_CACHE_BUDGET_MB = 1
    cache = budget.ByteLRU("masks")
    limit = budget.limit_bytes("masks")
    for i in range(200):
        cache.put(i, np.zeros(1000, dtype=np.float64))
    assert 0 < cache.bytes <= limit and len(cache) < 200
    assert cache.get(199) is not None and cache.get(0) is None  # oldest out first
    cache.put("huge", np.zeros(limit, dtype=np.uint8))  # larger than the whole bound: not kept
    assert "huge" not in cache and cache.bytes <= limit
    with pytest.raises(ValueError):
        budget.ByteLRU("nope")


def test_byte_limit_is_read_once_and_follows_a_setting_change(settings):
    settings.SEARCH_CACHE_BUDGET_MB = 2
    assert budget.limit_bytes("vocabulary") == int(2 * 2**20 * budget.SHARES["vocabulary"])
    settings.SEARCH_CACHE_BUDGET_MB = 1  # setting_changed drops the kept limits
    assert budget.limit_bytes("vocabulary") == int(2**20 * budget.SHARES["vocabulary"])
    cache = budget.ByteLRU("vocabulary")
    cache.put_many([(i, i, 1000) for i in range(2000)])  # 2 MB through a 1 MB budget's share
    assert 0 < cache.bytes <= budget.limit_bytes("vocabulary")
    assert cache.get_many([1999, 0]) == [1999, None]  # the oldest went first


def test_caches_stay_under_the_budget_after_many_distinct_queries(search_seeded, settings):
    rng = random.Random(16)
    source = Article.objects.exclude(source=None).first().source
    Article.objects.bulk_create([
        Article(title=" ".join(rng.sample(WORDS, 4)),
                body=" ".join(rng.choices(WORDS, k=rng.randint(20, 300)) + [f"كلمة{i}"]),
                raw_text="x", raw_checksum=str(i), origin=f"gen-{i}", fingerprint=f"gen-{i}", source=source,
                published=date(2022, 1, 1) + timedelta(days=rng.randint(0, 700)))
        for i in range(600)])
    search_seeded.build()
    settings.SEARCH_CACHE_BUDGET_MB = 1
    queries = [" ".join(rng.sample(WORDS, rng.randint(1, 3))) for _ in range(150)] + \
        [f"كلمة{i}" for i in range(0, 600, 3)]
    peak = 0
    for i, q in enumerate(dict.fromkeys(queries)):
        data = {"q": q}
        if i % 3 == 0:
            data["date_from"] = (date(2022, 1, 1) + timedelta(days=i)).isoformat()
        run_search(parse_search_params(data))
        held = budget.accounted()
        peak = max(peak, held["total"])
        assert held["total"] <= budget.budget_bytes(), held
        for name in budget.SHARES:
            assert held[name] <= budget.limit_bytes(name), (name, held)
    held = budget.accounted()
    # the caches were used and full enough to evict
    assert held["segments"] > 0.5 * budget.limit_bytes("segments"), held
    assert held["scores"] > 0.5 * budget.limit_bytes("scores"), held
    assert held["postings"] > 0 and held["masks"] > 0 and held["vocabulary"] > 0, held
    assert peak <= budget.budget_bytes()
