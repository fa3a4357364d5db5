#!/usr/bin/env python3
"""Prints format-valid fake tokens for rule examples and fixtures (never real credentials).

Usage: fake-token.py KIND [SEED]
KIND: github PREFIX | npm | alnum N | hex N | b64 N
"""
import random
import string
import sys
import zlib

B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def base62(n: int, width: int) -> str:
    out = ""
    while n:
        out = B62[n % 62] + out
        n //= 62
    return out.rjust(width, "0")


def checksummed(prefix: str, rng: random.Random) -> str:
    body = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(30))
    return prefix + body + base62(zlib.crc32(body.encode()), 6)


def main() -> None:
    kind = sys.argv[1]
    rng = random.Random(sys.argv[-1] if len(sys.argv) > 3 else None)
    if kind == "github":
        print(checksummed(sys.argv[2], rng))
    elif kind == "npm":
        print(checksummed("npm_", rng))
    elif kind == "alnum":
        print("".join(rng.choice(string.ascii_letters + string.digits) for _ in range(int(sys.argv[2]))))
    elif kind == "hex":
        print("".join(rng.choice("0123456789abcdef") for _ in range(int(sys.argv[2]))))
    elif kind == "b64":
        print("".join(rng.choice(string.ascii_letters + string.digits + "_-") for _ in range(int(sys.argv[2]))))
    else:
        sys.exit(f"unknown kind {kind}")


if __name__ == "__main__":
    main()
