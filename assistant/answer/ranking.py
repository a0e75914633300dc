"""The fitted ranker: a small JSON file (assistant/answer/reader_model.json) read into numpy.

``python -m assistant fit-reader`` writes it (evals/fit_reader.py) from scikit-learn's gradient
boosting or logistic regression, whichever validates better; at answer time only numpy is needed. The
score is the model's probability that a candidate holds the answer, so it doubles as the confidence that
abstention reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import ConfigError

MODEL_PATH = Path(__file__).resolve().parent / "reader_model.json"


@dataclass(frozen=True)
class Trees:
    """Regression trees in flat arrays (tree i's nodes at ``i * width …``), children as flat indices. A
    leaf is its own child with an infinite threshold, so every row can take ``depth`` steps in lockstep."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    depth: int


class RankerModel:
    """Probability that a candidate holds the answer, from its feature row."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.kind: str = spec["kind"]
        self.features: list[str] = list(spec["features"])
        if self.kind == "gbm":
            self.init = float(spec["init"])
            self.rate = float(spec["learning_rate"])
            self.trees = _pad(spec["trees"])
        elif self.kind == "logistic":
            self.mean = np.asarray(spec["mean"], dtype=np.float64)
            self.scale = np.asarray(spec["scale"], dtype=np.float64)
            self.coef = np.asarray(spec["coef"], dtype=np.float64)
            self.intercept = float(spec["intercept"])
        else:
            raise ConfigError(f"unknown reader model kind {self.kind!r} in {MODEL_PATH}")

    def columns(self, names: tuple[str, ...]) -> np.ndarray:
        """Indices of the model's features in a matrix whose columns are ``names``."""
        missing = [f for f in self.features if f not in names]
        if missing:
            raise ConfigError(
                f"the reader model needs features the code no longer computes: {missing}; "
                "refit it with `python -m assistant fit-reader`"
            )
        return np.array([names.index(f) for f in self.features])

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Log-odds for rows of ``x`` whose columns are the model's features, in order."""
        x = np.asarray(x, dtype=np.float64)
        if self.kind == "logistic":
            return ((x - self.mean) / self.scale) @ self.coef + self.intercept
        t = self.trees
        n = x.shape[0]
        by_feature = np.ascontiguousarray(x.T).ravel()  # x[row, f] == by_feature[f * n + row]
        rows = np.arange(n)[None, :]
        node = np.repeat(t.roots[:, None], n, axis=1)
        for _ in range(t.depth):
            goes_left = by_feature[t.feature[node] * n + rows] <= t.threshold[node]
            node = np.where(goes_left, t.left[node], t.right[node])
        return self.init + self.rate * t.value[node].sum(axis=0)

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.raw(x)))

    def answerable(self, row: np.ndarray) -> float | None:
        """Probability that the documents answer the question, from its question-level row (the
        ``answerable`` logistic model fitted beside the ranker); None when the file has none."""
        spec = self.spec.get("answerable")
        if not spec:
            return None
        z = (np.asarray(row, dtype=np.float64) - np.asarray(spec["mean"])) / np.asarray(spec["scale"])
        return float(1.0 / (1.0 + np.exp(-(z @ np.asarray(spec["coef"]) + float(spec["intercept"])))))


def _pad(trees: list[dict[str, Any]]) -> Trees:
    width = max(len(t["feature"]) for t in trees)
    size = len(trees) * width
    own = np.arange(size, dtype=np.int64)
    feature = np.zeros(size, dtype=np.int64)
    threshold = np.full(size, np.inf)
    left, right = own.copy(), own.copy()  # padding and leaves stay where they are
    value = np.zeros(size, dtype=np.float64)
    for i, t in enumerate(trees):
        base, n = i * width, len(t["feature"])
        kids_l, kids_r = np.asarray(t["left"], dtype=np.int64), np.asarray(t["right"], dtype=np.int64)
        inner = kids_l >= 0
        span = slice(base, base + n)
        feature[span] = np.where(inner, t["feature"], 0)
        threshold[span] = np.where(inner, t["threshold"], np.inf)
        left[span] = np.where(inner, base + kids_l, own[span])
        right[span] = np.where(inner, base + kids_r, own[span])
        value[span] = t["value"]
    depth = max(int(t.get("depth", 8)) for t in trees)
    return Trees(feature, threshold, left, right, value, np.arange(len(trees)) * width, depth)


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> RankerModel:
    if not path.is_file():
        raise ConfigError(f"{path} is missing: fit the reader with `python -m assistant fit-reader`")
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"{path} cannot be read ({exc}); refit it with `python -m assistant fit-reader`"
        ) from None
    return RankerModel(spec)
