"""The frozen ``test`` split: a fingerprint of its items, checked by evals/test_questions.py.

Changing a test item (its question, gold, facts, anything) makes that check fail until the split is
re-frozen on purpose:

    python -m evals.freeze            # show what changed against the lock
    python -m evals.freeze --write    # re-freeze: write evals/questions/test.lock
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from typing import Any

from evals.dataset import QUESTION_DIR, load_raw

LOCK = QUESTION_DIR / "test.lock"


def item_digest(item: dict[str, Any]) -> str:
    canonical = json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def fingerprint(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-item digests (so a change names its item) and one digest over all of them."""
    per_item = {str(item["id"]): item_digest(item) for item in items}
    total = hashlib.sha256("".join(f"{k}={v}\n" for k, v in sorted(per_item.items())).encode()).hexdigest()
    return {"items": len(per_item), "sha256": total, "per_item": per_item}


def current() -> dict[str, Any]:
    return fingerprint(load_raw("test"))


def read_lock() -> dict[str, Any]:
    if not LOCK.is_file():
        return {"items": 0, "sha256": "", "per_item": {}}
    data: dict[str, Any] = json.loads(LOCK.read_text(encoding="utf-8"))
    return data


def differences(locked: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What changed in the test split since it was frozen, one line per item."""
    old, new = locked["per_item"], now["per_item"]
    lines = [f"added: {k}" for k in sorted(set(new) - set(old))]
    lines += [f"removed: {k}" for k in sorted(set(old) - set(new))]
    lines += [f"changed: {k}" for k in sorted(set(old) & set(new)) if old[k] != new[k]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="re-freeze the test split (on purpose)")
    args = parser.parse_args(argv)
    now = current()
    changes = differences(read_lock(), now)
    for line in changes:
        print(line)
    if args.write:
        LOCK.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"frozen: {now['items']} test items, sha256 {now['sha256'][:16]}… -> {LOCK}")
        return 0
    print("unchanged" if not changes else f"{len(changes)} change(s); re-freeze with --write if intended")
    return 0 if not changes else 1


if __name__ == "__main__":
    sys.exit(main())
