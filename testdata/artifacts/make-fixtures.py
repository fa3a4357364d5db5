#!/usr/bin/env python3
"""Regenerates the build-artifact fixtures of Leakward's decoder tests (issue 4).

Usage: make-fixtures.py [OUT_DIR]    (default: the directory of this script)

Writes, deterministically (fixed seeds, gzip mtime 0, fixed zip dates):
  app/          a built Next.js/Vite-style app: minified bundles with .gz/.br twins, source maps
                (a .map file and an inline map), downloaded CI logs (plain, gzip, GitHub Actions
                zip), Kubernetes/Docker/npm configs, env files and a release tarball;
  malformed/    a truncated gzip, a corrupt brotli stream, a hostile zip (../ path, absurd size,
                a member that lies about its size), a tar with a bad header, invalid UTF-8 and a
                42 KB recursive zip bomb (4 TB declared);
  expected-findings.txt   one line per planted secret: `rule_id path:line:column chain`;
                          the end-to-end tests compare the scan against it exactly, so every
                          decoy (hashes, data: URIs, *** masks, ${VAR} references) must stay quiet.

Every secret is a fake made here from a fixed seed; the brotli twins need the `brotli` CLI
(Debian package `brotli`) and are left as they are when it is missing.
"""
import base64
import gzip
import hashlib
import io
import json
import os
import random
import shutil
import string
import struct
import subprocess
import sys
import tarfile
import zlib

ALNUM = string.ascii_letters + string.digits
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
rng = random.Random(4242)
expected = []
area = ""  # "app/" or "malformed/": expected paths are relative to the fixture folder


# MARK: - fake secrets (format-valid, never real)

def rand(n, alphabet=ALNUM):
    return "".join(rng.choice(alphabet) for _ in range(n))


def github_pat():
    body = rand(30)
    n = zlib.crc32(body.encode())
    digits = ""
    while n:
        digits = B62[n % 62] + digits
        n //= 62
    return "ghp_" + body + digits.rjust(6, "0")


def openai_key():
    return "sk-proj-" + rand(74) + "T3BlbkFJ" + rand(74)


def anthropic_key():
    return "sk-ant-api03-" + rand(93, ALNUM + "_-") + "AA"


def stripe_key():
    return "sk_live_" + rand(48)


def slack_bot():
    return "xoxb-" + rand(12, string.digits) + "-" + rand(13, string.digits) + "-" + rand(24)


def aws_key():
    return "AKIA" + rand(16, string.ascii_uppercase + "234567")


def sendgrid_key():
    return "SG." + rand(22, ALNUM + "_-") + "." + rand(43, ALNUM + "_-")


def password():
    return rand(20)


# MARK: - writers

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def gz(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0, filename="") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    return out.getvalue()


def brotli_twin(path):
    """Writes PATH.br with the brotli CLI; keeps a committed twin when the CLI is missing."""
    if shutil.which("brotli") is None:
        if not os.path.exists(path + ".br"):
            sys.stderr.write(f"warning: brotli CLI missing, {path}.br not made (apt-get install brotli)\n")
        return
    subprocess.run(["brotli", "-f", "-q", "11", "-o", path + ".br", path], check=True)


def expect(rule, path, text, secret, chain="", occurrence=0, column=True):
    """Records where `secret` sits in `text` (1-based line and byte column)."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(secret, at + 1)
    prefix = text[:at].encode()
    line = prefix.count(b"\n") + 1
    col = len(prefix) - (prefix.rfind(b"\n") + 1) + 1
    expected.append(f"{rule} {area}{path}:{line}:{col if column else '*'} {chain}".rstrip())


def zip_entry(name, data, method=8, declared_size=None, compressed=None, crc=None):
    return dict(name=name, data=data, method=method, declared_size=declared_size, compressed=compressed, crc=crc)


def make_zip(entries, compressed_size_override=None):
    """A zip written by hand, so hostile fields can be set: sizes, methods, names."""
    body = io.BytesIO()
    central = io.BytesIO()
    for e in entries:
        data = e["data"]
        if e["compressed"] is not None:
            payload = e["compressed"]
        elif e["method"] == 8:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            payload = c.compress(data) + c.flush()
        else:
            payload = data
        crc = e["crc"] if e["crc"] is not None else zlib.crc32(data)
        usize = e["declared_size"] if e["declared_size"] is not None else len(data)
        csize = (compressed_size_override or {}).get(e["name"], len(payload))
        name = e["name"].encode()
        offset = body.tell()
        # local header: version, flags, method, time, date (2024-05-01), crc, sizes, name, extra
        body.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, e["method"], 0, 0x58A1, crc, csize, usize, len(name), 0))
        body.write(name)
        body.write(payload)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, e["method"], 0, 0x58A1, crc, csize, usize,
                                  len(name), 0, 0, 0, 0, 0, offset))
        central.write(name)
    cd = central.getvalue()
    start = body.tell()
    body.write(cd)
    body.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd), start, 0))
    return body.getvalue()


def crc32_of_zeros(n):
    crc, block = 0, bytes(1 << 20)
    while n > 0:
        step = min(n, len(block))
        crc = zlib.crc32(block[:step], crc)
        n -= step
    return crc


# MARK: - the built app

def minified_bundle(secret_line_js, filler_kb=150):
    """One long line of plausible minified JS with decoys and `secret_line_js` far into it."""
    parts = []
    for i in range(filler_kb * 1024 // 200):
        h = hashlib.sha256(str(i).encode()).hexdigest()
        parts.append(f'var a{i}=function(e,t){{return e.integrity="sha256-{h}",t.push(e.id+{i})}};')
        if i % 97 == 0:
            png = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(90))).decode()
            parts.append(f'n.icon{i}="data:image/png;base64,{png}";')
        if i % 131 == 0:
            parts.append(f'o.k{i}=process.env.NEXT_PUBLIC_API_URL||"/api";')
        if i == filler_kb * 1024 // 400:
            parts.append(secret_line_js)
    return "".join(parts) + "\n"


def make_app(out):
    global area
    area = "app/"
    app = os.path.join(out, "app")
    shutil.rmtree(app, ignore_errors=True)

    # Next.js: a chunk with an inlined OpenAI key, its .gz/.br twins and its source map.
    openai = openai_key()
    rel = ".next/static/chunks/pages/_app-5e2b8c1d.js"
    bundle = minified_bundle(f'const r=new c.ZP({{apiKey:"{openai}",dangerouslyAllowBrowser:!0}});')
    write(os.path.join(app, rel), bundle)
    write(os.path.join(app, rel + ".gz"), gz(bundle))
    brotli_twin(os.path.join(app, rel))
    expect("openai.project-key", rel, bundle, openai)
    expect("openai.project-key", rel + ".gz", bundle, openai, "gzip")
    expect("openai.project-key", rel + ".br", bundle, openai, "brotli")
    source = ("import OpenAI from 'openai';\n\n// Chat helper used by the pages.\n"
              "export type Message = { role: 'user' | 'assistant'; content: string };\n\n"
              "const model = 'gpt-4o-mini';\n\n/**\n * Runs on the client for the demo.\n */\n"
              f"export const client = new OpenAI({{\n  apiKey: '{openai}',\n  dangerouslyAllowBrowser: true,\n}});\n\n"
              "export async function chat(messages: Message[]) {\n  return client.chat.completions.create({ model, messages });\n}\n")
    smap = {"version": 3, "file": "_app-5e2b8c1d.js", "sources": ["webpack://_N_E/./src/lib/openai.ts", "webpack://_N_E/./src/pages/_app.tsx"],
            "sourcesContent": [source, "export default function App({ Component, pageProps }) {\n  return <Component {...pageProps} />;\n}\n"],
            "names": [], "mappings": "AAAA,SAAS"}
    write(os.path.join(app, rel + ".map"), json.dumps(smap))
    expect("openai.project-key", rel + ".map!src/lib/openai.ts", source, openai, "sourcesContent[src/lib/openai.ts]")

    # Vite: the token is \x-escaped by an obfuscating plugin; the inline source map has the source.
    token = github_pat()
    rel = "dist/assets/index-4f1c9a7e.js"
    escaped = "".join(f"\\x{ord(c):02x}" for c in token)
    config = ("// Build-time configuration.\nexport const api = {\n  base: import.meta.env.VITE_API_URL,\n  retries: 3,\n};\n\n"
              f"export const githubToken = '{token}';\n")
    vmap = {"version": 3, "sources": ["../../src/config.ts"], "sourcesContent": [config], "names": [], "mappings": "AAAA"}
    code = minified_bundle(f'const gh="{escaped}";', filler_kb=40).rstrip("\n")
    bundle = code + "\n//# sourceMappingURL=data:application/json;base64," + base64.b64encode(json.dumps(vmap).encode()).decode() + "\n"
    write(os.path.join(app, rel), bundle)
    write(os.path.join(app, rel + ".gz"), gz(bundle))
    expected.append(f"github.pat {area}{rel}:1:* js-escape")
    expected.append(f"github.pat {area}{rel}.gz:1:* gzip → js-escape")
    expect("github.pat", rel + "!../../src/config.ts", config, token, "sourceMappingURL → sourcesContent[../../src/config.ts]")
    expect("github.pat", rel + ".gz!../../src/config.ts", config, token, "gzip → sourceMappingURL → sourcesContent[../../src/config.ts]")

    # CI logs downloaded from three systems.
    db_password = password()
    ghp_ansi = github_pat()
    log = "\n".join([
        "2024-05-01T12:00:00.1000000Z ##[group]Run actions/checkout@v4",
        "2024-05-01T12:00:00.2000000Z \x1b[36;1mwith:\x1b[0m",
        "2024-05-01T12:00:00.3000000Z   token: ***",
        "2024-05-01T12:00:00.4000000Z ##[endgroup]",
        "2024-05-01T12:00:01.0000000Z ##[group]Run printenv",
        "2024-05-01T12:00:01.1000000Z \x1b[36;1mprintenv\x1b[0m",
        "2024-05-01T12:00:01.2000000Z shell: /usr/bin/bash -e {0}",
        "2024-05-01T12:00:01.3000000Z GITHUB_TOKEN=***",
        f"2024-05-01T12:00:01.4000000Z DATABASE_URL=postgresql://app:{db_password}@db.prod.internal:5432/app",
        "2024-05-01T12:00:01.5000000Z NPM_TOKEN=***",
        "2024-05-01T12:00:01.6000000Z DEPLOY_URL=postgresql://app:***@db.prod.internal:5432/app",
        "2024-05-01T12:00:01.7000000Z ##[endgroup]",
        f"2024-05-01T12:00:02.0000000Z \x1b[32m{ghp_ansi}\x1b[0m",
        "2024-05-01T12:00:03.0000000Z Post job cleanup.",
        "",
    ])
    write(os.path.join(app, "ci-logs/build.log"), log)
    expect("database.url-password", "ci-logs/build.log", log, db_password, "ci-log")
    expect("github.pat", "ci-logs/build.log", log, ghp_ansi, "ci-log")

    stripe = stripe_key()
    gitlab = "\n".join([
        "2024-05-01T12:10:00.000000Z 00O section_start:1714565400:deploy\r\x1b[0K\x1b[0K\x1b[36;1mDeploying\x1b[0;m",
        "2024-05-01T12:10:01.000000Z 00O $ curl -v https://api.stripe.com/v1/charges",
        "2024-05-01T12:10:01.100000Z 01E > GET /v1/charges HTTP/2",
        f"2024-05-01T12:10:01.200000Z 01E > Authorization: Bearer {stripe}",
        "2024-05-01T12:10:01.300000Z 01E < HTTP/2 200",
        "2024-05-01T12:10:02.000000Z 00O section_end:1714565402:deploy\r\x1b[0K",
        "",
    ])
    write(os.path.join(app, "ci-logs/deploy.log.gz"), gz(gitlab))
    expect("stripe.secret-key", "ci-logs/deploy.log.gz", gitlab, stripe, "gzip → ci-log")

    mongo_password = password()
    step = "\n".join([
        "2024-05-01T12:20:00.0000000Z ##[group]Run npm test",
        "2024-05-01T12:20:00.1000000Z \x1b[36;1mnpm test\x1b[0m",
        "2024-05-01T12:20:05.0000000Z MongoServerSelectionError: connection refused",
        f"2024-05-01T12:20:05.0000000Z     at connect (mongodb+srv://svc-orders:{mongo_password}@cluster0.ab12c.mongodb.net/orders)",
        "2024-05-01T12:20:05.1000000Z ##[error]Process completed with exit code 1.",
        "",
    ])
    summary = "2024-05-01T12:20:00.0000000Z Requested labels: ubuntu-latest\n2024-05-01T12:20:06.0000000Z Cleaning up orphan processes\n"
    write(os.path.join(app, "ci-logs/logs_8812.zip"),
          make_zip([zip_entry("0_test.txt", summary.encode()), zip_entry("test/4_Run npm test.txt", step.encode())]))
    expect("database.url-password", "ci-logs/logs_8812.zip!test/4_Run npm test.txt", step, mongo_password, "zip[test/4_Run npm test.txt] → ci-log")

    # Kubernetes, Docker and npm configs with base64-wrapped credentials.
    slack = slack_bot()
    manifest = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: notifier\n  namespace: prod\ntype: Opaque\ndata:\n"
                f"  LOG_LEVEL: {base64.b64encode(b'info').decode()}\n"
                f"  SLACK_BOT_TOKEN: {base64.b64encode(slack.encode()).decode()}\n"
                f"  WEBHOOK_PATH: {base64.b64encode(b'/hooks/notify').decode()}\n")
    write(os.path.join(app, "k8s/secret.yaml"), manifest)
    expected.append(f"slack.bot-token {area}k8s/secret.yaml:9:20 base64[data.SLACK_BOT_TOKEN]")

    docker_token = github_pat()
    docker = json.dumps({"auths": {"ghcr.io": {"auth": base64.b64encode(f"ci-bot:{docker_token}".encode()).decode()}},
                         "credsStore": ""}, indent=2) + "\n"
    write(os.path.join(app, "docker/config.json"), docker)
    expected.append(f"github.pat {area}docker/config.json:4:* base64[auths.auth]")
    # The auth value is a credential in its own right (user:token for the registry).
    expected.append(f"docker.config-auth {area}docker/config.json:4:*")

    sendgrid = sendgrid_key()
    npmrc = ("registry=https://registry.npmjs.org/\nalways-auth=true\n"
             f"_auth={base64.b64encode(f'mailer:{sendgrid}'.encode()).decode()}\n")
    write(os.path.join(app, ".npmrc"), npmrc)
    expected.append(f"sendgrid.api-key {area}.npmrc:3:* base64[_auth]")
    expected.append(f"npmrc.auth {area}.npmrc:3:*")

    # Env files: a multi-line value, a reference (decoy) and a template holding a real-looking token.
    anthropic = anthropic_key()
    env = ("# production settings\nNODE_ENV=production\nexport DATABASE_URL=${PRIMARY_DATABASE_URL}\n"
           f'ANTHROPIC_API_KEY="{anthropic}" # rotated 2024-05\n'
           "GREETING='hello\nworld'\n")
    write(os.path.join(app, ".env.production"), env)
    expect("anthropic.api-key", ".env.production", env, anthropic)
    template_token = github_pat()
    example = f"# copy to .env.local\nOPENAI_API_KEY=sk-proj-your-key-here\nGITHUB_TOKEN={template_token}\n"
    write(os.path.join(app, ".env.example"), example)
    expect("github.pat", ".env.example", example, template_token)

    # A release tarball (tar inside gzip).
    aws = aws_key()
    server = f"'use strict';\nconst region = 'eu-west-1';\nconst accessKeyId = '{aws}';\nmodule.exports = {{ region, accessKeyId }};\n"
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in [("package/package.json", b'{"name":"orders-sdk","version":"1.4.2"}\n'),
                           ("package/dist/server.js", server.encode())]:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1714564800, 0o644
            tar.addfile(info, io.BytesIO(data))
    write(os.path.join(app, "release/orders-sdk-1.4.2.tgz"), gz(tar_bytes.getvalue()))
    expect("aws.access-key-id", "release/orders-sdk-1.4.2.tgz!package/dist/server.js", server, aws, "gzip → tar[package/dist/server.js]")


# MARK: - malformed and hostile inputs

def make_malformed(out):
    global area
    area = "malformed/"
    bad = os.path.join(out, "malformed")
    shutil.rmtree(bad, ignore_errors=True)

    # A gzip cut in half: the first half's secret is still found.
    token = github_pat()
    text = f"const t = '{token}';\n" + minified_bundle("", filler_kb=100)
    packed = gz(text)
    write(os.path.join(bad, "truncated.js.gz"), packed[: len(packed) // 2])
    expect("github.pat", "truncated.js.gz", text, token, "gzip")

    # A brotli stream damaged near its end.
    token = github_pat()
    text = f"const t = '{token}';\n" + minified_bundle("", filler_kb=100)
    path = os.path.join(bad, "corrupt.js")
    write(path, text)
    if shutil.which("brotli"):
        # A 1 KB window makes the decoder hand out text as it goes, so the part before the damage is kept.
        subprocess.run(["brotli", "-f", "-q", "5", "-w", "10", "-o", path + ".br", path], check=True)
        data = bytearray(open(path + ".br", "rb").read())
        for i in range(len(data) - 40, len(data) - 8):
            data[i] ^= 0x5A
        write(path + ".br", bytes(data))
    os.remove(path)
    expect("github.pat", "corrupt.js.br", text, token, "brotli")

    # A hostile zip: a ../ member (found, reported), an absurd size, a member lying about its size.
    token = github_pat()
    evil = f"module.exports = '{token}';\n"
    zeros = bytes(1 << 20)
    write(os.path.join(bad, "evil.zip"), make_zip(
        [zip_entry("../../outside/evil.js", evil.encode()),
         zip_entry("huge.bin", b"x" * 100, method=0),
         zip_entry("liar.txt", zeros, declared_size=100, crc=0)],
        compressed_size_override={"huge.bin": 0x7FFFFFF0}))
    expect("github.pat", "evil.zip!../../outside/evil.js", evil, token, "zip[../../outside/evil.js]")

    # A tar whose second header is damaged: the first member is still scanned.
    token = github_pat()
    first = f"export const token = '{token}';\n"
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in [("src/config.js", first.encode()), ("src/other.js", b"export default 1;\n")]:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1714564800, 0o644
            tar.addfile(info, io.BytesIO(data))
    data = bytearray(tar_bytes.getvalue())
    second = 512 + ((len(first) + 511) // 512) * 512
    data[second + 20: second + 30] = b"\xff" * 10
    write(os.path.join(bad, "bad-header.tar"), bytes(data))
    expect("github.pat", "bad-header.tar!src/config.js", first, token, "tar[src/config.js]")

    # Invalid UTF-8 around a secret.
    token = github_pat()
    raw = b"\xff\xfe\xc3 broken \x80\x81 bytes\n" + f"token: '{token}'\n".encode() + b"\xed\xa0\x80 more\n"
    write(os.path.join(bad, "invalid-utf8.txt"), raw)
    expected.append(f"github.pat {area}invalid-utf8.txt:2:9")

    make_bomb(bad)


def make_bomb(bad):
    """A 42.zip-style recursive bomb: 14 x 16 x 16 x 16 members of 1 GB of zeros (3.5 PB declared),
    plus a readme with a secret that must still be found."""
    gib = 1 << 30
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(bytes(16 << 20)) + c.flush(zlib.Z_FULL_FLUSH)  # independent: repeats byte-for-byte
    stream = block * (gib // (16 << 20)) + zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    crc = crc32_of_zeros(gib)
    level = make_zip([zip_entry(f"{i:x}.dll", b"", compressed=stream, declared_size=gib, crc=crc) for i in range(16)])
    for depth, prefix in [(1, "chapter"), (2, "book")]:
        level = make_zip([zip_entry(f"{prefix}{i:x}.zip", level) for i in range(16)])
    token = github_pat()
    readme = f"Backup archive.\nDEPLOY_TOKEN={token}\n"
    # 14 outer members put the file at 42 KB, the size of the classic 42.zip.
    bomb = make_zip([zip_entry("readme.txt", readme.encode())] + [zip_entry(f"lib{i:x}.zip", level) for i in range(14)])
    write(os.path.join(bad, "bomb-42k.zip"), bomb)
    expect("github.pat", "bomb-42k.zip!readme.txt", readme, token, "zip[readme.txt]")


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
    os.makedirs(out, exist_ok=True)
    make_app(out)
    make_malformed(out)
    with open(os.path.join(out, "expected-findings.txt"), "w") as f:
        f.write("# rule_id path:line:column chain   (generated by make-fixtures.py; * = column not pinned)\n")
        f.write("\n".join(sorted(expected)) + "\n")


if __name__ == "__main__":
    main()
