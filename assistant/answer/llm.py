"""Optional LLM answerer: a LangChain chat model chosen by one setting, checked sentence by sentence.

After generation every sentence is checked against the passages it cites (lexical overlap and
embedding similarity): markers pointing to no passage are dropped, unsupported sentences are
flagged visibly. A failing or slow model falls back to the extractive answer with a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from pydantic import SecretStr

from assistant.answer.abstention import ABSTAIN_TEXT
from assistant.errors import BackendError, ConfigError
from assistant.settings import Settings
from assistant.types import Answer, Citation, Passage
from ingest.sentences import passage_sentences, split_sentences
from prompts import load_prompt

_MARKER = re.compile(r"\[(\d{1,3})\]")
_MARKER_AND_SPACE = re.compile(r"\s*\[\d{1,3}\]")  # "… Mål 1 [3]." -> "… Mål 1."
UNSUPPORTED_FLAG = " ⚠ [ikke funnet i kildene]"
ABSTAIN_PATTERN = re.compile(r"finner ikke noe om dette", re.IGNORECASE)


def make_chat_model(settings: Settings, *, streaming: bool = True) -> Any:
    """`openai:<model>` (any OpenAI-compatible endpoint) or `ollama:<model>`."""
    assert settings.llm
    provider, _, model = settings.llm.partition(":")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    try:
        if provider == "openai":
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(
                model=model,
                base_url=settings.llm_base_url,
                api_key=SecretStr(key or "not-needed"),  # local servers (vLLM, llama.cpp) ignore the key
                timeout=settings.llm_timeout,
                max_retries=0,
                temperature=0,
                streaming=streaming,
            )
        from langchain_ollama import ChatOllama

        return ChatOllama(model=model, base_url=settings.llm_base_url, temperature=0)
    except ImportError as exc:
        raise ConfigError(
            f"ASSISTANT_LLM={settings.llm} needs the [llm] extra: pip install -e '.[llm]'"
        ) from exc


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


def stream_llm(model: Any, question: str, passages: list[Passage]) -> Iterator[str]:
    from langchain_core.messages import HumanMessage, SystemMessage

    messages = [
        SystemMessage(content=load_prompt("answer_system")),
        HumanMessage(
            content=load_prompt("answer_user").format(question=question, passages=format_passages(passages))
        ),
    ]
    try:
        for chunk in model.stream(messages):
            text = chunk.content if isinstance(chunk.content, str) else ""
            if text:
                yield text
    except Exception as exc:  # network errors, HTTP 5xx, timeouts: all mean "use the fallback"
        raise BackendError(f"the language model failed: {type(exc).__name__}") from exc


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
        words = set(self.stems(_MARKER.sub("", sentence)))
        lexical = [len(words & set(self.stems(c))) / max(len(words), 1) for c in candidates]
        vectors = self.sentence_vectors(candidates)
        qvec = self.query_vectors([_MARKER.sub("", sentence)])[0]
        dense = vectors @ qvec
        best = int(np.argmax(np.asarray(lexical) + np.asarray(dense)))
        return candidates[best], max(lexical), float(np.max(dense))

    def verify(self, text: str, passages: list[Passage]) -> tuple[str, list[Citation], list[str]]:
        notes: list[str] = []
        citations: list[Citation] = []
        number_for: dict[int, int] = {}
        out_sentences: list[str] = []
        dropped = 0
        unsupported = 0
        for sentence in split_sentences(text.strip()):
            refs = [int(m) for m in _MARKER.findall(sentence)]
            valid = [r for r in refs if 1 <= r <= len(passages)]
            dropped += len(refs) - len(valid)
            body = _MARKER_AND_SPACE.sub("", sentence).strip()
            supported = False
            for r in dict.fromkeys(valid):
                quote, lexical, dense = self.best_quote(body, passages[r - 1])
                if lexical >= self.lexical_support or dense >= self.dense_support:
                    supported = True
                if r not in number_for:
                    p = passages[r - 1]
                    number_for[r] = len(citations) + 1
                    citations.append(Citation.from_passage(number_for[r], p, quote))
            markers = "".join(f"[{number_for[r]}]" for r in dict.fromkeys(valid))
            rendered = body.rstrip()
            if not supported and not ABSTAIN_PATTERN.search(body):
                unsupported += 1
                rendered += UNSUPPORTED_FLAG
            out_sentences.append(f"{rendered} {markers}".rstrip())
        if dropped:
            notes.append(f"{dropped} kildehenvisning(er) viste til utdrag som ikke finnes, og ble fjernet.")
        if unsupported:
            notes.append(f"{unsupported} setning(er) fant ikke støtte i kildene og er merket med ⚠.")
        return " ".join(out_sentences), citations, notes


def llm_answer(text: str, question: str, passages: list[Passage], verifier: Verifier) -> Answer:
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
    rendered, citations, notes = verifier.verify(text, passages)
    return Answer(
        text=rendered,
        citations=citations,
        abstained=False,
        mode="llm",
        question=question,
        standalone_question=question,
        notes=notes,
        passages=passages,
    )
