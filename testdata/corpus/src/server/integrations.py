import os
import hashlib

GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY")
COMMIT = "8b8a0e4fabbfaf3ec932dbd6821840f3e6d9f67d"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
INTERNAL_API_TOKEN = "GtgS1pnfW5PhxwTDEWETz4c7qmtvypPJ"
SERVICE_PASSWORD = "DfHrgJodJm-YUcxKUkmz8"
password_hash = "$2b$12$I.GImSsI5XarRbpkAqM4BkXoBd/9nR7HriIRcvc50aV7HvGftLrhz"
csrf_token = "f4604a04f1d88ec5810ef245bab99d14"
cache_key = "e02ccda75b7169866358baa24e0ac77ff991afa1e45babb7e8e563ee3d45eb5d"
LINEAR_API_KEY = "lin_api_Isbxxfdk6Yv1e2bR7kjmPimjt2f0aL2O8B3zO0gU"
NOTION_TOKEN = "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"
HEROKU_API_KEY = "cd7b3a89-7290-496f-a08c-3b9bf064d31f"


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
