#!/usr/bin/env python3
"""Mixed load on a running `formulary serve` for a fixed time, for Benchmarks/soak.sh.

    load.py --base URL --pid PID --pages PAGES.tsv --content DIR --minutes M \
            --writer TOKEN --reviewer TOKEN --out SUMMARY.json [--workers N]

Workers (threads, one keep-alive connection each) pick operations by weight: page reads, API
records, searches, suggestions, approvals and rejections of earlier suggestions, reverts of
approved pages, listings of revisions and suggestions. One more thread edits page files on disk
every few seconds (the server's watcher rebuilds the site for each). Another samples the
server's resident memory every 5 s and whether it is still alive.

Pages are split in two: suggestions, approvals and reverts go to one half, disk edits to the
other, so that an edit on disk and an approval never race for the same file (that race is the
durability test's business, not the soak's).

Every answer is classified as expected or not. Expected: 200 for reads; 201 for suggestions and
reverts; 200 for approvals and rejections, or 409 when an earlier change to the page made the
suggestion stale or a revert already undid it. Anything else (5xx, 4xx other than those,
connection errors, timeouts, a body that is not the JSON asked for) is unexpected, counted and
its first few examples kept. The summary (JSON) has per operation counts, latencies, the
memory samples, and whether the server was alive at the end.
"""

import argparse
import http.client
import json
import os
import random
import socket
import threading
import time
import urllib.parse
from collections import Counter, defaultdict

READ_WEIGHTS = [
    ("page", 34),
    ("record", 14),
    ("search", 20),
    ("suggest", 14),
    ("approve", 8),
    ("reject", 2),
    ("revert", 3),
    ("revisions", 3),
    ("suggestions", 2),
    ("abandon", 2),
]

QUERIES = [
    "paracetamol", "fever", "amoxicillin", "cough syrup", "metformin 500", "insulin", "azithromycin",
    "pain relief", "diclofenac gel", "cetirizine", "omeprazole", "vitamin d3", "blood pressure",
    "antibiotic for throat infection", "aspirin", "ibuprofen 400", "paracetmol", "levocetirizine",
    "pantoprazole domperidone", "zinc", "iron folic acid", "ors", "dolo 650", "atorvastatin",
]


class Tally:
    """Counts, latencies and unexpected answers, shared by the workers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = defaultdict(Counter)
        self.latencies = defaultdict(list)
        self.unexpected = Counter()
        self.examples = []

    def record(self, operation, status, seconds, expected, detail=""):
        with self.lock:
            self.statuses[operation][str(status)] += 1
            self.latencies[operation].append(seconds)
            if not expected:
                self.unexpected[operation] += 1
                if len(self.examples) < 20:
                    self.examples.append(f"{operation}: {status} {detail}"[:400])


class Shared:
    """What workers hand each other: suggestions waiting for a decision, approved pages."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending = []
        self.approved = []

    def add_pending(self, suggestion_id):
        with self.lock:
            self.pending.append(suggestion_id)
            if len(self.pending) > 2000:
                del self.pending[:1000]

    def take_pending(self):
        with self.lock:
            if not self.pending:
                return None
            return self.pending.pop(random.randrange(len(self.pending)))

    def add_approved(self, page):
        with self.lock:
            self.approved.append(page)
            if len(self.approved) > 500:
                del self.approved[:250]

    def some_approved(self):
        with self.lock:
            return random.choice(self.approved) if self.approved else None


class Worker(threading.Thread):
    def __init__(self, number, arguments, pages, tally, shared, stop):
        super().__init__(daemon=True, name=f"worker-{number}")
        self.arguments = arguments
        self.pages = pages
        self.tally = tally
        self.shared = shared
        self.stop = stop
        self.random = random.Random(number)
        parsed = urllib.parse.urlsplit(arguments.base)
        self.host, self.port = parsed.hostname, parsed.port
        self.connection = None
        operations, weights = zip(*READ_WEIGHTS)
        self.operations, self.weights = list(operations), list(weights)
        self.serial = 0

    def request(self, method, path, body=None, token=None):
        """(status, body bytes); status 0 and the error's text for a failed connection."""
        headers = {"Accept": "application/json, text/html"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                self.connection.request(method, path, body=payload, headers=headers)
                reply = self.connection.getresponse()
                data = reply.read()
                if reply.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return reply.status, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                # A keep-alive connection the server closed while idle: one retry on a new one.
                self.connection = None
                if attempt == 2:
                    return 0, str(error).encode()
            except OSError as error:
                self.connection = None
                return 0, f"{type(error).__name__}: {error}".encode()
        return 0, b"unreachable"

    def run(self):
        while not self.stop.is_set():
            operation = self.random.choices(self.operations, self.weights)[0]
            started = time.monotonic()
            status, expected, detail = getattr(self, "do_" + operation)()
            if status is None:
                continue
            self.tally.record(operation, status, time.monotonic() - started, expected, detail)

    # Each operation returns (status, expected, detail); status None when it had nothing to do.

    def json_answer(self, status, data, wanted):
        if status not in wanted:
            return status, False, data[:200].decode("utf-8", "replace")
        try:
            return status, True, json.loads(data)
        except ValueError:
            return status, False, "not JSON: " + data[:200].decode("utf-8", "replace")

    def do_page(self):
        page = self.random.choice(self.pages["all"])
        status, data = self.request("GET", "/" + page["id"] + "/")
        ok = status == 200 and b"</html>" in data
        return status, ok, "" if ok else data[:200].decode("utf-8", "replace")

    def do_record(self):
        page = self.random.choice(self.pages["all"])
        status, expected, body = self.json_answer(
            *self.request("GET", "/api/v1/monographs/" + urllib.parse.quote(page["id"], safe="")), wanted=(200,))
        if expected and body.get("id") != page["id"]:
            return status, False, f"asked for {page['id']}, got {body.get('id')}"
        return status, expected, "" if expected else body

    def do_search(self):
        query = self.random.choice(QUERIES)
        status, expected, body = self.json_answer(
            *self.request("GET", "/api/v1/search?q=" + urllib.parse.quote(query)), wanted=(200,))
        return status, expected, "" if expected else body

    def do_suggest(self):
        page = self.random.choice(self.pages["review"])
        self.serial += 1
        text = f"## {page['heading']}\n\nSoak test text {self.name} {self.serial}: take as the label says.\n"
        status, expected, body = self.json_answer(
            *self.request(
                "POST", "/api/v1/suggestions",
                {"monograph": page["id"], "section": page["section"], "text": text, "message": "soak test"},
                token=self.arguments.writer),
            wanted=(201,))
        if expected:
            self.shared.add_pending(body["id"])
            return status, True, ""
        return status, False, body

    def decide(self, action):
        suggestion = self.shared.take_pending()
        if suggestion is None:
            return None, True, ""
        status, data = self.request(
            "POST", f"/api/v1/suggestions/{suggestion}/{action}",
            {"override": "soak test", "reason": "soak test"}, token=self.arguments.reviewer)
        if status == 409:
            return status, True, ""
        status, expected, body = self.json_answer(status, data, wanted=(200,))
        if expected and action == "approve":
            self.shared.add_approved(body["monographID"])
        return status, expected, "" if expected else body

    def do_approve(self):
        return self.decide("approve")

    def do_reject(self):
        return self.decide("reject")

    def do_revert(self):
        page = self.shared.some_approved()
        if page is None:
            return None, True, ""
        status, data = self.request(
            "POST", "/api/v1/revisions/revert", {"monograph": page, "to": 1}, token=self.arguments.reviewer)
        if status == 409:
            return status, True, ""
        status, expected, body = self.json_answer(status, data, wanted=(201,))
        return status, expected, "" if expected else body

    def do_abandon(self):
        """A client that sends a write and goes away before the answer (a closed tab, wrk at the
        end of its run): a suggestion or an approval on a connection closed at once or a few
        milliseconds later. Nothing to check but that the server carries on."""
        if self.random.random() < 0.5 or not self.shared.pending:
            page = self.random.choice(self.pages["review"])
            body = json.dumps({
                "monograph": page["id"], "section": page["section"], "message": "soak test, abandoned",
                "text": f"## {page['heading']}\n\nSoak test text, its sender gone.\n"}).encode()
            path, token = "/api/v1/suggestions", self.arguments.writer
        else:
            suggestion = self.shared.take_pending()
            if suggestion is None:
                return None, True, ""
            body = b'{"override": "soak test"}'
            path, token = f"/api/v1/suggestions/{suggestion}/approve", self.arguments.reviewer
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        try:
            with socket.create_connection((self.host, self.port), timeout=10) as connection:
                connection.sendall(head + body)
                time.sleep(self.random.choice((0, 0, 0.002, 0.01)))
                # A reset, not a polite close: the way a killed client's connection ends.
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        except OSError as error:
            return 0, False, f"could not send: {error}"
        return "sent", True, ""

    def do_revisions(self):
        page = self.random.choice(self.pages["review"])
        status, expected, body = self.json_answer(
            *self.request(
                "GET", "/api/v1/revisions?monograph=" + urllib.parse.quote(page["id"]), token=self.arguments.writer),
            wanted=(200,))
        return status, expected, "" if expected else body

    def do_suggestions(self):
        status, expected, body = self.json_answer(
            *self.request("GET", "/api/v1/suggestions?status=pending&limit=20", token=self.arguments.writer),
            wanted=(200,))
        return status, expected, "" if expected else body


def edit_on_disk(arguments, pages, stop, counts):
    """Every few seconds, one page of the disk half gets a line added to (or taken from) its end."""
    chooser = random.Random(7)
    marker = "\n<!-- soak: edited on disk -->\n"
    while not stop.wait(arguments.edit_every):
        page = chooser.choice(pages)
        path = os.path.join(arguments.content, page["source"])
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            text = text.replace(marker, "") if marker in text else text + marker
            temporary = path + ".soak-tmp"
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, path)
            counts["disk edits"] += 1
        except OSError as error:
            counts["disk edit failures"] += 1
            print(f"soak: cannot edit {path}: {error}", flush=True)


def resident_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--pages", required=True, help="TSV: id, source path, section kind, heading")
    parser.add_argument("--content", required=True)
    parser.add_argument("--minutes", type=float, required=True)
    parser.add_argument("--writer", required=True)
    parser.add_argument("--reviewer", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--edit-every", type=float, default=3.0)
    arguments = parser.parse_args()

    rows = []
    with open(arguments.pages, encoding="utf-8") as handle:
        for line in handle:
            identifier, source, section, heading = line.rstrip("\n").split("\t")
            rows.append({"id": identifier, "source": source, "section": section, "heading": heading})
    random.Random(3).shuffle(rows)
    half = len(rows) // 2
    pages = {"all": rows, "review": rows[:half], "disk": rows[half:]}

    tally, shared, stop = Tally(), Shared(), threading.Event()
    disk_counts = Counter()
    memory = []
    alive = True
    started = time.monotonic()
    workers = [Worker(number, arguments, pages, tally, shared, stop) for number in range(arguments.workers)]
    for worker in workers:
        worker.start()
    editor = threading.Thread(target=edit_on_disk, args=(arguments, pages["disk"], stop, disk_counts), daemon=True)
    editor.start()
    duration = arguments.minutes * 60
    last_report = started
    while time.monotonic() - started < duration:
        time.sleep(5)
        elapsed = time.monotonic() - started
        kib = resident_kib(arguments.pid)
        if kib is None:
            alive = False
            print(f"soak: the server (pid {arguments.pid}) is gone after {elapsed:.0f} s", flush=True)
            break
        memory.append((round(elapsed), kib))
        if time.monotonic() - last_report >= 60:
            last_report = time.monotonic()
            with tally.lock:
                done = sum(sum(counter.values()) for counter in tally.statuses.values())
                wrong = sum(tally.unexpected.values())
            print(f"soak: {elapsed / 60:.0f} min, {done} requests, {wrong} unexpected, "
                  f"{disk_counts['disk edits']} disk edits, server {kib / 1024:.0f} MiB", flush=True)
    stop.set()
    for worker in workers:
        worker.join(timeout=60)
    editor.join(timeout=10)
    elapsed = time.monotonic() - started

    operations = {}
    for operation, counter in sorted(tally.statuses.items()):
        latencies = tally.latencies[operation]
        operations[operation] = {
            "requests": sum(counter.values()),
            "statuses": dict(sorted(counter.items())),
            "unexpected": tally.unexpected[operation],
            "p50 ms": round(percentile(latencies, 0.5) * 1000, 1),
            "p99 ms": round(percentile(latencies, 0.99) * 1000, 1),
        }
    summary = {
        "seconds": round(elapsed, 1),
        "workers": arguments.workers,
        "requests": sum(entry["requests"] for entry in operations.values()),
        "unexpected": sum(entry["unexpected"] for entry in operations.values()),
        "operations": operations,
        "unexpected examples": tally.examples,
        "disk edits": disk_counts["disk edits"],
        "disk edit failures": disk_counts["disk edit failures"],
        "alive": alive and resident_kib(arguments.pid) is not None,
        "memory KiB": memory,
    }
    with open(arguments.out, "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=1)


if __name__ == "__main__":
    main()
