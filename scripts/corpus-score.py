#!/usr/bin/env python3
"""Scores a leakward JSON report of testdata/corpus against testdata/corpus/truth.tsv.

A finding counts as a true positive when a planted secret has the same path, line and
category; everything else reported is a false positive, every planted secret not reported a
false negative. A secret planted to be reported at `info` (truth's fifth column: a weak sample
in a test or a doc, visible but failing no CI) counts only at info: reported higher, it is a
false positive and a false negative. Prints recall and precision per category and overall.

Usage: leakward scan testdata/corpus --format json | scripts/corpus-score.py [--details]
"""
import json, sys
from collections import Counter

corpus = "testdata/corpus"
truth = set()
rules = {}
at_info = set()
for line in open(f"{corpus}/truth.tsv"):
    if line.startswith("#") or not line.strip():
        continue
    path, number, category, rule_id, *rest = line.rstrip("\n").split("\t")
    truth.add((path, int(number), category))
    rules[(path, int(number), category)] = rule_id
    if rest == ["info"]:
        at_info.add((path, int(number), category))

report = json.load(sys.stdin)
found = {}
severity = {}
raw = {(f["location"]["path"], f["secret_sha256"]) for f in report["findings"] if not f["location"].get("decoders")}
for f in report["findings"]:
    if f["category"] == "config":
        continue  # config problems (rules/checks/) are not labelled secrets
    if f["location"].get("decoders") and (f["location"]["path"], f["secret_sha256"]) in raw:
        continue  # the same secret seen through a decoder: scored once, raw

    path = f["location"]["path"]
    path = path.split(corpus + "/", 1)[-1]
    found[(path, f["location"]["line"], f["category"])] = f["rule_id"]
    severity[(path, f["location"]["line"], f["category"])] = f["severity"]

# A value planted to be seen at info but failing CI is reported wrongly.
wrong = {k for k in found if k in at_info and severity[k] != "info"}
tp = Counter(); fp = Counter(); fn = Counter()
for key in found:
    (tp if key in truth and key not in wrong else fp)[key[2]] += 1
for key in truth:
    if key not in found or key in wrong:
        fn[key[2]] += 1
exact = sum(1 for k, r in found.items() if k in truth and k not in wrong and rules[k] == r)


def row(name, t, p, n):
    recall = t / (t + n) if t + n else 1.0
    precision = t / (t + p) if t + p else 1.0
    return f"{name:<12} {t + n:>7} {t:>5} {p:>4} {n:>4} {recall:>7.3f} {precision:>9.3f}"


print(f"{'category':<12} {'planted':>7} {'found':>5} {'fp':>4} {'fn':>4} {'recall':>7} {'precision':>9}")
for cat in sorted(set(tp) | set(fp) | set(fn)):
    print(row(cat, tp[cat], fp[cat], fn[cat]))
print(row("overall", sum(tp.values()), sum(fp.values()), sum(fn.values())))
print(f"rule id also exact for {exact} of {sum(tp.values())} true positives; {sum(1 for k in at_info if k in found and k not in wrong)} of {len(at_info)} planted at info reported at info")
if "--details" in sys.argv:
    for key in sorted(found):
        if key not in truth or key in wrong:
            print("FP", *key, found[key], severity[key])
    for key in sorted(truth):
        if key not in found:
            print("FN", *key, rules[key])
    for key in sorted(found):
        if key in truth and rules[key] != found[key]:
            print("RULE", *key, "expected", rules[key], "got", found[key])
