#!/usr/bin/env python3
"""Scores the real-world panel: per repository and mode (tree, git), for Leakward and the peers.

Leakward: credentials failing CI at default settings (severity >= low), how many of those are
labelled false positives (anything but `true-secret`), and how many carry no label yet. Peers:
distinct secrets reported, labelled false positives, unlabelled. `KF bound` says whether the
issue's per-repository bound holds: Leakward's failing credentials not labelled `true-secret`
(false positives and unlabelled) at most Kingfisher's count on the same repository and mode. Labels are keyed by the first
16 hex digits of the secret's SHA-256 (Leakward's `secret_sha256`; for peers the SHA-256 of the
value they report), never the secret. A peer finding whose text holds a value Leakward reported
on the same path (a whole `KEY: value` line, `user:key`, a key file, base64 of the value) counts
under Leakward's fingerprint (`link`), so one leaked key is one true secret, not two. The true
secrets Leakward missed are listed at the end, with the true secrets no tool reports that a
grep of every object for provider key formats found (labels with `grep = true`). `--unlabelled` lists what needs a label (no secrets); `--false` lists Leakward's credentials failing CI
that are labelled anything but true, with their labels' reasons.

Recall counts every `true-secret` label of the repositories scored, each secret once
(`secret_groups`: labels `link` joined on this run, or whose reasons name each other's
fingerprint), so a true key Leakward reports only at `info` is a miss for CI, not out of the
denominator. Leakward's recall is printed twice: failing CI, and reported at any severity.
Where Leakward fails CI on more credentials than Kingfisher reports, a line says how many of
them are labelled true (the bound allows those).

Usage: score.py REPORT_DIR LABEL_DIR [NAME...] [--unlabelled] [--false]
"""
import base64, hashlib, json, os, re, sys, tomllib

args = [a for a in sys.argv[1:] if not a.startswith("--")]
show = "--unlabelled" in sys.argv
show_false = "--false" in sys.argv
out, label_dir, names = args[0], args[1], args[2:]
TRUE = "true-secret"
KINDS = {TRUE, "test-fixture", "example", "public-by-design", "not-a-secret"}


def labels_for(name):
    path = os.path.join(label_dir, f"{name}.toml")
    if not os.path.exists(path):
        return {}
    with open(path, "rb") as f:
        data = tomllib.load(f)
    result = {}
    for entry in data.get("label", []):
        assert entry["label"] in KINDS, f"{path}: unknown label {entry['label']}"
        result[entry["fingerprint"][:16]] = entry
    return result


def fp(value):
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def leakward(report):
    """(fingerprint, path, line, rule) per credential failing CI."""
    found = {}
    for c in report.get("credentials", []):
        if c["severity"] in ("info",):
            continue
        loc = c["locations"][0] if c.get("locations") else {}
        found[c["secret_sha256"][:16]] = (loc.get("path", "?"), loc.get("line", 0), c["rule_id"])
    return found


def parts(value):
    """The values a peer's reported text may hold besides itself: the tokens of a whole line
    (`KEY: value`, `KEY=value`, `user:key`), a JSON file's string values (raw and unescaped) and
    the base64 decoding of each. A peer that reports `OPENAI_API_KEY: c2st…`, `user:key` or a
    whole key file reports the same secret Leakward fingerprints as the value (or the decoded
    value); `link` joins them."""
    tokens = set()
    for t in re.split(r"[\s\"'`,;{}\[\]]+", value):
        tokens.add(t)
        for sep in ("=", ":"):
            if sep in t.rstrip("="):
                head, tail = t.split(sep, 1)
                tokens.update((head, tail))
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', value):
        raw = m.group(1)
        tokens.update((raw, re.sub(r"(\\n)+$", "", raw)))
        try:
            tokens.add(json.loads('"' + raw + '"').strip())
        except ValueError:
            pass
    out = set()
    for t in tokens:
        t = t.strip()
        if len(t) < 8:
            continue
        out.add(t)
        if re.fullmatch(r"[A-Za-z0-9+/]{12,}={0,2}", t) and len(t) % 4 == 0:
            try:
                decoded = base64.b64decode(t).decode()
                if decoded.strip().isprintable():
                    out.add(decoded.strip())
            except (ValueError, UnicodeDecodeError):
                pass
    out.discard(value)
    return out


def link(found, ours, name=None):
    """Peer findings joined to Leakward's fingerprint for the same secret: one of the peer value's
    parts (see `parts`) has the fingerprint Leakward reported on the same path of the same
    repository. Without it the union of true secrets counts one leaked key twice (a peer's
    whole-line fingerprint and Leakward's value fingerprint) and calls one of the two a miss."""
    linked = {}
    for key, (path, line, rule, value) in found.items():
        target = key
        if key not in ours:
            for part in parts(value):
                k = fp(part)
                if k in ours and path in ours[k]:
                    target = k
                    break
            else:
                target = (name and cut_short(name, path, value, ours)) or key
        if target != key and name:
            LINKED.setdefault(name, set()).add((key, target))
        linked.setdefault(target, (path, line, rule))
    return linked


# Repository → pairs of fingerprints `link` joined (a peer's and Leakward's for one secret).
LINKED = {}


def secret_groups(name, labels):
    """The true secrets of a repository, each once: its `true-secret` labels joined where they
    name one secret twice. Two labels are one secret when `link` joined their fingerprints on
    this run (a peer's whole-line or cut-short fingerprint and Leakward's value fingerprint), or
    when one label's reason names the other's fingerprint (8 or more of its hex digits: "the
    whole URL is 98aa6ea0…", "the same OpenAI key as f367adf5"). Returns a list of sets."""
    parent = {k: k for k in labels}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a, b):
        if a in parent and b in parent:
            parent[find(a)] = find(b)

    for a, b in LINKED.get(name, ()):
        union(a, b)
    for k, entry in labels.items():
        for word in re.findall(r"\b[0-9a-f]{8,16}\b", entry.get("reason", "")):
            for other in labels:
                if other != k and other.startswith(word):
                    union(k, other)
    groups = {}
    for k, entry in labels.items():
        if entry["label"] == TRUE:
            groups.setdefault(find(k), set()).add(k)
    return list(groups.values())


def kingfisher(report):
    found = {}
    for f in report.get("findings", []) if isinstance(report, dict) else []:
        finding = f.get("finding", {})
        value = finding.get("snippet") or ""
        path = finding.get("path") or (finding.get("git_metadata") or {}).get("file", {}).get("path", "?")
        found.setdefault(fp(value), (path, finding.get("line", 0), f.get("rule", {}).get("id", "?"), value))
    return found


def betterleaks(report):
    found = {}
    items = report.get("findings", []) if isinstance(report, dict) else report or []
    for f in items:
        value = (f.get("match") or {}).get("value") or f.get("Secret") or ""
        loc = f.get("location") or {}
        found.setdefault(fp(value), (loc.get("path", f.get("File", "?")), loc.get("start_line", 0), f.get("rule_id", "?"), value))
    return found


def leakward_paths(name):
    """Every fingerprint Leakward reported on this repository (any severity, tree or history),
    with the paths it saw it at: what a peer's finding may link to. Where the repository is at
    hand, also the lines it saw each at (`LINES`), for `cut_short`."""
    paths = {}
    for mode in ("tree", "git"):
        report = load(os.path.join(out, f"{name}.{mode}.leakward.json"))
        for c in (report or {}).get("credentials", []):
            key = c["secret_sha256"][:16]
            paths.setdefault(key, set()).update(l.get("path", "?") for l in c.get("locations", []))
            for l in c.get("locations", [])[:4]:
                LINES.setdefault((name, l.get("path", "?")), []).append((key, mode, l.get("blob"), l.get("line", 0)))
    return paths


LINES = {}
REPOS = os.environ.get("REALWORLD_DIR") or next((d for d in (os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.build/realworld"), "/work/main/.build/realworld") if os.path.isdir(d)), None)


def line_text(name, mode, blob, path, line):
    """The text of one line Leakward reported, read from the repository (never printed)."""
    if not REPOS or line <= 0:
        return ""
    try:
        if mode == "git" and blob:
            import subprocess
            data = subprocess.run(["git", "--git-dir", os.path.join(REPOS, f"{name}.git"), "cat-file", "blob", blob],
                                  capture_output=True, timeout=30).stdout
        else:
            with open(os.path.join(REPOS, f"{name}-tree", path), "rb") as f:
                data = f.read()
        lines = data.split(b"\n")
        return lines[line - 1].decode(errors="replace") if line <= len(lines) else ""
    except (OSError, ValueError, Exception):
        return ""


def cut_short(name, path, value, ours):
    """Leakward's fingerprint for a secret a peer reports cut short (Kingfisher ends a Slack
    workflow URL early): a token on a line Leakward reported at the same path that holds the
    peer's value and has Leakward's fingerprint there. None when nothing such is found."""
    if len(value) < 20:
        return None
    for key, mode, blob, line in LINES.get((name, path), []):
        text = line_text(name, mode, blob, path, line)
        if value not in text:
            continue
        for token in re.findall(r"[^\s\"'`<>(),;]+", text):
            if value in token and fp(token) == key and key in ours:
                return key
    return None


TOOLS = [("leakward", leakward), ("kingfisher", kingfisher), ("betterleaks", betterleaks)]
if not names:
    names = sorted({f.split(".")[0] for f in os.listdir(out) if f.endswith(".json")})

# Precision and recall on the labelled set: a tool's reported secrets that carry a label, per
# repository (tree and history together); recall counts the true secrets any tool reported.
reported = {}
header = f"{'repository':<22} {'mode':<4} | {'LW fail':>7} {'fp':>3} {'unl':>3} | {'KF n':>5} {'fp':>3} {'unl':>3} | {'BL n':>5} {'fp':>3} {'unl':>3} | KF bound"
print(header)
print("-" * len(header))
totals = {}
bound_failures = []
over = []
for name in names:
    labels = labels_for(name)
    ours = leakward_paths(name)
    for mode in ("tree", "git"):
        row = []
        for tool, parse in TOOLS:
            report = load(os.path.join(out, f"{name}.{mode}.{tool}.json"))
            if report is None:
                row.append(None)
                continue
            found = parse(report) if tool == "leakward" else link(parse(report), ours, name)
            reported.setdefault((tool, name), set()).update(k for k in found if k in labels)
            false = [k for k in found if k in labels and labels[k]["label"] != TRUE]
            unlabelled = [k for k in found if k not in labels]
            row.append((len(found), len(false), len(unlabelled)))
            t = totals.setdefault((tool, mode), [0, 0, 0])
            for i, v in enumerate(row[-1]):
                t[i] += v
            if show:
                for k in unlabelled:
                    path, line, rule = found[k]
                    print(f"  unlabelled {name} {mode} {tool} {k} {path}:{line} {rule}")
            if show_false and tool == "leakward":
                for k in false:
                    path, line, rule = found[k]
                    print(f"  false {name} {mode} {k} {rule} {path}:{line} label={labels[k]['label']} -- {labels[k].get('reason', '')}")
        if all(r is None for r in row):
            continue
        cells = " | ".join("    -   -   -" if r is None else f"{r[0]:>5} {r[1]:>3} {r[2]:>3}" for r in row)
        # Leakward's non-true failing credentials (labelled false or unlabelled) against
        # Kingfisher's count; "-" when either report is missing.
        if row[0] is None or row[1] is None:
            bound = "   -"
        else:
            extra = row[0][1] + row[0][2]
            holds = extra <= row[1][0]
            bound = f"{'ok' if holds else 'FAIL':>4} {extra}<={row[1][0]}" if holds else f"FAIL {extra}>{row[1][0]}"
            if not holds:
                bound_failures.append(f"{name} {mode}")
            if row[0][0] > row[1][0]:
                over.append(f"{name} {mode}: Leakward fails CI on {row[0][0]} > Kingfisher's {row[1][0]}; "
                            f"{row[0][0] - extra} of them labelled true, {extra} not ({'holds' if holds else 'FAILS'})")
        print(f"{name:<22} {mode:<4} |   {cells} | {bound}")
print("-" * len(header))
for mode in ("tree", "git"):
    cells = " | ".join(f"{totals.get((t, mode), [0, 0, 0])[0]:>5} {totals.get((t, mode), [0, 0, 0])[1]:>3} {totals.get((t, mode), [0, 0, 0])[2]:>3}" for t, _ in TOOLS)
    print(f"{'total':<22} {mode:<4} |   {cells}")

for line in over:
    print(f"  {line}")
print(f"Kingfisher bound: {'holds on every repository and mode' if not bound_failures else 'fails on ' + ', '.join(bound_failures)}")

# A peer that stopped early looks precise and blind: Betterleaks' history scan ends at the first
# object a partial snapshot lacks ("fatal: unable to read <sha>"). Its log says so; name those runs.
STOPPED_EARLY = ("failed to scan Git repository", "fatal: unable to read")
for tool, _ in TOOLS:
    stopped = []
    for name in names:
        for mode in ("tree", "git"):
            log = os.path.join(out, f"{name}.{mode}.{tool}.log")
            if os.path.exists(log):
                with open(log, errors="replace") as handle:
                    if any(marker in handle.read() for marker in STOPPED_EARLY):
                        stopped.append(f"{name} {mode}")
    if stopped:
        print(f"{tool} stopped early on {len(stopped)} run(s), its figures there are lower bounds: {', '.join(stopped)}")

print()
# Precision: a tool's reported secrets that carry a label (Leakward's failing CI). Recall: the true
# secrets of the labels, each once (`secret_groups`), found by the tool: for Leakward failing CI
# and at any severity (a true key reported only at info is a miss for CI, not a blind spot); for
# the peers, reported at all. The older union figure (true secrets some tool reported failing or
# a grep found, per fingerprint) is printed beside it.
print(f"{'labelled set':<22}      | {'TP':>5} {'FP':>5} | {'precision':>9} {'recall':>7} {'any sev':>7}")
truth = {}
groups = {}
for name in names:
    labels = labels_for(name)
    seen = set().union(*(reported.get((t, name), set()) for t, _ in TOOLS))
    # `grep = true`: a true secret found by grepping every object for provider key formats that
    # no tool reports; it counts in the union, so recall is measured against more than the tools.
    seen |= {k for k, v in labels.items() if v.get("grep")}
    truth[name] = {k for k in seen if labels[k]["label"] == TRUE}
    groups[name] = secret_groups(name, labels)
all_true = sum(len(v) for v in truth.values())
all_groups = sum(len(v) for v in groups.values())
any_severity = {name: set(leakward_paths(name)) for name in names}
for tool, _ in TOOLS:
    tp = fp_count = hit = hit_any = 0
    for name in names:
        labels = labels_for(name)
        hits = reported.get((tool, name), set())
        tp += sum(1 for k in hits if labels[k]["label"] == TRUE)
        fp_count += sum(1 for k in hits if labels[k]["label"] != TRUE)
        hit += sum(1 for g in groups[name] if g & hits)
        hit_any += sum(1 for g in groups[name] if g & (any_severity[name] if tool == "leakward" else hits))
    precision = tp / (tp + fp_count) if tp + fp_count else 0.0
    recall = hit / all_groups if all_groups else 0.0
    recall_any = hit_any / all_groups if all_groups else 0.0
    print(f"{tool:<22}      | {tp:>5} {fp_count:>5} | {precision:>9.3f} {recall:>7.3f} {recall_any:>7.3f}")
print(f"{'true secrets (each once)':<28}| {all_groups:>5}   (labels: {sum(1 for n in names for v in labels_for(n).values() if v['label'] == TRUE)} true; union of reported fingerprints as before: {all_true})")
for name in names:
    labels = labels_for(name)
    hits = reported.get(("leakward", name), set())
    for g in sorted(groups[name], key=lambda g: sorted(g)[0]):
        if g & hits:
            continue
        k = sorted(g)[0]
        at = "reported at info" if g & any_severity[name] else "not reported"
        print(f"  missed by leakward ({at}): {name} {k} {labels[k].get('path', '?')} -- {labels[k].get('reason', '')}")
