#!/usr/bin/env python3
"""Graceful shutdown of `formulary serve` with connections open.

Usage: shutdown_check.py FORMULARY SITE_DIR

For SIGTERM and for SIGINT (and SIGTERM with --no-watch): copies SITE_DIR (without its
public/ and .formulary/) to a temporary folder, starts `FORMULARY serve COPY --port 0`, opens a
Server-Sent Events stream on /_formulary/events (read up to its first event) and an idle
keep-alive connection (one GET / answered), sends the signal, and asserts that the process
exits with status 0 within 5 seconds and that both connections were closed by the server.
Prints `shutdown_check: N passed, N failed`.
"""
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

LIMIT = 5.0


def start(formulary, site, extra):
    process = subprocess.Popen(
        [formulary, "serve", site, "--port", "0", "--log-level", "notice", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    port = [None]
    ready = threading.Event()

    def read():
        for line in process.stdout:
            lines.append(line.rstrip())
            found = re.search(r"serving \d+ pages at http://[^:/]+:(\d+)/", line)
            if found:
                port[0] = int(found.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60) or port[0] is None:
        process.kill()
        raise RuntimeError("the server did not start:\n" + "\n".join(lines[-20:]))
    return process, port[0], lines


def sse(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"GET /_formulary/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
    data = b""
    while b"event: " not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise RuntimeError(f"the event stream closed at once: {data!r}")
        data += chunk
    return sock, data


def keep_alive(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
    while len(body) < length:
        body += sock.recv(65536)
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"GET / answered {head[:40]!r}")
    return sock


def closed_by_server(sock, deadline):
    """Whether the server closed the connection (EOF or reset) by `deadline`."""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([sock], [], [], 0.1)
        if ready:
            try:
                if not sock.recv(65536):
                    return True
            except (ConnectionResetError, OSError):
                return True
    return False


def case(formulary, site_dir, name, signum, extra):
    work = tempfile.mkdtemp(prefix="formulary-shutdown-")
    site = os.path.join(work, "site")
    shutil.copytree(site_dir, site, ignore=shutil.ignore_patterns("public", ".formulary"))
    process, port, lines = start(formulary, site, extra)
    connections = []
    try:
        watching = "--no-watch" not in extra
        if watching:
            stream, first = sse(port)
            connections.append(("event stream", stream))
        connections.append(("keep-alive connection", keep_alive(port)))
        started = time.monotonic()
        os.kill(process.pid, signum)
        try:
            # Waits past the limit, to say how long it did take.
            status = process.wait(timeout=LIMIT + 25)
        except subprocess.TimeoutExpired:
            status = None
        taken = time.monotonic() - started
        problems = []
        if status is None:
            problems.append(f"still running {taken:.1f} s after {name}")
        elif status != 0:
            problems.append(f"exit status {status}")
        if taken > LIMIT:
            problems.append(f"took {taken:.2f} s (limit {LIMIT:.0f} s)")
        for label, sock in connections:
            if not closed_by_server(sock, time.monotonic() + 0.5):
                problems.append(f"the {label} was left open")
        label = f"{name}{' --no-watch' if not watching else ''} with {' and '.join(l for l, _ in connections)} open"
        if problems:
            print(f"FAIL {label}: " + "; ".join(problems))
            print("\n".join("     log: " + line for line in lines[-10:]))
            return False
        print(f"ok   {label}: exit status 0 after {taken * 1000:.0f} ms")
        return True
    finally:
        for _, sock in connections:
            sock.close()
        if process.poll() is None:
            process.kill()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    formulary, site = os.path.abspath(sys.argv[1]), sys.argv[2]
    results = [
        case(formulary, site, "SIGTERM", signal.SIGTERM, []),
        case(formulary, site, "SIGINT", signal.SIGINT, []),
        case(formulary, site, "SIGTERM", signal.SIGTERM, ["--no-watch"]),
    ]
    print(f"shutdown_check: {sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
