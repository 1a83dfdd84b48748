#!/usr/bin/env python3
"""Decontaminate and check train/faq_examples.jsonl and train/written.jsonl (in place).

- fold(text): Unicode NFKC, lower case, curly quotes straightened, whitespace collapsed, trailing .!? stripped;
- drops every row whose fold equals the fold of any text in <eval>/*/queries_dev.jsonl or <eval>/handoff/*.jsonl
  (evaluation queries never enter training);
- drops later duplicates (same fold) within each file;
- checks that every line is JSON, lang is en|fr, labels are 0|1 over known names, hard names a 0-label;
- prints what it dropped and the label counts.

Usage: python3 train/tools/decontaminate.py [--eval /work/shared/eval] [--check-only]
"""
import argparse, glob, json, re, sys, unicodedata
from collections import Counter
from pathlib import Path

TRAIN = Path(__file__).resolve().parents[1]
FILES = ["faq_examples.jsonl", "written.jsonl"]
LABELS = ["wants_human", "frustrated", "sales", "bot_question"]
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                        "\u00ab": '"', "\u00bb": '"'})


def fold(t):
    t = unicodedata.normalize("NFKC", t).lower().translate(QUOTES)
    t = re.sub(r"\s+", " ", t).strip()
    return re.sub(r"[.!?\s]+$", "", t)


def eval_folds(root):
    paths = sorted(glob.glob(f"{root}/*/queries_dev.jsonl")) + sorted(glob.glob(f"{root}/handoff/*.jsonl"))
    if not paths:
        sys.exit(f"no evaluation files under {root}")
    folds = set()
    for p in paths:
        for line in open(p, encoding="utf-8"):
            if line.strip():
                folds.add(fold(json.loads(line)["text"]))
    return paths, folds


def check(r, where):
    errs = []
    if not isinstance(r.get("text"), str) or not r["text"].strip():
        errs.append("empty text")
    if r.get("lang") not in ("en", "fr"):
        errs.append(f"lang {r.get('lang')!r}")
    if not isinstance(r.get("source"), str) or not r["source"]:
        errs.append("no source")
    labs = r.get("labels")
    if not isinstance(labs, dict) or not labs:
        errs.append("no labels")
    else:
        for k, v in labs.items():
            if k not in LABELS or v not in (0, 1) or isinstance(v, bool):
                errs.append(f"label {k}={v!r}")
    for h in r.get("hard", []):
        if h not in LABELS or (labs or {}).get(h) != 0:
            errs.append(f"hard {h!r} is not a 0-label")
    if errs:
        sys.exit(f"{where}: " + "; ".join(errs))


def stats(rows):
    out = []
    for lab in LABELS:
        c = Counter()
        for r in rows:
            v = r["labels"].get(lab)
            if v is None:
                c["unknown"] += 1
                continue
            c[f"{'pos' if v else 'neg'}_{r['lang']}"] += 1
            if v == 0 and lab in r.get("hard", []):
                c[f"hard_{r['lang']}"] += 1
        out.append(f"  {lab:13s} pos {c['pos_en'] + c['pos_fr']:5d} (en {c['pos_en']}, fr {c['pos_fr']})"
                   f" | neg {c['neg_en'] + c['neg_fr']:5d} (en {c['neg_en']}, fr {c['neg_fr']})"
                   f" | hard {c['hard_en'] + c['hard_fr']:4d} (en {c['hard_en']}, fr {c['hard_fr']})"
                   f" | unknown {c['unknown']}")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval", default="/work/shared/eval")
    ap.add_argument("--check-only", action="store_true")
    a = ap.parse_args()
    paths, ev = eval_folds(a.eval)
    print(f"evaluation texts: {len(ev)} folds from {len(paths)} files")
    total_drop = 0
    for name in FILES:
        p = TRAIN / name
        rows = []
        for i, line in enumerate(open(p, encoding="utf-8"), 1):
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{name}:{i}: not JSON: {e}")
            check(r, f"{name}:{i}")
            rows.append(r)
        kept, seen, contam, dups, conflicts = [], {}, [], 0, 0
        for r in rows:
            f = fold(r["text"])
            if f in ev:
                contam.append(r["text"])
                continue
            if f in seen:
                dups += 1
                if seen[f]["labels"] != r["labels"]:
                    conflicts += 1
                    print(f"  {name}: duplicate with other labels, first kept: {r['text']!r}")
                continue
            seen[f] = r
            kept.append(r)
        total_drop += len(contam) + dups
        print(f"{name}: {len(rows)} rows read, {len(contam)} dropped as evaluation overlap, "
              f"{dups} dropped as duplicates ({conflicts} with differing labels), {len(kept)} kept")
        for t in contam:
            print(f"    eval overlap: {t!r}")
        print(stats(kept))
        if not a.check_only:
            with open(p, "w", encoding="utf-8") as out:
                for r in kept:
                    out.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"total dropped: {total_drop}")


if __name__ == "__main__":
    main()
