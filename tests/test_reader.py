"""The reader's steps on synthetic passages (candidates, features, composition, the model file's
inference) and on the real index (explanations, the fitted model, reading order)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import make_passage

from assistant.answer.analysis import AnswerType, QuestionAnalysis
from assistant.answer.candidates import PoolPassage, build_candidates, passage_candidates
from assistant.answer.composition import ComposeConfig, choose, compose, render_quote
from assistant.answer.features import FEATURES, ReaderTerms, Signals, compound_cover, compute
from assistant.answer.ranking import MODEL_PATH, RankerModel, load_model
from assistant.answer.reader import Reading
from assistant.api import Assistant
from vectorstore.lexical import Tokenizer

SUMMARY = (
    "Mange har etterlyst bedre omtale av pårørende. Det pekes på at de har en viktig rolle. "
    "Flere nevner fullmakter. I oppdatert dokument er dette presisert under Mål 1. Et annet tema er økonomi."
)
HANDLING = ReaderTerms(
    kind_roles={"høringsoppsummering": "hearing_summary"},
    handling_terms=__import__("re").compile(r"\b(?:presisert|står seg)\b"),
)
CONFIG = ComposeConfig(support_ratio=0.5, support_floor=0.1, max_sentences=3, per_passage=2, lookahead=4)


def pool(text: str, kind: str = "høringsoppsummering") -> PoolPassage:
    return PoolPassage(make_passage(text, kind=kind), {"fused": 0}, {"fused": 1.0})


def reading(
    kind: AnswerType, text: str, scores: list[float], passage_kind: str = "høringsoppsummering"
) -> Reading:
    candidates = passage_candidates(pool(text, passage_kind))
    for c, s in zip(candidates, scores, strict=False):
        c.score = s
    ranked = sorted(candidates, key=lambda c: -c.score)
    return Reading(QuestionAnalysis("?", "no", kind), ranked, [ranked[0].passage])


def test_a_list_intro_carries_its_items_and_each_item_is_a_candidate_too() -> None:
    text = "Det er tre mål:\n1. Kvalitet og sammenheng\n2. Bærekraft\n3. Innovasjon\nDette er viktig."
    candidates = build_candidates([pool(text, "strategi")], min_words=1)
    intro = candidates[0]
    assert intro.items == 3 and intro.head == "Det er tre mål:"
    assert intro.text.endswith("3. Innovasjon")
    assert "2. Bærekraft" in [c.text for c in candidates]
    assert (
        render_quote(intro.text, 1)
        == "Det er tre mål: [1]\n- Kvalitet og sammenheng\n- Bærekraft\n- Innovasjon\n"
    )


def test_a_handling_question_gets_the_handling_a_few_sentences_on() -> None:
    quotes = choose(
        reading(AnswerType.HANDLING, SUMMARY, [0.9, 0.05, 0.05, 0.05, 0.05]), CONFIG, HANDLING.handling_terms
    )
    assert [q.text for q in quotes] == [
        "Mange har etterlyst bedre omtale av pårørende.",
        "I oppdatert dokument er dette presisert under Mål 1.",
    ]


def test_a_lead_that_points_back_brings_the_sentence_it_points_at() -> None:
    quotes = choose(reading(AnswerType.OTHER, SUMMARY, [0.05, 0.05, 0.05, 0.9, 0.05]), CONFIG, None)
    assert quotes[0].text == "Flere nevner fullmakter. I oppdatert dokument er dette presisert under Mål 1."


def test_why_questions_get_the_reason_and_other_questions_do_not() -> None:
    text = "Forslagene er vurdert. Målene står seg. Av den grunn er de vurdert som virkemidler. Noe annet."
    why = choose(reading(AnswerType.REASON, text, [0.9, 0.05, 0.05, 0.05]), CONFIG, None)
    assert [q.text for q in why][-1] == "Av den grunn er de vurdert som virkemidler."
    plain = choose(reading(AnswerType.OTHER, text, [0.9, 0.05, 0.05, 0.05]), CONFIG, None)
    assert [q.text for q in plain] == ["Forslagene er vurdert."]


def test_support_must_reach_the_ratio_and_the_floor() -> None:
    text = "Første setning her. Andre setning her. Tredje setning her. Fjerde setning her."
    quotes = choose(reading(AnswerType.OTHER, text, [0.8, 0.5, 0.3, 0.45]), CONFIG, None)
    # 0.5 >= 0.5 × 0.8 joins; 0.3 does not; at most per_passage (2) from one passage
    assert [q.text for q in quotes] == ["Første setning her.", "Andre setning her."]


def test_compose_leads_with_the_lead_and_cites_every_quote_verbatim() -> None:
    quotes = choose(
        reading(AnswerType.HANDLING, SUMMARY, [0.9, 0.05, 0.05, 0.05, 0.05]), CONFIG, HANDLING.handling_terms
    )
    text, citations = compose(quotes, lambda p: "Oppsummeringen")
    assert text.startswith("Oppsummeringen: Mange har etterlyst bedre omtale av pårørende. [1]")
    assert [c.n for c in citations] == [1, 2]
    for c in citations:
        assert c.quote in c.passage_text


def test_compound_parts_count_half() -> None:
    weights = {"timebestill": 2.0, "legevakt": 1.0}
    assert compound_cover(weights, {"bestill", "legevakt"}) == pytest.approx((1.0 + 1.0) / 3.0)
    assert compound_cover(weights, {"annet"}) == 0.0


def test_features_see_the_answer_type() -> None:
    tokenizer = Tokenizer()
    text = "Planen ble vedtatt 12. mars 2021. Den gjelder alle kommuner. Direktoratet leder arbeidet."
    candidates = build_candidates([pool(text, "dokument")])
    signals = Signals(
        stems=lambda t: tokenizer([t])[0],
        idf=lambda s: 1.0,
        vectors=lambda texts: np.ones((len(texts), 4), dtype=np.float32) / 2,
        passage_text=lambda p: "x",
    )
    analysis = QuestionAnalysis("Når ble planen vedtatt?", "no", AnswerType.DATE)
    matrix = compute(analysis, np.ones(4, dtype=np.float32) / 2, candidates, signals, ReaderTerms())
    assert matrix.shape == (3, len(FEATURES))
    match = [c.features["type_match"] for c in candidates]
    assert match[0] == 1.0 and match[1] == 0.0
    assert candidates[2].features["has_org"] == 1.0
    assert candidates[0].features["lex"] > candidates[1].features["lex"]


def test_the_numpy_trees_match_scikit_learn() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    from evals.fit_reader import export

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(FEATURES))).astype(np.float32)
    y = (x[:, 0] + 0.5 * x[:, 3] * x[:, 5] > 0.2).astype(int)
    fitted = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=15, random_state=0).fit(x, y)
    ours = RankerModel(json.loads(json.dumps(export("gbm", fitted, {}, 0.1))))
    np.testing.assert_allclose(ours.probability(x), fitted.predict_proba(x)[:, 1], atol=1e-5)


def test_the_bundled_model_is_small_and_matches_the_features() -> None:
    model = load_model(MODEL_PATH)
    assert MODEL_PATH.stat().st_size < 1_500_000
    assert set(model.features) <= set(FEATURES)
    assert 0.0 <= float(model.spec["abstain_below"]) < 0.5
    figures = model.spec["figures"]  # what fit-reader measured on NorQuAD validation when it wrote the file
    for k in ("top1", "top3"):
        assert figures["validation"][k] > figures["validation_e5_alone"][k] + 0.05, figures
    assert figures["answerable"]["val_answerable_refused"] <= 0.05
    assert figures["answerable"]["val_unanswerable_refused"] >= 0.5


def test_every_answer_explains_itself(assistant: Assistant) -> None:
    answer = assistant.ask("Hvilken periode gjelder strategien for?")
    assert answer.explain is not None and answer.explain.path == "reader"
    assert answer.explain.analysis["answer_type"] == "date"
    top = answer.explain.candidates[0]
    assert top["score"] >= answer.explain.candidates[-1]["score"] and "dense" in top["top_features"]
    assert {c.name for c in answer.explain.checks} >= {"confidence", "missing_subject"}
    assert "Svart av: leseren" in answer.explain.render()
    assert answer.to_dict()["explain"]["path"] == "reader"
    abstained = assistant.ask("Hvem vant sjakk-VM i 1972?")
    assert abstained.abstained and abstained.explain is not None and abstained.explain.fired


def test_the_passages_come_in_the_readers_order(assistant: Assistant) -> None:
    answer = assistant.ask("Når var fristen for å sende inn høringssvar?")
    cited = [c.chunk_id for c in answer.citations]
    assert [p.chunk_id for p in answer.passages[: len(set(cited))]] == list(dict.fromkeys(cited))
