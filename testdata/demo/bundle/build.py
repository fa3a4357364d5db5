#!/usr/bin/env python3
"""Makes the demo's "built" client bundle: a one-line minified chunk with the NEXT_PUBLIC_ key
inlined (as `next build` does) and the GitHub helper compiled in, plus its source map with
sourcesContent, and a GitHub Actions log download (zip) of the CI log.

Usage: build.py DEMO_APP_DIR   (reads testdata/demo/bundle and the app's own sources)
"""
import json
import os
import re
import sys
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
app = sys.argv[1]
env = open(os.path.join(app, ".env.production")).read()
public_key = re.search(r"^NEXT_PUBLIC_OPENAI_API_KEY=(\S+)", env, re.M).group(1)
sources = {
    "src/lib/github.ts": open(os.path.join(app, "src/lib/github.ts")).read(),
    "src/lib/chat.ts": open(os.path.join(here, "src/lib/chat.ts")).read(),
}
token = re.search(r'"(ghp_[A-Za-z0-9]+)"', sources["src/lib/github.ts"]).group(1)
filler = "".join(f'var m{i}=function(e,t){{return t.push(e.id+{i}),e.integrity="sha256-{i:064x}"}};' for i in range(400))
bundle = ("(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[931],{8452:function(e,t,n){" + filler
          + f'let o=new(n(1321)).ZP({{apiKey:"{public_key}",dangerouslyAllowBrowser:!0}});'
          + f'async function a(){{return(await fetch("https://api.github.com/repos/acme/catalogue/contents/products.json",'
          + f'{{headers:{{Authorization:"token {token}"}}}})).json()}}' + "}}]);\n//# sourceMappingURL=app-page-8f3c2a.js.map\n")
chunks = os.path.join(app, "out/_next/static/chunks")
os.makedirs(chunks, exist_ok=True)
with open(os.path.join(chunks, "app-page-8f3c2a.js"), "w") as f:
    f.write(bundle)
source_map = {"version": 3, "file": "app-page-8f3c2a.js", "sources": [f"webpack://_N_E/./{s}" for s in sources],
              "sourcesContent": list(sources.values()), "names": [], "mappings": "AAAA"}
with open(os.path.join(chunks, "app-page-8f3c2a.js.map"), "w") as f:
    json.dump(source_map, f)
logs = os.path.join(app, "ci-logs")
os.makedirs(logs, exist_ok=True)
log = open(os.path.join(here, "ci/build-1187.log")).read()
with open(os.path.join(logs, "build-1187.log"), "w") as f:
    f.write(log)
with zipfile.ZipFile(os.path.join(logs, "logs_1187.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("deploy/3_Run deploy.txt", log)
