"""Do the documents hold what the question asks for? Two checks the extractive answerer abstains on.

- **Answer type.** "Hva er budsjettet for Helsenorge i 2025?" asks for an amount of money; a sentence
  about budgets that states no amount does not answer it.
- **Missing terms.** "Hvordan skal blokkjedeteknologi brukes …?" names a specialised term that no
  document uses. A word the documents lack is usually only a paraphrase ("folk", "kontorarbeid"), but a
  word that is also rare in Norwegian at large is the question's own subject, and the documents do not
  cover it. General-language frequency comes from ``wordfreq`` (Zipf scale: 3 = once per million words).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# "hvor mye / how much / what is the budget": the question wants an amount …
_ASKS_AMOUNT = re.compile(
    r"\b(?:hvor (?:mye|store?)|hva (?:er|var|blir) (?:\w+ ){0,2}(?:budsjett|kostnad|pris)\w*|"
    r"how (?:much|many)|what (?:is|was|will be) the (?:\w+ ){0,2}(?:budget|cost|price)\w*)",
    re.IGNORECASE,
)
# … of money …
_MONEY_WORDS = re.compile(
    r"\b(?:budsjett\w*|kost(?:er|et|e|nad\w*)|pris\w*|bevilg\w*|kroner|kr|nok|penger|"
    r"budget\w*|cost\w*|price\w*|fund\w*|spen[dt]\w*|money)\b",
    re.IGNORECASE,
)
# … and not a share of it ("how much of the ICT budget goes to cloud services?").
_ASKS_SHARE = re.compile(
    r"\b(?:hvor (?:mye|stor del) av|how much of|andel\w*|prosent\w*|share|percent)\b", re.I
)
_AMOUNT = re.compile(
    r"\d[\d  .,]*\s*(?:kr\b|kroner|nok\b|mill\w*|mrd\b|milliard\w*|billion|million)|\b(?:kr|nok)\.?\s*\d",
    re.IGNORECASE,
)


def asks_for_amount(question: str) -> bool:
    """Does the question ask how much money something is (not what share of it)?"""
    return bool(
        _ASKS_AMOUNT.search(question) and _MONEY_WORDS.search(question) and not _ASKS_SHARE.search(question)
    )


def states_amount(text: str) -> bool:
    """Does the text state an amount of money ("12 mill. kroner", "NOK 3 000")?"""
    return bool(_AMOUNT.search(text))


# Bokmål inflection endings: "utenforskapet" is rare as written (Zipf 0) but "utenforskap" is not (3.35).
_ENDINGS = ("ene", "ane", "er", "en", "et", "a", "e", "ne", "s")


@lru_cache(maxsize=4096)
def general_frequency(word: str) -> float:
    """How common the word is in Norwegian Bokmål at large (Zipf scale, 0 = not seen), taken as the
    most common of the word and its forms without an inflection ending."""
    import wordfreq

    forms = [word] + [word[: -len(e)] for e in _ENDINGS if word.endswith(e) and len(word) - len(e) >= 4]
    return max(float(wordfreq.zipf_frequency(form, "nb")) for form in forms)


def missing_terms(
    question: str,
    *,
    stem: Callable[[str], str | None],
    known: Callable[[str], bool],
    resembles_known: Callable[[str], bool],
    rare_below: float,
    names: tuple[str, ...] = (),
) -> list[tuple[str, bool]]:
    """The question's words that no document uses and that are rare in the language, or are names
    (``names``: capitalised words inside the question, "Australia"), as (word, coordinated).

    A coordinated term ("sensorteknologi og hjemmemonitorering") is one of several subjects, so the
    question may still be answered for the others; any other such term is the question's subject.
    ``stem`` maps a word to its stem (None for a stop word); ``known(stem)`` says whether the documents
    use it, alone or in a compound (a name too: "Næringsaktøren" is "nærings" + "aktør", as the documents
    say); ``resembles_known`` catches misspellings of words the documents do use.
    """
    out: list[tuple[str, bool]] = []
    for word in re.findall(r"\w+", question):
        if word.isdigit() or len(word) < 4:
            continue
        s = stem(word)
        if s is None or known(s):
            continue
        common = general_frequency(word.lower()) >= rare_below and word not in names
        if common or resembles_known(s):
            continue
        w = re.escape(word)
        coordinated = re.search(
            rf"\b{w}\w*\s*(?:,|\bog\b|\beller\b)\s*\w|\w(?:,|\s+og|\s+eller)\s+{w}", question
        )
        out.append((word, bool(coordinated)))
    return out
