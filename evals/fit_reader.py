"""Refit the reader's ranker, reproducibly, and print its validation figures.

    python -m evals.fit_reader            # or: python -m assistant fit-reader
    python -m evals.fit_reader --quick    # a small sample, to check the pipeline end to end

What it does:
1. Ingests NorQuAD's training articles, its validation articles and the bundled corpus into three indexes
   under ``--work`` (default ``.assistant/fit``; kept, so a second run embeds nothing).
2. Runs the reader's own analysis, candidate pooling and features (``ExtractiveReader.read`` unscored) on
   every NorQuAD training question and every answerable ``dev`` question; a candidate is positive when it
   holds the gold answer (NorQuAD) or a gold quote or the key fact (dev).
3. Fits gradient boosting and logistic regression (scikit-learn), chooses the better by 5-fold
   cross-validation grouped by article (top-1 and top-3 containment), refits it on everything and writes
   ``assistant/answer/reader_model.json``.
4. Chooses the abstention threshold on out-of-fold dev predictions and the validation questions (refusals
   of answerable questions at most ``--max-refusals``), and prints validation top-k containment beside
   e5 alone. The frozen ``test`` split is never read.
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
from assistant.api import Assistant
from evals.dataset import CORPUS, Item, load_questions
from ingest.normalise import fold

SEED = 13
NEGATIVES_TOP = 25  # hardest negatives kept per question (by dense + lexical), plus as many at random
NEGATIVES_RANDOM = 15
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
    extra: dict[str, Any] = field(default_factory=dict)


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
        groups.append(Group(qa.id, qa.article, reading.matrix, y, 1.0, source))
    return groups


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
            )
        )
    return groups


def _training_rows(groups: list[Group], rng: random.Random) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All positives and a sample of negatives per question (the hardest by dense + lexical, and some at
    random), each question weighing the same in all."""
    xs, ys, ws = [], [], []
    dense, lex = FEATURES.index("dense"), FEATURES.index("lex_compound")
    for g in groups:
        if not g.answerable or g.y.sum() == 0:
            continue
        pos = np.flatnonzero(g.y == 1)
        neg = np.flatnonzero(g.y == 0)
        hard = neg[np.argsort(-(g.x[neg, dense] + 0.5 * g.x[neg, lex]))][:NEGATIVES_TOP]
        rest = [int(i) for i in neg if i not in set(hard.tolist())]
        rand = rng.sample(rest, min(NEGATIVES_RANDOM, len(rest)))
        keep = np.concatenate([pos, hard, np.array(rand, dtype=np.int64)])
        xs.append(g.x[keep])
        ys.append(g.y[keep])
        ws.append(np.full(len(keep), g.weight / len(keep)))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws) * 100.0


def _fit(kind: str, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> Any:
    if kind == "gbm":
        from sklearn.ensemble import GradientBoostingClassifier

        model = GradientBoostingClassifier(
            n_estimators=250,
            max_depth=4,
            learning_rate=0.08,
            subsample=0.8,
            min_samples_leaf=40,
            random_state=SEED,
        )
        return model.fit(x, y, sample_weight=w)
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000)).fit(
        x, y, logisticregression__sample_weight=w
    )


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
        init = model._raw_predict_init(np.zeros((1, len(FEATURES)), dtype=np.float32))
        spec["init"] = float(np.ravel(init)[0])
        spec["learning_rate"] = float(model.learning_rate)
        trees = []
        for est in model.estimators_[:, 0]:
            t = est.tree_
            trees.append(
                {
                    "feature": [int(f) for f in t.feature],
                    "threshold": [round(float(v), 6) for v in t.threshold],
                    "left": [int(v) for v in t.children_left],
                    "right": [int(v) for v in t.children_right],
                    "value": [round(float(v), 6) for v in t.value[:, 0, 0]],
                    "depth": int(t.max_depth),
                }
            )
        spec["trees"] = trees
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
        x, y, w = _training_rows(train, random.Random(SEED + f))
        model = RankerModel(export(kind, _fit(kind, x, y, w), {}, 0.0))
        for g in groups:
            if fold_of[g.fold_key] == f:
                oof[g.qid] = model.probability(g.x) if len(g.x) else np.zeros(0)
    scores = [oof[g.qid] for g in groups]
    figures = {"top1": topk(groups, scores, 1), "top3": topk(groups, scores, 3)}
    best = {g.qid: float(oof[g.qid].max()) if len(oof[g.qid]) else 0.0 for g in groups if g.source == "dev"}
    return figures, best, scores


# Composition: the lead plus supporting candidates scoring at least ratio × the lead and the floor, at most
# MAX_QUOTES in all. Chosen on out-of-fold scores: the most containment with at most MAX_MEAN_QUOTES on average.
RATIOS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
FLOORS = (0.05, 0.1, 0.15, 0.2, 0.3)
MAX_QUOTES = 3
MAX_MEAN_QUOTES = 2.0


def choose_composition(groups: list[Group], scores: list[np.ndarray]) -> dict[str, float]:
    best: dict[str, float] = {}
    for ratio in RATIOS:
        for floor in FLOORS:
            hits, quotes = [], []
            for g, s in zip(groups, scores, strict=True):
                if not g.answerable or not len(s):
                    continue
                order = np.argsort(-s, kind="stable")
                lead = float(s[order[0]])
                chosen = [order[0]] + [i for i in order[1:MAX_QUOTES] if s[i] >= max(floor, ratio * lead)]
                hits.append(float(g.y[chosen].any()))
                quotes.append(len(chosen))
            containment, mean_quotes = sum(hits) / len(hits), sum(quotes) / len(quotes)
            if mean_quotes <= MAX_MEAN_QUOTES and containment > best.get("containment", -1.0):
                best = {
                    "support_ratio": ratio,
                    "support_floor": floor,
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
    parser.add_argument("--quick", action="store_true", help="300 training and 100 validation questions")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    train_articles, train_qs = norquad.load("train")
    val_articles, val_qs = norquad.load("validation")
    if args.quick:
        train_qs, val_qs = norquad.sample(train_qs, 300), norquad.sample(val_qs, 100)
        train_articles = {a: train_articles[a] for a in {q.article for q in train_qs}}
        val_articles = {a: val_articles[a] for a in {q.article for q in val_qs}}
    work = args.work / ("quick" if args.quick else "full")
    print(f"indexes under {work} …", file=sys.stderr)
    train = _open(work / "train-home", norquad.write_corpus(work / "train-corpus", train_articles))
    val = _open(work / "val-home", norquad.write_corpus(work / "val-corpus", val_articles))
    dev = _open(work / "dev-home", CORPUS, own_profile=True)
    print("features …", file=sys.stderr)
    groups = norquad_groups(train, train_qs, "norquad-train") + dev_groups(dev, load_questions("dev"))
    val_groups = norquad_groups(val, val_qs, "norquad-validation")
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    cv = {k: cross_validate(k, groups) for k in kinds}
    chosen = max(kinds, key=lambda k: cv[k][0]["top1"] + cv[k][0]["top3"])
    x, y, w = _training_rows(groups, random.Random(SEED))
    fitted = _fit(chosen, x, y, w)
    model = RankerModel(export(chosen, fitted, {}, 0.0))
    val_scores = _scores(model, val_groups)
    dev_oof = cv[chosen][1]
    composition = choose_composition(groups, cv[chosen][2])
    answerable = [float(s.max()) if len(s) else 0.0 for s in val_scores]
    answerable += [v for g in groups if g.source == "dev" and g.answerable for v in [dev_oof[g.qid]]]
    unanswerable = [dev_oof[g.qid] for g in groups if g.source == "dev" and not g.answerable]
    threshold = choose_threshold(answerable, unanswerable, args.max_refusals)
    figures = {
        "cross_validation": {k: v[0] for k, v in cv.items()},
        "chosen": chosen,
        "validation": {"top1": topk(val_groups, val_scores, 1), "top3": topk(val_groups, val_scores, 3)},
        "validation_e5_alone": e5_alone(val_groups),
        "validation_ceiling": sum(float(g.y.any()) for g in val_groups) / max(len(val_groups), 1),
        "dev_unanswerable_abstained": sum(v < threshold for v in unanswerable) / max(len(unanswerable), 1),
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
    spec["support_ratio"] = composition.get("support_ratio", 0.5)
    spec["support_floor"] = composition.get("support_floor", 0.15)
    args.out.write_text(json.dumps(spec, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print_table(figures, threshold, time.perf_counter() - started, args.out)
    return 0


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
            f"composition (out of fold): support ≥ {c['support_ratio']} × lead and ≥ {c['support_floor']}: "
            f"containment {c['containment']:.3f} with {c['mean_quotes']:.2f} quotes on average"
        )
    print(
        f"abstain below {threshold:.4f}: dev unanswerable abstained {figures['dev_unanswerable_abstained']:.2f}; "
        f"training rows {figures['training']['rows']} ({figures['training']['positives']} positive)"
    )


if __name__ == "__main__":
    sys.exit(main())
