"""Turn one evaluation run into evals/report.json, evals/report.md and the summary printed after pytest."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from evals.dataset import CATEGORIES
from evals.metrics import GROUPS, METRICS, SPLIT_GAP, THRESHOLDS, Threshold, by_group, group_rows, summarise

SNIPPET = 100  # characters of a retrieved passage shown in report.md
JSON_TEXT = 300  # characters of passage text kept in report.json
ANSWER_CHARS = 1500
COLUMNS = (
    ("hit@1", "hit@1"),
    ("hit@5", "hit@5"),
    ("mrr@10", "MRR@10"),
    ("reader_hit@5", "reader hit@5"),
    ("quote_coverage@10", "quotes@10"),
    ("fact_recall", "facts"),
    ("key_fact_first", "key fact first"),
    ("citation_precision", "cit. precision"),
    ("citation_validity", "cit. validity"),
    ("abstention_accuracy", "abstained ok"),
    ("false_abstention", "false abst."),
    ("standalone_consistent", "standalone = alone"),
)
# Items written for the test split after the reader issue was filed (never seen by earlier rules).
NEW_TEST_PREFIXES = ("t-", "c-")


@dataclass
class EvalRun:
    """One session's results: raw records (what was retrieved and answered), scored rows, the report."""

    records: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    report: dict[str, Any]


def failing_ids(threshold: Threshold, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Questions that pull the metric away from perfect (below 1 for "≥" metrics, above 0 for "≤")."""
    out = []
    for row in group_rows(rows, threshold.group):
        value = row.get(threshold.metric)
        if value is None:
            continue
        if (threshold.op == ">=" and value < 1.0) or (threshold.op == "<=" and value > 0.0):
            out.append(row["id"])
    return out


def split_rows(rows: Sequence[dict[str, Any]], split: str) -> list[dict[str, Any]]:
    return [r for r in rows if r.get("split", "dev") == split]


def evaluate_thresholds(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every threshold over the test split's rows (all rows when a run has no test items)."""
    test = split_rows(rows, "test")
    rows = test or list(rows)
    out = []
    for t in THRESHOLDS:
        members = [r for r in group_rows(rows, t.group) if r.get(t.metric) is not None]
        observed = summarise(members)[t.metric]
        out.append(
            {
                "name": t.name,
                "metric": t.metric,
                "group": t.group,
                "op": t.op,
                "value": t.value,
                "n": len(members),
                "observed": observed,
                "passed": t.passes(observed),
                "failing": failing_ids(t, rows),
            }
        )
    return out


def build(
    records: Sequence[dict[str, Any]],
    rows: Sequence[dict[str, Any]],
    settings: Settings,
    seconds: float,
    total: int | None = None,
) -> dict[str, Any]:
    """Everything the report files and the threshold tests need, as plain JSON-ready data."""
    modes = Counter(r["answer"]["mode"] or "error" for r in records)
    results = []
    for record, row in zip(records, rows, strict=True):
        slim = dict(record)
        slim["retrieved"] = [dict(p, text=p["text"][:JSON_TEXT]) for p in record["retrieved"]]
        slim["reader_ranked"] = [dict(p, text=p["text"][:JSON_TEXT]) for p in record.get("reader_ranked", [])]
        answer = dict(record["answer"])
        answer["citations"] = [
            dict(c, passage_text=c["passage_text"][:JSON_TEXT]) for c in record["answer"]["citations"]
        ]
        slim["answer"] = answer
        slim["metrics"] = {
            k: v for k, v in row.items() if k not in ("id", "category", "lang", "split", "type")
        }
        results.append(slim)
    groups = {name: summarise(group_rows(rows, name)) for name in GROUPS}
    categories = by_group(rows, lambda r: r["category"])
    splits = {name: summarise(split_rows(rows, name)) for name in ("dev", "test")}
    splits["test, new items"] = summarise(
        [r for r in split_rows(rows, "test") if str(r["id"]).startswith(NEW_TEST_PREFIXES)]
    )
    split_groups = {
        f"{split} · {name}": summarise(group_rows(split_rows(rows, split), name))
        for split in ("dev", "test")
        for name in GROUPS
    }
    return {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {
            "llm": settings.llm,
            "embeddings": settings.embeddings,
            "dense_weight": settings.dense_weight,
            "lexical_weight": settings.lexical_weight,
            "rrf_k": settings.rrf_k,
            "candidates": settings.candidates,
            "chunk_target_words": settings.chunk_target_words,
            "chunk_max_words": settings.chunk_max_words,
        },
        "answer_modes": dict(modes),
        "questions": len(rows),
        "total_questions": len(rows) if total is None else total,
        "seconds": round(seconds, 1),
        "mean_answer_seconds": round(sum(r["seconds"] for r in records) / max(1, len(records)), 3),
        "thresholds": evaluate_thresholds(rows),
        "split_gap": split_gap(splits["dev"], splits["test"]),
        "overall": summarise(rows),
        "splits": splits,
        "split_groups": split_groups,
        "types": by_group(rows, lambda r: f"{r.get('split', 'dev')} · {r.get('type', 'other')}"),
        "groups": groups,
        "categories": {c: categories[c] for c in _ordered(categories)},
        "failing": [row["id"] for row in rows if row["problems"]],
        "results": results,
    }


def split_gap(dev: dict[str, float | None], test: dict[str, float | None]) -> dict[str, Any]:
    """|dev − test| per metric; over ``SPLIT_GAP`` on any metric fails (tuning that does not carry over)."""
    gaps = {
        m: round(abs(float(dev[m]) - float(test[m])), 4)  # type: ignore[arg-type]
        for m in METRICS
        if dev.get(m) is not None and test.get(m) is not None
    }
    wide = sorted(m for m, g in gaps.items() if g > SPLIT_GAP + 1e-9)
    return {"limit": SPLIT_GAP, "gaps": gaps, "wide": wide, "passed": bool(gaps) and not wide}


def _ordered(names: Any) -> list[str]:
    known = [c for c in CATEGORIES if c in names]
    return known + sorted(set(names) - set(known))


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _threshold_table(report: dict[str, Any]) -> list[str]:
    lines = [
        "| requirement | questions | observed | threshold | result |",
        "|---|---:|---:|---:|---|",
    ]
    for t in report["thresholds"]:
        op = "≥" if t["op"] == ">=" else "≤"
        lines.append(
            f"| {t['name']} | {t['n']} | {_fmt(t['observed'])} | {op} {t['value']:.2f} | "
            f"{'PASS' if t['passed'] else 'FAIL'} |"
        )
    return lines


def _metric_table(first: str, named: dict[str, dict[str, float | None]]) -> list[str]:
    header = f"| {first} | n | " + " | ".join(label for _, label in COLUMNS) + " |"
    lines = [header, "|---|---:|" + "---:|" * len(COLUMNS)]
    for name, metrics in named.items():
        cells = " | ".join(_fmt(metrics.get(key)) for key, _ in COLUMNS)
        lines.append(f"| {name} | {int(metrics['n'] or 0)} | {cells} |")
    return lines


def _partial(report: dict[str, Any]) -> str:
    total = report.get("total_questions", report["questions"])
    if report["questions"] == total:
        return ""
    return f"PARTIAL RUN: {report['questions']} of {total} questions (thresholds are not meaningful). "


def summary_lines(report: dict[str, Any]) -> list[str]:
    """What is printed at the end of the pytest output."""
    mode = report["settings"]["llm"] or "extractive"
    modes = ", ".join(f"{k}: {v}" for k, v in sorted(report["answer_modes"].items()))
    lines = [
        f"{_partial(report)}{report['questions']} questions, answerer {mode} ({modes}), "
        f"embeddings {report['settings']['embeddings']}, {report['seconds']:.0f} s",
        "Thresholds (asserted on the frozen test split):",
        *_threshold_table(report),
        _gap_line(report),
        "",
        *_metric_table("split", report.get("splits", {})),
        "",
        *_metric_table("split · group", report.get("split_groups", {})),
    ]
    failing = report["failing"]
    lines.append("")
    lines.append(f"{len(failing)} question(s) with problems" + (": " + ", ".join(failing) if failing else ""))
    return lines


def render_markdown(report: dict[str, Any]) -> str:
    if "results" not in report:  # foreign group only
        return "\n".join(["# Evaluation report (foreign group only)", "", *_foreign_section(report)]) + "\n"
    mode = report["settings"]["llm"] or "extractive"
    out = [
        "# Evaluation report",
        "",
        f"{_partial(report)}Generated {report['generated']} · {report['questions']} questions · "
        f"answerer `{mode}` "
        f"(answers by mode: {', '.join(f'{k} {v}' for k, v in sorted(report['answer_modes'].items()))}) · "
        f"embeddings `{report['settings']['embeddings']}` · run {report['seconds']:.0f} s, "
        f"{report['mean_answer_seconds']:.2f} s per answer.",
        "",
        "## Summary",
        "",
        "Thresholds, asserted on the frozen `test` split:",
        "",
        *_threshold_table(report),
        "",
        _gap_line(report),
        "",
        "## Dev and test side by side",
        "",
        *_metric_table("split", report.get("splits", {})),
        "",
        *_metric_table("split · group", report.get("split_groups", {})),
        "",
        "`test, new items` are the test items written after the reader issue was filed (ids `t-…`, `c-…`).",
        "",
        "## Per answer type",
        "",
        *_metric_table("split · type", report.get("types", {})),
        "",
        "## Per category (both splits)",
        "",
        *_metric_table("category", report["categories"]),
        "",
        "Retrieval metrics and fact recall apply to answerable questions, `abstained ok` to unanswerable "
        "ones (category `utenfor`). `quotes@10` is the share of a question's gold quotes in the top 10.",
        "",
        f"## Questions with problems ({len(report['failing'])})",
        "",
    ]
    failing = set(report["failing"])
    if failing:
        out += ["| question | category | problems |", "|---|---|---|"]
        for result in report["results"]:
            if result["id"] in failing:
                problems = "; ".join(result["metrics"]["problems"]).replace("|", "\\|")
                out.append(f"| {result['id']} | {result['category']} | {problems} |")
        out.append("")
    for result in report["results"]:
        if result["id"] in failing:
            out.extend(_question_section(result))
    if not failing:
        out.append("None.")
    out += ["", *_foreign_section(report)]
    return "\n".join(out).rstrip() + "\n"


def _gap_line(report: dict[str, Any]) -> str:
    gap = report.get("split_gap") or {}
    if not gap.get("gaps"):
        return "dev/test gap: not measured (one split only)."
    widest = max(gap["gaps"].items(), key=lambda kv: kv[1])
    verdict = "PASS" if gap["passed"] else "FAIL (" + ", ".join(gap["wide"]) + ")"
    return (
        f"dev/test gap ≤ {gap['limit']:.2f} on every metric: widest {widest[0]} {widest[1]:.3f} — {verdict}"
    )


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split()).replace("|", "\\|")
    return flat if len(flat) <= limit else flat[:limit] + "…"


def _question_section(result: dict[str, Any]) -> list[str]:
    metrics = result["metrics"]
    out = [
        f"### {result['id']} ({result.get('split', 'dev')}, {result['category']}, {result.get('type', 'other')})",
        "",
        f"**Question:** {result['question']}",
    ]
    if result["history"]:
        out.append(f"  \n**History:** {' / '.join(result['history'])}")
    if result["standalone_question"] != result["question"]:
        out.append(f"  \n**Standalone question used for retrieval:** {result['standalone_question']}")
    out.append("")
    out.extend(f"- ✗ {p}" for p in metrics["problems"])
    out.extend(f"- · {n}" for n in metrics.get("notes", []))
    if result["gold"]:
        out.append("")
        out.append("Gold: " + "; ".join(f"{g['source']}: «{g['quote']}»" for g in result["gold"]))
        out.append(f"(gold passages in the index: {result['n_relevant']})")
    out += ["", "Retrieved (top 5):", "", "| # | gold | source | page | text |", "|---:|---|---|---:|---|"]
    for p in result["retrieved"][:5]:
        mark = "✓" if p["relevant"] else ""
        out.append(
            f"| {p['rank']} | {mark} | {p['source']} | {p['page']} | {_one_line(p['text'], SNIPPET)} |"
        )
    answer = result["answer"]
    state = "abstained" if answer["abstained"] else "answered"
    out += ["", f"Answer ({answer['mode'] or 'error'}, {state}):", ""]
    text = answer["text"] if len(answer["text"]) <= ANSWER_CHARS else answer["text"][:ANSWER_CHARS] + "…"
    out.extend("> " + line for line in (text.strip() or "(empty)").splitlines())
    for c in answer["citations"]:
        mark = "✓" if c["precise"] else "✗"
        out.append(f"- [{c['n']}] {mark} {c['source']} p. {c['page']} — {c['section']}")
    if answer.get("explain"):
        out += ["", "<details><summary>Why this answer (explain)</summary>", "", "```"]
        out += [line for line in str(answer["explain"]).splitlines()]
        out += ["```", "", "</details>"]
    out.append("")
    return out


def foreign_only(foreign_result: dict[str, Any]) -> dict[str, Any]:
    """A report holding only the foreign group (a `-m foreign` run)."""
    return {"generated": datetime.now(UTC).isoformat(timespec="seconds"), "foreign": foreign_result}


def _foreign_section(report: dict[str, Any]) -> list[str]:
    from evals.foreign import summary_lines

    foreign_result = report.get("foreign")
    if not foreign_result:
        return []
    out = ["## Foreign group (NorQuAD validation)", "", *summary_lines(foreign_result), ""]
    if foreign_result.get("sampled"):
        out += ["A fixed sample (`--foreign-sample`); run without it for every validation question.", ""]
    missed = [r for r in foreign_result["results"] if not r["containment"]][:40]
    if missed:
        out += [f"First {len(missed)} questions whose answer lacks the gold answer:", ""]
        out += ["| id | question | gold | answer |", "|---|---|---|---|"]
        for r in missed:
            answer = "(refused)" if r["abstained"] else _one_line(r["answer"], 160)
            out.append(
                f"| {r['id']} | {_one_line(r['question'], 80)} | {_one_line(r['gold'], 40)} | {answer} |"
            )
        out.append("")
    return out


def write(report: dict[str, Any], folder: Path) -> list[Path]:
    json_path = folder / "report.json"
    md_path = folder / "report.md"
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(report), encoding="utf-8")
    return [md_path, json_path]
