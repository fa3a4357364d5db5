#!/usr/bin/env python3
"""Validates a SARIF log against the official OASIS SARIF 2.1.0 schema (errata 01).

Usage: validate.py LOG.sarif   (prints each violation and exits 1, or prints "valid")
The schema beside this script is the OASIS file, unchanged.
"""
import json
import os
import sys

import jsonschema

schema_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sarif-schema-2.1.0.json")
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
with open(sys.argv[1], encoding="utf-8") as f:
    log = json.load(f)

validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
for error in errors:
    print("/".join(str(p) for p in error.absolute_path) + ": " + error.message)
if errors:
    sys.exit(1)
print("valid")
