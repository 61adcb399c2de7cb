#!/usr/bin/env python3
"""A local OpenAI-compatible server for Benchmarks/generate-load.sh: answers every
POST /v1/chat/completions after --delay-ms with a complete medicine page for the title asked
for (the page's text is ours, written for the benchmark). GET /stats gives the requests
answered and the most open at once; POST /reset zeroes them; GET /health answers 200."""

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """# {title}

## Generic Name
{title}

## Usage
- Relief of mild to moderate pain
- Reduction of fever

## Dosage
Adults usually take one tablet every six hours; your doctor decides the dose.

## Side Effects
Nausea and rash are uncommon. Seek care at once for swelling of the face.

## How It Works
It reduces the chemical signals that cause pain and fever.

## Precautions
Avoid alcohol. Tell your doctor about liver disease, pregnancy or other medicines.

## FAQs
**Q: Can I take it with food?**
A: Yes, with or without food.

**Q: How quickly does it work?**
A: Usually within an hour.
"""

lock = threading.Lock()
state = {"requests": 0, "open": 0, "most": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    delay = 0.5

    def log_message(self, *arguments):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, {"status": "ok"})
        elif self.path == "/stats":
            with lock:
                self.reply(200, {"requests": state["requests"], "most open at once": state["most"]})
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path == "/reset":
            with lock:
                state.update(requests=0, open=0, most=0)
            self.reply(200, {})
            return
        if self.path != "/v1/chat/completions":
            self.reply(404, {"error": "not found"})
            return
        with lock:
            state["open"] += 1
            state["most"] = max(state["most"], state["open"])
        try:
            request = json.loads(body)
            first = next(m["content"] for m in request["messages"] if m["role"] == "user")
            title = first.split("\n")[0].replace("Write the medicine information page for: ", "")
            time.sleep(self.delay)
            self.reply(200, {
                "id": "chatcmpl-bench", "object": "chat.completion", "created": 1, "model": "bench",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": PAGE.format(title=title)},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 100, "completion_tokens": 200, "total_tokens": 300}})
        finally:
            with lock:
                state["open"] -= 1
                state["requests"] += 1


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client interrupted mid-answer (the benchmark's SIGINT) is expected, not news.
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay-ms", type=int, default=500)
    arguments = parser.parse_args()
    Handler.delay = arguments.delay_ms / 1000
    server = QuietServer(("127.0.0.1", arguments.port), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    server.serve_forever()


if __name__ == "__main__":
    main()
