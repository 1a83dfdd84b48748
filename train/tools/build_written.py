#!/usr/bin/env python3
"""Build train/written.jsonl from the hand-written source files in train/tools/written/*.txt.

Source format (one message per line):
    # comment
    @ source=wants_human/terse lang=en wh=1 fr=0 sa=0 bq=0 hard=
    a message
    another message  || fr=1 hard=sales
An `@ source=...` line sets the defaults for the lines after it; `|| k=v ...` at the end of a line overrides them for that line.
Keys: wh = wants_human, fr = frustrated, sa = sales, bq = bot_question (values 0, 1, or ? for unknown = key omitted);
hard = comma-separated label names (wants_human, frustrated, sales, bot_question), empty for none;
lang = en | fr; source = written:<value>.
"""
import json, sys
from pathlib import Path

KEYS = {"wh": "wants_human", "fr": "frustrated", "sa": "sales", "bq": "bot_question"}
ALIAS = {"wh": "wants_human", "fr": "frustrated", "sa": "sales", "bq": "bot_question"}


def parse_kv(s):
    d = {}
    for tok in s.split():
        k, _, v = tok.partition("=")
        d[k] = v
    return d


def row(text, cfg, path, ln):
    labels = {}
    for k, name in KEYS.items():
        v = cfg.get(k, "?")
        if v in ("0", "1"):
            labels[name] = int(v)
        elif v != "?":
            sys.exit(f"{path}:{ln}: bad value {k}={v}")
    hard = [ALIAS.get(h, h) for h in cfg.get("hard", "").split(",") if h]
    for h in hard:
        if h not in KEYS.values():
            sys.exit(f"{path}:{ln}: bad hard label {h}")
    hard = [h for h in hard if labels.get(h) == 0]  # a hard negative must be a negative
    if cfg.get("lang") not in ("en", "fr"):
        sys.exit(f"{path}:{ln}: lang missing")
    r = {"text": text, "lang": cfg["lang"], "source": "written:" + cfg["source"], "labels": labels}
    if hard:
        r["hard"] = hard
    return r


def main():
    here = Path(__file__).resolve().parent
    out_path = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent / "written.jsonl"
    rows = []
    for path in sorted((here / "written").glob("*.txt")):
        cfg = {}
        for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("@ source="):
                cfg = parse_kv(line[1:])
                continue
            text, _, over = line.partition("||")
            text = " ".join(text.split())
            c = dict(cfg)
            c.update(parse_kv(over))
            rows.append(row(text, c, path.name, ln))
    with open(out_path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {out_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
