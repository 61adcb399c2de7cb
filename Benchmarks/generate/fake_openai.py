#!/usr/bin/env python3
"""A local OpenAI-compatible server for Benchmarks/generate-load.sh: answers every
POST /v1/chat/completions after --delay-ms with a complete medicine page for the title asked
for (the page's text is ours, written for the benchmark). A request to translate a page
(`formulary generate --translate`) gets the page back as a translation would come: the headings,
labels and the title in the language's words (the title's name spelled in Devanagari letter by
letter), every number, name and sentence kept; a test double for the plumbing and the
checks, not a translator. GET /stats gives the requests answered and the most open at once;
POST /reset zeroes them; GET /health answers 200."""

import argparse
import json
import re
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

# Latin letters as Devanagari, roughly as a name sounds: enough for a title a Hindi reader and
# the search's sound keys can read (paracetamol: पअरअसएटअमओल is not Hindi spelling, but its
# consonants are right).
LETTERS = {
    "a": "अ", "b": "ब", "c": "क", "d": "ड", "e": "ए", "f": "फ", "g": "ग", "h": "ह", "i": "इ", "j": "ज",
    "k": "क", "l": "ल", "m": "म", "n": "न", "o": "ओ", "p": "प", "q": "क", "r": "र", "s": "स", "t": "ट",
    "u": "उ", "v": "व", "w": "व", "x": "क्स", "y": "य", "z": "ज़",
}
SIGNS = {"अ": "", "आ": "ा", "इ": "ि", "ई": "ी", "उ": "ु", "ऊ": "ू", "ए": "े", "ऐ": "ै", "ओ": "ो", "औ": "ौ"}


def devanagari(word):
    out, after_consonant = "", False
    for letter in word.lower():
        if letter not in LETTERS:
            out += letter
            after_consonant = False
            continue
        mark = LETTERS[letter]
        if mark in SIGNS:
            out += SIGNS[mark] if after_consonant else mark
            after_consonant = False
        else:
            out += ("्" if after_consonant else "") + mark
            after_consonant = True
    return out


def translation(prompt):
    """The page in the prompt, with the headings the prompt asks for, `(Latin)` after a title in
    Devanagari, and the FAQ and disclaimer labels it names."""
    page = prompt.split("The page:\n\n", 1)[1] if "The page:\n\n" in prompt else ""
    latin = re.search(r"exactly as here: `\((.*?)\)`", prompt).group(1)
    headings = dict(re.findall(r"- `(.+?)` becomes `(.+?)`", prompt))
    question = re.search(r"`\* \*\*(.+?): \.\.\.\?\*\* (.+?): \.\.\.`", prompt)
    disclaimer = re.search(r"starting with `\*\*(.+?):\*\*`", prompt).group(1)
    lines = []
    for line in page.split("\n"):
        stripped = line.lstrip("#").strip()
        marks = line[: len(line) - len(line.lstrip("#"))]
        if line.startswith("# "):
            name = " ".join(devanagari(word) if word.isalpha() else word for word in latin.split(" "))
            lines.append(f"# {name} ({latin})")
        elif marks and stripped.strip("*").strip().rstrip(":").strip() in headings:
            lines.append(marks + " " + headings[stripped.strip("*").strip().rstrip(":").strip()])
        elif line.startswith("**") and line.strip("*").split(":")[0].strip() in headings:
            label = line.strip("*").split(":")[0].strip()
            lines.append(line.replace(label, headings[label], 1))
        else:
            if question:
                line = line.replace("Q:", question.group(1) + ":").replace("A:", question.group(2) + ":")
            lines.append(line.replace("**Disclaimer:**", f"**{disclaimer}:**"))
    return "\n".join(lines)


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
            if first.startswith("Translate this medicine information page"):
                content = translation(first)
            else:
                title = first.split("\n")[0].replace("Write the medicine information page for: ", "")
                content = PAGE.format(title=title)
            time.sleep(self.delay)
            self.reply(200, {
                "id": "chatcmpl-bench", "object": "chat.completion", "created": 1, "model": "bench",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
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
