#!/usr/bin/env python3
"""The JSON API of a running `formulary serve` against the OpenAPI document it serves.

Usage: openapi_check.py BASE_URL [--max-examples N] [--sample N] [--work DIR] [--seed N]

1. Fetches BASE_URL/api/v1/openapi.json and validates it as OpenAPI 3.1
   (PyPI openapi-spec-validator).
2. Runs schemathesis (PyPI schemathesis, 4.x) against the live server with every check
   (`--checks all`: no 5xx, status codes, content types, headers and bodies as the document
   says, schema-valid requests accepted, schema-violating ones rejected, 405 for undeclared
   methods with Allow) and at most N examples an operation. The real ingredient slugs and
   page titles of the served site are given to it as dictionaries, so that it reaches found
   records as well as 404s.
3. Checks real records against the document's schemas directly (jsonschema): every monograph
   (or a sample of N), every ingredient (or a sample), list pages and searches for real titles.
   schemathesis cannot do this for monographs: it never generates a path parameter holding a
   `/` unless the document gives an example of one, and every monograph id has one.
4. Asks, every run, the questions schemathesis asks at random where the document and the
   server can disagree: values the document declares valid (at its limits) must not be
   refused with 400; values it declares invalid (a kind outside the enum, an empty kind, an
   empty or blank q, a backslash in an id or slug, limits out of range) must be.

Exit status 0 when all pass, 1 otherwise; prints `openapi_check: N passed, N failed`.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec


def fetch(base, path, expect_status=200):
    try:
        with urllib.request.urlopen(base + path, timeout=30) as reply:
            status, body, content_type = reply.status, reply.read(), reply.headers.get("Content-Type")
    except urllib.error.HTTPError as error:
        status, body, content_type = error.code, error.read(), error.headers.get("Content-Type")
    if status != expect_status:
        shown = path if len(path) <= 120 else path[:100] + f"...({len(path)} characters)"
        raise AssertionError(f"GET {shown}: {status}, wanted {expect_status}: {body[:200]!r}")
    return json.loads(body), content_type


def quote(text):
    return urllib.parse.quote(text, safe="")


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def record(self, ok, line):
        if ok:
            self.passed += 1
            print(f"ok   {line}")
        else:
            self.failed += 1
            print(f"FAIL {line}")


def schemathesis_available():
    if shutil.which("schemathesis"):
        return True
    print("schemathesis is not installed; installing it from PyPI (pip install schemathesis)")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "schemathesis"], check=False)
    return shutil.which("schemathesis") is not None


def toml_list(values):
    return "[" + ", ".join(json.dumps(value) for value in values) + "]"


def run_schemathesis(base, spec_url, slugs, queries, args, work):
    config = os.path.join(work, "schemathesis.toml")
    with open(config, "w") as file:
        file.write(
            "# Written by Tests/server/openapi_check.py for one run.\n"
            "[generation]\n"
            "# The server answers 400 to a NUL byte anywhere in the request target, path or query,\n"
            "# before routing (RequestTarget.swift; hostile_check.py checks it). That is a rule of\n"
            "# the whole server, not of a parameter, so schemathesis is told not to generate NULs\n"
            "# rather than have every string parameter declare it.\n"
            "allow-x00 = false\n\n"
            "[dictionaries]\n"
            f"slugs = {{ values = {toml_list(slugs)} }}\n"
            f"queries = {{ values = {toml_list(queries)} }}\n\n"
            "# Real values half of the time (or less), so that found records are checked too;\n"
            "# generated ones otherwise.\n"
            "[parameters]\n"
            '"path.slug" = { dictionary = "slugs", probability = 0.5 }\n'
            '"query.ingredient" = { dictionary = "slugs", probability = 0.3 }\n'
            '"query.prefix" = { dictionary = "queries", probability = 0.3 }\n'
            '"query.q" = { dictionary = "queries", probability = 0.3 }\n'
        )
    command = [
        "schemathesis", "--config-file", config, "run", spec_url,
        "--url", base + "/",
        # Every check. The ones about authentication (ignored_auth) and about resources that
        # requests create and delete (use_after_free, ensure_resource_availability) have nothing
        # to look at in a read-only API without security schemes and skip themselves; none is
        # excluded.
        "--checks", "all",
        "--max-examples", str(args.max_examples),
        "--continue-on-failure",
        "--request-timeout", "10",
        "--generation-database", "none",
        "--no-color",
        "--report", "junit", "--report-dir", os.path.join(work, "schemathesis-report"),
    ]
    if args.seed is not None:
        command += ["--seed", str(args.seed)]
    print("$ " + " ".join(command))
    started = time.monotonic()
    # In the work folder: schemathesis keeps a .schemathesis/ cache in its working directory.
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=work)
    elapsed = time.monotonic() - started
    output = completed.stdout
    with open(os.path.join(work, "schemathesis.log"), "w") as log:
        log.write(output)
    # The whole report when something failed; its summary otherwise.
    if completed.returncode != 0:
        print(output)
    else:
        lines = output.rstrip().splitlines()
        start = next((i for i, line in enumerate(lines) if "SUMMARY" in line), max(0, len(lines) - 20))
        print("\n".join(lines[start:]))
    return completed.returncode, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", help="http://127.0.0.1:PORT")
    parser.add_argument("--max-examples", type=int, default=100, help="schemathesis examples an operation")
    parser.add_argument("--sample", type=int, default=400, help="records checked directly (all when fewer)")
    parser.add_argument("--work", help="folder for the config, log and report (default: a temporary one)")
    parser.add_argument("--seed", type=int, default=os.environ.get("SCHEMATHESIS_SEED"))
    args = parser.parse_args()
    base = args.base.rstrip("/")
    work = os.path.abspath(args.work or tempfile.mkdtemp(prefix="formulary-openapi-"))
    os.makedirs(work, exist_ok=True)
    results = Results()
    started = time.monotonic()

    # 1. The document itself.
    spec_url = base + "/api/v1/openapi.json"
    spec, content_type = fetch(base, "/api/v1/openapi.json")
    try:
        validate_spec(spec)
        results.record(True, f"openapi.json is a valid OpenAPI {spec.get('openapi')} document "
                             f"({len(spec['paths'])} paths, {content_type})")
    except Exception as error:  # the validator raises its own error types
        results.record(False, f"openapi.json is not valid OpenAPI: {str(error)[:2000]}")
        print(f"openapi_check: {results.passed} passed, {results.failed} failed")
        return 1

    # What the site holds, for dictionaries and direct checks.
    monographs = []
    offset = 0
    while True:
        page, _ = fetch(base, f"/api/v1/monographs?limit=500&offset={offset}")
        monographs += page["items"]
        offset += 500
        if "next" not in page:
            break
    ingredients = []
    offset = 0
    while True:
        page, _ = fetch(base, f"/api/v1/ingredients?limit=1000&offset={offset}")
        ingredients += page["items"]
        offset += 1000
        if "next" not in page:
            break
    rng = random.Random(20261125)
    sampled_monographs = monographs if len(monographs) <= args.sample else rng.sample(monographs, args.sample)
    sampled_ingredients = ingredients if len(ingredients) <= args.sample else rng.sample(ingredients, args.sample)
    slugs = [item["slug"] for item in sampled_ingredients[:200]]
    queries = sorted({item["title"] for item in sampled_monographs[:100]} | {item["name"] for item in sampled_ingredients[:50]})
    print(f"site: {len(monographs)} monographs, {len(ingredients)} ingredients")

    # 2. schemathesis.
    if not schemathesis_available():
        results.record(False, "schemathesis could not be installed")
    else:
        status, elapsed = run_schemathesis(base, spec_url, slugs, queries, args, work)
        results.record(status == 0, f"schemathesis --checks all, {args.max_examples} examples an operation "
                                    f"({elapsed:.0f} s; exit status {status}; log in {work}/schemathesis.log)")

    # 3. Real records against the schemas.
    def validator(name):
        return Draft202012Validator({**spec, "$ref": f"#/components/schemas/{name}"})

    def conforms(label, name, document):
        errors = sorted(validator(name).iter_errors(document), key=lambda error: list(error.absolute_path))
        if errors:
            first = errors[0]
            where = "/".join(str(part) for part in first.absolute_path)
            raise AssertionError(f"{label}: {len(errors)} schema errors; first at /{where}: {first.message[:300]}")

    def direct(label, function):
        try:
            detail = function()
            results.record(True, f"{label}" + (f": {detail}" if detail else ""))
        except AssertionError as error:
            results.record(False, f"{label}: {error}")

    def records():
        bad = []
        for item in sampled_monographs:
            try:
                record, content_type = fetch(base, "/api/v1/monographs/" + item["id"])
                assert content_type == "application/json", f"{item['id']}: Content-Type {content_type}"
                assert record["id"] == item["id"], f"{item['id']}: the record's id is {record['id']}"
                conforms(item["id"], "Monograph", record)
                # The id with its slash escaped names the same record (as schemathesis would send it).
                escaped, _ = fetch(base, "/api/v1/monographs/" + quote(item["id"]))
                assert escaped == record, f"{item['id']}: escaped id gives another record"
            except AssertionError as error:
                bad.append(str(error))
        assert not bad, f"{len(bad)} of {len(sampled_monographs)} records: " + "; ".join(bad[:5])
        return f"{len(sampled_monographs)} records"

    def summaries():
        validator_ = validator("MonographSummary")
        bad = [item["id"] for item in monographs if not validator_.is_valid(item)]
        assert not bad, f"{len(bad)} list items do not conform, e.g. {bad[:5]}"
        first, _ = fetch(base, "/api/v1/monographs?limit=7")
        conforms("monograph list", "MonographList", first)
        assert first["total"] == len(monographs), f"total {first['total']}, listed {len(monographs)}"
        ids = [item["id"] for item in monographs]
        assert len(set(ids)) == len(ids), "a monograph is listed twice"
        return f"{len(monographs)} list items"

    def ingredient_records():
        bad = []
        for item in sampled_ingredients:
            try:
                record, _ = fetch(base, item["record"])
                conforms(item["slug"], "Ingredient", record)
                assert record["slug"] == item["slug"], f"{item['slug']}: the record's slug is {record['slug']}"
                assert len(record["pages"]) == item["pages"], (
                    f"{item['slug']}: the list says {item['pages']} pages, the record has {len(record['pages'])}")
            except AssertionError as error:
                bad.append(str(error))
        assert not bad, f"{len(bad)} of {len(sampled_ingredients)} ingredients: " + "; ".join(bad[:5])
        listing, _ = fetch(base, "/api/v1/ingredients?limit=3")
        conforms("ingredient list", "IngredientList", listing)
        return f"{len(sampled_ingredients)} ingredients"

    def searches():
        bad = []
        titles = [item["title"] for item in sampled_monographs[:60]]
        for title in titles:
            try:
                answer, _ = fetch(base, "/api/v1/search?q=" + quote(title[:200]))
                conforms(f"search {title!r}", "SearchResponse", answer)
            except AssertionError as error:
                bad.append(str(error))
        health, _ = fetch(base, "/healthz")
        conforms("healthz", "Health", health)
        assert not bad, f"{len(bad)} of {len(titles)} searches: " + "; ".join(bad[:5])
        return f"{len(titles)} searches and /healthz"

    def status_of(path):
        try:
            with urllib.request.urlopen(base + path, timeout=30) as reply:
                return reply.status
        except urllib.error.HTTPError as error:
            return error.code

    def probe(cases):
        """Each (label, path, allowed statuses) answered with one of its statuses."""
        bad = []
        for label, path, allowed in cases:
            status = status_of(path)
            if status not in allowed:
                shown = path if len(path) <= 80 else path[:60] + f"...({len(path)} characters)"
                bad.append(f"{label} ({shown}): {status}, wanted {'/'.join(map(str, sorted(allowed)))}")
        assert not bad, "; ".join(bad)
        return f"{len(cases)} probes"

    # The same questions schemathesis asks at random, asked every time, so that a disagreement
    # between the document and the server is reported on every run.
    def valid_values():
        """Values the document declares valid (at its limits, too): never refused with 400."""
        found = {200}
        return probe([
            # maxLength counts characters (JSON Schema); 256 of them may be more than 256 bytes.
            ("q of 256 characters, 2 bytes each", "/api/v1/search?q=" + quote("é" * 256), found),
            ("q of 256 ASCII characters", "/api/v1/search?q=" + "a" * 256, found),
            ("limit at its maximum", "/api/v1/monographs?limit=500", found),
            ("offset at its maximum", "/api/v1/monographs?offset=2147483647", found),
            ("ingredients limit at its maximum", "/api/v1/ingredients?limit=1000", found),
            ("search limit at its maximum", "/api/v1/search?q=a&limit=100", found),
            # An id or slug the patterns allow that names nothing is a 404, not a 400.
            ("an id that names nothing", "/api/v1/monographs/composition/no-such-page", {404}),
            ("a slug that names nothing", "/api/v1/ingredients/no-such-ingredient", {404}),
        ])

    def invalid_values():
        """Values the document declares invalid: refused with 400."""
        refused = {400}
        return probe([
            ("kind empty (not in the enum)", "/api/v1/monographs?kind=", refused),
            ("kind empty on search", "/api/v1/search?q=a&kind=", refused),
            ("kind not in the enum", "/api/v1/monographs?kind=tablet", refused),
            ("limit above its maximum", "/api/v1/monographs?limit=501", refused),
            ("limit not an integer", "/api/v1/monographs?limit=1.5", refused),
            ("offset below its minimum", "/api/v1/ingredients?offset=-1", refused),
            ("q of 257 ASCII characters", "/api/v1/search?q=" + "a" * 257, refused),
            ("q missing", "/api/v1/search", refused),
            # q needs a character that is not a space (minLength 1, pattern \S).
            ("q empty", "/api/v1/search?q=", refused),
            ("q a space", "/api/v1/search?q=%20", refused),
            # id and slug patterns exclude backslashes.
            ("an id with a backslash", "/api/v1/monographs/composition%5Cparacetamol", refused),
            ("a slug with a backslash", "/api/v1/ingredients/para%5Ccetamol", refused),
        ])

    direct("every monograph in the list conforms to MonographSummary", summaries)
    direct("monograph records conform to Monograph", records)
    direct("ingredient records conform to Ingredient", ingredient_records)
    direct("searches for real titles conform to SearchResponse", searches)
    direct("values the document declares valid are accepted", valid_values)
    direct("values the document declares invalid are refused", invalid_values)
    print(f"openapi_check: {results.passed} passed, {results.failed} failed ({time.monotonic() - started:.0f} s)")
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
