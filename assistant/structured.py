"""Questions answered from the documents' own structure rather than from retrieved prose.

"Which result goals belong to X?" and "which respondents did not support the goals?" need complete
lists with exact wording, which retrieval of a few passages cannot guarantee. The records that the
structure readers stored at ingest (``records["result_goals"]``, ``records["hearing"]``) hold the
complete lists; every item is cited to the stored passage that contains its text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.answer.analysis import organisation_named
from assistant.answer.extractive import FRAME_WORDS as QUESTION_FRAME
from assistant.types import Answer, Citation, HearingResponse, Passage, ResultGoal
from ingest.normalise import fold
from ingest.sentences import split_sentences

if TYPE_CHECKING:
    from assistant.api import Assistant

SUPPORT_LABELS = {"ja": "ja", "nei": "nei", "vet ikke": "vet ikke"}
NOT_ON_FORM = "ikke på skjema"


# -- records -> typed results ------------------------------------------------------------------
def result_goals(assistant: Assistant) -> list[ResultGoal]:
    """All result goals of all operasjonalisering documents, by source then number."""
    goals: list[ResultGoal] = []
    for doc in assistant.store.documents():
        if doc.info.kind != "operasjonalisering":
            continue
        for g in doc.records.get("result_goals", []):
            goals.append(
                ResultGoal(
                    number=int(g["number"]),
                    text=str(g["text"]),
                    need=str(g["need"]),
                    area=str(g["area"]),
                    source=doc.info.source,
                    page=int(g["page"]),
                )
            )
    return sorted(goals, key=lambda g: (g.source, g.number))


def result_needs(assistant: Assistant) -> list[dict[str, Any]]:
    """Citizen needs as listed in the tables, with their goal numbers (possibly none)."""
    needs: list[dict[str, Any]] = []
    for doc in assistant.store.documents():
        if doc.info.kind == "operasjonalisering":
            needs.extend({**n, "source": doc.info.source} for n in doc.records.get("result_needs", []))
    return needs


def hearing_responses(assistant: Assistant) -> list[HearingResponse]:
    """One entry per høringssvar document; those off the form have ``on_form=False``."""
    out: list[HearingResponse] = []
    for doc in assistant.store.documents():
        if doc.info.kind != "høringssvar":
            continue
        rec = doc.records.get("hearing") or {}
        out.append(
            HearingResponse(
                source=doc.info.source,
                organisation=str(rec.get("organisation") or doc.info.organisation or ""),
                category=rec.get("category"),
                supports_goals=rec.get("supports_goals"),
                answers=dict(rec.get("answers") or {}),
                on_form=bool(rec.get("on_form", False)),
                title=doc.info.title,
            )
        )
    return out


def response_label(r: HearingResponse) -> str:
    return r.organisation or r.title or r.source


def support_label(r: HearingResponse) -> str:
    """What listings show for question 1: ja / nei / vet ikke / ikke besvart / ikke på skjema."""
    if not r.on_form:
        return NOT_ON_FORM
    return SUPPORT_LABELS.get(r.supports_goals or "", "ikke besvart")


def _supports_quotes(assistant: Assistant) -> dict[str, dict[str, Any]]:
    return {
        d.info.source: d.records["hearing"]["supports_quote"]
        for d in assistant.store.documents()
        if d.info.kind == "høringssvar" and (d.records.get("hearing") or {}).get("supports_quote")
    }


# -- citations ------------------------------------------------------------------------------
class _Citations:
    """Numbered citations, each pointing at the stored passage that contains its quote."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.items: list[Citation] = []
        self.passages: list[Passage] = []
        self._by_source: dict[str, list[Passage]] = {}

    def source_passages(self, source: str) -> list[Passage]:
        if source not in self._by_source:
            store = self.assistant.store
            self._by_source[source] = store.get_passages(store.ids_for_source(source))
        return self._by_source[source]

    def find(
        self, source: str, quote: str, page: int, prefer: Callable[[Passage], bool] | None = None
    ) -> Passage | None:
        passages = self.source_passages(source)
        q = fold(quote)
        for probe in (q, " ".join(q.split()[:12])):
            hits = [p for p in passages if probe and probe in fold(p.text)]
            if hits:
                return max(
                    hits,
                    key=lambda p: (bool(prefer and prefer(p)), p.page <= page <= p.page_end, -len(p.text)),
                )
        on_page = [p for p in passages if p.page <= page <= p.page_end]
        return on_page[0] if on_page else (passages[0] if passages else None)

    def add(self, source: str, quote: str, page: int, prefer: Callable[[Passage], bool] | None = None) -> str:
        """Return the " [n]" marker for a citation of ``quote`` (empty when the source has no passage)."""
        passage = self.find(source, quote, page, prefer)
        if passage is None:
            return ""
        for c in self.items:
            if c.chunk_id == passage.chunk_id and c.quote == quote:
                return f" [{c.n}]"
        n = len(self.items) + 1
        self.items.append(Citation.from_passage(n, passage, quote, page))
        if all(p.chunk_id != passage.chunk_id for p in self.passages):
            self.passages.append(passage)
        return f" [{n}]"

    def answer(self, question: str, text: str, notes: list[str] | None = None) -> Answer:
        return Answer(
            text=text.strip(),
            citations=self.items,
            abstained=False,
            mode="extractive",
            question=question,
            standalone_question=question,
            notes=notes or [],
            passages=self.passages,
        )


def _excerpt(text: str, max_words: int = 60) -> str:
    """The first sentences of ``text`` up to about ``max_words`` words, verbatim (a quote)."""
    sentences = split_sentences(text)
    if not sentences:
        return ""
    out = sentences[0]
    for s in sentences[1:]:
        if len(out.split()) + len(s.split()) > max_words:
            break
        out = f"{out} {s}"
    words = out.split()
    return " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")


def _quote_of(excerpt: str) -> str:
    return excerpt.removeprefix("… ").removesuffix(" …")


# -- structured answers ---------------------------------------------------------------------
_GOAL_WORD = r"(?:resultatmål\w*|delmål\w*|result(?:s)?[ -]?goals?|outcome[ -]?goals?)"
_GOAL_NUMBERS = re.compile(
    _GOAL_WORD
    + r"(?:\s*,?\s*(?:nr\.?|nummer|number|no\.?|#)\s*|\s*)(\d{1,2}(?:\s*(?:,|og|and|&|-|–|til|to)\s*\d{1,2})*)"
)
# Words of the question form itself; what is left names the need asked about.
_FORM_WORDS = """
    resultatmål resultatmålene resultatmålet delmål delmålene delmålet result results goal goals outcome
    dekker dekke dekkes gjelder hører tilhører knyttet behov behovet behovene innbyggers innbyggerbehov
    innbyggerbehovet cover covers belong belongs related need needs citizen citizens hvilke hvilket
    which what under til for om about the to are is of hva er som de det there alle all samtlige list
    liste vis show oversikt overview finnes exist hvor mange how many i in har have has og and
    nummererte numbered me gi give dokumentet document operasjonaliseringen an a en et
"""
_GOAL_QUESTION_WORDS = frozenset(_FORM_WORDS.split())

_HEARING_WORD = re.compile(
    r"høringss?var\w*|høringsinstans\w*|høringsuttal\w*|høringsinnspill\w*|høringspart\w*|\bhøringen\b|"
    r"respondent\w*|(?:hearing|consultation) (?:responses?|submissions?|participants?)|\bsvarte\b|\bsvart\b|"
    r"\banswered\b|\bresponded\b"
)
_EXPLICIT_ANSWER = re.compile(
    r"\b(?:svarte|svart|svar|answered|said|replied|krysset av for|ticked)\s+[«\"']?"
    r"(ja|nei|vet ikke|yes|no|don'?t know|do not know|not sure)\b"
)
_SUPPORT_VERB = re.compile(
    r"støtt\w*|stil\w* (?:seg|dere|de) bak|\benig\b|\buenig\b|support\w*|\bagree\w*|disagree\w*|endors\w*|"
    r"\bbehind\b|\bback(?:ed)?\b|\bimot\b|\bagainst\b"
)
_GOALS_REF = re.compile(
    r"strategiske mål|fem mål|\bmålene\b|strategic (?:goals|objectives)|"
    r"five (?:strategic )?(?:goals|objectives)|\bthe goals\b|\bstrategien\b|\bthe strategy\b"
)
_DONT_KNOW = re.compile(r"vet ikke|usikker|unsure|undecided|not sure|don'?t know|do not know")
_NEGATION = re.compile(r"\b(?:ikke|not|no|nei|uenig|disagree\w*|imot|against|avvis\w*|reject\w*)\b|n't\b")
_STRATEGY_GOAL = re.compile(r"\b(?:mål|goal|objective)\s*(?:nr\.?\s*|nummer\s*|number\s*)?([1-5])\b")
_FOLLOW_UP = re.compile(
    r"oppfølging(?:en)? av strategien|strategien skal følges opp|oppfølgingsprosess|prosessen for|"
    r"follow[- ]?up of the strategy|strategy (?:is|will be) followed up|spørsmål 3|question 3"
)
_OTHER_INPUT = re.compile(r"andre innspill|other (?:comments|input|feedback)|spørsmål 4|question 4")
# How many responses the hearing summary says came in: "Det kom høringssvar fra 89 ulike instanser",
# "Direktoratet mottok 89 høringssvar", "totalt 89 høringsinstanser".
_RESPONSE_TOTAL = re.compile(
    r"\bhøringssvar\s+fra\s+(\d+)\b"
    r"|\b(?:kom(?:\s+inn)?|mottatt|mottok|totalt|i\s+alt)\s+(\d+)\s+(?:ulike\s+)?"
    r"(?:høringssvar|høringsinstanser|høringsuttalelser|instanser)\b",
    re.IGNORECASE,
)
_LIST_ALL = re.compile(
    r"^(?:hvilke|hvem|which|who|list\w*|vis|show)\b.*\b(?:har (?:svart|sendt|levert|avgitt|gitt)|"
    r"svarte|sendte|leverte|responded|submitted|sent|answered|replied)\b\W*"
    r"(?:(?:på|til|i|to|in|on) (?:høringen|the hearing|the consultation)\W*)?$|"
    r"^(?:hvor mange|how many|antall|number of) (?:høringssvar|høringsinstanser|"
    r"(?:hearing |consultation )?responses|respondents)\b"
)


def structured_answer(assistant: Assistant, question: str) -> Answer | None:
    """An exhaustive answer from the records for result-goal and hearing-form questions, else None."""
    q = fold(question)
    if re.search(_GOAL_WORD, q):
        answer = _answer_result_goals(assistant, question, q)
        if answer is not None:
            return answer
    if _HEARING_WORD.search(q) or _EXPLICIT_ANSWER.search(q) or _named(hearing_responses(assistant), q):
        return _answer_hearing(assistant, question, q)
    return None


def _named(responses: list[HearingResponse], q: str) -> list[HearingResponse]:
    """Responses whose organisation (or its abbreviation in brackets, e.g. "IMDi") the question names."""
    return [r for r in responses if organisation_named(r.organisation, q)]


def _numbers(spec: str) -> list[int]:
    out: list[int] = []
    parts = re.split(r"\s*(?:,|og|and|&)\s*", spec)
    for part in parts:
        m = re.match(r"(\d{1,2})\s*(?:-|–|til|to)\s*(\d{1,2})$", part.strip())
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            out.extend(range(min(a, b), max(a, b) + 1) if abs(b - a) <= 40 else [a, b])
        elif part.strip().isdigit():
            out.append(int(part.strip()))
    return list(dict.fromkeys(out))


def _goal_prefer(goal: ResultGoal) -> Callable[[Passage], bool]:
    return lambda p: p.text.startswith(f"{goal.number}. ") and "\nInnbyggers behov: " in p.text


def _goal_line(cites: _Citations, goal: ResultGoal) -> str:
    return f"- {goal.number}. {goal.text}{cites.add(goal.source, goal.text, goal.page, _goal_prefer(goal))}"


def _goals_by_need(cites: _Citations, goals: list[ResultGoal]) -> list[str]:
    lines: list[str] = []
    need: tuple[str, str] | None = None
    for g in goals:
        if (g.source, g.need) != need:
            need = (g.source, g.need)
            lines.append(f"\nInnbyggers behov: «{g.need}»")
        lines.append(_goal_line(cites, g))
    return lines


def _span(goals: list[ResultGoal]) -> str:
    numbers = [g.number for g in goals]
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))) and len(numbers) > 1:
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)


def _answer_result_goals(assistant: Assistant, question: str, q: str) -> Answer | None:
    goals = result_goals(assistant)
    if not goals:
        return None
    cites = _Citations(assistant)
    several_docs = len({g.source for g in goals}) > 1

    m = _GOAL_NUMBERS.search(q)
    if m:
        wanted = _numbers(m.group(1))
        found = [g for g in goals if g.number in wanted]
        lines = []
        for g in found:
            where = f" ({g.source})" if several_docs else ""
            marker = cites.add(g.source, g.text, g.page, _goal_prefer(g))
            lines.append(
                f"Resultatmål {g.number}{where}: «{g.text}»{marker}\n"
                f"Det hører til innbyggers behov «{g.need}» i hovedområdet «{g.area}»."
            )
        missing = [n for n in wanted if all(g.number != n for g in goals)]
        if missing:
            lines.append(
                f"Resultatmål {', '.join(map(str, missing))} finnes ikke; "
                f"resultatmålene er nummerert {goals[0].number}–{max(g.number for g in goals)}."
            )
        return cites.answer(question, "\n\n".join(lines))

    areas = list(dict.fromkeys(g.area for g in goals))
    named = [a for a in areas if a and fold(a) in q]
    if named:
        parts: list[str] = []
        for area in named:
            in_area = [g for g in goals if g.area == area]
            head = f"Hovedområdet «{area}» har {len(in_area)} resultatmål ({_span(in_area)}):"
            parts.append("\n".join([head, *_goals_by_need(cites, in_area)]))
        return cites.answer(question, "\n\n".join(parts))

    needs = list(dict.fromkeys((g.source, g.need) for g in goals))
    quoted = [n for n in needs if fold(n[1]) in q]
    residual = [t for t in re.findall(r"\w+", q) if t not in _GOAL_QUESTION_WORDS]
    if not quoted and not residual:
        head = f"Det er {len(goals)} resultatmål i {len(areas)} hovedområder:"
        parts = [head]
        for area in areas:
            in_area = [g for g in goals if g.area == area]
            parts.append("\n".join([f"\n{area} ({_span(in_area)})", *_goals_by_need(cites, in_area)]))
        return cites.answer(question, "\n".join(parts))

    chosen = quoted or _best_needs(assistant, question, needs, goals)
    notes = [] if quoted else ["Behovet er valgt som nærmeste treff på ordlyden i spørsmålet."]
    parts = []
    for source, need in chosen:
        of_need = [g for g in goals if g.source == source and g.need == need]
        area = of_need[0].area
        verb = "Behovet" if quoted else "Det nærmeste innbyggerbehovet er"
        intro = (
            f"{verb} «{need}» (hovedområde «{area}») dekkes av {len(of_need)} resultatmål:"
            if quoted
            else f"{verb} «{need}» (hovedområde «{area}»). Resultatmålene under dette behovet:"
        )
        parts.append("\n".join([intro, *(_goal_line(cites, g) for g in of_need)]))
    return cites.answer(question, "\n\n".join(parts), notes)


# How much a need's words matching the question's (inside compounds too: "timebestilling" ~ "bestille")
# adds to its e5 similarity, and how close to the best need another must be to be shown as well.
NEED_LEXICAL_WEIGHT = 0.15
NEED_MARGIN = 0.01


def _best_needs(
    assistant: Assistant, question: str, needs: list[tuple[str, str]], goals: list[ResultGoal]
) -> list[tuple[str, str]]:
    """Needs closest to the question: e5 similarity (the need alone or with its goals) plus the IDF-weighted
    share of the question's stems found in the need and its goals, counting parts of compounds."""
    from assistant.answer.features import compound_cover

    texts = [n[1] for n in needs]
    with_goals = [f"{n[1]}: " + "; ".join(g.text for g in goals if (g.source, g.need) == n) for n in needs]
    qv = np.asarray(assistant.embeddings.embed_batch([question], query=True))[0]
    nv = np.asarray(assistant.embeddings.embed_batch(texts + with_goals, query=False))
    dense = np.maximum(nv[: len(needs)] @ qv, nv[len(needs) :] @ qv)
    generic = set(assistant.tokenizer([" ".join(sorted(_GOAL_QUESTION_WORDS))])[0]) | QUESTION_FRAME
    idf = assistant.lexical().idf
    weights = {s: idf(s) for s in assistant._stems(question) if s not in generic and not s.isdigit()}
    lexical = np.array([compound_cover(weights, set(assistant._stems(t))) for t in with_goals])
    score = dense + NEED_LEXICAL_WEIGHT * lexical
    best = float(score.max())
    order = [int(i) for i in np.argsort(-score) if score[int(i)] >= best - NEED_MARGIN][:3]
    return [needs[i] for i in order]


def _polarity(q: str) -> str:
    m = _EXPLICIT_ANSWER.search(q)
    if m:
        value = m.group(1)
        if value in ("ja", "yes"):
            return "ja"
        if value in ("nei", "no"):
            return "nei"
        return "vet ikke"
    if _DONT_KNOW.search(q):
        return "vet ikke"
    return "nei" if _NEGATION.search(q) else "ja"


def _answer_hearing(assistant: Assistant, question: str, q: str) -> Answer | None:
    responses = all_responses = hearing_responses(assistant)
    if not responses:
        return None
    named = _named(responses, q)
    if named:
        responses = named
    on_form = [r for r in responses if r.on_form]
    off_form = [r for r in responses if not r.on_form]
    cites = _Citations(assistant)

    def off_form_note() -> str:
        if not off_form:
            return ""
        names = "; ".join(f"{response_label(r)}{_cite_first(cites, r)}" for r in off_form)
        return (
            f"\n\n{len(off_form)} høringssvar er ikke på høringsskjemaet ({NOT_ON_FORM}) "
            f"og er ikke talt med: {names}."
        )

    def partial_note() -> str:
        """Counts over the indexed responses are partial when the summary says more came in."""
        stated = None if named else stated_response_total(cites)
        if stated is None or stated.total <= len(all_responses):
            return ""
        marker = cites.add(stated.source, stated.sentence, stated.page)
        return (
            f"\n\nMerk: Høringsoppsummeringen oppgir {stated.total} høringssvar{marker}; indeksen har "
            f"{len(all_responses)} av dem, så tallene over gjelder bare disse."
        )

    def notes() -> str:
        return off_form_note() + partial_note()

    goal_match = _STRATEGY_GOAL.search(q)
    support = _EXPLICIT_ANSWER.search(q) or (_SUPPORT_VERB.search(q) and _GOALS_REF.search(q))
    if support and not goal_match:
        return _answer_support(assistant, question, q, on_form, cites, notes, bool(named))
    key = None
    if goal_match:
        key = f"mål {goal_match.group(1)}"
    elif _FOLLOW_UP.search(q):
        key = "3"
    elif _OTHER_INPUT.search(q):
        key = "4"
    if key is not None:
        focus = _focus_weights(assistant, question, named)
        return _answer_key(question, key, on_form, cites, notes, focus)
    if _LIST_ALL.search(q.strip(" ?.!")) and not named:
        lines = [f"Det er {len(responses)} høringssvar i indeksen ({len(on_form)} på høringsskjemaet):"]
        quotes = _supports_quotes(assistant)
        for r in responses:
            category = f", {r.category}" if r.category else ""
            status = support_label(r)
            quote = quotes.get(r.source)
            marker = (
                cites.add(r.source, quote["text"], int(quote["page"]), _in_answer("1"))
                if quote
                else _cite_first(cites, r)
            )
            lines.append(f"- {response_label(r)}{category}: spørsmål 1 – {status}{marker}")
        return cites.answer(question, "\n".join(lines) + partial_note())
    return None


@dataclass(frozen=True)
class StatedTotal:
    total: int
    source: str
    sentence: str
    page: int


def stated_response_total(cites: _Citations) -> StatedTotal | None:
    """How many responses the hearing summary says came in, and the sentence that says so; None when no
    summary states it. A count over fewer indexed responses is then only part of the hearing."""
    for doc in cites.assistant.store.documents():
        if doc.info.kind != "høringsoppsummering":
            continue
        for passage in sorted(cites.source_passages(doc.info.source), key=lambda p: (p.page, p.chunk_id)):
            for line in passage.text.split("\n"):
                for sentence in split_sentences(line):
                    match = _RESPONSE_TOTAL.search(sentence)
                    if match:
                        total = int(match.group(1) or match.group(2))
                        return StatedTotal(total, doc.info.source, sentence, passage.page)
    return None


def response_total(assistant: Assistant) -> StatedTotal | None:
    """How many responses the hearing summary says came in (None when no summary states it)."""
    return stated_response_total(_Citations(assistant))


def _in_answer(key: str) -> Callable[[Passage], bool]:
    """Prefer the passage under the form's heading for ``key`` when the same words occur elsewhere."""
    if key.startswith("mål"):
        return lambda p: key in fold(p.section)
    return lambda p: fold(p.section).startswith(f"{key})")


def _cite_first(cites: _Citations, r: HearingResponse) -> str:
    """Cite the start of a response's first passage (for responses off the form)."""
    passages = sorted(cites.source_passages(r.source), key=lambda p: p.page)
    if not passages:
        return ""
    first = passages[0]
    return cites.add(r.source, _quote_of(_excerpt(first.text.split("\n")[0], 25)), first.page)


def _answer_support(
    assistant: Assistant,
    question: str,
    q: str,
    on_form: list[HearingResponse],
    cites: _Citations,
    notes: Callable[[], str],
    named: bool = False,
) -> Answer:
    """Who answered ja / nei / vet ikke to question 1; for named respondents, what each answered."""
    choice = _polarity(q)
    quotes = _supports_quotes(assistant)
    matching = on_form if named else [r for r in on_form if r.supports_goals == choice]
    counts = {c: sum(r.supports_goals == c for r in on_form) for c in ("ja", "nei", "vet ikke")}
    unanswered = sum(r.supports_goals is None for r in on_form)
    head = (
        "Svar på spørsmål 1 («Kan dere stille dere bak de fem strategiske målene …?»)"
        if named
        else f"{len(matching)} av {len(on_form)} høringssvar på skjema svarte «{choice}» på spørsmål 1 "
        f"(«Kan dere stille dere bak de fem strategiske målene …?»)"
    )
    lines = [head + (":" if matching else ".")]
    for r in matching:
        quote = quotes.get(r.source)
        marker = cites.add(r.source, quote["text"], int(quote["page"]), _in_answer("1")) if quote else ""
        category = f" ({r.category})" if r.category else ""
        ticked = quote["text"] if quote else support_label(r)
        line = f"- {response_label(r)}{category}: «{ticked}»{marker}"
        comment = r.answers.get("1") or {}
        excerpt = _excerpt(str(comment.get("text", "")), 40)
        if excerpt:
            marker = cites.add(r.source, _quote_of(excerpt), int(comment["page"]), _in_answer("1"))
            line += f" Begrunnelse: «{excerpt}»{marker}"
        lines.append(line)
    if not matching and not named:
        # Nothing to list: show what each response ticked, so the count is supported by citations.
        for r in on_form:
            quote = quotes.get(r.source)
            marker = cites.add(r.source, quote["text"], int(quote["page"]), _in_answer("1")) if quote else ""
            lines.append(f"- {response_label(r)}: «{quote['text'] if quote else support_label(r)}»{marker}")
    spread = ", ".join(f"{c}: {n}" for c, n in counts.items())
    tail = "" if named else f"\n\nFordeling på spørsmål 1 blant høringssvarene på skjema – {spread}"
    tail += (f", ikke besvart: {unanswered}." if unanswered else ".") if not named else ""
    return cites.answer(question, "\n".join(lines) + tail + notes())


# Words that only say which form field is asked about; the rest of the question is what to look for in it.
_FIELD_WORDS = (
    "mål målet høringssvar høringssvaret høringen innspill innspillet kommentar kommentarer skjema spørsmål"
)


def _focus_weights(assistant: Assistant, question: str, responses: list[HearingResponse]) -> dict[str, float]:
    """IDF weights of what a question asks about in a form field ("which *indicator* did IMDi propose under
    goal 2?"): its stems minus the organisation's name, the field words and the question frame."""
    names = " ".join(
        n for r in responses for n in [r.organisation, *re.findall(r"\(([^)]+)\)", r.organisation)]
    )
    noise = set(assistant._stems(f"{names} {_FIELD_WORDS}")) | QUESTION_FRAME
    idf = assistant.lexical().idf
    return {s: idf(s) for s in assistant._stems(question) if s not in noise and not s.isdigit()}


def _focused_excerpt(assistant: Assistant, text: str, focus: dict[str, float], max_words: int = 60) -> str:
    """The field's sentences from the one that matches the question best (its start when none does)."""
    sentences = split_sentences(text)
    if not focus or len(sentences) < 2:
        return _excerpt(text, max_words)
    scores = [sum(w for s, w in focus.items() if s in set(assistant._stems(x))) for x in sentences]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    if scores[best] <= 0 or len(" ".join(sentences[: best + 1]).split()) <= max_words:
        return _excerpt(text, max_words)
    return "… " + _excerpt(" ".join(sentences[best:]), max_words)


def _answer_key(
    question: str,
    key: str,
    on_form: list[HearingResponse],
    cites: _Citations,
    notes: Callable[[], str],
    focus: dict[str, float] | None = None,
) -> Answer:
    topic = {"3": "spørsmål 3 (oppfølging av strategien)", "4": "spørsmål 4 (andre innspill)"}.get(key, key)
    with_text = [r for r in on_form if str((r.answers.get(key) or {}).get("text", "")).strip()]
    head = f"{len(with_text)} av {len(on_form)} høringssvar på skjema har kommentarer til {topic}"
    lines = [head + (":" if with_text else ".")]
    for r in with_text:
        answer = r.answers[key]
        excerpt = _focused_excerpt(cites.assistant, str(answer["text"]), focus or {})
        marker = cites.add(r.source, _quote_of(excerpt), int(answer["page"]), _in_answer(key))
        lines.append(f"- {response_label(r)}: «{excerpt}»{marker}")
    return cites.answer(question, "\n".join(lines) + notes())
