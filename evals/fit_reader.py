"""Refit the reader's ranker and its answerability model, reproducibly, and print validation figures.

    python -m evals.fit_reader            # or: python -m assistant fit-reader
    python -m evals.fit_reader --quick    # a small sample, to check the pipeline end to end

What it does:
1. Ingests a fixed sample of NorQuAD's training articles (``--train-questions``, default 1,500 questions),
   of its validation articles (``--val-questions``, default 200) and the bundled corpus into three
   indexes under ``--work`` (default ``.assistant/fit``; kept, so a second run embeds nothing).
2. Runs the reader's own analysis, candidate pooling and features (``ExtractiveReader.read`` unscored) on
   every sampled NorQuAD training question and every ``dev`` question; a candidate is positive when it
   holds the gold answer (NorQuAD) or a gold quote or the key fact (dev).
3. Fits gradient boosting (scikit-learn's histogram GBM) and logistic regression on every candidate,
   chooses the better by 5-fold cross-validation grouped by article (top-1 and top-3 containment),
   refits it on everything and writes ``assistant/answer/reader_model.json``.
4. Fits the answerability model (logistic regression over question-level evidence, ``ANSWERABLE_FEATURES``)
   on questions asked of their own index against questions asked of the other collection's index and
   the dev questions the documents do not answer; its threshold refuses at most ``--max-refusals`` of
   the answerable NorQuAD questions and of the answerable dev questions (out of fold). Validation: NorQuAD validation questions in their own index and in the others.
   The frozen ``test`` split is never read.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer import norquad
from assistant.answer.features import FEATURES
from assistant.answer.ranking import MODEL_PATH, RankerModel
from assistant.answer.reader import ANSWERABLE_FEATURES, answerable_row
from assistant.api import Assistant
from evals.dataset import CORPUS, Item, load_questions
from ingest.normalise import fold

SEED = 13
DEV_WEIGHT = 3.0  # a dev question weighs this many NorQuAD questions (it carries the corpus's kinds)


@dataclass
class Group:
    """One question's candidates: features, labels, and what the metrics need."""

    qid: str
    fold_key: str  # questions of one article (or one dev item) stay in one fold
    x: np.ndarray
    y: np.ndarray
    weight: float
    source: str  # norquad-train | norquad-validation | dev
    answerable: bool = True
    passages: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # each candidate's
    extra: dict[str, Any] = field(default_factory=dict)


def passage_numbers(reading: Any) -> np.ndarray:
    """Each candidate's passage as a small number (composition takes few quotes from one passage)."""
    seen: dict[str, int] = {}
    return np.array(
        [seen.setdefault(c.passage.chunk_id, len(seen)) for c in reading.candidates], dtype=np.int32
    )


def _open(home: Path, corpus: Path, own_profile: bool = False) -> Assistant:
    """An index of ``corpus`` under ``home``; a foreign corpus is read with no profile (no kinds, no
    hearing vocabulary), as another collection without one would be."""
    profile = None if own_profile else home / "no-profile.toml"
    assistant = Assistant.open(home=home, chroma_url=None, profile=profile)
    report = assistant.ingest([corpus])
    if not report.ok:
        raise SystemExit(f"ingest of {corpus} failed: {[f.reason for f in report.failed]}")
    return assistant


def norquad_groups(assistant: Assistant, questions: list[norquad.QA], source: str) -> list[Group]:
    reader = assistant.reader()
    groups = []
    for qa in questions:
        reading = reader.read(reader.analyse(qa.question), None, scored=False)
        y = np.array([norquad.contains_answer(c.text, qa.answer) for c in reading.candidates], dtype=np.int8)
        groups.append(
            Group(qa.id, qa.article, reading.matrix, y, 1.0, source, passages=passage_numbers(reading))
        )
    return groups


def unanswerable_rows(
    assistant: Assistant, questions: list[str], model: RankerModel, exclude: list[str] | None = None
) -> list[np.ndarray]:
    """Question-level rows of questions the index cannot answer (asked of another collection's index);
    with ``exclude`` (each question's gold answer), a question whose candidates happen to hold its answer
    anyway is left out."""
    reader = assistant.reader()
    rows = []
    for i, question in enumerate(questions):
        reading = reader.read(reader.analyse(question), None, scored=False)
        if exclude is not None and any(
            norquad.contains_answer(c.text, exclude[i]) for c in reading.candidates
        ):
            continue
        scores = model.probability(reading.matrix) if len(reading.matrix) else np.zeros(0)
        rows.append(answerable_row(scores, reading.matrix))
    return rows


def _dev_positive(text: str, item: Item) -> bool:
    folded = fold(text)
    key = item.key_fact
    alternatives = [key] if isinstance(key, str) else list(key or [])
    if any(fold(a) and fold(a) in folded for a in alternatives):
        return True
    return any(fold(g.quote) in folded or (len(folded) > 30 and folded in fold(g.quote)) for g in item.gold)


def dev_groups(assistant: Assistant, items: list[Item]) -> list[Group]:
    from assistant.answer.pipeline import standalone_question

    reader = assistant.reader()
    groups = []
    for item in items:
        question = standalone_question(assistant, item.question, list(item.history))
        reading = reader.read(reader.analyse(question), None, scored=False)
        y = np.array([_dev_positive(c.text, item) for c in reading.candidates], dtype=np.int8)
        groups.append(
            Group(
                item.id,
                f"dev:{item.chain or item.id}",
                reading.matrix,
                y,
                DEV_WEIGHT,
                "dev",
                not item.abstain,
                passages=passage_numbers(reading),
            )
        )
    return groups


def _training_rows(groups: list[Group]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every candidate of every answerable question that has a positive, each question weighing the same
    in all. (Sampling the negatives, the hardest by dense + lexical and some at random, was tried: the
    model then never sees the ordinary candidates it must rank below the answer, and on NorQuAD
    validation ranked worse than e5 alone: top-1 0.53 against 0.56; with every candidate, 0.66.)"""
    xs, ys, ws = [], [], []
    for g in groups:
        if not g.answerable or g.y.sum() == 0:
            continue
        xs.append(g.x)
        ys.append(g.y)
        ws.append(np.full(len(g.y), g.weight / len(g.y)))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws) * 100.0


def _fit(kind: str, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> Any:
    if kind == "gbm":
        from sklearn.ensemble import HistGradientBoostingClassifier

        model = HistGradientBoostingClassifier(
            max_iter=300,
            learning_rate=0.05,
            max_leaf_nodes=31,
            min_samples_leaf=40,
            l2_regularization=1.0,
            random_state=SEED,
        )
        return model.fit(x, y, sample_weight=w)
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000)).fit(
        x, y, logisticregression__sample_weight=w
    )


def _hist_trees(model: Any) -> list[dict[str, Any]]:
    """scikit-learn's histogram gradient boosting as plain trees: a node goes left when the feature is
    at most its threshold; a leaf has left == -1 and holds its (already shrunk) value."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            {
                "feature": [int(f) for f in nodes["feature_idx"]],
                "threshold": [float(v) for v in nodes["num_threshold"]],
                "left": [-1 if lf else int(v) for v, lf in zip(nodes["left"], leaf, strict=True)],
                "right": [-1 if lf else int(v) for v, lf in zip(nodes["right"], leaf, strict=True)],
                "value": [
                    round(float(v), 7) if lf else 0.0 for v, lf in zip(nodes["value"], leaf, strict=True)
                ],
                "depth": int(nodes["depth"].max()),
            }
        )
    return trees


def export(kind: str, model: Any, figures: dict[str, Any], abstain_below: float) -> dict[str, Any]:
    """The fitted model as the JSON ``RankerModel`` reads (numpy only at answer time)."""
    spec: dict[str, Any] = {
        "name": f"{kind}-{time.strftime('%Y-%m-%d')}",
        "kind": kind,
        "features": list(FEATURES),
        "abstain_below": round(abstain_below, 4),
        "figures": figures,
        "seed": SEED,
    }
    if kind == "gbm":
        spec["init"] = float(np.ravel(model._baseline_prediction)[0])
        spec["learning_rate"] = 1.0  # the leaves hold shrunk values
        spec["trees"] = _hist_trees(model)
    else:
        scaler, lr = model.steps[0][1], model.steps[1][1]
        spec["mean"] = [float(v) for v in scaler.mean_]
        spec["scale"] = [float(v) if v else 1.0 for v in scaler.scale_]
        spec["coef"] = [float(v) for v in lr.coef_[0]]
        spec["intercept"] = float(lr.intercept_[0])
    return spec


def topk(groups: list[Group], scores: list[np.ndarray], k: int) -> float:
    """Share of answerable questions whose k best candidates hold a positive."""
    hits = [
        float(g.y[np.argsort(-s, kind="stable")[:k]].any())
        for g, s in zip(groups, scores, strict=True)
        if g.answerable
    ]
    return sum(hits) / max(len(hits), 1)


def _scores(model: RankerModel, groups: list[Group]) -> list[np.ndarray]:
    return [model.probability(g.x) if len(g.x) else np.zeros(0) for g in groups]


def cross_validate(
    kind: str, groups: list[Group], folds: int = 5
) -> tuple[dict[str, float], dict[str, float], list[np.ndarray]]:
    """Top-1/top-3 containment out of fold, each dev question's out-of-fold best probability, and every
    question's out-of-fold scores."""
    keys = sorted({g.fold_key for g in groups})
    random.Random(SEED).shuffle(keys)
    fold_of = {k: i % folds for i, k in enumerate(keys)}
    oof: dict[str, np.ndarray] = {}
    for f in range(folds):
        train = [g for g in groups if fold_of[g.fold_key] != f]
        x, y, w = _training_rows(train)
        model = RankerModel(export(kind, _fit(kind, x, y, w), {}, 0.0))
        for g in groups:
            if fold_of[g.fold_key] == f:
                oof[g.qid] = model.probability(g.x) if len(g.x) else np.zeros(0)
    scores = [oof[g.qid] for g in groups]
    figures = {"top1": topk(groups, scores, 1), "top3": topk(groups, scores, 3)}
    best = {g.qid: float(oof[g.qid].max()) if len(oof[g.qid]) else 0.0 for g in groups if g.source == "dev"}
    return figures, best, scores


# Composition: the lead plus supporting candidates scoring at least ratio × the lead and the floor, at most
# MAX_QUOTES in all. Chosen on out-of-fold scores: the most containment with at most MAX_MEAN_QUOTES on
# average (the plain extractive peer the evaluation compares with always quotes 3).
RATIOS = (0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
FLOORS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3)
MAX_QUOTES = 3  # Settings.reader_max_sentences
PER_PASSAGE = (1, 2, 3)
MAX_MEAN_QUOTES = 2.5


def _compose(s: np.ndarray, passages: np.ndarray, bar: float, per_passage: int) -> list[int]:
    """What ``composition.choose`` quotes (best first, above the bar, few per passage), by index."""
    order = np.argsort(-s, kind="stable")
    chosen = [int(order[0])]
    taken = {int(passages[order[0]]): 1} if len(passages) else {}
    for i in order[1:]:
        if len(chosen) >= MAX_QUOTES or s[i] < bar:
            break
        p = int(passages[i]) if len(passages) else int(i)
        if taken.get(p, 0) >= per_passage:
            continue
        chosen.append(int(i))
        taken[p] = taken.get(p, 0) + 1
    return chosen


def choose_composition(groups: list[Group], scores: list[np.ndarray]) -> dict[str, float]:
    best: dict[str, float] = {}
    for per_passage in PER_PASSAGE:
        for ratio in RATIOS:
            for floor in FLOORS:
                hits, quotes = [], []
                for g, s in zip(groups, scores, strict=True):
                    if not g.answerable or not len(s):
                        continue
                    chosen = _compose(s, g.passages, max(floor, ratio * float(s.max())), per_passage)
                    hits.append(float(g.y[chosen].any()))
                    quotes.append(len(chosen))
                containment, mean_quotes = sum(hits) / len(hits), sum(quotes) / len(quotes)
                if mean_quotes <= MAX_MEAN_QUOTES and containment > best.get("containment", -1.0):
                    best = {
                        "support_ratio": ratio,
                        "support_floor": floor,
                        "per_passage": per_passage,
                        "containment": containment,
                        "mean_quotes": mean_quotes,
                    }
    return best


def choose_threshold(answerable: list[float], unanswerable: list[float], max_refusals: float) -> float:
    """The highest threshold that refuses at most ``max_refusals`` of the answerable questions."""
    if not answerable:
        return 0.0
    ordered = sorted(answerable)
    allowed = math.floor(max_refusals * len(ordered))
    threshold = ordered[allowed] if allowed < len(ordered) else ordered[-1]
    return max(0.0, threshold - 1e-6)


@dataclass
class AnswerableData:
    """Question-level rows: answerable (own index) and not (another collection's index, or a dev question
    the documents do not answer), for fitting and for validation. The dev rows are kept apart: the
    threshold must also hold for the corpus's own kind of questions (paraphrased, English)."""

    fit_yes: list[np.ndarray]
    fit_no: list[np.ndarray]
    dev_yes: list[np.ndarray]
    dev_no: list[np.ndarray]
    val_yes: list[np.ndarray]
    val_no: list[np.ndarray]


def _logistic(yes: list[np.ndarray], no: list[np.ndarray]) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack(yes + no)
    y = np.array([1] * len(yes) + [0] * len(no))
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit((x - mean) / scale, y)
    return {
        "features": list(ANSWERABLE_FEATURES),
        "mean": [float(v) for v in mean],
        "scale": [float(v) for v in scale],
        "coef": [float(v) for v in lr.coef_[0]],
        "intercept": float(lr.intercept_[0]),
    }


def _answerable_p(spec: dict[str, Any], rows: list[np.ndarray]) -> list[float]:
    probe = RankerModel(
        {
            "kind": "logistic",
            "features": [],
            "mean": [0.0],
            "scale": [1.0],
            "coef": [0.0],
            "intercept": 0.0,
            "answerable": spec,
        }
    )
    return [float(probe.answerable(r) or 0.0) for r in rows]


def fit_answerable(data: AnswerableData, max_refusals: float) -> tuple[dict[str, Any], dict[str, float]]:
    """Logistic regression on the question-level rows. The threshold is the lower of two: the one that
    refuses at most ``max_refusals`` of the answerable NorQuAD fitting questions, and the one that refuses
    at most that share of the answerable dev questions, judged out of fold (5 folds). Returns the spec
    and its figures (validation: NorQuAD questions never fitted on)."""
    yes, no = data.fit_yes + data.dev_yes, data.fit_no + data.dev_no
    spec = _logistic(yes, no)
    dev_p: list[float] = []
    folds = 5
    for f in range(folds):
        held = data.dev_yes[f::folds]
        rest = [r for i, r in enumerate(data.dev_yes) if i % folds != f]
        dev_p += _answerable_p(_logistic(data.fit_yes + rest, no), held)
    on_norquad = choose_threshold(_answerable_p(spec, data.fit_yes), [], max_refusals)
    on_dev = choose_threshold(dev_p, [], max_refusals)
    threshold = min(on_norquad, on_dev)
    val_yes, val_no = _answerable_p(spec, data.val_yes), _answerable_p(spec, data.val_no)
    dev_no = _answerable_p(spec, data.dev_no)
    figures = {
        "threshold": round(threshold, 4),
        "threshold_norquad": round(on_norquad, 4),
        "threshold_dev_out_of_fold": round(on_dev, 4),
        "fit_answerable": len(yes),
        "fit_unanswerable": len(no),
        "dev_answerable_refused_out_of_fold": sum(v < threshold for v in dev_p) / max(len(dev_p), 1),
        "dev_unanswerable_refused_in_sample": sum(v < threshold for v in dev_no) / max(len(dev_no), 1),
        "val_answerable_refused": sum(v < threshold for v in val_yes) / max(len(val_yes), 1),
        "val_unanswerable_refused": sum(v < threshold for v in val_no) / max(len(val_no), 1),
        "val_answerable": len(val_yes),
        "val_unanswerable": len(val_no),
    }
    return spec, figures


def e5_alone(groups: list[Group]) -> dict[str, float]:
    dense = FEATURES.index("dense")
    scores = [g.x[:, dense] if len(g.x) else np.zeros(0) for g in groups]
    return {"top1": topk(groups, scores, 1), "top3": topk(groups, scores, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path(".assistant/fit"), help="indexes and caches (kept)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where the model is written")
    parser.add_argument("--kinds", default="gbm,logistic", help="model kinds to compare")
    parser.add_argument(
        "--max-refusals", type=float, default=0.02, help="refusals allowed when choosing the threshold"
    )
    parser.add_argument(
        "--train-questions", type=int, default=1500, help="NorQuAD training questions (0 = all)"
    )
    parser.add_argument(
        "--val-questions", type=int, default=200, help="NorQuAD validation questions (0 = all)"
    )
    parser.add_argument("--quick", action="store_true", help="300 training and 100 validation questions")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    n_train, n_val = (300, 100) if args.quick else (args.train_questions, args.val_questions)
    train_articles, train_qs = norquad.load("train")
    val_articles, val_qs = norquad.load("validation")
    train_qs, val_qs = norquad.sample(train_qs, n_train or None), norquad.sample(val_qs, n_val or None)
    train_articles = {a: train_articles[a] for a in {q.article for q in train_qs}}
    val_articles = {a: val_articles[a] for a in {q.article for q in val_qs}}
    work = args.work / f"t{n_train or 'all'}-v{n_val or 'all'}"
    print(f"indexes under {work} …", file=sys.stderr)
    train = _open(work / "train-home", norquad.write_corpus(work / "train-corpus", train_articles))
    val = _open(work / "val-home", norquad.write_corpus(work / "val-corpus", val_articles))
    dev = _open(work / "dev-home", CORPUS, own_profile=True)
    print("features …", file=sys.stderr)
    dev_items = load_questions("dev")
    groups = norquad_groups(train, train_qs, "norquad-train") + dev_groups(dev, dev_items)
    val_groups = norquad_groups(val, val_qs, "norquad-validation")
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    print("cross-validation …", file=sys.stderr)
    cv = {k: cross_validate(k, groups) for k in kinds}
    chosen = max(kinds, key=lambda k: cv[k][0]["top1"] + cv[k][0]["top3"])
    x, y, w = _training_rows(groups)
    fitted = _fit(chosen, x, y, w)
    model = RankerModel(export(chosen, fitted, {}, 0.0))
    val_scores = _scores(model, val_groups)
    oof = cv[chosen][2]
    composition = choose_composition(groups, oof)
    print("answerability …", file=sys.stderr)
    data = answerable_data(
        groups, oof, val_groups, val_scores, (train, dev), model, train_qs, val_qs, dev_items
    )
    answerable_spec, answerable_figures = fit_answerable(data, args.max_refusals)
    threshold = answerable_figures["threshold"]
    figures = {
        "cross_validation": {k: v[0] for k, v in cv.items()},
        "chosen": chosen,
        "validation": {"top1": topk(val_groups, val_scores, 1), "top3": topk(val_groups, val_scores, 3)},
        "validation_e5_alone": e5_alone(val_groups),
        "validation_ceiling": sum(float(g.y.any()) for g in val_groups) / max(len(val_groups), 1),
        "answerable": answerable_figures,
        "composition": composition,
        "training": {
            "norquad_questions": len(train_qs),
            "dev_questions": sum(g.source == "dev" for g in groups),
            "rows": len(y),
            "positives": int(y.sum()),
        },
        "quick": bool(args.quick),
    }
    spec = export(chosen, fitted, figures, threshold)
    spec["answerable"] = answerable_spec
    spec["support_ratio"] = composition.get("support_ratio", 0.5)
    spec["support_floor"] = composition.get("support_floor", 0.15)
    spec["per_passage"] = composition.get("per_passage", 2)
    args.out.write_text(json.dumps(spec, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print_table(figures, threshold, time.perf_counter() - started, args.out)
    return 0


def answerable_data(
    groups: list[Group],
    oof: list[np.ndarray],
    val_groups: list[Group],
    val_scores: list[np.ndarray],
    indexes: tuple[Assistant, Assistant],
    model: RankerModel,
    train_qs: list[norquad.QA],
    val_qs: list[norquad.QA],
    dev_items: list[Item],
) -> AnswerableData:
    """Answerable: every question in its own index (out-of-fold scores). Not answerable: questions asked
    of the other collection (NorQuAD training questions of the bundled corpus, dev questions of NorQuAD's
    articles) and the dev questions the documents do not answer. Validation: NorQuAD validation questions
    in their own index, and in the training articles' index and the bundled corpus's."""
    train, dev = indexes
    pairs = list(zip(groups, oof, strict=True))
    fit_yes = [answerable_row(s, g.x) for g, s in pairs if g.answerable and g.source != "dev"]
    dev_yes = [answerable_row(s, g.x) for g, s in pairs if g.answerable and g.source == "dev"]
    dev_no = [answerable_row(s, g.x) for g, s in pairs if not g.answerable]
    fit_no = unanswerable_rows(dev, [q.question for q in norquad.sample(train_qs, 300)], model)
    fit_no += unanswerable_rows(train, [i.question for i in dev_items if not i.history], model)
    val_yes = [answerable_row(s, g.x) for g, s in zip(val_groups, val_scores, strict=True)]
    val_no = unanswerable_rows(train, [q.question for q in val_qs], model, [q.answer for q in val_qs])
    val_no += unanswerable_rows(dev, [q.question for q in val_qs], model)
    return AnswerableData(fit_yes, fit_no, dev_yes, dev_no, val_yes, val_no)


def print_table(figures: dict[str, Any], threshold: float, seconds: float, out: Path) -> None:
    print(f"\nreader model: {figures['chosen']} -> {out} ({out.stat().st_size // 1024} KB), {seconds:.0f} s")
    print("| ranking | top-1 containment | top-3 containment |")
    print("|---|---:|---:|")
    for kind, f in figures["cross_validation"].items():
        print(f"| {kind}, 5-fold CV on NorQuAD train + dev | {f['top1']:.3f} | {f['top3']:.3f} |")
    v, e = figures["validation"], figures["validation_e5_alone"]
    print(f"| {figures['chosen']}, NorQuAD validation | {v['top1']:.3f} | {v['top3']:.3f} |")
    print(f"| e5 alone, NorQuAD validation | {e['top1']:.3f} | {e['top3']:.3f} |")
    print(f"| candidates hold the answer (ceiling) | {figures['validation_ceiling']:.3f} | |")
    c = figures["composition"]
    if c:
        print(
            f"composition (out of fold): support ≥ {c['support_ratio']} × lead and ≥ {c['support_floor']}, "
            f"≤ {c.get('per_passage', 2)} per passage: "
            f"containment {c['containment']:.3f} with {c['mean_quotes']:.2f} quotes on average"
        )
    a = figures["answerable"]
    print(
        f"abstain when P(answerable) < {threshold:.4f} (fitted on {a['fit_answerable']} answerable and "
        f"{a['fit_unanswerable']} unanswerable questions): NorQuAD validation refuses "
        f"{a['val_answerable_refused']:.3f} of {a['val_answerable']} answerable and "
        f"{a['val_unanswerable_refused']:.3f} of {a['val_unanswerable']} asked of another collection; dev "
        f"refuses {a['dev_answerable_refused_out_of_fold']:.3f} of its answerable questions (out of fold); "
        f"training rows {figures['training']['rows']} ({figures['training']['positives']} positive)"
    )


if __name__ == "__main__":
    sys.exit(main())
