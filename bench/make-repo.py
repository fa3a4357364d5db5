#!/usr/bin/env python3
"""Builds the benchmark repository: a long synthetic history made of real text from this machine.

make-repo.py OUT.git MANIFEST.json

Feeds `git fast-import` a seeded, deterministic history: thousands of commits over a few
thousand files taken from the Swift package checkouts, /usr/include and /usr/share/doc,
with realistic churn (edits that replace or insert runs of lines, appends, new files,
deletions, renames, a side branch, tags) and planted fake secrets that are added and later
removed, renamed, kept, or left only on another branch. MANIFEST.json lists each planted
secret with the commit that introduced it, for the benchmark's correctness check.
"""
import json, os, random, subprocess, sys, zlib

OUT, MANIFEST = os.path.abspath(sys.argv[1]), sys.argv[2]
COMMITS = int(os.environ.get("BENCH_COMMITS", "4000"))
rng = random.Random(20261129)

# ---- corpus: real text files ---------------------------------------------------------
ROOTS = ["/opt/swift-packages", "/usr/include", "/usr/share/doc"]
corpus = []
for root in ROOTS:
    for dirpath, dirnames, filenames in os.walk(root):
        # Skip git object stores (".git", bare "name.git" mirrors): their loose objects are zlib data.
        dirnames[:] = sorted(d for d in dirnames if not d.endswith(".git"))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                if os.path.islink(path) or not (200 < os.path.getsize(path) < 200_000):
                    continue
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            if b"\0" in data[:4096] or name.endswith((".gz", ".png", ".jpg", ".pdf", ".bz2", ".xz")):
                continue
            corpus.append((os.path.relpath(path, "/").replace("usr/", "", 1), data.split(b"\n")))
rng.shuffle(corpus)
print(f"corpus: {len(corpus)} files, {sum(sum(len(l) + 1 for l in c[1]) for c in corpus) / 1e6:.0f} MB", file=sys.stderr)

# ---- fake secrets (format-valid; never real) ------------------------------------------
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
def github_token(prefix="ghp_"):
    body = "".join(rng.choice(B62) for _ in range(30))
    crc, digits = zlib.crc32(body.encode()), ""
    while crc:
        digits, crc = B62[crc % 62] + digits, crc // 62
    return prefix + body + digits.rjust(6, "0")
def stripe_key():
    return "sk_live_" + "".join(rng.choice(B62) for _ in range(24))
def aws_pair():
    key_id = "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    secret = "".join(rng.choice(B62 + "+/") for _ in range(40))
    return key_id, secret

# plan: commit number -> actions on planted secrets
N = COMMITS
plants = [
    # (name, kind, file, add_at, remove_at or None, rename_at or None, branch)
    ("removed-next-week", "github", "config/settings.py", N // 20, N // 20 + 7, None, None),
    ("renamed-then-removed", "github", "deploy/prod.env", N // 5, N // 5 + 400, N // 5 + 150, None),
    ("still-in-head", "stripe", "billing/keys.rb", N // 2, None, None, None),
    ("only-on-feature-branch", "github", "payments/client.ts", None, None, None, "feature/payments"),
    ("aws-added-and-reverted", "aws", "infra/terraform.tfvars", (3 * N) // 4, (3 * N) // 4 + 1, None, None),
    ("deep-in-big-file", "github", None, N - N // 10, N - N // 10 + 50, None, None),
]

# ---- fast-import stream -----------------------------------------------------------------
proc = subprocess.Popen(["git", "fast-import", "--quiet", f"--export-marks={OUT}/marks"],
                        cwd=OUT, stdin=subprocess.PIPE)
w = proc.stdin.write
mark = 0
def data(b):
    w(b"data %d\n" % len(b)); w(b); w(b"\n")
def commit(ref, message, ops, when, parent=None):
    global mark
    mark += 1
    w(b"commit %s\nmark :%d\n" % (ref.encode(), mark))
    w(b"author Dev %d <dev%d@example.com> %d +0000\n" % (mark % 7, mark % 7, when))
    w(b"committer Dev %d <dev%d@example.com> %d +0000\n" % (mark % 7, mark % 7, when))
    data(message.encode())
    if parent:
        w(b"from :%d\n" % parent)
    for op in ops:
        if op[0] == "M":
            w(b"M 100644 inline %s\n" % op[1].encode()); data(op[2])
        elif op[0] == "D":
            w(b"D %s\n" % op[1].encode())
        elif op[0] == "R":
            w(b'R "%s" "%s"\n' % (op[1].encode(), op[2].encode()))
    return mark

files = {}          # path -> list of lines (bytes)
next_source = 0
def take_source():
    global next_source
    name, lines = corpus[next_source % len(corpus)]
    next_source += 1
    return name, list(lines)
def blob(lines):
    return b"\n".join(lines)

manifest = []
when = 1_600_000_000
ops = []
for _ in range(1500):
    name, lines = take_source()
    files[name] = lines
    ops.append(("M", name, blob(lines)))
main_tip = commit("refs/heads/main", "Initial import\n", ops, when)
feature_parent = None
secret_files = {}   # plant name -> current path
for n in range(1, N):
    when += rng.randint(600, 20_000)
    protected = set(secret_files.values())
    ops, paths = [], sorted(p for p in files if p not in protected)
    for _ in range(rng.randint(1, 6)):                      # edits: replace or insert a run of lines
        path = rng.choice(paths)
        lines = files[path]
        _, donor = corpus[rng.randrange(len(corpus))]
        at = rng.randrange(len(lines) + 1)
        run = donor[rng.randrange(max(1, len(donor) - 40)):][: rng.randint(1, 40)]
        if rng.random() < 0.5 and lines:
            del lines[at: at + rng.randint(1, 20)]
        lines[at:at] = run
        ops.append(("M", path, blob(lines)))
    if rng.random() < 0.25:                                  # a new file
        name, lines = take_source()
        files[name] = lines
        ops.append(("M", name, blob(lines)))
    if rng.random() < 0.08 and len(files) > 1000:            # a deletion
        path = rng.choice(paths)
        if all(o[1] != path for o in ops) and path in files:
            del files[path]
            ops = [o for o in ops if o[1] != path] + [("D", path)]
    if rng.random() < 0.04:                                  # a rename, content kept
        path = rng.choice(paths)
        if all(o[1] != path for o in ops) and path in files:
            new = "moved/" + path
            if new not in files:
                files[new] = files.pop(path)
                ops.append(("R", path, new))
    message = f"Change {n}: update {len(ops)} file(s)\n"
    for name, kind, path, add_at, remove_at, rename_at, branch in plants:
        if branch or n not in (add_at, remove_at, rename_at):
            continue
        if n == add_at:
            if kind == "github":
                value = github_token(); text = f'GITHUB_TOKEN = "{value}"'
            elif kind == "stripe":
                value = stripe_key(); text = f'Stripe.api_key = "{value}"'
            else:
                key_id, secret = aws_pair(); value = key_id; text = f'aws_access_key_id = "{key_id}"\naws_secret_access_key = "{secret}"'
            if path is None:                                 # inside an existing large file
                path = max((p for p in paths if p in files), key=lambda p: len(files[p]))
                files[path].insert(len(files[path]) // 2, text.encode())
            else:
                files[path] = [b"# settings", text.encode(), b""]
            secret_files[name] = path
            ops.append(("M", path, blob(files[path])))
            manifest.append({"name": name, "secret": value, "mark": None, "path": path, "in_head": remove_at is None,
                             "refs": []})
            manifest[-1]["_n"] = n
        elif n == rename_at:
            old = secret_files[name]; new = old.replace("prod", "production")
            files[new] = files.pop(old); secret_files[name] = new
            ops.append(("R", old, new))
        elif n == remove_at:
            path = secret_files[name]
            if path in files and any(o[1] == path for o in ops if o[0] != "R"):
                ops = [o for o in ops if o[1] != path]
            entry = next(m for m in manifest if m["name"] == name)
            if path.startswith(("config/", "deploy/", "infra/")):
                del files[path]; ops.append(("D", path))
            else:
                files[path] = [l for l in files[path] if entry["secret"].encode() not in l]
                ops.append(("M", path, blob(files[path])))
    main_tip = commit("refs/heads/main", message, ops, when, parent=main_tip)
    for m in manifest:
        if m.get("_n") == n and m["mark"] is None:
            m["mark"] = main_tip
    if n == N // 3:
        feature_parent = main_tip
    if n % 500 == 0:
        w(b"reset refs/tags/v%d\nfrom :%d\n\n" % (n // 500, main_tip))

# the side branch: five commits off main, one plants a secret that never reaches main
parent = feature_parent
fwhen = 1_600_000_000 + (when - 1_600_000_000) // 3
for i in range(5):
    fwhen += 3600
    ops = []
    if i == 2:
        value = github_token()
        ops.append(("M", "payments/client.ts", f'export const token = "{value}";\n'.encode()))
    else:
        ops.append(("M", f"payments/notes-{i}.md", f"Payments work, step {i}\n".encode()))
    parent = commit("refs/heads/feature/payments", f"Payments step {i}\n", ops, fwhen, parent=parent)
    if i == 2:
        manifest.append({"name": "only-on-feature-branch", "secret": value, "mark": parent,
                         "path": "payments/client.ts", "in_head": False, "refs": ["refs/heads/feature/payments"]})
proc.stdin.close()
if proc.wait() != 0:
    sys.exit("git fast-import failed")
marks = dict(line.split() for line in open(f"{OUT}/marks"))
for m in manifest:
    m["commit"] = marks[f":{m.pop('mark')}"]
    m.pop("_n", None)
with open(MANIFEST, "w") as f:
    json.dump(manifest, f, indent=1)
print(f"{N + 5} commits, {len(manifest)} planted secrets", file=sys.stderr)
