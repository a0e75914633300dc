"""Optional LLM answerer: a LangChain chat model chosen by one setting, bounded, checked sentence by sentence.

Bounds (llm_stream.py), the same for every provider: at most ``llm_max_tokens`` tokens (sent to the server and counted on
the stream) and one deadline, ``llm_timeout``, for the whole answer from the request to the last token (the
stream is read in a worker thread, so a stalled server cannot hold the answer past it). A stream that
repeats itself (the same sentence, a long word sequence, a few words over and over) is stopped.

After generation every sentence is checked against the passages it cites (lexical overlap and
embedding similarity): markers pointing to no passage are dropped, unsupported sentences are
flagged visibly. The quality gate then refuses an answer that is mostly unsupported, that cites nothing
it can resolve, or that cites only footnotes or table-of-contents lines. Every refusal is an exception
(``LLMStopped`` or ``LLMRejected``); the pipeline shows the extractive answer with a note saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import numpy as np
from pydantic import SecretStr

from assistant.answer.abstention import ABSTAIN_TEXT
from assistant.answer.llm_stream import (  # re-exported: the LLM path imports from here
    MARKER,
    BoundedStream,
    LLMStopped,
)
from assistant.errors import BackendError, ConfigError
from assistant.settings import Settings
from assistant.types import Answer, Citation, Passage
from ingest.sentences import passage_sentences, split_sentences
from prompts import load_prompt

MARKERSPACE_TMP = re.compile(r"\s*\[\d{1,3}\]")  # "… Mål 1 [3]." -> "… Mål 1."
UNSUPPORTED_FLAG = " ⚠ [ikke funnet i kildene]"
ABSTAIN_PATTERN = re.compile(r"finner ikke noe om dette", re.IGNORECASE)


def make_chat_model(settings: Settings, *, streaming: bool = True) -> Any:
    """`openai:<model>` (any OpenAI-compatible endpoint) or `ollama:<model>`."""
    assert settings.llm
    provider, _, model = settings.llm.partition(":")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    # Only the optional [llm] extra's imports are guarded: any other failure surfaces as it is.
    try:
        if provider == "openai":
            from langchain_openai import ChatOpenAI
        else:
            from langchain_ollama import ChatOllama
    except ImportError as exc:
        raise ConfigError(
            f"ASSISTANT_LLM={settings.llm} needs the [llm] extra: pip install -e '.[llm]'"
        ) from exc
    if provider == "openai":
        return ChatOpenAI(
            model=model,
            base_url=settings.llm_base_url,
            api_key=SecretStr(key or "not-needed"),  # local servers (vLLM, llama.cpp) ignore the key
            timeout=settings.llm_timeout,  # each read; the whole answer is bounded by BoundedStream
            max_retries=0,
            temperature=0,
            streaming=streaming,
            max_completion_tokens=settings.llm_max_tokens,
            extra_body=_legacy_max_tokens(settings),
        )
    return ChatOllama(
        model=model,
        base_url=settings.llm_base_url,
        temperature=0,
        num_predict=settings.llm_max_tokens,
        client_kwargs={"timeout": settings.llm_timeout},  # httpx: connect and each read
    )


def _legacy_max_tokens(settings: Settings) -> dict[str, int] | None:
    """Self-hosted OpenAI-compatible servers (llama.cpp's, Ollama's) read only the legacy ``max_tokens``;
    OpenAI and Azure OpenAI refuse it beside ``max_completion_tokens`` for some models, so they get only that."""
    host = urlparse(settings.llm_base_url or "https://api.openai.com").hostname or ""
    if host.endswith(("openai.com", "azure.com")):
        return None
    return {"max_tokens": settings.llm_max_tokens}


def format_passages(passages: list[Passage]) -> str:
    blocks = []
    for i, p in enumerate(passages, 1):
        blocks.append(f"[{i}] {p.title} — {p.section or 'uten overskrift'} (s. {p.page})\n{p.text}")
    return "\n\n".join(blocks)


def condense_with_llm(model: Any, question: str, turns: list[str]) -> str:
    from langchain_core.messages import HumanMessage

    prompt = load_prompt("condense").format(history="\n".join(f"- {t}" for t in turns), question=question)
    reply = model.invoke([HumanMessage(content=prompt)])
    text = str(reply.content).strip().strip('"«»').split("\n")[0].strip()
    return text or question


def answer_messages(question: str, passages: list[Passage]) -> list[Any]:
    from langchain_core.messages import HumanMessage, SystemMessage

    return [
        SystemMessage(content=load_prompt("answer_system")),
        HumanMessage(
            content=load_prompt("answer_user").format(question=question, passages=format_passages(passages))
        ),
    ]


def stream_llm(model: Any, question: str, passages: list[Passage]) -> Iterator[str]:
    """The model's text pieces as they come, unbounded (``BoundedStream`` adds the bounds)."""
    chunks = model.stream(answer_messages(question, passages))
    try:
        for chunk in chunks:
            text = chunk.content if isinstance(chunk.content, str) else ""
            if text:
                yield text
    except Exception as exc:  # network errors, HTTP 5xx, timeouts: all mean "use the fallback"
        raise BackendError(f"the language model failed: {type(exc).__name__}") from exc
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


class LLMRejected(BackendError):
    """The quality gate refused a complete answer: ``reason`` is ``unsupported``, ``uncited`` or
    ``notes-only``; ``checked`` holds the verified text and its counts."""

    def __init__(self, reason: str, checked: Checked) -> None:
        super().__init__(f"the language model's answer failed the quality gate ({reason})")
        self.reason = reason
        self.checked = checked


def bounded_llm_stream(
    model: Any, question: str, passages: list[Passage], settings: Settings
) -> BoundedStream:
    return BoundedStream(
        lambda: stream_llm(model, question, passages),
        deadline_s=settings.llm_timeout,
        max_tokens=settings.llm_max_tokens,
    )


class Verifier:
    """Checks each generated sentence against the passages it cites."""

    def __init__(
        self,
        stems: Callable[[str], list[str]],
        sentence_vectors: Callable[[list[str]], np.ndarray],
        query_vectors: Callable[[list[str]], np.ndarray],
        lexical_support: float = 0.5,
        dense_support: float = 0.86,
    ) -> None:
        self.stems = stems
        self.sentence_vectors = sentence_vectors
        self.query_vectors = query_vectors
        self.lexical_support = lexical_support
        self.dense_support = dense_support

    def best_quote(self, sentence: str, passage: Passage) -> tuple[str, float, float]:
        """The passage sentence that best supports ``sentence``, with lexical and dense support."""
        # Line by line, as the passage holds them: each quote is a verbatim substring of the passage.
        candidates = passage_sentences(passage.text) or [passage.text]
        words = set(self.stems(MARKER.sub("", sentence)))
        lexical = [len(words & set(self.stems(c))) / max(len(words), 1) for c in candidates]
        vectors = self.sentence_vectors(candidates)
        qvec = self.query_vectors([MARKER.sub("", sentence)])[0]
        dense = vectors @ qvec
        best = int(np.argmax(np.asarray(lexical) + np.asarray(dense)))
        return candidates[best], max(lexical), float(np.max(dense))

    def check(self, text: str, passages: list[Passage]) -> Checked:
        """Every sentence checked; the rendered text, its citations, notes and the gate's counts."""
        checked = Checked()
        number_for: dict[int, int] = {}
        out_sentences: list[str] = []
        dropped = 0
        for sentence in split_sentences(text.strip()):
            refs = [int(m) for m in MARKER.findall(sentence)]
            valid = [r for r in refs if 1 <= r <= len(passages)]
            dropped += len(refs) - len(valid)
            body = MARKERSPACE_TMP.sub("", sentence).strip()
            supported = False
            for r in dict.fromkeys(valid):
                quote, lexical, dense = self.best_quote(body, passages[r - 1])
                if lexical >= self.lexical_support or dense >= self.dense_support:
                    supported = True
                if r not in number_for:
                    p = passages[r - 1]
                    number_for[r] = len(checked.citations) + 1
                    checked.citations.append(Citation.from_passage(number_for[r], p, quote))
            markers = "".join(f"[{number_for[r]}]" for r in dict.fromkeys(valid))
            rendered = body.rstrip()
            if ABSTAIN_PATTERN.search(body):
                pass  # "finner ikke noe om dette" needs no source and counts neither way
            else:
                checked.sentences += 1
                checked.cited += bool(valid)
                if not supported:
                    checked.unsupported += 1
                    rendered += UNSUPPORTED_FLAG
            out_sentences.append(f"{rendered} {markers}".rstrip())
        if dropped:
            checked.notes.append(
                f"{dropped} kildehenvisning(er) viste til utdrag som ikke finnes, og ble fjernet."
            )
        if checked.unsupported:
            checked.notes.append(
                f"{checked.unsupported} setning(er) fant ikke støtte i kildene og er merket med ⚠."
            )
        checked.text = " ".join(out_sentences)
        return checked

    def verify(self, text: str, passages: list[Passage]) -> tuple[str, list[Citation], list[str]]:
        checked = self.check(text, passages)
        return checked.text, checked.citations, checked.notes


@dataclass
class Checked:
    """A generated answer after the sentence check."""

    text: str = ""
    citations: list[Citation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sentences: int = 0  # sentences that need a source (not "finner ikke noe om dette")
    unsupported: int = 0
    cited: int = 0  # sentences with at least one marker to a passage that exists

    @property
    def unsupported_share(self) -> float:
        return self.unsupported / self.sentences if self.sentences else 0.0


# A footnote line ("¹ Regjeringen (2019): …", "2 Kommunal- og …departementet (2019): …", a bare link) and a
# table-of-contents line ("Mål 2: Enklere arbeidshverdag.....13", "Mål 3: … forbedring15"), as
# ingest/sections.py recognises them.
_FOOTNOTE_LINE = re.compile(
    r"^(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*\S|\d{1,2}\s+[A-ZÆØÅ][^.]{0,90}\(\d{4}\)|https?://\S+$|mailto:\S+$)"
)
_TOC_LINE = re.compile(r"(?:\.{3,}|…)\s*\d+$|[a-zæøå]\d{1,3}$")  # "… helse.....13", "… forbedring15"


def is_note_or_contents(quote: str) -> bool:
    """Is this quote a footnote or a table-of-contents line rather than running text?"""
    line = quote.strip()
    return bool(_FOOTNOTE_LINE.match(line) or _TOC_LINE.search(line))


def quality_gate(checked: Checked, max_unsupported: float) -> str | None:
    """Why the answer must not replace the extractive one, or None: ``unsupported`` (more than
    ``max_unsupported`` of its sentences unsupported), ``uncited`` (no sentence cites a passage that
    exists) or ``notes-only`` (every quote it cites is a footnote or a table-of-contents line)."""
    if not checked.sentences:
        return None
    if checked.cited == 0:
        return "uncited"
    if checked.citations and all(is_note_or_contents(c.quote) for c in checked.citations):
        return "notes-only"
    if checked.unsupported_share > max_unsupported:
        return "unsupported"
    return None


_FALLBACK = "her er svaret hentet direkte fra dokumentene."


def fallback_note(exc: BackendError, settings: Settings) -> str:
    """The note under the extractive answer that replaced the model's: why, in plain Norwegian."""
    if isinstance(exc, LLMStopped) and exc.reason == "deadline":
        seconds = f"{settings.llm_timeout:g} sekund{'' if settings.llm_timeout == 1 else 'er'}"
        return (
            f"Språkmodellen ble ikke ferdig innen tidsgrensen på {seconds} "
            f"(ASSISTANT_LLM_TIMEOUT), så svaret ble stoppet; {_FALLBACK}"
        )
    if isinstance(exc, LLMStopped):
        return f"Språkmodellen begynte å gjenta seg selv ({exc.detail}), så svaret ble stoppet; {_FALLBACK}"
    if isinstance(exc, LLMRejected):
        checked = exc.checked
        if exc.reason == "uncited":
            why = "Språkmodellens svar viste ikke til noe utdrag som finnes"
        elif exc.reason == "notes-only":
            why = "Språkmodellens svar viste bare til fotnoter eller innholdsfortegnelsen"
        else:
            why = (
                f"{checked.unsupported} av {checked.sentences} setninger i språkmodellens svar fant ikke "
                "støtte i kildene"
            )
        return f"{why}; {_FALLBACK}"
    return f"Språkmodellen svarte ikke ({exc}); {_FALLBACK}"


def truncated_note(settings: Settings) -> str:
    return f"Svaret ble kuttet etter {settings.llm_max_tokens} tokens (ASSISTANT_LLM_MAX_TOKENS)."


def llm_answer(
    text: str, question: str, passages: list[Passage], verifier: Verifier, max_unsupported: float = 1.0
) -> Answer:
    """The verified answer; raises ``LLMRejected`` when the quality gate refuses it."""
    if ABSTAIN_PATTERN.search(text) and len(split_sentences(text)) <= 1:
        return Answer(
            text=ABSTAIN_TEXT,
            citations=[],
            abstained=True,
            mode="llm",
            question=question,
            standalone_question=question,
            notes=[],
            passages=passages,
        )
    checked = verifier.check(text, passages)
    reason = quality_gate(checked, max_unsupported)
    if reason:
        raise LLMRejected(reason, checked)
    return Answer(
        text=checked.text,
        citations=checked.citations,
        abstained=False,
        mode="llm",
        question=question,
        standalone_question=question,
        notes=checked.notes,
        passages=passages,
    )
