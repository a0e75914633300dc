"""Questions answered from the documents' own structure rather than from retrieved prose.

"Which result goals belong to X?" and "which respondents did not support the goals?" need complete
lists with exact wording, which retrieval of a few passages cannot guarantee. The records that the
structure readers stored at ingest (``records["result_goals"]``, ``records["hearing"]``) hold the
complete lists; every item is cited to the stored passage that contains its text.

The records are read in assistant/records.py, cited through assistant/citations.py, and answered in
assistant/goal_answers.py (result goals) and assistant/hearing_answers.py (the hearing form); this module
chooses between them, after the strategy's own goals (assistant/strategy_goals.py).
"""

from __future__ import annotations

import re

from assistant.answer.analysis import QuestionAnalysis
from assistant.goal_answers import answer_result_goals
from assistant.hearing_answers import StatedTotal, answer_hearing, asks_about_hearing, response_total
from assistant.ports import ProfiledCorpus
from assistant.records import (
    NOT_ON_FORM,
    hearing_responses,
    response_label,
    result_goals,
    result_needs,
    support_label,
)
from assistant.strategy_goals import strategy_goal_answer
from core.types import Answer
from ingest.normalise import fold

__all__ = [
    "NOT_ON_FORM",
    "StatedTotal",
    "answer_from_structure",
    "hearing_responses",
    "response_label",
    "response_total",
    "result_goals",
    "result_needs",
    "structured_answer",
    "support_label",
]


def structured_answer(corpus: ProfiledCorpus, question: str) -> Answer | None:
    """An exhaustive answer from the records for result-goal and hearing-form questions, else None."""
    q = fold(question)
    if re.search(corpus.profile.result_goal_word(), q):
        answer = answer_result_goals(corpus, question, q)
        if answer is not None:
            return answer
    if asks_about_hearing(corpus.store, q, corpus.profile.kinds_of("hearing_response"), corpus.profile):
        return answer_hearing(corpus, question, q)
    return None


def answer_from_structure(
    corpus: ProfiledCorpus, question: str, analysis: QuestionAnalysis
) -> tuple[Answer | None, str]:
    """The strategy's own goals ("Hva er mål 2?"), then result goals and the hearing form's records; with
    the explanation path of the answer (the answer is None when the structure does not answer)."""
    answer = strategy_goal_answer(corpus, question, analysis)
    if answer is not None:
        return answer, "structured:strategy_goal"
    return structured_answer(corpus, question), "structured:records"
