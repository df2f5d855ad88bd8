# Copied unchanged (below this header) from the project's evaluation kit: eval/score.py, which
# scores fact records as described in eval/FORMAT.md. Vendored in the package for evaluation.score_folder;
# a test checks it against the kit. Do not edit; re-copy instead.
#!/usr/bin/env python3
"""Score extracted fact records against gold fact records (see FORMAT.md beside this file).

usage: score.py --gold DIR --pred DIR --articles DIR [--json] [--min-f1 X] [--show-misses]

Exit status: 0, or 1 where --min-f1 is given and the overall strict F1 falls below it,
or 2 where the input cannot be read.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

TYPES = ("deployment", "transfer", "treaty", "casualties", "statement", "meeting")

ALIASES = {
    "north korea": [
        "dprk", "democratic people's republic of korea", "pyongyang", "n. korea", "n korea",
        "north korean", "north koreans", "north korean government", "korean people's army", "kpa",
    ],
    "russia": ["russian federation", "moscow", "kremlin", "russian", "russian government"],
    "ukraine": ["kyiv", "kiev", "ukrainian", "ukrainian government"],
    "south korea": ["republic of korea", "rok", "seoul", "s. korea", "south korean", "south korean government"],
    "united states": ["us", "u.s.", "usa", "u.s.a.", "america", "washington", "american", "u.s. government"],
    "china": ["beijing", "prc", "people's republic of china", "chinese"],
    "kursk oblast": ["kursk", "kursk region", "kursk province", "russia's kursk region"],
    "belgorod oblast": ["belgorod", "belgorod region"],
    "donetsk oblast": ["donetsk", "donetsk region", "donetsk province"],
    "russian-occupied ukraine": [
        "occupied ukraine", "russian-occupied territories", "russian-occupied territories in ukraine",
        "russian-occupied territories of ukraine", "occupied territories", "temporarily occupied territories",
        "russian-occupied areas in ukraine", "russian-occupied areas", "occupied territories of ukraine",
    ],
    "kim jong un": ["kim jong-un", "kim"],
    "vladimir putin": ["putin", "president putin", "president vladimir putin"],
}
PART_OF = {
    "kursk oblast": "russia",
    "belgorod oblast": "russia",
    "donetsk oblast": "russian-occupied ukraine",
    "russian-occupied ukraine": "ukraine",
}
CANON = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
HEDGE_CLASS = {"over": "lower", "at_least": "lower", "approximately": "approx", "up_to": "upper"}
STOP = {"the", "of", "a", "an", "and", "s", "in", "for", "to", "on", "its", "said", "says"}


def fold(text) -> str:
    text = str(text or "").lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"^(the|a|an)\s+", "", text.strip())
    text = re.sub(r"\s+", " ", text).strip(" .,'\"")
    return CANON.get(text, text)


def tokens(text) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", fold(text)) if t not in STOP}


def ancestors(name: str) -> list[str]:
    chain = [name]
    while chain[-1] in PART_OF:
        chain.append(PART_OF[chain[-1]])
    return chain


def same_place_or_agent(gold, pred) -> bool:
    g, p = fold(gold), fold(pred)
    if not g or not p:
        return False
    if g == p or g in ancestors(p) or p in ancestors(g):
        return True
    gt, pt = tokens(g), tokens(p)
    return bool(gt) and bool(pt) and (gt <= pt or pt <= gt)


def same_phrase(gold, pred) -> bool:
    gt, pt = tokens(gold), tokens(pred)
    if not gt or not pt:
        return False
    return gt <= pt or pt <= gt or len(gt & pt) / len(gt | pt) >= 0.5


def same_number(gold, pred) -> bool:
    try:
        g, p = float(gold), float(pred)
    except (TypeError, ValueError):
        return False
    return abs(g - p) <= 0.01 * max(abs(g), 1.0)


def quantity_value(fact):
    q = fact.get("quantity") or {}
    return q.get("value") if isinstance(q, dict) else None


def same_counts(gold, pred) -> bool:
    g, p = gold.get("counts") or {}, pred.get("counts") or {}
    stated = {k: v for k, v in g.items() if v is not None}
    return all(same_number(v, p.get(k)) for k, v in stated.items())


def same_time(gold, pred) -> bool:
    g, p = str(gold or "").lower(), str(pred or "").lower()
    if not g or not p:
        return False
    if g == p or g.startswith(p) or p.startswith(g):
        return True
    gy, py = set(re.findall(r"(?:19|20)\d\d", g)), set(re.findall(r"(?:19|20)\d\d", p))
    if not gy or not (gy & py):
        return False
    gm, pm = set(re.findall(r"-(\d\d)\b", g)), set(re.findall(r"-(\d\d)\b", p))
    return not gm or not pm or bool(gm & pm)


def span(text: str, quote) -> tuple[int, int] | None:
    quote = str(quote or "").strip()
    if not quote:
        return None
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    # tolerate differences in white space and typographic quotes only
    norm = lambda s: re.sub(r"\s+", " ", s.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"'))
    flat, q = norm(text), norm(quote)
    at = flat.find(q)
    if at < 0:
        return None
    # map back approximately: good enough for an overlap test
    ratio = len(text) / max(len(flat), 1)
    return int(at * ratio), int((at + len(q)) * ratio)


def overlaps(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


SLOTS = {
    "actor": lambda g, p: same_place_or_agent(g.get("actor"), p.get("actor")),
    "target": lambda g, p: same_place_or_agent(g.get("target"), p.get("target")),
    "item": lambda g, p: same_phrase(g.get("item"), p.get("item")),
    "quantity.value": lambda g, p: same_number(quantity_value(g), quantity_value(p)),
    "quantity.qualifier": lambda g, p: (
        HEDGE_CLASS.get((g.get("quantity") or {}).get("qualifier"), (g.get("quantity") or {}).get("qualifier"))
        == HEDGE_CLASS.get((p.get("quantity") or {}).get("qualifier"), (p.get("quantity") or {}).get("qualifier"))
    ),
    "counts": same_counts,
    "status": lambda g, p: g.get("status") == p.get("status"),
    "event_time": lambda g, p: same_time(g.get("event_time"), p.get("event_time")),
    "claimed_by": lambda g, p: same_place_or_agent(g.get("claimed_by"), p.get("claimed_by"))
    or same_phrase(g.get("claimed_by"), p.get("claimed_by")),
    "via": lambda g, p: same_phrase(g.get("via"), p.get("via")),
}


def stated(gold: dict, slot: str) -> bool:
    if slot == "quantity.value":
        q = gold.get("quantity") or {}
        return quantity_value(gold) is not None and q.get("qualifier") != "vague"
    if slot == "quantity.qualifier":
        return bool((gold.get("quantity") or {}).get("qualifier"))
    if slot == "counts":
        return any(v is not None for v in (gold.get("counts") or {}).values())
    return gold.get(slot) not in (None, "", [])


SYMMETRIC = {"treaty", "meeting"}  # parties with no direction: actor and target may come either way round


def same_parties(gold: dict, pred: dict) -> bool:
    straight = all(SLOTS[s](gold, pred) for s in ("actor", "target") if stated(gold, s))
    if straight or gold.get("type") not in SYMMETRIC:
        return straight
    swapped = {**pred, "actor": pred.get("target"), "target": pred.get("actor")}
    return all(SLOTS[s](gold, swapped) for s in ("actor", "target") if stated(gold, s))


def correct(gold: dict, pred: dict) -> bool:
    return same_parties(gold, pred) and all(SLOTS[s](gold, pred) for s in ("quantity.value", "counts") if stated(gold, s))


def agreement(gold: dict, pred: dict) -> int:
    return sum(1 for s in SLOTS if stated(gold, s) and SLOTS[s](gold, pred))


def load_list(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("facts", [])
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of fact records")
    return [f for f in data if isinstance(f, dict)]


def score(gold_dir: Path, pred_dir: Path, articles: Path, show_misses=False):
    per_type = {t: {"gold": 0, "pred": 0, "grounded": 0, "correct": 0} for t in TYPES}
    slot_hits = {s: [0, 0] for s in SLOTS}
    misses, unquoted = [], 0
    for gold_file in sorted(gold_dir.glob("*.json")):
        doc = gold_file.stem
        text = (articles / f"{doc}.txt").read_text(encoding="utf-8")
        gold = load_list(gold_file)
        pred_file = pred_dir / f"{doc}.json"
        pred = load_list(pred_file) if pred_file.exists() else []
        for f in gold:
            per_type.setdefault(f.get("type"), {"gold": 0, "pred": 0, "grounded": 0, "correct": 0})["gold"] += 1
        for f in pred:
            per_type.setdefault(f.get("type"), {"gold": 0, "pred": 0, "grounded": 0, "correct": 0})["pred"] += 1
        gspans = [span(text, f.get("quote")) for f in gold]
        pspans = [span(text, f.get("quote")) for f in pred]
        unquoted += sum(1 for s in pspans if s is None)
        pairs = []
        for gi, g in enumerate(gold):
            for pi, p in enumerate(pred):
                if g.get("type") == p.get("type") and overlaps(gspans[gi], pspans[pi]):
                    pairs.append((correct(g, p), agreement(g, p), gi, pi))
        pairs.sort(reverse=True)
        used_g, used_p = set(), set()
        for ok, _, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            g, p = gold[gi], pred[pi]
            per_type[g["type"]]["grounded"] += 1
            per_type[g["type"]]["correct"] += int(ok)
            for s in SLOTS:
                if stated(g, s):
                    slot_hits[s][1] += 1
                    slot_hits[s][0] += int(SLOTS[s](g, p))
            if not ok and show_misses:
                misses.append((doc, "wrong", g, p))
        if show_misses:
            misses += [(doc, "missed", gold[i], None) for i in range(len(gold)) if i not in used_g]
            misses += [(doc, "extra", None, pred[i]) for i in range(len(pred)) if i not in used_p]
    return per_type, slot_hits, misses, unquoted


def prf(tp: int, n_pred: int, n_gold: int):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--pred", type=Path, required=True)
    ap.add_argument("--articles", type=Path, required=True)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--min-f1", type=float, default=None)
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args(argv)
    try:
        per_type, slots, misses, unquoted = score(args.gold, args.pred, args.articles, args.show_misses)
    except (OSError, ValueError) as err:
        print(f"score.py: {err}", file=sys.stderr)
        return 2
    tot = {k: sum(v[k] for v in per_type.values()) for k in ("gold", "pred", "grounded", "correct")}
    strict = prf(tot["correct"], tot["pred"], tot["gold"])
    lenient = prf(tot["grounded"], tot["pred"], tot["gold"])
    if args.json:
        print(json.dumps({
            "per_type": per_type, "total": tot, "unquoted_predictions": unquoted,
            "strict": dict(zip("prf", strict)), "grounded": dict(zip("prf", lenient)),
            "fields": {s: (h / n if n else None) for s, (h, n) in slots.items()},
        }, indent=2))
    else:
        print(f"{'type':<12}{'gold':>6}{'pred':>6}{'grnd':>6}{'corr':>6}{'P':>7}{'R':>7}{'F1':>7}")
        for t, v in per_type.items():
            if v["gold"] or v["pred"]:
                p, r, f = prf(v["correct"], v["pred"], v["gold"])
                print(f"{t!s:<12}{v['gold']:>6}{v['pred']:>6}{v['grounded']:>6}{v['correct']:>6}{p:>7.2f}{r:>7.2f}{f:>7.2f}")
        print("fields agreeing on grounded pairs (where the gold states them):")
        for s, (h, n) in slots.items():
            print(f"  {s:<20}{h:>4}/{n:<4}" + (f" {h / n:.2f}" if n else ""))
        if unquoted:
            print(f"predicted records whose quote is not in the text: {unquoted}")
        for doc, kind, g, p in misses:
            print(f"[{doc}] {kind}: gold={json.dumps(g) if g else '-'} pred={json.dumps(p) if p else '-'}")
        print(f"grounded P={lenient[0]:.2f} R={lenient[1]:.2f} F1={lenient[2]:.2f}")
        print(f"strict   P={strict[0]:.2f} R={strict[1]:.2f} F1={strict[2]:.2f}")
    if args.min_f1 is not None and strict[2] < args.min_f1:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
