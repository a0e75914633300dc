"""Bounds on a language model's stream, the same for every provider: a deadline for the whole answer (the
stream is read in a worker thread, so a stalled server cannot hold the answer past it), a token limit
counted on the stream, and a guard that stops a stream repeating itself. A stop is ``LLMStopped``."""

from __future__ import annotations

import queue
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from assistant.errors import BackendError
from ingest.sentences import split_sentences

MARKER = re.compile(r"\[(\d{1,3})\]")  # a citation marker "[3]"


class LLMStopped(BackendError):
    """The stream was stopped before its end: ``reason`` is ``deadline`` or ``loop``."""

    def __init__(self, reason: str, detail: str, text: str) -> None:
        super().__init__(f"the language model's answer was stopped ({reason}): {detail}")
        self.reason = reason
        self.detail = detail
        self.text = text  # what the model had produced until then


_WORD = re.compile(r"\w+")


class RepetitionGuard:
    """Says when a growing text has started to loop: a sentence seen ``sentence_repeats`` times, a run of
    ``ngram`` words seen ``ngram_repeats`` times, or the last ``window`` words using at most
    ``window_distinct`` different words ("1. 1. 1. …")."""

    def __init__(
        self,
        sentence_repeats: int = 3,
        ngram: int = 10,
        ngram_repeats: int = 3,
        window: int = 40,
        window_distinct: int = 6,
    ) -> None:
        self.sentence_repeats = sentence_repeats
        self.ngram = ngram
        self.ngram_repeats = ngram_repeats
        self.window = window
        self.window_distinct = window_distinct

    def check(self, text: str) -> str | None:
        """What repeats, in a few words, or None."""
        words = [w.lower() for w in _WORD.findall(MARKER.sub(" ", text))]
        tail = words[-self.window :]
        if len(tail) == self.window and len(set(tail)) <= self.window_distinct:
            return f"de siste {self.window} ordene bruker bare {len(set(tail))} ulike ord"
        grams = Counter(tuple(words[i : i + self.ngram]) for i in range(len(words) - self.ngram + 1))
        if grams:
            gram, count = grams.most_common(1)[0]
            if count >= self.ngram_repeats:
                return f"«{' '.join(gram)}» gjentas {count} ganger"
        sentences = split_sentences(text)[:-1]  # the last one may still be growing
        counts = Counter(
            " ".join(_WORD.findall(MARKER.sub(" ", s).lower()))
            for s in sentences
            if len(_WORD.findall(s)) >= 3
        )
        if counts:
            _, count = counts.most_common(1)[0]
            if count >= self.sentence_repeats:
                return f"samme setning {count} ganger"
        return None


@dataclass
class StreamStats:
    """What one bounded stream did, for the answer's explanation and the benchmark."""

    first_token_s: float | None = None
    total_s: float = 0.0
    pieces: int = 0
    truncated: bool = False  # stopped at max_tokens


class BoundedStream:
    """The model's pieces within the bounds: a deadline for the whole answer, at most ``max_tokens``
    pieces (each streamed chunk carries at least one token, so this never cuts before the server's own
    limit would) and no loops. Raises ``LLMStopped`` at the deadline or a loop, ``BackendError`` when
    the model fails; either way the worker is told to stop and closes the stream at its next chunk."""

    def __init__(
        self,
        pieces: Callable[[], Iterator[str]],
        deadline_s: float,
        max_tokens: int,
        guard: RepetitionGuard | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._pieces = pieces
        self.deadline_s = deadline_s
        self.max_tokens = max_tokens
        self.guard = guard or RepetitionGuard()
        self.clock = clock
        self.stats = StreamStats()
        self.text = ""

    def __iter__(self) -> Iterator[str]:
        feed: queue.Queue[tuple[str, Any]] = queue.Queue()
        stop = threading.Event()

        def work() -> None:
            stream = self._pieces()
            try:
                for piece in stream:
                    if stop.is_set():
                        break
                    feed.put(("piece", piece))
                feed.put(("end", None))
            except Exception as exc:  # handed to the reader, which raises it there
                feed.put(("error", exc))
            finally:
                close = getattr(stream, "close", None)
                if close is not None:
                    close()  # closes the HTTP response: the server stops generating

        started = self.clock()
        threading.Thread(target=work, name="llm-stream", daemon=True).start()
        try:
            while True:
                remaining = started + self.deadline_s - self.clock()
                try:
                    if remaining <= 0:
                        raise queue.Empty
                    kind, value = feed.get(timeout=remaining)
                except queue.Empty:
                    raise LLMStopped("deadline", f"{self.deadline_s:g} s", self.text) from None
                if kind == "end":
                    return
                if kind == "error":
                    if isinstance(value, BackendError):
                        raise value
                    raise BackendError(f"the language model failed: {type(value).__name__}") from value
                if self.stats.first_token_s is None:
                    self.stats.first_token_s = self.clock() - started
                self.text += value
                self.stats.pieces += 1
                loop = self.guard.check(self.text)
                if loop:
                    raise LLMStopped("loop", loop, self.text)
                yield value
                if self.stats.pieces >= self.max_tokens:
                    self.stats.truncated = True
                    return
        finally:
            stop.set()
            self.stats.total_s = self.clock() - started
