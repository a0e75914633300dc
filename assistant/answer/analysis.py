"""Question analysis, computed once per question into one object every later step reads.

It says what the question wants (the answer type), what it names (goals, result goals, respondents,
document kinds), which language it is in, and whether it is elliptical, i.e. cannot be understood without
the earlier turns ("Hva med mål 2?", "Og IMDi?", "Hvorfor det?"). The rules here are about Norwegian and
English questions in general; what is particular to a document collection (its kinds, how a question
names them, how it asks about the handling of hearing inputs) comes in as a ``CorpusTerms``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from assistant.answer.coverage import asks_for_amount
from ingest.normalise import fold


class AnswerType(StrEnum):
    DATE = "date"
    NUMBER = "number"
    WHO = "who"
    PLACE = "place"
    LIST = "list"
    DEFINITION = "definition"
    REASON = "reason"
    YESNO = "yesno"
    HANDLING = "handling"
    OTHER = "other"


@dataclass(frozen=True)
class Respondent:
    """A hearing response the question may name: by organisation, or by its title's description."""

    source: str
    organisation: str
    title: str


@dataclass(frozen=True)
class CorpusTerms:
    """What the analysis needs to know of the indexed collection (from the corpus profile and the index)."""

    kind_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> how questions name it
    handling_question: tuple[str, ...] = ()  # phrases that ask how an input was handled
    hearing_words: tuple[str, ...] = ()  # stems of words that point at the hearing
    respondents: tuple[Respondent, ...] = ()
    # Regexes for the words before a goal's and a result goal's number (the profile's; these: the bundled).
    goal_word: str = r"(?:mål(?:et)?|goal)"
    result_goal_word: str = r"(?:resultatmål\w*|delmål\w*|result(?:s)?[ -]?goals?|outcome[ -]?goals?)"


@dataclass(frozen=True)
class QuestionAnalysis:
    text: str
    language: str  # "no" | "en"
    answer_type: AnswerType
    goals: tuple[int, ...] = ()  # "mål 2", "goal 2"
    result_goals: tuple[int, ...] = ()  # "resultatmål 9"
    respondents: tuple[str, ...] = ()  # sources of the hearing responses the question names
    kinds: tuple[str, ...] = ()  # document kinds the question names ("i strategien")
    about_hearing: bool = False
    asks_amount: bool = False
    elliptical: bool = False
    names: tuple[str, ...] = ()  # capitalised words after the first: names that must match as written

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (lists, not tuples), as the CLI and the API both show them."""
        out = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        out["answer_type"] = str(self.answer_type)
        return out


# -- language -------------------------------------------------------------------------------------
# A question is English when its words are, on average, clearly more common in English than in Norwegian
# Bokmål (wordfreq's Zipf scale: "which" 6.3 vs ~3.7, "visjonen" 0 vs 3.2). Measured on short questions of
# both languages: English ones average +1.5 to +2.5, Norwegian ones −2 to −4, names and loanwords ~0.
ENGLISH_MARGIN = 0.8


@lru_cache(maxsize=8192)
def _english_lean(word: str) -> float:
    import wordfreq

    return float(wordfreq.zipf_frequency(word, "en") - wordfreq.zipf_frequency(word, "nb"))


def is_english(question: str) -> bool:
    """The question's words lean English by more than ``ENGLISH_MARGIN`` on average."""
    words = [w for w in re.findall(r"[a-zæøå]+", question.lower()) if len(w) > 1]
    if not words:
        return False
    return sum(_english_lean(w) for w in words) / len(words) > ENGLISH_MARGIN


# -- answer type ----------------------------------------------------------------------------------
# Nouns after "hvilken/hvilket/hvilke/which/what" that fix the type ("Hvilken periode …" wants a date).
_TYPE_NOUNS: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (
        AnswerType.DATE,
        re.compile(
            r"^(?:år|årstall|dato|datoen|tidspunkt|periode|tid|måned|dag|year|date|period|time|month|day)\b"
        ),
    ),
    (AnswerType.NUMBER, re.compile(r"^(?:antall|beløp|andel|prosent\w*|number|amount|share|percentage)\b")),
    (
        AnswerType.WHO,
        re.compile(
            r"^(?:person\w*|organisasjon\w*|instans\w*|aktør\w*|direktorat\w*|departement\w*|etat\w*|"
            r"virksomhet\w*|forening\w*|parti\w*|selskap\w*|firma\w*|klubb\w*|lag\w*|land\w*|"
            r"person|people|organi[sz]ation\w*|body|bodies|agency|company|team|club|party)\b"
        ),
    ),
    (
        AnswerType.PLACE,
        re.compile(r"^(?:sted\w*|by|byen|kommune\w*|fylke\w*|place|city|town|location|country)\b"),
    ),
)
_WH_NO: tuple[tuple[re.Pattern[str], AnswerType], ...] = (
    (re.compile(r"\b(?:når|hvilket år|hvilken dato|hvor lenge|how long|when|what year)\b"), AnswerType.DATE),
    (
        re.compile(r"\b(?:hvor mange|hvor mye|hvor stor\w*|hvor høy\w*|how many|how much)\b"),
        AnswerType.NUMBER,
    ),
    (re.compile(r"\b(?:hvorfor|why|hva er grunnen|what is the reason)\b"), AnswerType.REASON),
    (re.compile(r"\b(?:hvem|who|whom)\b"), AnswerType.WHO),
    (re.compile(r"\b(?:hvor|where)\b(?! (?:mange|mye|stor|lenge|godt|ofte))"), AnswerType.PLACE),
)
_DEFINITION = re.compile(
    r"^(?:hva (?:er|var|menes med|betyr|innebærer|går \S+ ut på|handler \S+ om|står \S+ for)|"
    r"what (?:is|are|was|does \S+ mean)|define)\b"
)
_NAME = re.compile(r"^(?:hva (?:heter|het|kalles|ble \S+ kalt)|what (?:is|was) the name)\b")
_LIST_START = re.compile(r"^(?:hvilke|hva er (?:de|alle)|nevn|list|which|what are (?:the )?)\b")
_WHICH = re.compile(r"\b(?:hvilke[nt]?|which|what)\s+(\w+)")
_YESNO_START = re.compile(
    r"^(?:er|var|ble|blir|har|hadde|kan|kunne|skal|skulle|vil|ville|må|mente|mener|støtter|støttet|"
    r"finnes|fins|står|stod|sto|får|fikk|tar|gjelder|omtaler|nevner|is|are|was|were|does|did|do|has|have|"
    r"can|could|will|would|should)\b"
)


def answer_type(question: str, handling: bool) -> AnswerType:
    """What kind of answer the question wants, from its interrogative and the noun it asks about."""
    q = fold(question).strip(" ?.!")
    q = re.sub(r"^(?:og|men|and|but|så)\s+", "", q)
    if handling:
        return AnswerType.HANDLING
    which = _WHICH.search(q)
    if which:
        noun = which.group(1)
        for kind, pattern in _TYPE_NOUNS:
            if pattern.match(noun):
                return kind
    for pattern, kind in _WH_NO:
        if pattern.search(q):
            return kind
    if _NAME.match(q):
        return AnswerType.WHO  # a name
    if _LIST_START.match(q):
        return AnswerType.LIST
    if _DEFINITION.match(q):
        return AnswerType.DEFINITION
    if _YESNO_START.match(q):
        return AnswerType.YESNO
    return AnswerType.OTHER


# -- what the question names ---------------------------------------------------------------------
@lru_cache(maxsize=8)
def _goal_patterns(goal_word: str, result_goal_word: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """("mål 2", "resultatmål 9"): the numbers after the goal words and the result-goal words."""
    goal = re.compile(rf"\b(?:strategisk(?:e)?\s+)?{goal_word}\s+(?:nr\.?\s*|nummer\s+)?(\d{{1,2}})\b", re.I)
    result = re.compile(
        rf"\b{result_goal_word}(?:\s*,?\s*(?:nr\.?|nummer|number|no\.?|#)\s*|\s+)(\d{{1,2}})\b",
        re.IGNORECASE,
    )
    return goal, result


def _numbers(pattern: re.Pattern[str], question: str) -> tuple[int, ...]:
    return tuple(dict.fromkeys(int(m.group(1)) for m in pattern.finditer(question)))


def named_kinds(question: str, kind_names: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Document kinds the question names as where to look ("hva sier strategien", "i høringssvarene")."""
    q = fold(question)
    return tuple(
        k for k, names in kind_names.items() if any(re.search(rf"\b{re.escape(n)}\b", q) for n in names)
    )


def organisation_named(organisation: str, folded_question: str) -> bool:
    """The question names the organisation, or its abbreviation in brackets ("IMDi"), as whole words."""
    names = [re.sub(r"\s*\([^)]*\)", "", organisation), *re.findall(r"\(([^)]+)\)", organisation)]
    return any(len(n) >= 3 and re.search(rf"\b{re.escape(fold(n))}\b", folded_question) for n in names)


# A response whose sender is not stated is named by its title's description ("næringsaktøren" ~ "en aktør
# i helsenæringen"): each description word shares this many letters in a row with a question word, all
# within a few neighbouring words (Norwegian compounds put the parts in either order).
SHARED_LETTERS = 5
NEIGHBOURING_WORDS = 3
_TITLE_PREFIX = re.compile(r"^høringssvar fra\s+", re.IGNORECASE)


def _share(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return any(short[i : i + SHARED_LETTERS] in long for i in range(len(short) - SHARED_LETTERS + 1))


def described(title: str, question_stems: Sequence[str], stems: Callable[[str], list[str]]) -> bool:
    """The content words of the title's sender description each share a run of letters with a question
    word, all within a few neighbouring words."""
    description = re.sub(r"\([^)]*\)", " ", _TITLE_PREFIX.sub("", title))
    wanted = [s for s in stems(description) if len(s) >= SHARED_LETTERS]
    if len(wanted) < 2:
        return False
    for start in range(len(question_stems)):
        window = [w for w in question_stems[start : start + NEIGHBOURING_WORDS] if len(w) >= SHARED_LETTERS]
        if all(any(_share(w, s) for s in window) for w in wanted):
            return True
    return False


def named_respondents(
    question: str, respondents: Sequence[Respondent], stems: Callable[[str], list[str]]
) -> tuple[str, ...]:
    q = fold(question)
    words = [next(iter(stems(w)), "") for w in re.findall(r"\w+", question)]
    found = []
    for r in respondents:
        if r.organisation:
            if organisation_named(r.organisation, q):
                found.append(r.source)
        elif r.title and described(r.title, words, stems):
            found.append(r.source)
    return tuple(found)


def names_in(question: str) -> tuple[str, ...]:
    """Capitalised words after the first (not all-caps acronyms): names that must match as written."""
    words = re.findall(r"\w+", question)[1:]
    return tuple(w for w in words if w[:1].isupper() and not w.isupper())


# -- ellipsis -------------------------------------------------------------------------------------
# A turn that continues the conversation: "Og …", "Hva med …", "What about …".
_CONTINUATION = re.compile(
    r"^(?:og|men|også|hva med|hva så med|hva om|enn|and|but|also|what about|how about)\b", re.IGNORECASE
)
# A pronoun standing for something said before: at the end ("… om det?", "Hvorfor det?", "… der?"), after a
# preposition ("hvilke av dem"), or a pronoun that is not a determiner, i.e. followed by a verb, an adverb
# or a preposition rather than a noun ("Hvorfor ble de ikke …", "Hva sier den om …", "Hva mente disse om …").
_ANAPHORA_END = re.compile(
    r"\b(?:det|dette|den|denne|de|disse|dem|der|da|it|this|that|them|those|(?:in|from|about) there)\s*[?.!]*$",
    re.IGNORECASE,
)
_FOLLOWS_PRONOUN = (
    r"er|var|ble|blir|har|hadde|skal|skulle|vil|ville|kan|kunne|må|gjelder|handler|sier|sa|mener|mente|"
    r"svarte|svarer|foreslo|foreslår|skrev|står|sto|stod|ikke|også|egentlig|om|i|på|med|til|for|av|ut|inn|"
    r"fra|nå|da|der|is|are|was|were|say|said|says|mean|means|do|does|did|have|has"
)
_ANAPHORA_PRONOUN = re.compile(
    rf"\b(?:dem|them|those)\b|\b(?:av|blant|om|med|for|til|fra|of|about|among)\s+(?:dem|disse|dette|det|de|them|these|those|it)\b|"
    rf"\b(?:de|den|denne|disse|dette|they|it)\s+(?:{_FOLLOWS_PRONOUN})\b",
    re.IGNORECASE,
)
# English function words and interrogatives: not content (the index's stop words are Norwegian).
_ENGLISH_STOP = frozenset(
    [
        "why",
        "how",
        "who",
        "whom",
        "when",
        "where",
        "what",
        "which",
        "is",
        "are",
        "was",
        "were",
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "do",
        "does",
        "did",
        "and",
        "it",
        "this",
        "that",
        "there",
        "then",
        "about",
        "according",
    ]
)
_INTERROGATIVES = re.compile(
    r"^(?:hva|hvem|hvilke[nt]?|hvor\w*|når|hvordan|hvorfor|what|who|which|where|when|how|why)\b", re.I
)


def is_elliptical(question: str, content_words: int) -> bool:
    """Cannot be understood without the earlier turns: it continues them ("Og IMDi?", "Hva med mål 2?"),
    refers back to them ("Hvorfor det?", "Står det noe om KI der?"), names nothing ("Hvorfor?"), or is a
    bare phrase with no question word ("Mål 3?")."""
    q = " ".join(question.split())
    if _CONTINUATION.match(q) or _ANAPHORA_END.search(q) or _ANAPHORA_PRONOUN.search(q):
        return True
    if content_words == 0:
        return True
    return not _INTERROGATIVES.match(q) and not _YESNO_START.match(fold(q)) and len(q.split()) <= 3


def content_stems(question: str, stems: Callable[[str], list[str]], frame: frozenset[str]) -> list[str]:
    """The question's stems that name its subject: no stop words, framing words or numbers."""
    return [s for s in stems(question) if s not in frame and s not in _ENGLISH_STOP and not s.isdigit()]


# -- the analysis ---------------------------------------------------------------------------------
def analyse(
    question: str, terms: CorpusTerms, stems: Callable[[str], list[str]], frame: frozenset[str] = frozenset()
) -> QuestionAnalysis:
    """The one analysis of a question: ``stems`` is the index's stemmer (stop words removed), ``frame``
    stems that frame a question rather than name its subject."""
    q = fold(question)
    handling = any(re.search(rf"\b{re.escape(p)}\b", q) for p in terms.handling_question)
    content = content_stems(question, stems, frame)
    respondents = named_respondents(question, terms.respondents, stems)
    about_hearing = handling or bool(respondents) or any(s.startswith(terms.hearing_words) for s in content)
    goal, result = _goal_patterns(terms.goal_word, terms.result_goal_word)
    return QuestionAnalysis(
        text=question,
        language="en" if is_english(question) else "no",
        answer_type=answer_type(question, handling),
        goals=_numbers(goal, re.sub(result, " ", question)),
        result_goals=_numbers(result, question),
        respondents=respondents,
        kinds=named_kinds(question, terms.kind_names),
        about_hearing=about_hearing,
        asks_amount=asks_for_amount(question),
        elliptical=is_elliptical(question, len(content)),
        names=names_in(question),
    )
