#!/usr/bin/env python3
"""A local HTTPS stand-in for every provider of rules/verify/*.toml, for tests only.

Usage: mock_provider.py DIR BEHAVIOURS.json
Makes a self-signed certificate for 127.0.0.1 in DIR with openssl (trusted only by the test that
passes DIR/cert.pem as LEAKWARD_VERIFY_TEST_CA), listens on 127.0.0.1 (a free port, printed as
the first line of stdout) and answers every
request by the behaviour of the first token from BEHAVIOURS.json found in the request (path,
headers, body, or a Basic credential's decoded text); "live" when none is found.
Behaviours: live, revoked, revoked403, revoked400 (a GraphQL authentication error, as Linear answers), junk (200, not JSON), busy (429), slow (sleeps 3 s),
redirect (302 to another host). Every request is appended to BEHAVIOURS.json + ".log" as
"METHOD PATH" so tests can check that nothing else was asked.
"""
import base64
import json
import os
import signal
import ssl
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A child of a test thread inherits that thread's blocked signals: unblock them so the test can stop it.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
directory, config = sys.argv[1], sys.argv[2]
cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
if not os.path.exists(cert):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-addext", "basicConstraints=critical,CA:TRUE"], check=True, capture_output=True)
with open(config) as f:
    behaviours = json.load(f)

LIVE = {
    "ok": True, "success": True, "valid": True, "login": "mock-user", "username": "mock-user", "user": "mock-user",
    "name": "mock-user", "id": "mock-id", "handle": "mock-user", "slug": "mock-user", "Name": "mock-server",
    "organization_id": "mock-org", "user_id": "mock-user", "account_name": "mock-account", "companyName": "mock-co",
    "scopes": ["read", "write"],
    "result": {"id": "mock-token", "username": "mock-bot"},
    "data": {"label": "mock-key", "id": "mock-id", "viewer": {"id": "mock-viewer"}, "attributes": {"username": "mock-user"}},
    "account": {"uuid": "mock-account"}, "accounts": [{"sid": "ACmock"}], "locations": [{"merchant_id": "mock-merchant"}],
    "projects": [{"name": "mock-project"}], "token": {"user": "mock-user"}, "code": "TokenValid",
    "workplace": {"name": "mock-workplace"}, "user": "mock-user",
    "GetCallerIdentityResponse": {"GetCallerIdentityResult": {"Arn": "arn:aws:iam::123456789012:user/mock", "Account": "123456789012"}},
}
REVOKED = {"ok": False, "success": False, "valid": False, "error": "invalid_auth",
           "message": "API_KEY_INVALID TokenInvalid Invalid API Token AUTHENTICATION_ERROR"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def behaviour(self, body):
        seen = [self.path, body]
        for name, value in self.headers.items():
            seen.append(value)
            if value.startswith("Basic "):
                try:
                    seen.append(base64.b64decode(value[6:]).decode("utf-8", "replace"))
                except Exception:
                    pass
        text = "\n".join(seen)
        for token, what in behaviours.items():
            if token in text:
                return what
        return "live"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        with open(config + ".log", "a") as log:
            log.write(f"{self.command} {self.path.split('?')[0]}\n")
        what = self.behaviour(body)
        headers = {"Content-Type": "application/json"}
        if what == "live":
            status, payload = 200, json.dumps(LIVE)
            headers["X-OAuth-Scopes"] = "repo, gist"
        elif what == "revoked":
            status, payload = 401, json.dumps(REVOKED)
        elif what == "revoked403":
            status, payload = 403, json.dumps(REVOKED)
        elif what == "revoked400":
            status, payload = 400, json.dumps({"errors": [{"message": "Authentication required, not authenticated",
                                                           "extensions": {"type": "authentication error", "code": "AUTHENTICATION_ERROR",
                                                                          "userPresentableMessage": "You need to authenticate to access this operation."}}]})
        elif what == "junk":
            status, payload = 200, "<html>not json"
        elif what == "busy":
            status, payload = 429, json.dumps({"error": "rate limited"})
        elif what == "slow":
            time.sleep(3)
            status, payload = 200, json.dumps(LIVE)
        elif what == "redirect":
            status, payload = 302, ""
            headers["Location"] = "https://collector.example/steal"
        else:
            status, payload = 500, "unknown behaviour"
        data = payload.encode()
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = answer
    do_POST = answer


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
