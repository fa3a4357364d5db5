#!/usr/bin/env python3
"""Local stand-ins for a PostgreSQL, a MySQL and a Redis server, for `--verify-db` tests only.

Usage: mock_database.py DIR USERS.json
USERS.json maps user names to their passwords (the same table for every protocol). Makes a
self-signed certificate for 127.0.0.1 in DIR with openssl (the test trusts it through
LEAKWARD_VERIFY_TEST_CA), listens on three free ports of 127.0.0.1 and prints them as the first
line of stdout: "postgres=P mysql=M redis=R". Every login is appended to USERS.json + ".log" as
"PROTOCOL USER tls|plain" so tests can tell what connected (and that nothing did).

PostgreSQL: SSLRequest answered 'S' (TLS); users starting with "md5" get md5 authentication,
"hba" an ErrorResponse 28000 (no pg_hba.conf entry), "slow" no answer; others SCRAM-SHA-256
(salt, 4096 iterations, the client proof checked and the server signature sent). A wrong
password or an unknown user: ErrorResponse 28P01.
MySQL: greeting with caching_sha2_password and CLIENT_SSL; users starting with "native" are
switched to mysql_native_password; the fast path answers 0x01 0x03 then OK; a wrong password is
ERR 1045. Redis: AUTH [user] password, +OK or -WRONGPASS; a connection starting with a TLS
ClientHello is served in TLS (rediss://).
"""
import base64
import hashlib
import hmac
import json
import os
import signal
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import threading
import time

signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
directory, config = sys.argv[1], sys.argv[2]
cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
if not os.path.exists(cert):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-addext", "basicConstraints=critical,CA:TRUE"], check=True, capture_output=True)
with open(config) as f:
    USERS = json.load(f)
TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
TLS.load_cert_chain(cert, key)
LOCK = threading.Lock()


def log(protocol, user, conn):
    with LOCK, open(config + ".log", "a") as out:
        out.write(f"{protocol} {user} {'tls' if isinstance(conn, ssl.SSLSocket) else 'plain'}\n")


def read_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


# ---- PostgreSQL

def pg_send(conn, kind, body):
    conn.sendall(kind + struct.pack("!I", len(body) + 4) + body)


def pg_error(conn, code, message):
    pg_send(conn, b"E", b"SFATAL\0C" + code.encode() + b"\0M" + message.encode() + b"\0\0")


def pg_read(conn):
    kind = read_exact(conn, 1)
    length = struct.unpack("!I", read_exact(conn, 4))[0]
    return kind, read_exact(conn, length - 4)


def postgres(conn):
    length, code = struct.unpack("!II", read_exact(conn, 8))
    if code == 80877103:
        conn.sendall(b"S")
        conn = TLS.wrap_socket(conn, server_side=True)
        length, code = struct.unpack("!II", read_exact(conn, 8))
    body = read_exact(conn, length - 8)
    parts = body.split(b"\0")
    params = dict(zip(parts[0::2], parts[1::2]))
    user = params.get(b"user", b"").decode()
    log("postgres", user, conn)
    password = USERS.get(user)
    if user == "slow":
        time.sleep(10)
        return
    if user == "hba":
        pg_error(conn, "28000", f'no pg_hba.conf entry for host "127.0.0.1", user "{user}"')
        return
    if user.startswith("md5"):
        salt = os.urandom(4)
        pg_send(conn, b"R", struct.pack("!I", 5) + salt)
        kind, answer = pg_read(conn)
        ok = False
        if password is not None:
            inner = hashlib.md5((password + user).encode()).hexdigest()
            ok = answer.rstrip(b"\0") == b"md5" + hashlib.md5(inner.encode() + salt).hexdigest().encode()
        if not ok:
            pg_error(conn, "28P01", f'password authentication failed for user "{user}"')
            return
    else:
        pg_send(conn, b"R", struct.pack("!I", 10) + b"SCRAM-SHA-256\0\0")
        kind, answer = pg_read(conn)
        mechanism, rest = answer.split(b"\0", 1)
        size = struct.unpack("!I", rest[:4])[0]
        client_first = rest[4:4 + size].decode()
        client_first_bare = client_first.split(",", 2)[2]
        client_nonce = dict(p.split("=", 1) for p in client_first_bare.split(","))["r"]
        nonce = client_nonce + base64.b64encode(os.urandom(18)).decode()
        salt = os.urandom(16)
        server_first = f"r={nonce},s={base64.b64encode(salt).decode()},i=4096"
        pg_send(conn, b"R", struct.pack("!I", 11) + server_first.encode())
        kind, final = pg_read(conn)
        final = final.decode()
        without_proof, proof = final.rsplit(",p=", 1)
        auth = f"{client_first_bare},{server_first},{without_proof}".encode()
        salted = hashlib.pbkdf2_hmac("sha256", (password or "\0no such user").encode(), salt, 4096)
        stored = hashlib.sha256(hmac.new(salted, b"Client Key", "sha256").digest()).digest()
        signature = hmac.new(stored, auth, "sha256").digest()
        recovered = bytes(a ^ b for a, b in zip(base64.b64decode(proof), signature))
        if password is None or hashlib.sha256(recovered).digest() != stored or f"r={nonce}" not in without_proof:
            pg_error(conn, "28P01", f'password authentication failed for user "{user}"')
            return
        server_key = hmac.new(salted, b"Server Key", "sha256").digest()
        pg_send(conn, b"R", struct.pack("!I", 12) + b"v=" + base64.b64encode(hmac.new(server_key, auth, "sha256").digest()))
    pg_send(conn, b"R", struct.pack("!I", 0))
    pg_send(conn, b"Z", b"I")
    try:
        pg_read(conn)  # Terminate, or the client closing
    except (EOFError, OSError, ssl.SSLError):
        pass


# ---- MySQL

def my_send(conn, seq, payload):
    conn.sendall(struct.pack("<I", len(payload))[:3] + bytes([seq & 0xff]) + payload)


def my_read(conn):
    header = read_exact(conn, 4)
    length = header[0] | header[1] << 8 | header[2] << 16
    return header[3], read_exact(conn, length)


def scramble20():
    return bytes(33 + b % 90 for b in os.urandom(20))


def mysql(conn):
    seed = scramble20()
    caps = 0x1 | 0x8 | 0x200 | 0x800 | 0x8000 | 0x80000
    greeting = (b"\x0a8.0.36-mock\0" + struct.pack("<I", 7) + seed[:8] + b"\0" + struct.pack("<H", caps & 0xffff)
                + b"\x2d" + struct.pack("<H", 2) + struct.pack("<H", caps >> 16) + bytes([21]) + b"\0" * 10
                + seed[8:] + b"\0" + b"caching_sha2_password\0")
    my_send(conn, 0, greeting)
    seq, packet = my_read(conn)
    flags = struct.unpack("<I", packet[:4])[0]
    if len(packet) == 32 and flags & 0x800:
        conn = TLS.wrap_socket(conn, server_side=True)
        seq, packet = my_read(conn)
        flags = struct.unpack("<I", packet[:4])[0]
    index = 32
    end = packet.index(b"\0", index)
    user = packet[index:end].decode()
    index = end + 1
    size = packet[index]
    response = packet[index + 1:index + 1 + size]
    log("mysql", user, conn)
    password = USERS.get(user)
    plugin, salt = "caching_sha2_password", seed
    if user.startswith("native"):
        salt = scramble20()
        seq += 1
        my_send(conn, seq, b"\xfemysql_native_password\0" + salt + b"\0")
        seq, response = my_read(conn)
        plugin = "mysql_native_password"
    ok = False
    if password is not None:
        pw = password.encode()
        if plugin == "mysql_native_password":
            once = hashlib.sha1(pw).digest()
            expected = bytes(a ^ b for a, b in zip(once, hashlib.sha1(salt + hashlib.sha1(once).digest()).digest()))
        else:
            once = hashlib.sha256(pw).digest()
            expected = bytes(a ^ b for a, b in zip(once, hashlib.sha256(hashlib.sha256(once).digest() + salt).digest()))
        ok = response == expected
    if not ok:
        seq += 1
        my_send(conn, seq, b"\xff" + struct.pack("<H", 1045) + b"#28000"
                + f"Access denied for user '{user}'@'127.0.0.1' (using password: YES)".encode())
        return
    if plugin == "caching_sha2_password":
        seq += 1
        my_send(conn, seq, b"\x01\x03")
    seq += 1
    my_send(conn, seq, b"\x00\x00\x00\x02\x00\x00\x00")


# ---- Redis

def redis(conn):
    first = conn.recv(1, socket.MSG_PEEK)
    if first == b"\x16":
        conn = TLS.wrap_socket(conn, server_side=True)
    reader = conn.makefile("rb")

    def command():
        line = reader.readline().strip()
        if not line.startswith(b"*"):
            return None
        parts = []
        for _ in range(int(line[1:])):
            size = int(reader.readline().strip()[1:])
            parts.append(reader.read(size).decode())
            reader.read(2)
        return parts

    while True:
        parts = command()
        if not parts:
            return
        if parts[0].upper() == "AUTH":
            user = parts[1] if len(parts) == 3 else "default"
            log("redis", user, conn)
            if USERS.get(user) == parts[-1]:
                conn.sendall(b"+OK\r\n")
            else:
                conn.sendall(b"-WRONGPASS invalid username-password pair or user is disabled.\r\n")
        elif parts[0].upper() == "QUIT":
            conn.sendall(b"+OK\r\n")
            return
        else:
            conn.sendall(b"-NOAUTH Authentication required.\r\n")


def serve(handler):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            try:
                handler(self.request)
            except (EOFError, OSError, ssl.SSLError, ValueError, IndexError):
                pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


ports = {name: serve(handler) for name, handler in [("postgres", postgres), ("mysql", mysql), ("redis", redis)]}
print(" ".join(f"{name}={port}" for name, port in ports.items()), flush=True)
while True:
    time.sleep(3600)
