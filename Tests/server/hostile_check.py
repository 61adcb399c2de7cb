#!/usr/bin/env python3
"""`formulary serve` against hostile and malformed requests, then exact checks of its normal HTTP.

Usage: hostile_check.py BASE_URL [--pid PID] [--idle-timeout SECONDS]

BASE_URL is a running server of the example site (http://127.0.0.1:PORT), started with
`--idle-timeout SECONDS` (2 in Tests/server/run.sh). With --pid, the server's memory is read
from /proc to check that large bodies are not held in memory.

Hostile cases (after EACH one, a plain GET / must still answer 200 within a second, and with
--pid the server must hold no more sockets than before the case within the idle timeout and a
margin: a connection its client has closed must not stay open on the server):
  - path traversal in its encodings (.., %2e%2e, %252e, ..%2f, backslashes, NUL): 400 or 404,
    never the file;
  - a 100 KB query string: 414, another 4xx or a closed connection (and 16 KB: the server's 414);
  - a 10 MB header and 10,000 small headers: a 4xx or a closed connection;
  - a 10 MB body on GET and on POST (with Content-Length, and chunked): 413/405 or a closed
    connection, and the server's peak memory does not grow by the body's size;
  - slow clients: a slowloris (one header byte a second), a connection that sends nothing, an
    idle keep-alive connection, a declared body that never comes and a body dribbled a byte a
    second (with Content-Length, and chunked) are all closed by the idle timeout;
  - malformed request lines: garbage bytes, HTTP/9.9, no version, no path, `*`, an unknown
    method, conflicting Content-Length / Transfer-Encoding.
Normal behaviour: ETag/If-None-Match and Last-Modified/If-Modified-Since 304s, gzip that
decompresses to the plain bytes, HEAD with GET's Content-Length and no body (files and API),
the 301 to the trailing slash, the site's 404 page, problem+json for API errors (404, 400 for a
missing q, limit=0), and CSP plus X-Content-Type-Options: nosniff on every response the
application answers.

Prints one line a check and `hostile_check: N passed, N failed`; exit status 1 on any failure.
Standard library only.
"""
import argparse
import gzip
import http.client
import json
import os
import select
import socket
import sys
import threading
import time
import urllib.parse

PASSWD_MARKERS = (b"root:x:0:0", b"root:*:0:0", b"/bin/bash", b"/usr/sbin/nologin")


class Failure(AssertionError):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


class Response:
    """A response read off a raw socket, or the lack of one."""

    def __init__(self, status=None, reason="", headers=None, body=b"", closed=False, elapsed=0.0, error=None):
        self.status = status
        self.reason = reason
        self.headers = headers or {}
        self.body = body
        self.closed = closed
        self.elapsed = elapsed
        self.error = error
        self.sent = 0

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        if self.status is None:
            return f"no response ({self.error or 'connection closed'}) after {self.elapsed:.2f} s"
        return f"{self.status} {self.reason} ({self.header('content-type') or 'no content type'}, {len(self.body)} bytes)"


class Checker:
    def __init__(self, base, pid, idle_timeout):
        parsed = urllib.parse.urlsplit(base)
        self.host = parsed.hostname
        self.port = parsed.port
        self.pid = pid
        self.idle = idle_timeout
        self.passed = 0
        self.failed = 0
        self.notes = []
        # Every response the application answered (not the HTTP parser's own rejections).
        self.answered = []
        self.leaked = 0

    # MARK: Talking to the server

    def connect(self, timeout=5.0):
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    @staticmethod
    def parse(data, head_only=False):
        """(response, complete) from the bytes received so far; response None before a whole head."""
        if b"\r\n\r\n" not in data:
            return None, False
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            key = name.strip().lower()
            headers[key] = headers[key] + ", " + value.strip() if key in headers else value.strip()
        response = Response(status, parts[2] if len(parts) > 2 else "", headers, body)
        if head_only or status in (204, 304) or (status and 100 <= status < 200):
            return response, True
        length = headers.get("content-length")
        if length is not None and length.isdigit():
            response.body = body[: int(length)]
            return response, len(body) >= int(length)
        if headers.get("transfer-encoding", "").lower() == "chunked":
            return response, body.endswith(b"0\r\n\r\n")
        return response, False  # until the connection closes

    def exchange(self, sock, data, timeout=5.0, head_only=False, started=None, keep_sending=False):
        """Sends `data` while reading, and stops sending once the server has answered or closed
        (with keep_sending, only once it closed), so that a server which answers early and stops
        reading cannot block the client."""
        started = started or time.monotonic()
        deadline = started + timeout
        sock.setblocking(False)
        sent, received, closed, error = 0, b"", False, None
        response, complete = None, False
        while time.monotonic() < deadline:
            sending = sent < len(data) and (response is None or keep_sending) and not closed
            readable, writable, _ = select.select([sock], [sock] if sending else [], [], 0.05)
            if readable:
                try:
                    chunk = sock.recv(65536)
                except OSError as failure:
                    closed, error = True, type(failure).__name__
                    break
                if not chunk:
                    closed = True
                    break
                received += chunk
                response, complete = self.parse(received, head_only)
                if complete and (not keep_sending or sent >= len(data)):
                    break
            if writable:
                try:
                    sent += sock.send(data[sent:sent + 262144])
                except OSError as failure:
                    # The server may have answered (400, 431) and closed before taking it all.
                    error = f"{type(failure).__name__} while sending"
                    sent = len(data)
        response, complete = self.parse(received, head_only)
        elapsed = time.monotonic() - started
        if response is None:
            response = Response(closed=closed, elapsed=elapsed, body=received,
                                error=error or (None if closed else "timed out waiting for a response"))
            response.sent = sent
            return response
        response.sent = sent
        response.closed = closed
        response.elapsed = elapsed
        response.error = error
        return response

    def read_response(self, sock, timeout=5.0, head_only=False):
        return self.exchange(sock, b"", timeout, head_only)

    def raw(self, data, timeout=5.0, head_only=False):
        """Sends bytes as they are (no client-side normalisation) and reads one response."""
        started = time.monotonic()
        sock = self.connect(timeout)
        try:
            return self.exchange(sock, data, timeout, head_only, started)
        finally:
            sock.close()

    def raw_recorded(self, label, data, timeout=5.0, head_only=False):
        response = self.raw(data, timeout, head_only)
        if response.status is not None:
            self.answered.append((label, response))
        return response

    def get(self, path, headers=None, method="GET", timeout=5.0):
        """A well-formed request through http.client (one connection each)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        started = time.monotonic()
        try:
            connection.request(method, path, headers=headers or {})
            reply = connection.getresponse()
            body = reply.read()
            response = Response(
                reply.status, reply.reason, {k.lower(): v for k, v in reply.getheaders()}, body,
                elapsed=time.monotonic() - started)
        finally:
            connection.close()
        self.answered.append((f"{method} {path}", response))
        return response

    def memory_kb(self):
        if not self.pid:
            return None
        fields = {}
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    fields[name] = int(value.split()[0])
        return fields

    def server_sockets(self):
        """How many sockets the server process holds open (None without --pid)."""
        if not self.pid:
            return None
        count = 0
        for fd in os.listdir(f"/proc/{self.pid}/fd"):
            try:
                count += os.readlink(f"/proc/{self.pid}/fd/{fd}").startswith("socket:")
            except OSError:
                pass
        return count

    def connections_closed(self, before):
        """The server let go of the case's connections within the idle timeout (and a margin)."""
        if before is None:
            return
        limit = self.idle + 2.5
        started = time.monotonic()
        while True:
            extra = self.server_sockets() - before
            if extra <= 0:
                return
            if time.monotonic() - started > limit:
                self.leaked += extra
                raise Failure(f"the server still holds {extra} more socket(s) than before the case, {limit:.1f} s "
                              f"after it ended and its client closed (idle timeout {self.idle:g} s)")
            time.sleep(0.1)

    # MARK: Running checks

    def still_serving(self):
        """GET / answers 200 within a second."""
        response = self.get("/", timeout=3)
        expect(response.status == 200, f"after it, GET / answered {response!r}")
        expect(response.elapsed < 1.0, f"after it, GET / took {response.elapsed:.2f} s")

    def check(self, name, function, hostile=True):
        before = None
        if hostile and self.pid:
            time.sleep(0.05)  # the previous case's last GET is being closed
            before = self.server_sockets()
        try:
            detail = function()
            if hostile:
                self.connections_closed(before)
                self.still_serving()
            self.passed += 1
            print(f"ok   {name}" + (f": {detail}" if detail else ""))
        except Failure as failure:
            self.failed += 1
            print(f"FAIL {name}: {failure}")
        except Exception as error:  # a client-side surprise is a failure too, not a crash of the suite
            self.failed += 1
            print(f"FAIL {name}: {type(error).__name__}: {error}")

    def rejected(self, response, allowed=None, allow_close=True):
        """A 4xx (or one of `allowed`), or a connection closed without an answer."""
        if response.status is None:
            expect(allow_close and response.closed, f"got {response!r}")
            return "connection closed"
        if allowed:
            expect(response.status in allowed, f"got {response!r}, wanted one of {sorted(allowed)}")
        else:
            expect(400 <= response.status < 500, f"got {response!r}, wanted a 4xx")
        return str(response.status)

    # MARK: Hostile

    def traversal(self):
        paths = [
            "/../etc/passwd",
            "/../../../../../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
            "/%252e%252e/etc/passwd",
            "/%252e%252e/%252e%252e/%252e%252e/etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
            "/assets/../../../etc/passwd",
            "/assets/..%2f..%2f..%2fetc%2fpasswd",
            "/api/v1/monographs/..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/api/v1/monographs/../../../../etc/passwd.json",
            "/..\\..\\etc\\passwd",
            "/%5c..%5c..%5cetc%5cpasswd",
            "/..%5c..%5c..%5cetc%5cpasswd",
            "/index.html%00",
            "/%00../etc/passwd",
            "/etc/passwd%00.html",
            "//etc/passwd",
            "/./../etc/passwd",
            "/%c0%ae%c0%ae/etc/passwd",  # overlong UTF-8 for '.'
        ]
        for path in paths:
            def case(path=path):
                response = self.raw_recorded(
                    f"GET {path}", f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode("latin-1"))
                expect(not any(marker in response.body for marker in PASSWD_MARKERS),
                       f"the body holds /etc/passwd: {response.body[:200]!r}")
                expect(response.status in (400, 404), f"got {response!r}, wanted 400 or 404")
                return str(response.status)
            self.check(f"traversal {path}", case)

    def long_query(self):
        query = "q=" + "a" * (100 * 1024)
        response = self.raw_recorded(
            "100 KB query", f"GET /api/v1/search?{query} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        return self.rejected(response)

    def long_target(self):
        """Past the server's own limit (8 kB) but within the HTTP parser's: the application's 414."""
        response = self.raw_recorded(
            "16 KB query", b"GET /api/v1/search?q=" + b"a" * 16_000 + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        expect(response.status == 414, f"got {response!r}, wanted 414")
        expect(response.header("content-type") == "application/problem+json", f"got {response!r}")
        return "414 problem"

    def huge_header(self):
        value = b"a" * (10 * 1024 * 1024)
        response = self.raw_recorded(
            "10 MB header", b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Huge: " + value + b"\r\nConnection: close\r\n\r\n",
            timeout=10)
        return self.rejected(response)

    def many_headers(self):
        headers = b"".join(b"X-H%d: v\r\n" % n for n in range(10_000))
        response = self.raw_recorded("10,000 headers", b"GET / HTTP/1.1\r\nHost: localhost\r\n" + headers
                                     + b"Connection: close\r\n\r\n", timeout=10)
        return self.rejected(response)

    def many_headers_total(self):
        # 10 MB of headers in 1,000 headers of 10 kB each: under the per-field limit, far over the list's.
        headers = b"".join(b"X-H%d: %s\r\n" % (n, b"b" * 10_000) for n in range(1_000))
        response = self.raw_recorded("10 MB in 1,000 headers", b"GET / HTTP/1.1\r\nHost: localhost\r\n" + headers
                                     + b"Connection: close\r\n\r\n", timeout=10)
        return self.rejected(response)

    def big_body(self, method, chunked):
        size = 10 * 1024 * 1024
        before = self.memory_kb()
        head = f"{method} / HTTP/1.1\r\nHost: localhost\r\n"
        piece = b"x" * 65536
        if chunked:
            data = (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + (b"10000\r\n" + piece + b"\r\n") * (
                size // len(piece)) + b"0\r\n\r\n"
        else:
            data = (head + f"Content-Length: {size}\r\n\r\n").encode() + piece * (size // len(piece))
        sock = self.connect(timeout=15)
        try:
            # All of it, unless the server closes: to see whether it reads the body, and into what.
            response = self.exchange(sock, data, timeout=15, keep_sending=True)
        finally:
            sock.close()
        if response.status is not None:
            self.answered.append((f"{method} with a 10 MB body", response))
        after = self.memory_kb()
        allowed = {413, 405} if method == "POST" else {413}
        if chunked:
            # No Content-Length to refuse up front: the server must stop at its body limit (1 MB,
            # SiteServer.Options.largestBody) as the chunks arrive, with 413 (or 400/411), or close.
            allowed = {400, 411, 413} | ({405} if method == "POST" else set())
        result = self.rejected(response, allowed=allowed)
        detail = f"{result}, {response.sent / (1024 * 1024):.1f} MB sent" + (f" ({response.error})" if response.error else "")
        if before and after:
            growth = (after["VmHWM"] - before["VmHWM"]) / 1024
            detail += f", peak memory +{growth:.1f} MB"
            expect(growth < 5, f"{detail}: the server's peak memory grew by {growth:.1f} MB for a 10 MB body")
        return detail

    def slow(self, label, first, drip, every=1.0):
        """Sends `first`, then `drip` every `every` seconds; the server must close within idle + 2 s."""
        limit = self.idle + 2.5
        sock = self.connect()
        started = time.monotonic()
        try:
            if first:
                sock.sendall(first)
            last = time.monotonic()
            while time.monotonic() - started < limit + 1:
                ready, _, _ = select.select([sock], [], [], 0.2)
                if ready:
                    try:
                        chunk = sock.recv(65536)
                    except ConnectionResetError:
                        chunk = b""
                    if not chunk:
                        elapsed = time.monotonic() - started
                        expect(elapsed <= limit, f"closed only after {elapsed:.1f} s")
                        return f"closed after {elapsed:.1f} s"
                    continue  # a response to what was sent; keep dribbling
                if drip and time.monotonic() - last >= every:
                    try:
                        sock.sendall(drip)
                    except OSError:
                        elapsed = time.monotonic() - started
                        expect(elapsed <= limit, f"closed only after {elapsed:.1f} s")
                        return f"closed after {elapsed:.1f} s (seen on send)"
                    last = time.monotonic()
            raise Failure(f"{label}: still open after {time.monotonic() - started:.1f} s "
                          f"(idle timeout {self.idle} s)")
        finally:
            sock.close()

    def malformed(self):
        cases = {
            "garbage bytes": bytes(range(256)) * 4 + b"\r\n\r\n",
            "binary before the method": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
            "HTTP/9.9": b"GET / HTTP/9.9\r\nHost: localhost\r\n\r\n",
            "HTTP/2.0 in a 1.1 request line": b"GET / HTTP/2.0\r\nHost: localhost\r\n\r\n",
            "missing version": b"GET /\r\nHost: localhost\r\n\r\n",
            "missing path": b"GET HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "only a method": b"GET\r\n\r\n",
            "asterisk target": b"GET * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            "relative target": b"GET index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            "space in the target": b"GET /a b HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "control byte in the target": b"GET /\x01 HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "bare LF line endings, bad version": b"GET / HTTP/1.x\nHost: localhost\n\n",
            "unknown method": b"BREW / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            "header without a colon": b"GET / HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n",
            "Content-Length and Transfer-Encoding": (
                b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"0\r\n\r\n"),
            "two different Content-Lengths": (
                b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
            "negative Content-Length": b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n",
            "bad percent escape": b"GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            "not UTF-8 after decoding": b"GET /%ff%fe HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        }
        for label, data in cases.items():
            def case(data=data, label=label):
                response = self.raw_recorded(label, data, timeout=self.idle + 3)
                if response.status is None and not response.closed:
                    raise Failure(f"no answer and not closed: {response!r}")
                return self.rejected(response)
            self.check(f"malformed request: {label}", case)

    def hostile(self):
        self.traversal()
        self.check("100 KB query string", self.long_query)
        self.check("16 KB query string: 414", self.long_target)
        self.check("one 10 MB header", self.huge_header)
        self.check("10,000 small headers", self.many_headers)
        self.check("10 MB of headers in 1,000 of 10 kB", self.many_headers_total)
        self.check("10 MB body on GET (Content-Length)", lambda: self.big_body("GET", chunked=False))
        self.check("10 MB body on POST (Content-Length)", lambda: self.big_body("POST", chunked=False))
        self.check("10 MB body on POST (chunked)", lambda: self.big_body("POST", chunked=True))
        self.check("10 MB body on GET (chunked)", lambda: self.big_body("GET", chunked=True))
        self.check("slowloris: one header byte a second",
                   lambda: self.slow("slowloris", b"GET / HTTP/1.1\r\nHost: localhost\r\n", b"X"))
        self.check("a connection that sends nothing", lambda: self.slow("silent", b"", b""))
        self.check("an idle keep-alive connection after a response",
                   lambda: self.slow("keep-alive", b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", b""))
        self.check("a declared body that never comes (Content-Length: 100, then silence)",
                   lambda: self.slow("missing body", b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n",
                                     b""))
        self.check("slow body: one body byte a second (Content-Length 100000)",
                   lambda: self.slow("slow body", b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n",
                                     b"a"))
        self.check("slow body: one chunk of one byte a second",
                   lambda: self.slow("slow chunked body",
                                     b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n",
                                     b"1\r\na\r\n"))
        self.malformed()

    # MARK: Normal behaviour

    def etag(self):
        first = self.get("/composition/examplamol/")
        expect(first.status == 200, f"GET answered {first!r}")
        tag = first.header("etag")
        expect(tag and tag.startswith('"') and tag.endswith('"'), f"ETag is {tag!r}")
        again = self.get("/composition/examplamol/", {"If-None-Match": tag})
        expect(again.status == 304, f"If-None-Match with the ETag answered {again!r}")
        expect(again.body == b"", f"the 304 has a body of {len(again.body)} bytes")
        expect(again.header("etag") == tag, f"the 304's ETag is {again.header('etag')!r}, not {tag!r}")
        weak = self.get("/composition/examplamol/", {"If-None-Match": f'"nope", W/{tag}'})
        expect(weak.status == 304, f"If-None-Match with a list holding W/ETag answered {weak!r}")
        other = self.get("/composition/examplamol/", {"If-None-Match": '"0000000000000000"'})
        expect(other.status == 200 and other.body == first.body, f"another ETag answered {other!r}")
        return f"ETag {tag}"

    def last_modified(self):
        first = self.get("/")
        stamp = first.header("last-modified")
        expect(stamp and stamp.endswith(" GMT"), f"Last-Modified is {stamp!r}")
        again = self.get("/", {"If-Modified-Since": stamp})
        expect(again.status == 304 and again.body == b"", f"If-Modified-Since Last-Modified answered {again!r}")
        later = self.get("/", {"If-Modified-Since": "Fri, 31 Dec 2100 23:59:59 GMT"})
        expect(later.status == 304, f"If-Modified-Since in the future answered {later!r}")
        earlier = self.get("/", {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:01 GMT"})
        expect(earlier.status == 200 and earlier.body == first.body, f"If-Modified-Since 1970 answered {earlier!r}")
        # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
        both = self.get("/", {"If-None-Match": '"0000000000000000"', "If-Modified-Since": stamp})
        expect(both.status == 200, f"a wrong ETag with a matching date answered {both!r}")
        return f"Last-Modified {stamp}"

    def gzip_encoding(self):
        plain = self.get("/composition/examplamol/")
        expect(plain.status == 200 and len(plain.body) > 1024, f"plain GET answered {plain!r}")
        expect(plain.header("content-encoding") is None, f"plain GET has Content-Encoding {plain.header('content-encoding')}")
        packed = self.get("/composition/examplamol/", {"Accept-Encoding": "gzip"})
        expect(packed.header("content-encoding") == "gzip", f"Content-Encoding is {packed.header('content-encoding')!r}")
        expect("accept-encoding" in (packed.header("vary") or "").lower(), f"Vary is {packed.header('vary')!r}")
        expect(packed.header("etag") != plain.header("etag"), "the gzip and plain bodies share an ETag")
        unpacked = gzip.decompress(packed.body)
        expect(unpacked == plain.body, "the gzip body does not decompress to the plain body")
        refused = self.get("/composition/examplamol/", {"Accept-Encoding": "gzip;q=0, identity"})
        expect(refused.header("content-encoding") is None and refused.body == plain.body,
               "gzip;q=0 still got gzip")
        return f"{len(plain.body)} bytes as {len(packed.body)} gzip"

    def head(self):
        paths = ["/", "/composition/examplamol/", "/no-such-page", "/healthz", "/api/v1/monographs",
                 "/api/v1/monographs/composition/examplamol", "/api/v1/search?q=examplamol",
                 "/api/v1/openapi.json", "/api/v1/no-such-thing", "/assets/style.css"]
        problems = []
        for path in paths:
            get = self.get(path)
            head = self.raw_recorded(f"HEAD {path}",
                                     f"HEAD {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode(),
                                     head_only=True)
            if head.status != get.status:
                problems.append(f"{path}: HEAD {head.status}, GET {get.status}")
            if head.body:
                problems.append(f"{path}: HEAD sent {len(head.body)} body bytes")
            length = head.header("content-length")
            if length is not None and int(length) != len(get.body):
                problems.append(f"{path}: HEAD Content-Length {length}, GET body {len(get.body)} bytes")
            if length is None and head.header("transfer-encoding") is None:
                problems.append(f"{path}: HEAD has no Content-Length")
        expect(not problems, "; ".join(problems))
        return f"{len(paths)} paths"

    def redirect(self):
        response = self.get("/composition/examplamol")
        expect(response.status == 301, f"answered {response!r}")
        expect(response.header("location") == "/composition/examplamol/", f"Location is {response.header('location')!r}")
        with_query = self.get("/composition/examplamol?a=1&b=two%20words")
        expect(with_query.status == 301 and with_query.header("location") == "/composition/examplamol/?a=1&b=two%20words",
               f"with a query, Location is {with_query.header('location')!r}")
        return "Location /composition/examplamol/"

    def not_found_page(self):
        page = self.get("/404.html")
        response = self.get("/no/such/page")
        expect(response.status == 404, f"answered {response!r}")
        expect((response.header("content-type") or "").startswith("text/html"),
               f"Content-Type is {response.header('content-type')!r}")
        expect(response.body == page.body, "the body is not the site's 404.html")
        expect(b"<html" in response.body.lower(), "the body is not an HTML page")
        return f"{len(response.body)} bytes of 404.html"

    def problem(self, path, status):
        response = self.get(path)
        expect(response.status == status, f"{path} answered {response!r}, wanted {status}")
        expect(response.header("content-type") == "application/problem+json",
               f"{path}: Content-Type is {response.header('content-type')!r}")
        body = json.loads(response.body)
        for field in ("type", "title", "status", "detail"):
            expect(field in body, f"{path}: the problem has no {field}: {body}")
        expect(body["status"] == status, f"{path}: the problem's status is {body['status']}")
        expect(isinstance(body["detail"], str) and body["detail"], f"{path}: empty detail")
        return body["detail"]

    def api_errors(self):
        self.problem("/api/v1/no-such-thing", 404)
        self.problem("/api/v1/monographs/composition/no-such-medicine", 404)
        self.problem("/api/v1/ingredients/no-such-ingredient", 404)
        self.problem("/api/v1/search", 400)
        self.problem("/api/v1/monographs?limit=0", 400)
        self.problem("/api/v1/ingredients?limit=0", 400)
        self.problem("/api/v1/search?q=examplamol&limit=0", 400)
        self.problem("/api/v1/monographs?kind=tablet", 400)
        self.problem("/api/v1/monographs?offset=-1", 400)
        return "404 and 400 problems with type, title, status, detail"

    def method_not_allowed(self):
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
            response = self.get("/api/v1/monographs", method=method)
            expect(response.status == 405, f"{method} answered {response!r}")
            expect(response.header("allow") == "GET, HEAD", f"{method}: Allow is {response.header('allow')!r}")
            expect(response.header("content-type") == "application/problem+json", f"{method}: {response!r}")
        return "405 with Allow: GET, HEAD"

    def security_headers(self):
        for path in ("/", "/search/?q=examplamol", "/assets/style.css", "/sitemap.xml", "/api/v1/ingredients",
                     "/_formulary/live.js", "/healthz", "/composition/examplamol"):
            self.get(path)
        missing = []
        parser = []
        for label, response in self.answered:
            if response.status is None:
                continue
            if response.status == 400 and not response.header("content-type") and not response.body:
                # The HTTP parser's own rejection, before the application sees the request.
                parser.append(label)
                continue
            csp = response.header("content-security-policy") or ""
            if "default-src" not in csp or "script-src 'self'" not in csp:
                missing.append(f"{label} ({response.status}): CSP {csp!r}")
            if (response.header("x-content-type-options") or "").lower() != "nosniff":
                missing.append(f"{label} ({response.status}): X-Content-Type-Options "
                               f"{response.header('x-content-type-options')!r}")
        expect(not missing, "; ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else ""))
        if parser:
            self.notes.append(
                f"note: {len(parser)} requests were refused by the HTTP parser itself (an empty 400 without CSP or "
                f"X-Content-Type-Options, harmless with no body), e.g. {', '.join(parser[:4])}")
        return f"{len(self.answered) - len(parser)} application responses"

    def pipelined(self):
        """Requests sent in one write, the site's own between two the router answers (the
        sign-in page): every one answered, in order, with what it gets alone."""
        paths = ["/_formulary/sign-in", "/healthz", "/composition/examplamol/", "/_formulary/sign-in",
                 "/api/v1/search?q=examplamol", "/no/such/page"]
        alone = [self.get(path) for path in paths]
        data = b"".join(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode() for path in paths)
        sock = self.connect()
        try:
            sock.sendall(data)
            received, answers = b"", []
            deadline = time.monotonic() + 5
            while len(answers) < len(paths) and time.monotonic() < deadline:
                sock.settimeout(max(0.05, deadline - time.monotonic()))
                try:
                    chunk = sock.recv(65536)
                except socket.timeout:
                    break
                if not chunk:
                    break
                received += chunk
                while True:
                    response, complete = self.parse(received)
                    if response is None or not complete:
                        break
                    answers.append(response)
                    head_length = received.index(b"\r\n\r\n") + 4
                    received = received[head_length + len(response.body):]
        finally:
            sock.close()
        expect(len(answers) == len(paths), f"{len(answers)} answers to {len(paths)} pipelined requests")
        for path, one, answer in zip(paths, alone, answers):
            expect(answer.status == one.status, f"{path}: pipelined {answer.status}, alone {one.status}")
            if path in ("/composition/examplamol/", "/no/such/page"):
                expect(answer.body == one.body, f"{path}: the pipelined body differs from the body alone")
        return f"{len(paths)} requests, statuses {[answer.status for answer in answers]}"

    def normal(self):
        self.check("ETag and If-None-Match give 304", self.etag, hostile=False)
        self.check("Last-Modified and If-Modified-Since give 304", self.last_modified, hostile=False)
        self.check("gzip decompresses to the plain bytes", self.gzip_encoding, hostile=False)
        self.check("HEAD: GET's Content-Length, no body", self.head, hostile=False)
        self.check("301 to the trailing slash", self.redirect, hostile=False)
        self.check("unknown path: the site's 404 page", self.not_found_page, hostile=False)
        self.check("API errors are problem+json", self.api_errors, hostile=False)
        self.check("other methods: 405", self.method_not_allowed, hostile=False)
        self.check("pipelined requests: all answered, in order", self.pipelined, hostile=False)
        # Last: it looks at every response the application answered above.
        self.check("CSP and nosniff on every response", self.security_headers, hostile=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base")
    parser.add_argument("--pid", type=int, help="the server's process id, to watch its memory")
    parser.add_argument("--idle-timeout", type=float, default=2, help="the server's --idle-timeout")
    args = parser.parse_args()
    checker = Checker(args.base, args.pid, args.idle_timeout)
    started = time.monotonic()
    checker.check("the server answers", lambda: None)
    if args.pid:
        print(f"     the server holds {checker.server_sockets()} sockets; after each hostile case it must hold no "
              "more than before it within the idle timeout and a margin")
    checker.hostile()
    checker.normal()
    for note in checker.notes:
        print(note)
    if checker.leaked:
        print(f"note: the server was left holding {checker.leaked} connection(s) that their clients had closed")
    print(f"hostile_check: {checker.passed} passed, {checker.failed} failed ({time.monotonic() - started:.1f} s)")
    return 1 if checker.failed else 0


if __name__ == "__main__":
    sys.exit(main())
