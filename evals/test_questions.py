"""The question sets themselves are valid: fields, ids, category counts, every gold quote is really in its
document as the project's own loader reads it (only whitespace and case are folded), the test split is
frozen, and no code quotes the test split's wording."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from evals.dataset import ANSWER_TYPES, CORPUS, LANGS, REPO, REQUIRED, SPLITS, Item, corpus_texts, load_raw
from evals.freeze import current, differences, read_lock
from evals.metrics import DOCUMENT_WORDED, PARAPHRASED
from ingest.normalise import fold

ABSTAIN_CATEGORY = "utenfor"
KNOWN_CATEGORIES = {*DOCUMENT_WORDED, *PARAPHRASED, ABSTAIN_CATEGORY}


@pytest.fixture(scope="module")
def raw() -> list[dict[str, Any]]:
    return load_raw()  # both splits


@pytest.fixture(scope="module")
def items(raw: list[dict[str, Any]]) -> list[Item]:
    return [Item.from_dict(r, r["split"]) for r in raw]


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
        if r.get("type", "other") not in ANSWER_TYPES:
            bad.append(f"{rid}: type {r.get('type')!r} is not one of {ANSWER_TYPES}")
        if "followup" in r and not isinstance(r["followup"], bool):
            bad.append(f"{rid}: followup must be true/false")
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


def test_splits_are_disjoint_and_large_enough(items: list[Item]) -> None:
    by_split = {s: [i for i in items if i.split == s] for s in SPLITS}
    questions = {s: {fold(i.question) for i in by_split[s] if not i.history} for s in SPLITS}
    assert not questions["dev"] & questions["test"], "the same question is in dev and test"
    assert len(by_split["test"]) >= 100, f"{len(by_split['test'])} test items"
    assert len(by_split["dev"]) >= 60, f"{len(by_split['dev'])} dev items"
    chains = {i.chain for i in by_split["test"] if i.chain}
    assert len(chains) >= 12, f"{len(chains)} conversation chains in test, need ≥ 12"
    switches = [i for i in by_split["test"] if i.standalone_after_turns]
    followups = [i for i in by_split["test"] if i.followup]
    assert len(switches) >= 8 and len(followups) >= 12, (len(switches), len(followups))


def test_test_split_is_frozen() -> None:
    """The test split only judges: changing it needs `python -m evals.freeze --write`, on purpose."""
    locked = read_lock()
    assert locked["sha256"], "evals/questions/test.lock is missing: run `python -m evals.freeze --write`"
    changes = differences(locked, current())
    assert not changes, (
        "the frozen test split changed (re-freeze on purpose with `python -m evals.freeze --write`): "
        + "; ".join(changes)
    )


# Code that reads questions; none of it may quote the frozen test split.
CODE_DIRS = ("core", "assistant", "ingest", "vectorstore", "prompts", "data/corpus")
CODE_SUFFIXES = {".py", ".txt", ".toml", ".json", ".yaml", ".md"}
QUOTE_WORDS = 6  # this many test-question words in a row, found in code, is a quote


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _ngrams(words: list[str], n: int) -> set[str]:
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_no_code_quotes_the_test_split(items: list[Item], texts: dict[str, str]) -> None:
    """No rule, constant, comment or data file quotes test wording: a run of words from a test question
    (that the documents do not themselves contain) does not occur in the code."""
    document_grams: set[str] = set()
    for text in texts.values():
        document_grams |= _ngrams(_words(text), QUOTE_WORDS)
    code_grams: dict[str, str] = {}
    for folder in CODE_DIRS:
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                for gram in _ngrams(_words(path.read_text(encoding="utf-8", errors="ignore")), QUOTE_WORDS):
                    code_grams.setdefault(gram, str(path.relative_to(REPO)))
    quoted = sorted(
        f"{item.id}: «{gram}» in {code_grams[gram]}"
        for item in items
        if item.split == "test"
        for gram in _ngrams(_words(item.question), QUOTE_WORDS) - document_grams
        if gram in code_grams
    )
    assert not quoted, "code quotes the frozen test split:\n" + "\n".join(quoted)
