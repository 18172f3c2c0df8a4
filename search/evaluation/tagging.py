"""Measuring the country levels and the topics against labelled articles.

``data/countries_labelled.json``: corpus articles labelled by reading (the
countries each is about, every country it mentions), each in the dev or the
test half; the tagger reads the title and the first ``chars`` characters of
the body, exactly what was labelled. ``data/topics_labelled.json``: articles
labelled with the mission topics they belong to (an empty list: none).

- ``load_labelled(name)``: the labelled articles with their corpus text;
  ``labelled_topics()``: the topics the topic file was labelled for;
- ``score_countries(matcher, articles, homes)`` / ``score_topics(...)``:
  micro precision and recall per half;
- ``format_report(...)``: the table ``manage.py eval_tagging`` prints.
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from archive.importing.aboutness import tag_countries
from archive.importing.tagging import words
from search.evaluation.corpus import CORPUS_FILES, corpus_dir

DATA = Path(__file__).resolve().parent / "data"
COUNTRIES_FILE = "countries_labelled.json"
TOPICS_FILE = "topics_labelled.json"
SPLITS = ("dev", "test")


@dataclass
class Labelled:
    id: str
    split: str
    source: str
    title: str
    body: str
    published: date | None
    labels: dict = field(default_factory=dict)  # about / mentioned / topics


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, found, wanted):
        found, wanted = set(found), set(wanted)
        self.tp += len(found & wanted)
        self.fp += len(found - wanted)
        self.fn += len(wanted - found)

    @property
    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _corpus_records(ids: set[str], path=None) -> dict:
    found = {}
    for name in CORPUS_FILES:
        with gzip.open(corpus_dir(path) / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                if record["id"] in ids:
                    found[record["id"]] = record
                    if len(found) == len(ids):
                        return found
    return found


def load_labelled(name: str, path=None) -> list[Labelled]:
    rows = json.loads((DATA / name).read_text(encoding="utf-8"))["articles"]
    records = _corpus_records({row["id"] for row in rows}, path)
    out = []
    for row in rows:
        record = records.get(row["id"])
        if record is None:
            continue
        body = record.get("body") or ""
        if row.get("chars") is not None:
            body = body[:row["chars"]]
        labels = {key: row[key] for key in ("about", "mentioned", "topics") if key in row}
        out.append(Labelled(row["id"], row["split"], record.get("source_id") or "", record.get("title") or "",
                            body, date.fromisoformat(record["date"]) if record.get("date") else None, labels))
    return out


def labelled_topics() -> list[str]:
    """The topics ``data/topics_labelled.json`` was labelled for."""
    return json.loads((DATA / TOPICS_FILE).read_text(encoding="utf-8"))["topics"]


def score_countries(matcher, articles, homes=None) -> dict:
    """{split: {"about": Score, "mentioned": Score, "max_about": n}}, and the
    dev half's errors as (id, level, missing, extra) in ``["errors"]``."""
    result = {split: {"about": Score(), "mentioned": Score(), "max_about": 0} for split in SPLITS}
    errors = []
    for article in articles:
        home = (homes or {}).get(article.source)
        tags = tag_countries(matcher, words(article.title), words(article.body.replace("\n", "\n\n")), home)
        row = result[article.split]
        row["about"].add(tags.about, article.labels["about"])
        row["mentioned"].add(tags.mentioned, article.labels["mentioned"])
        row["max_about"] = max(row["max_about"], len(tags.about))
        if article.split == "dev":
            for level, found in (("about", tags.about), ("mentioned", tags.mentioned)):
                wanted = set(article.labels[level])
                if set(found) != wanted:
                    errors.append((article.id, level, sorted(wanted - set(found)), sorted(set(found) - wanted)))
    result["errors"] = errors
    return result


def score_topics(topic_matcher, articles, slugs) -> dict:
    """{split: {slug: Score}} over ``slugs`` (the topics that were labelled)."""
    result = {split: {slug: Score() for slug in slugs} for split in SPLITS}
    for article in articles:
        found = topic_matcher.assign_words(words(f"{article.title}\n{article.body}"), (), article.published)
        for slug in slugs:
            result[article.split][slug].add({slug} & found, {slug} & set(article.labels.get("topics", ())))
    return result


def format_report(countries: dict, topics: dict | None = None) -> str:
    lines = ["level / topic                 dev P   dev R   test P  test R",
             "-----------------------------------------------------------"]
    for level in ("about", "mentioned"):
        cells = []
        for split in SPLITS:
            s = countries[split][level]
            cells += [f"{s.precision:6.3f}", f"{s.recall:6.3f}"]
        lines.append(f"countries: {level:<19} " + "  ".join(cells))
    for slug in sorted((topics or {}).get("dev", {})):
        cells = []
        for split in SPLITS:
            s = topics[split][slug]
            cells += [f"{s.precision:6.3f}", f"{s.recall:6.3f}"]
        lines.append(f"topic: {slug:<23} " + "  ".join(cells))
    lines.append(f"largest number of about countries: dev {countries['dev']['max_about']}, "
                 f"test {countries['test']['max_about']}")
    return "\n".join(lines)
