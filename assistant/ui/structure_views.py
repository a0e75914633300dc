"""HTML and table rows for the «Resultatmål» and «Høringen» tabs. Every piece of document text is escaped.

The CSS lives here too (``TRACE_CSS``, ``COVERAGE_CSS``) and is given to the ``gr.HTML`` components
that show it (Gradio scopes a component's ``css_template`` to that component).
"""

from __future__ import annotations

import re
from typing import Any

from assistant.goal_coverage import Coverage
from assistant.hearing_answers import StatedTotal
from assistant.resultgoal_search import GoalSearch
from assistant.types import DocumentInfo, Passage, ResultGoal, Trace
from assistant.ui.sources import esc, kind_label
from ingest.profile import CorpusProfile

GOAL_HEADERS = ["Hovedområde", "Innbyggers behov", "Nr.", "Resultatmål", "Dokument", "Side"]  # bundled


def goal_headers(need_column: str, result_word: str) -> list[str]:
    """The table's headers in the collection's words: its need column and what it calls a result goal."""
    return ["Hovedområde", need_column, "Nr.", result_word.capitalize(), "Dokument", "Side"]


PASSAGE_CHARS = 600
LEVEL_WORDS = {"dekket": "dekket", "delvis": "delvis dekket", "ikke dekket": "ikke dekket"}

TRACE_CSS = """
.spor { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: .8em; align-items: start; }
@media (max-width: 760px) { .spor { grid-template-columns: 1fr; } }
.spor-kolonne > summary { cursor: pointer; font-weight: 600; padding: .3em 0; }
.spor-kort { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .4em .7em;
  margin: 0 0 .6em; overflow-wrap: anywhere; }
.spor-kort p { margin: .2em 0; }
.spor-tom { font-style: italic; }
mark { background: #fff1a8; color: inherit; padding: 0 .1em; }
.kilde-meta { font-size: .88em; color: var(--body-text-color-subdued); }
"""

HITS_CSS = """
.treff { list-style: none; padding: 0; margin: 0; }
.treff-kort { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: .4em .7em;
  margin: 0 0 .6em; overflow-wrap: anywhere; }
.treff-kort > div { margin: .2em 0; }
.treff-hvorfor { font-size: .95em; }
.kilde-meta { font-size: .88em; color: var(--body-text-color-subdued); }
"""

COVERAGE_CSS = """
.dekning-liste { padding-left: 1.4em; }
.dekning-punkt { margin: 0 0 .9em; }
.dekning-punkt ul { margin: .2em 0 0; padding-left: 1.2em; }
.nivaa { display: inline-block; border-radius: 4px; padding: 0 .4em; margin-right: .4em; font-weight: 600;
  font-size: .9em; }
.nivaa-dekket { background: #d8f0d8; color: #1b4d1b; }
.nivaa-delvis { background: #fff1c2; color: #5c4400; }
.nivaa-ikke-dekket { background: #f8d7d7; color: #6b1010; }
.delt { font-style: italic; color: var(--body-text-color-subdued); }
.dekning-tall table { border-collapse: collapse; font-size: .9em; }
.dekning-tall td, .dekning-tall th { border: 1px solid var(--border-color-primary); padding: .2em .4em; }
.kilde-meta { font-size: .88em; color: var(--body-text-color-subdued); }
"""


# -- Resultatmål --------------------------------------------------------------------------------
def goal_rows(goals: list[ResultGoal]) -> list[list[Any]]:
    """All goals by area (in document order), then document, then number."""
    order = {area: i for i, area in enumerate(dict.fromkeys(g.area for g in goals))}
    ordered = sorted(goals, key=lambda g: (order.get(g.area, 0), g.source, g.number))
    return [[g.area, g.need, g.number, g.text, g.source, g.page] for g in ordered]


def hits_html(found: GoalSearch) -> str:
    """The hits as cards, best first (readable at any width): the goal, why it matched, where it stands."""
    cards = []
    for h in found.hits:
        g = h.goal
        meta = f"Behov: {esc(g.need)} · Hovedområde: {esc(g.area)} · {esc(g.source)}, s. {g.page}"
        cards.append(
            f'<li class="treff-kort"><div class="treff-mal"><strong>{g.number}.</strong> {esc(g.text)}</div>'
            f'<div class="treff-hvorfor">Treff fordi: {esc(h.why())}</div><div class="kilde-meta">{meta}</div></li>'
        )
    return f'<ol class="treff">{"".join(cards)}</ol>' if cards else ""


def search_summary(found: GoalSearch, total: int, word: str = "resultatmål") -> str:
    """One or two plain sentences over the hits: how many, and which words no goal uses. ``word`` is what
    the collection calls a result goal («resultatmål», «tiltak»)."""
    query = " ".join(found.query.split())
    lines = [f"*{note}*" for note in found.notes]
    if found.hits:
        best_first = ", det beste først" if len(found.hits) > 1 else ""
        lines.append(f"{len(found.hits)} av {total} {word} passer til «{query}»{best_first}.")
        if found.unmatched:
            words = ", ".join(f"«{w}»" for w in found.unmatched)
            lines.append(f"Ingen {word} bruker {words}.")
    else:
        lines.append(
            f"Ingen av de {total} {word}ene handler om «{query}», verken med de ordene eller i betydning."
        )
    return "\n\n".join(lines)


def coverage_html(cov: Coverage) -> str:
    """Each bullet of the covered goals (Mål 1) with its level in words and its three closest goals; the
    numbers behind a toggle. The heading, goal and result-goal words are the collection's (``cov.scope``)."""
    scope = cov.scope
    word, title = scope.result_word, scope.result_word[:1].upper() + scope.result_word[1:]
    if not cov.items:
        return (
            f'<p class="spor-tom">Fant ingen punkter under «{esc(scope.heading)}» i {esc(scope.goals_text)}, '
            f"eller ingen {esc(word)} å sammenligne med.</p>"
        )
    counts = {level: sum(i.level == level for i in cov.items) for level in LEVEL_WORDS}
    head = (
        f"<p><strong>{counts['dekket']} av {len(cov.items)} punkter er dekket</strong>, "
        f"{counts['delvis']} delvis, {counts['ikke dekket']} ikke dekket.</p>"
    )
    best_of: dict[int, list[int]] = {}
    for n, item in enumerate(cov.items, 1):
        if item.suggestions:
            best_of.setdefault(int(item.suggestions[0]["number"]), []).append(n)
    points = []
    for n, item in enumerate(cov.items, 1):
        goals = []
        for rank, s in enumerate(item.suggestions):
            others = [m for m in best_of.get(int(s["number"]), []) if m != n] if rank == 0 else []
            shared = (
                f' <span class="delt">(også beste treff for punkt {", ".join(map(str, others))})</span>'
                if others
                else ""
            )
            goals.append(f"<li>{int(s['number'])}. {esc(str(s['text']))}{shared}</li>")
        level = item.level
        points.append(
            f'<li class="dekning-punkt"><p><span class="nivaa nivaa-{level.replace(" ", "-")}">'
            f"{LEVEL_WORDS[level]}</span>{esc(item.bullet)}</p><ul>{''.join(goals)}</ul></li>"
        )
    shared_lines = [
        f"{title} {number} er beste treff for punkt {', '.join(map(str, nums[:-1]))} og {nums[-1]}."
        for number, nums in best_of.items()
        if len(nums) > 1
    ]
    needs = (
        f"{scope.need_word} uten {esc(word)}: "
        + "; ".join(f"«{esc(n['need'])}» ({esc(n['area'])})" for n in cov.uncovered_needs)
        + "."
        if cov.uncovered_needs
        else f"Alle {scope.need_word.lower()}ene i tabellen har minst ett {esc(word)}."
    )
    return (
        f'<div class="dekning">{head}<ol class="dekning-liste">{"".join(points)}</ol>'
        + "".join(f"<p>{esc(line)}</p>" for line in shared_lines)
        + f"<p>{needs}</p>{_numbers_html(cov, word, title)}"
        + f'<p class="kilde-meta">{esc(cov.note)}</p></div>'
    )


def _numbers_html(cov: Coverage, word: str = "resultatmål", title: str = "Resultatmål") -> str:
    rows = "".join(
        f"<tr><td>{n}</td><td>{int(s['number'])}</td><td>{s['relative']:+.3f}</td><td>{s['score']:.3f}</td></tr>"
        for n, item in enumerate(cov.items, 1)
        for s in item.suggestions
    )
    return (
        '<details class="dekning-tall"><summary>Vis tallene bak vurderingen</summary>'
        f"<p>Likheten er hvor nær et {word} (med {cov.scope.need_word.lower()}et) ligger punktet i innhold, målt med "
        f"språkmodellen som også brukes til søket. Den relative likheten trekker fra hvor nær {word}et i "
        f"snitt ligger alle punktene i strategien, slik at et {word} som ligner på alt, ikke vinner overalt. "
        f"Punktet er «dekket» når det beste {word}et har relativ likhet minst {cov.threshold:.3f}, "
        f"«delvis dekket» fra {cov.partly:.3f}. Grensene er valgt ved å lese alle strategiens punkter opp mot "
        f"{word}ene.</p>"
        f"<table><thead><tr><th>Punkt</th><th>{title}</th><th>Relativ likhet</th><th>Likhet</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></details>"
    )


# -- Høringen -----------------------------------------------------------------------------------
def count_statement(indexed: int, stated: StatedTotal | None) -> str:
    """«2 av 89 høringssvar er lest inn», with where the 89 comes from."""
    if stated is None:
        return f"**{indexed} høringssvar er lest inn.** Høringsoppsummeringen i indeksen oppgir ikke hvor mange som kom inn."
    if indexed >= stated.total:
        return f"**Alle {stated.total} høringssvar er lest inn.**"
    return (
        f"**{indexed} av {stated.total} høringssvar er lest inn.** Tallet {stated.total} er fra "
        f"høringsoppsummeringen (s. {stated.page}: «{stated.sentence}»). Oversikten og sporingen under gjelder "
        "bare høringssvarene som er lest inn."
    )


def _excerpt(text: str, terms: list[str], limit: int = PASSAGE_CHARS) -> str:
    """About ``limit`` characters of the text, from the sentence where the topic first occurs."""
    text = " ".join(text.split())
    first = min((m.start() for t in terms for m in [_term_pattern([t]).search(text)] if m), default=0)
    start = 0
    if first > limit // 2:
        cut = max(text.rfind(". ", 0, first), text.rfind("\n", 0, first))
        start = cut + 2 if cut >= 0 else first
    piece = text[start : start + limit]
    if start + limit < len(text):
        piece = piece.rsplit(" ", 1)[0] + " …"
    return ("… " if start else "") + piece


def _term_pattern(terms: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def highlighted(text: str, terms: list[str]) -> str:
    """Escaped text with the topic's words in ``<mark>``."""
    if not terms:
        return esc(text)
    pattern = _term_pattern(terms)
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [esc(text[last : m.start()]), f"<mark>{esc(m.group(0))}</mark>"]
        last = m.end()
    return "".join([*out, esc(text[last:])])


def passages_html(passages: list[Passage], empty: str, terms: list[str] | None = None) -> str:
    """Passage cards (escaped), the topic's words marked; ``empty`` in words when there are none."""
    if not passages:
        return f'<p class="spor-tom">{esc(empty)}</p>'
    cards = []
    for p in passages:
        body = highlighted(_excerpt(p.text, terms or []), terms or [])
        meta = " · ".join(esc(x) for x in (kind_label(p.kind), p.section, f"s. {p.page}") if x)
        cards.append(
            f'<div class="spor-kort"><p><strong>{esc(p.title)}</strong></p>'
            f'<p class="kilde-meta">{meta}</p><p>{body}</p></div>'
        )
    return "".join(cards)


def empty_messages(topic: str, docs: list[DocumentInfo], profile: CorpusProfile) -> tuple[str, str, str]:
    """What each column says when nothing in it is about the topic (or nothing of its role is indexed)."""
    n = sum(d.kind in profile.kinds_of("hearing_response") for d in docs)
    responses = (
        "Ingen høringssvar er lest inn."
        if n == 0
        else f"Høringssvaret i indeksen omtaler ikke «{topic}»."
        if n == 1
        else f"Ingen av de {n} høringssvarene i indeksen omtaler «{topic}»."
    )
    summary = (
        f"Høringsoppsummeringen omtaler ikke «{topic}»."
        if any(d.kind in profile.kinds_of("hearing_summary") for d in docs)
        else "Ingen høringsoppsummering er lest inn."
    )
    strategies = any(d.kind in profile.kinds_of("strategy") for d in docs)
    strategy = f"Strategien omtaler ikke «{topic}»." if strategies else "Ingen strategi er lest inn."
    return responses, summary, strategy


def trace_html(trace: Trace, docs: list[DocumentInfo], profile: CorpusProfile) -> str:
    """The three columns, side by side on a wide screen and stacked on a phone, each one collapsible."""
    empty = empty_messages(trace.topic, docs, profile)
    columns = [
        ("spor-svar", "Hva høringssvarene sa", trace.responses, empty[0]),
        ("spor-handtering", "Hvordan det ble håndtert (høringsoppsummeringen)", trace.handling, empty[1]),
        ("spor-strategi", "Hva strategien sier", trace.strategy, empty[2]),
    ]
    parts = [
        f'<details class="spor-kolonne" id="{cid}" open><summary>{esc(title)} ({len(found)})</summary>'
        f"{passages_html(found, message, trace.topic_terms)}</details>"
        for cid, title, found, message in columns
    ]
    return f'<div class="spor">{"".join(parts)}</div>'
