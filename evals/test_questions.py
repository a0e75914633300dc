"""The question set itself is valid: fields, ids, category counts, and every gold quote is really in its
document as the project's own loader reads it (only whitespace and case are folded)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from evals.dataset import CORPUS, LANGS, REQUIRED, Item, corpus_texts, load_raw
from evals.metrics import DOCUMENT_WORDED, PARAPHRASED
from ingest.normalise import fold

ABSTAIN_CATEGORY = "utenfor"
KNOWN_CATEGORIES = {*DOCUMENT_WORDED, *PARAPHRASED, ABSTAIN_CATEGORY}


@pytest.fixture(scope="module")
def raw() -> list[dict[str, Any]]:
    return load_raw()


@pytest.fixture(scope="module")
def items(raw: list[dict[str, Any]]) -> list[Item]:
    return [Item.from_dict(r) for r in raw]


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return corpus_texts(CORPUS)


def test_required_fields_and_types(raw: list[dict[str, Any]]) -> None:
    bad: list[str] = []
    for r in raw:
        rid = r.get("id", "?")
        missing = [k for k in REQUIRED if k not in r]
        if missing:
            bad.append(f"{rid}: missing {missing}")
            continue
        if not isinstance(r["question"], str) or not r["question"].strip():
            bad.append(f"{rid}: empty question")
        if r["lang"] not in LANGS:  # a bare `no` in YAML becomes False: quote it
            bad.append(f"{rid}: lang {r['lang']!r} is not one of {LANGS}")
        if r["category"] not in KNOWN_CATEGORIES:
            bad.append(f"{rid}: unknown category {r['category']!r}")
        if not isinstance(r["abstain"], bool):
            bad.append(f"{rid}: abstain must be true/false")
        if not all(isinstance(h, str) and h.strip() for h in r.get("history") or []):
            bad.append(f"{rid}: history must be a list of earlier questions")
        for g in r["gold"] or []:
            if not (isinstance(g, dict) and g.get("source") and g.get("quote")):
                bad.append(f"{rid}: gold entry {g!r} needs source and quote")
        for f in r["facts"] or []:
            if not (isinstance(f, str) and f.strip()) and not (
                isinstance(f, list) and f and all(isinstance(a, str) and a.strip() for a in f)
            ):
                bad.append(f"{rid}: fact {f!r} must be a string or a list of strings")
    assert not bad, "\n".join(bad)


def test_answerable_and_unanswerable_are_consistent(items: list[Item]) -> None:
    bad = []
    for item in items:
        if item.abstain and (item.gold or item.facts):
            bad.append(f"{item.id}: abstain item has gold or facts")
        if not item.abstain and (not item.gold or not item.facts):
            bad.append(f"{item.id}: answerable item needs gold and facts")
        if item.abstain != (item.category == ABSTAIN_CATEGORY):
            bad.append(f"{item.id}: abstain={item.abstain} but category {item.category}")
    assert not bad, "\n".join(bad)


def test_ids_unique(items: list[Item]) -> None:
    dupes = [i for i, n in Counter(item.id for item in items).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"


def test_category_counts(items: list[Item]) -> None:
    norwegian = sum(1 for i in items if i.lang == "no")
    english = sum(1 for i in items if i.lang == "en")
    abstain = sum(1 for i in items if i.abstain)
    assert norwegian >= 80, f"{norwegian} Norwegian questions, need ≥ 80"
    assert english >= 10, f"{english} English questions, need ≥ 10"
    assert abstain >= 8, f"{abstain} unanswerable questions, need ≥ 8"
    per_group = Counter(i.category for i in items)
    assert all(per_group[c] > 0 for c in KNOWN_CATEGORIES), per_group


def test_gold_sources_exist(items: list[Item], texts: dict[str, str]) -> None:
    unknown = sorted({f"{i.id}: {g.source}" for i in items for g in i.gold if g.source not in texts})
    assert not unknown, f"gold sources that are not bundled documents: {unknown}"


def test_every_gold_quote_is_in_its_document(items: list[Item], texts: dict[str, str]) -> None:
    missing = [
        f"{item.id}: {g.source}: «{g.quote}»"
        for item in items
        for g in item.gold
        if g.source in texts and fold(g.quote) not in texts[g.source]
    ]
    assert not missing, "gold quotes not found in the extracted text:\n" + "\n".join(missing)


def test_quote_check_is_not_vacuous(texts: dict[str, str]) -> None:
    """The extracted text is the real document, so a made-up quote is rejected."""
    assert all(len(t) > 1000 for t in texts.values())
    assert fold("Det kom høringssvar fra 89 ulike instanser") in texts["horingsoppsummering"]
    assert fold("Det kom høringssvar fra 98 ulike instanser") not in texts["horingsoppsummering"]
