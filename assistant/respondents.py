"""Which hearing responses a question refers to: by organisation ("IMDi") or, for a response whose sender
is not stated, by how its title describes the sender ("næringsaktøren" ~ "en aktør i helsenæringen").

Used to read the referenced responses beside the fused retrieval, not instead of it: a false match only
adds a few passages to choose from.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.normalise import fold

if TYPE_CHECKING:
    from assistant.api import Assistant

RESPONSE_KIND = "høringssvar"
# Norwegian compounds put the parts in either order ("næringsaktør", "aktør i helsenæringen"): a
# description word matches a question word when the two share this many letters in a row.
SHARED_LETTERS = 5
NEIGHBOURING_WORDS = 3
_TITLE_PREFIX = re.compile(r"^høringssvar fra\s+", re.IGNORECASE)


def referenced_sources(assistant: Assistant, question: str) -> list[str]:
    q = fold(question)
    # One stem per question word, in order ("" for stop words), so a description must match in one place.
    words = [next(iter(assistant._stems(w)), "") for w in re.findall(r"\w+", question)]
    found: list[str] = []
    for doc in assistant.store.documents():
        info = doc.info
        if info.kind != RESPONSE_KIND:
            continue
        if info.organisation:
            if organisation_named(info.organisation, q):
                found.append(info.source)
        elif _described(assistant, info.title, words):
            found.append(info.source)
    return found


def organisation_named(organisation: str, folded_question: str) -> bool:
    """The question names the organisation, or its abbreviation in brackets ("IMDi"), as whole words."""
    names = [re.sub(r"\s*\([^)]*\)", "", organisation), *re.findall(r"\(([^)]+)\)", organisation)]
    return any(len(n) >= 3 and re.search(rf"\b{re.escape(fold(n))}\b", folded_question) for n in names)


def _described(assistant: Assistant, title: str, question_words: list[str]) -> bool:
    """The content words of the title's sender description ("en aktør i helsenæringen") each share a run
    of letters with a question word, all within a few neighbouring words ("næringsaktøren")."""
    description = re.sub(r"\([^)]*\)", " ", _TITLE_PREFIX.sub("", title))
    wanted = [s for s in assistant._stems(description) if len(s) >= SHARED_LETTERS]
    if len(wanted) < 2:
        return False
    for start in range(len(question_words)):
        window = [w for w in question_words[start : start + NEIGHBOURING_WORDS] if len(w) >= SHARED_LETTERS]
        if all(any(_share(w, s) for s in window) for w in wanted):
            return True
    return False


def _share(a: str, b: str) -> bool:
    """The two words have ``SHARED_LETTERS`` letters in a row in common."""
    short, long = sorted((a, b), key=len)
    return any(short[i : i + SHARED_LETTERS] in long for i in range(len(short) - SHARED_LETTERS + 1))
