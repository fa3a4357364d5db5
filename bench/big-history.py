#!/usr/bin/env python3
"""Writes a `git fast-import` stream for a big synthetic history: FILES files, each edited
VERSIONS times in a row (so fast-import stores each version as a delta of the one before,
as a real pack would), growing from ~40 KB so the unique blob bytes reach about GB gibibytes.
Three fake secrets are planted: one added and removed early, one mid-way, one in the last
version of the last file. Usage: big-history.py GB > stream
"""
import random, sys

gib = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
rng = random.Random(5)
words = ("const let value return function import export class module config server client route "
         "request response handler error result cache index table query update delete insert").split()
versions = 140
avg_size = 75_000
files = max(1, int(gib * (1 << 30) / (versions * avg_size)))
secret_a = "ghp_" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(36))
out = sys.stdout.buffer
mark = 0
when = 1_600_000_000

def line():
    return (" ".join(rng.choice(words) for _ in range(rng.randint(4, 12))) + ";").encode()

def commit(path, body, message):
    global mark, when
    mark += 1
    when += 30
    msg = message.encode()
    out.write(b"commit refs/heads/main\nmark :%d\ncommitter Soak <soak@example.invalid> %d +0000\n" % (mark, when))
    out.write(b"data %d\n%s\n" % (len(msg), msg))
    if mark > 1:
        out.write(b"from :%d\n" % (mark - 1))
    out.write(b"M 100644 inline %s\ndata %d\n" % (path.encode(), len(body)))
    out.write(body)
    out.write(b"\n")

for f in range(files):
    path = f"src/module{f // 100}/file{f}.js"
    lines = [line() for _ in range(700)]            # ~40 KB
    for v in range(versions):
        for _ in range(rng.randint(1, 3)):            # edits: replace a line, insert a few
            at = rng.randrange(len(lines))
            lines[at] = line()
            lines[at:at] = [line() for _ in range(rng.randint(3, 8))]
        planted = None
        if f == 0 and v == 3:
            planted = b'const token = "' + secret_a.encode() + b'";'
        if f == files // 2 and v == versions // 2:
            planted = b"const stripe = 'sk_live_" + b"".join(bytes([rng.choice(b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")]) for _ in range(24)) + b"';"
        if planted:
            lines.insert(len(lines) // 2, planted)
        if f == 0 and v == 5:
            lines = [l for l in lines if secret_a.encode() not in l]
        commit(path, b"\n".join(lines) + b"\n", f"edit {path} v{v}\n")
print(f"{files} files x {versions} versions", file=sys.stderr)
