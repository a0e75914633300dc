"""Hearing-form questions answered from the responses' records: who ticked which option of the support
question (the profile's, e.g. ja / nei / vet ikke to question 1), what the responses said under a goal or
another form question, and which responses there are, each cited; counts note the responses off the form
and, when the summary states more, that they are partial. Question numbers and wording come from the
profile and the responses (assistant/hearing_form.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from assistant.answer.analysis import organisation_named
from assistant.answer.extractive import FRAME_WORDS as QUESTION_FRAME
from assistant.citations import Citations, Prefer, excerpt, quote_of
from assistant.hearing_form import HearingForm, hearing_form
from assistant.ports import Corpus, ProfiledCorpus, RecordStore
from assistant.records import (
    NOT_ON_FORM,
    hearing_responses,
    kinds_or_standard,
    response_label,
    support_label,
    supports_quotes,
)
from core.types import Answer, HearingResponse
from ingest.normalise import fold
from ingest.profile import CorpusProfile
from ingest.sentences import split_sentences

_HEARING_WORD = re.compile(
    r"høringss?var\w*|høringsinstans\w*|høringsuttal\w*|høringsinnspill\w*|høringspart\w*|\bhøringen\b|"
    r"respondent\w*|(?:hearing|consultation) (?:responses?|submissions?|participants?)|\bsvarte\b|\bsvart\b|"
    r"\banswered\b|\bresponded\b"
)
_ENGLISH_ANSWERS = ("yes", "no", "don'?t know", "do not know", "not sure")
_SUPPORT_VERB = re.compile(
    r"støtt\w*|stil\w* (?:seg|dere|de) bak|\benig\w*|\buenig\w*|support\w*|\bagree\w*|disagree\w*|endors\w*|"
    r"\bbehind\b|\bback(?:ed)?\b|\bimot\b|\bagainst\b"
)
_GOALS_REF = re.compile(
    r"strategiske mål|fem mål|\bmålene\b|strategic (?:goals|objectives)|"
    r"five (?:strategic )?(?:goals|objectives)|\bthe goals\b|\bstrategien\b|\bthe strategy\b"
)
_DONT_KNOW = re.compile(r"vet ikke|usikker|unsure|undecided|not sure|don'?t know|do not know")
_NEGATION = re.compile(r"\b(?:ikke|not|no|nei|uenig\w*|disagree\w*|imot|against|avvis\w*|reject\w*)\b|n't\b")
# How many responses the hearing summary says came in: "Det kom høringssvar fra 89 ulike instanser",
# "Direktoratet mottok 89 høringssvar", "totalt 89 høringsinstanser", "mottok totalt 3 høringsinnspill".
_RESPONSE_TOTAL = re.compile(
    r"\b(?:høringssvar|høringsinnspill|innspill)\s+fra\s+(\d+)\b"
    r"|\b(?:kom(?:\s+inn)?|mottatt|mottok|totalt|i\s+alt)\s+(\d+)\s+(?:ulike\s+)?"
    r"(?:høringssvar|høringsinnspill|innspill|høringsinstanser|høringsuttalelser|uttalelser|instanser)\b",
    re.IGNORECASE,
)
_LIST_ALL = re.compile(
    r"^(?:hvilke|hvem|which|who|list\w*|vis|show)\b.*\b(?:har (?:svart|sendt|levert|avgitt|gitt)|"
    r"svarte|sendte|leverte|responded|submitted|sent|answered|replied)\b\W*"
    r"(?:(?:på|til|i|to|in|on) (?:høringen|the hearing|the consultation)\W*)?$|"
    r"^(?:hvor mange|how many|antall|number of) (?:høringssvar|høringsinstanser|"
    r"(?:hearing |consultation )?responses|respondents)\b"
)
# Words that only say which form field is asked about; the rest of the question is what to look for in it.
_FIELD_WORDS = (
    "mål målet høringssvar høringssvaret høringen innspill innspillet kommentar kommentarer skjema spørsmål"
)


@dataclass(frozen=True)
class StatedTotal:
    total: int
    source: str
    sentence: str
    page: int


def asks_about_hearing(
    store: RecordStore, q: str, kinds: Collection[str] | None = None, profile: CorpusProfile | None = None
) -> bool:
    """Whether the folded question ``q`` is about the hearing: its words, an explicit answer on the form
    (``profile``'s options; None: the bundled form's), or a respondent (a document of ``kinds``, the
    hearing responses' kinds) it names."""
    options = (profile or CorpusProfile()).form_options
    if _HEARING_WORD.search(q) or _explicit_answer(options).search(q):
        return True
    return bool(_named(hearing_responses(store, kinds), q))


def _refers_to_goals(q: str, profile: CorpusProfile) -> bool:
    """The question names the goals as a whole: «de strategiske målene», or in the profile's words, the
    goal words' definite plural («målsettingene») or a word of the form's support question."""
    if _GOALS_REF.search(q):
        return True
    words = [f"{w}ene" for w in profile.goal_words if " " not in w] + list(profile.form_support_words)
    return any(re.search(rf"\b{re.escape(w)}", q) for w in words)


def answer_hearing(corpus: ProfiledCorpus, question: str, q: str) -> Answer | None:
    """Support for the goals (question 1), a form field (a goal, 3, 4), or the list of responses; None when
    the question is none of these or no responses are indexed (``q``: the folded question)."""
    kinds = corpus.profile.kinds_of("hearing_response")
    responses = all_responses = hearing_responses(corpus.store, kinds)
    if not responses:
        return None
    named = _named(responses, q)
    if named:
        responses = named
    on_form = [r for r in responses if r.on_form]
    off_form = [r for r in responses if not r.on_form]
    cites = Citations(corpus.store)

    def partial() -> str:
        summaries = corpus.profile.kinds_of("hearing_summary")
        return _partial_note(cites, bool(named), len(all_responses), summaries)

    def notes() -> str:
        return _off_form_note(cites, off_form) + partial()

    form = hearing_form(corpus.profile, (r for r in all_responses if r.on_form))
    goal_match = _strategy_goal(corpus.profile.goal_word()).search(q)
    support = _explicit_answer(corpus.profile.form_options).search(q) or (
        _SUPPORT_VERB.search(q) and _refers_to_goals(q, corpus.profile)
    )
    if support and not goal_match:
        quotes = supports_quotes(corpus.store, kinds)
        return _answer_support(
            quotes, question, q, on_form, cites, notes, (corpus.profile, form), bool(named)
        )
    key = f"mål {goal_match.group(1)}" if goal_match else form.asked_question(q)
    if key is not None:
        focus = _focus_weights(corpus, question, named)
        # "Hvem var uenige i målsetting 6?": who ticked that option, and named the goal, first.
        asks_stance = _SUPPORT_VERB.search(q) or _explicit_answer(corpus.profile.form_options).search(q)
        stance = _polarity(q, corpus.profile) if goal_match and asks_stance else None
        return _answer_key(corpus, question, (key, form, stance), on_form, cites, notes, focus)
    if _LIST_ALL.search(q.strip(" ?.!")) and not named:
        quotes = supports_quotes(corpus.store, kinds)
        options = corpus.profile.form_options
        return _list_responses(quotes, question, responses, on_form, cites, partial, (options, form))
    return None


@functools.lru_cache(maxsize=8)
def _strategy_goal(goal_word: str) -> re.Pattern[str]:
    """ "mål 3", "goal nr. 12": a strategic goal by number (``goal_word``: the profile's goal words)."""
    return re.compile(rf"\b{goal_word}\s*(?:nr\.?\s*|nummer\s*|number\s*)?(\d{{1,2}})\b")


def _named(responses: list[HearingResponse], q: str) -> list[HearingResponse]:
    """Responses whose organisation (or its abbreviation in brackets, e.g. "IMDi") the question names."""
    return [r for r in responses if organisation_named(r.organisation, q)]


def _off_form_note(cites: Citations, off_form: list[HearingResponse]) -> str:
    if not off_form:
        return ""
    names = "; ".join(f"{response_label(r)}{_cite_first(cites, r)}" for r in off_form)
    return (
        f"\n\n{len(off_form)} høringssvar er ikke på høringsskjemaet ({NOT_ON_FORM}) "
        f"og er ikke talt med: {names}."
    )


def _partial_note(cites: Citations, named: bool, indexed: int, summaries: Collection[str]) -> str:
    """Counts over the indexed responses are partial when the summary (of ``summaries``) says more came in."""
    stated = None if named else stated_response_total(cites, summaries)
    if stated is None or stated.total <= indexed:
        return ""
    marker = cites.add(stated.source, stated.sentence, stated.page)
    return (
        f"\n\nMerk: Høringsoppsummeringen oppgir {stated.total} høringssvar{marker}; indeksen har "
        f"{indexed} av dem, så tallene over gjelder bare disse."
    )


def _list_responses(
    quotes: dict[str, dict[str, Any]],
    question: str,
    responses: list[HearingResponse],
    on_form: list[HearingResponse],
    cites: Citations,
    partial: Callable[[], str],
    form: tuple[tuple[str, ...], HearingForm],
) -> Answer:
    """Every response, with what it ticked for the support question (one of the form's ``options``)."""
    options, hearing = form
    lines = [f"Det er {len(responses)} høringssvar i indeksen ({len(on_form)} på høringsskjemaet):"]
    for r in responses:
        category = f", {r.category}" if r.category else ""
        status = support_label(r, options)
        quote = quotes.get(r.source)
        marker = (
            cites.add(r.source, quote["text"], int(quote["page"]), _in_answer(hearing.support_key, hearing))
            if quote
            else _cite_first(cites, r)
        )
        lines.append(f"- {response_label(r)}{category}: spørsmål {hearing.support} – {status}{marker}")
    return cites.answer(question, "\n".join(lines) + partial())


@functools.lru_cache(maxsize=8)
def _explicit_answer(options: tuple[str, ...]) -> re.Pattern[str]:
    """ "svarte nei", "answered yes": a form option (``options``, the profile's) or its English word; or
    a form option said of the respondents ("hvem var uenige", "som er enig")."""
    words = "|".join([*(re.escape(o) for o in options), *_ENGLISH_ANSWERS])
    own = "|".join(re.escape(o) for o in sorted(options, key=len, reverse=True))
    return re.compile(
        rf"\b(?:svarte|svart|svar|answered|said|replied|krysset av for|ticked)\s+[«\"']?({words})\b"
        rf"|\b(?:var|er|ble|blir)\s+[«\"']?({own})(?:e|t)?\b"
    )


def _polarity(q: str, profile: CorpusProfile) -> str:
    """The option of the support question the question asks about: the one it names, else support, disagreement or
    the unsure option by its words."""
    support, against, unsure = profile.form_support, profile.form_disagreement, profile.form_unsure()
    m = _explicit_answer(profile.form_options).search(q)
    if m:
        value = m.group(1) or m.group(2)
        if value in profile.form_options:
            return value
        return support if value == "yes" else against if value == "no" else unsure
    if _DONT_KNOW.search(q):
        return unsure
    return against if _NEGATION.search(q) else support


def stated_response_total(cites: Citations, kinds: Collection[str] | None = None) -> StatedTotal | None:
    """How many responses the hearing summary (a document of ``kinds``; None: the standard kinds) says came
    in, and the sentence that says so; None when no summary states it. A count over fewer indexed
    responses is then only part of the hearing."""
    kinds = kinds_or_standard(kinds, "hearing_summary")
    for doc in cites.store.documents():
        if doc.info.kind not in kinds:
            continue
        for passage in sorted(cites.source_passages(doc.info.source), key=lambda p: (p.page, p.chunk_id)):
            for line in passage.text.split("\n"):
                for sentence in split_sentences(line):
                    match = _RESPONSE_TOTAL.search(sentence)
                    if match:
                        total = int(match.group(1) or match.group(2))
                        return StatedTotal(total, doc.info.source, sentence, passage.page)
    return None


def response_total(store: RecordStore, kinds: Collection[str] | None = None) -> StatedTotal | None:
    """How many responses the hearing summary (of ``kinds``) says came in (None when none states it)."""
    return stated_response_total(Citations(store), kinds)


def _in_answer(key: str, form: HearingForm) -> Prefer:
    """Prefer the passage under the form's heading for ``key`` when the same words occur elsewhere."""
    if key.startswith("mål"):
        return lambda p: form.names_goal(p.section, key.split()[1])
    return lambda p: fold(p.section).startswith(f"{key})")


def _cite_first(cites: Citations, r: HearingResponse) -> str:
    """Cite the start of a response's first passage (for responses off the form)."""
    passages = sorted(cites.source_passages(r.source), key=lambda p: p.page)
    if not passages:
        return ""
    first = passages[0]
    return cites.add(r.source, quote_of(excerpt(first.text.split("\n")[0], 25)), first.page)


def _answer_support(
    quotes: dict[str, dict[str, Any]],
    question: str,
    q: str,
    on_form: list[HearingResponse],
    cites: Citations,
    notes: Callable[[], str],
    form: tuple[CorpusProfile, HearingForm],
    named: bool = False,
) -> Answer:
    """Who ticked which of the profile's options (ja / nei / vet ikke) in the support question, quoted as
    the responses word it (``form``: the profile and the form); for named respondents, what each answered."""
    profile, hearing = form
    choice = _polarity(q, profile)
    matching = on_form if named else [r for r in on_form if r.supports_goals == choice]
    counts = {c: sum(r.supports_goals == c for r in on_form) for c in profile.form_options}
    unanswered = sum(r.supports_goals is None for r in on_form)
    asked = hearing.support_question()
    head = (
        f"Svar på {asked}"
        if named
        else f"{len(matching)} av {len(on_form)} høringssvar på skjema svarte «{choice}» på {asked}"
    )
    lines = [head + (":" if matching else ".")]
    lines += [_support_line(cites, r, quotes.get(r.source), hearing) for r in matching]
    if not matching and not named:
        # Nothing to list: show what each response ticked, so the count is supported by citations.
        for r in on_form:
            quote = quotes.get(r.source)
            prefer = _in_answer(hearing.support_key, hearing)
            marker = cites.add(r.source, quote["text"], int(quote["page"]), prefer) if quote else ""
            lines.append(f"- {response_label(r)}: «{quote['text'] if quote else support_label(r)}»{marker}")
    spread = ", ".join(f"{c}: {n}" for c, n in counts.items())
    tail = (
        ""
        if named
        else f"\n\nFordeling på spørsmål {hearing.support} blant høringssvarene på skjema – {spread}"
    )
    tail += (f", ikke besvart: {unanswered}." if unanswered else ".") if not named else ""
    return cites.answer(question, "\n".join(lines) + tail + notes())


def _support_line(
    cites: Citations, r: HearingResponse, quote: dict[str, Any] | None, form: HearingForm
) -> str:
    """What one response ticked for the support question, and the start of its comment, each cited."""
    prefer = _in_answer(form.support_key, form)
    marker = cites.add(r.source, quote["text"], int(quote["page"]), prefer) if quote else ""
    category = f" ({r.category})" if r.category else ""
    ticked = quote["text"] if quote else support_label(r)
    return f"- {response_label(r)}{category}: «{ticked}»{marker}" + _reason(cites, r, form)


def _reason(cites: Citations, r: HearingResponse, form: HearingForm, max_words: int = 40) -> str:
    """ " Begrunnelse: «…» [n]": the start of the response's comment to the support question, cited."""
    comment = r.answers.get(form.support_key) or {}
    start = excerpt(str(comment.get("text", "")), max_words)
    if not start:
        return ""
    marker = cites.add(r.source, quote_of(start), int(comment["page"]), _in_answer(form.support_key, form))
    label = "" if fold(start).startswith("begrunnelse") else "Begrunnelse: "  # the form's own label
    return f" {label}«{start}»{marker}"


def _focus_weights(corpus: Corpus, question: str, responses: list[HearingResponse]) -> dict[str, float]:
    """IDF weights of what a question asks about in a form field ("which *indicator* did IMDi propose under
    goal 2?"): its stems minus the organisation's name, the field words and the question frame."""
    names = " ".join(
        n for r in responses for n in [r.organisation, *re.findall(r"\(([^)]+)\)", r.organisation)]
    )
    noise = set(corpus.stems(f"{names} {_FIELD_WORDS}")) | QUESTION_FRAME
    idf = corpus.idf
    return {s: idf(s) for s in corpus.stems(question) if s not in noise and not s.isdigit()}


def _focused_excerpt(corpus: Corpus, text: str, focus: dict[str, float], max_words: int = 60) -> str:
    """The field's sentences from the one that matches the question best (its start when none does)."""
    sentences = split_sentences(text)
    if not focus or len(sentences) < 2:
        return excerpt(text, max_words)
    scores = [sum(w for s, w in focus.items() if s in set(corpus.stems(x))) for x in sentences]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    if scores[best] <= 0 or len(" ".join(sentences[: best + 1]).split()) <= max_words:
        return excerpt(text, max_words)
    return "… " + excerpt(" ".join(sentences[best:]), max_words)


def _answer_key(
    corpus: Corpus,
    question: str,
    asked: tuple[str, HearingForm, str | None],
    on_form: list[HearingResponse],
    cites: Citations,
    notes: Callable[[], str],
    focus: dict[str, float] | None = None,
) -> Answer:
    """What the responses wrote in one form field (``asked``: its key, the form, and the option of the
    support question the question asks about, if any: who ticked it, and named the goal there, first)."""
    key, form, stance = asked
    with_text = [r for r in on_form if str((r.answers.get(key) or {}).get("text", "")).strip()]
    head = (
        f"{len(with_text)} av {len(on_form)} høringssvar på skjema har kommentarer til {form.field_name(key)}"
    )
    lines = [head + (":" if with_text else ".")]

    def reasons_goal(r: HearingResponse) -> bool:
        comment = str((r.answers.get(form.support_key) or {}).get("text", ""))
        return key.startswith("mål ") and form.names_goal(comment, key.split()[1])

    if stance is not None:
        with_text.sort(key=lambda r: (r.supports_goals != stance, not reasons_goal(r)))
    for r in with_text:
        answer = r.answers[key]
        quoted = _focused_excerpt(corpus, str(answer["text"]), focus or {})
        marker = cites.add(r.source, quote_of(quoted), int(answer["page"]), _in_answer(key, form))
        line = f"- {response_label(r)}: «{quoted}»{marker}"
        if stance is not None and r.supports_goals == stance:
            line += f" (svarte «{stance}» på spørsmål {form.support}"
            line += f";{_reason(cites, r, form)})" if reasons_goal(r) else ")"
        lines.append(line)
    return cites.answer(question, "\n".join(lines) + notes())
