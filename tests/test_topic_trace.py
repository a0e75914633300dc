"""The topic trace keeps only passages about the topic (assistant/topic_trace.py), on the bundled corpus.

The topics below were written down to choose the thresholds on (not one topic): for each, which
columns name it. «Høringssvar» = the two bundled responses, «oppsummering» = the hearing summary,
«strategi» = the strategy. A column that does not name the topic must come back empty, so the tab can
say «… omtaler ikke «…»».
"""

from __future__ import annotations

import pytest

from assistant.api import Assistant
from assistant.topic_trace import MIN_TOPIC_SHARE, TopicMatcher

# topic -> (responses, summary, strategy): does the column name the topic?
TOPICS = {
    "skytjenester": (True, False, False),
    "digitalt utenforskap": (True, True, True),
    "kunstig intelligens": (False, False, True),
    "samisk": (False, False, False),
    "personvern": (False, True, True),
    "velferdsteknologi": (False, False, True),
    "standardisering": (False, True, True),
    "finansiering": (True, True, True),
    "språk": (True, True, False),
    "pannekaker": (False, False, False),
}


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_trace_keeps_only_passages_about_the_topic(assistant: Assistant, topic: str) -> None:
    trace = assistant.trace(topic)
    columns = (trace.responses, trace.handling, trace.strategy)
    assert tuple(bool(c) for c in columns) == TOPICS[topic]
    matcher = TopicMatcher(assistant, topic)
    for column in columns:
        for p in column:
            assert matcher.share(p.text) >= MIN_TOPIC_SHARE or matcher.closeness(p.text) >= 0.9
            assert matcher.words_in(p.text)  # something to highlight in every card


def test_cloud_services_are_only_in_the_business_response(assistant: Assistant) -> None:
    trace = assistant.trace("skytjenester")
    assert [p.source for p in trace.responses] == ["horingssvar-naringsaktor"]
    assert "skytjenester" in trace.responses[0].text
    assert {t.lower() for t in trace.topic_terms} == {"skytjenester"}


def test_topic_words_not_handling_words_are_the_highlights(assistant: Assistant) -> None:
    trace = assistant.trace("digitalt utenforskap")
    assert any(p.source == "horingssvar-imdi" for p in trace.responses)
    assert any("Mål 1" in p.section or "utenforskap" in p.text for p in trace.handling)
    assert any("«ikke-digitale innbyggere»" in p.text for p in trace.strategy)
    lowered = {t.lower() for t in trace.topic_terms}
    assert {"utenforskap", "digitalt"} <= lowered
    assert not lowered & {"presisert", "står", "tydeliggjort"}


def test_one_common_word_of_the_topic_is_not_enough(assistant: Assistant) -> None:
    """«digitalt» alone is in half the corpus; a passage must name «utenforskap» (or say it in other words)."""
    matcher = TopicMatcher(assistant, "digitalt utenforskap")
    assert matcher.share("Digitale tjenester skal være enkle å bruke.") < MIN_TOPIC_SHARE
    assert matcher.share("Utenforskapet øker.") >= MIN_TOPIC_SHARE
