"""Norwegian Bokmål at large (``wordfreq``): how common a word is, and which common words start with a
given beginning.

A word that forms common compounds with another is related to it: "time" forms «timebestilling» and
«timeavtale», so a search for "timer" may be about booking. The word list is loaded on first use
(under a second) and kept for the life of the process.
"""

from __future__ import annotations

import bisect
import math
import threading

# Words rarer than this (Zipf: 1 = once per billion words) are left out: typos and one-off coinages.
MIN_ZIPF = 1.0


class GeneralLexicon:
    """Common Bokmål words with their Zipf frequency (3 = once per million words)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sorted: list[str] | None = None
        self._zipf: dict[str, float] = {}

    def _words(self) -> list[str]:
        with self._lock:
            if self._sorted is None:
                import wordfreq

                for word, freq in wordfreq.get_frequency_dict("nb").items():
                    z = math.log10(freq) + 9
                    if z >= MIN_ZIPF and word.isalpha():
                        self._zipf[word] = z
                self._sorted = sorted(self._zipf)
            return self._sorted

    def zipf(self, word: str) -> float:
        """How common the word is (0 when it is not among the common words)."""
        self._words()
        return self._zipf.get(word.lower(), 0.0)

    def starting(self, prefix: str, limit: int = 400) -> list[tuple[str, float]]:
        """Common words that begin with ``prefix`` and are longer than it, most common first."""
        words = self._words()
        prefix = prefix.lower()
        found: list[tuple[str, float]] = []
        for word in words[bisect.bisect_left(words, prefix) :]:
            if not word.startswith(prefix):
                break
            if word != prefix:
                found.append((word, self._zipf[word]))
        found.sort(key=lambda wz: -wz[1])
        return found[:limit]


_shared: GeneralLexicon | None = None
_shared_lock = threading.Lock()


def general_lexicon() -> GeneralLexicon:
    """The process-wide lexicon (the word list is large: load it once)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = GeneralLexicon()
        return _shared
