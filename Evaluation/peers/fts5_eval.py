#!/usr/bin/env python3
"""Peer measure: SQLite FTS5 on Formulary's evaluation set (success@1, success@5, MRR per category).

Loads the title (front matter) and Markdown body of every rxhive-v1 page (composition/<letter>/*.md
and generic/*.md, 6,816 files) into an in-memory FTS5 table (tokenizer 'porter unicode61'), then runs
each query of the set the way a site would: the query's words (runs of letters and digits, the same
split unicode61 makes), each quoted to escape FTS5 syntax, implicitly ANDed, the last one a prefix
("word"*); if that matches nothing, the same words ORed. Ranked by bm25(pages, 10.0, 1.0) (title
weighted 10x the body), top 10 ids, scored like `formulary search --evaluate`.

Usage (from the repository root):
  python3 Evaluation/peers/fts5_eval.py ../shared/corpus/rxhive-v1 Evaluation/search-queries.tsv [QUERIES.txt ...]
Each QUERIES.txt (one query a line, as `formulary-bench --search` reads) is timed three times over:
top 10 by bm25, and top 10 with snippet() as a results page needs; p50/p90/p99 per query, in-process
(sqlite3 from Python: the figures include Python's call overhead, a few microseconds).
Needs PyYAML (front matter is read with a real YAML parser: one title is quoted).
"""
import glob
import os
import re
import sqlite3
import sys
import time

import yaml

FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?", re.S)
WORD = re.compile(r"[^\W_]+")  # letters and digits, as the unicode61 tokenizer splits


def load_pages(root):
    """(id, title, body) for composition/<letter>/<slug>.md and generic/<slug>.md."""
    paths = glob.glob(os.path.join(root, "composition", "*", "*.md")) + glob.glob(os.path.join(root, "generic", "*.md"))
    pages = []
    for path in sorted(paths):
        rel = os.path.relpath(path, root).split(os.sep)
        page_id = f"{rel[0]}/{os.path.splitext(rel[-1])[0]}"  # the letter folder is dropped
        text = open(path, encoding="utf-8").read()
        m = FRONT.match(text)
        title = str((yaml.safe_load(m.group(1)) or {}).get("title", "")) if m else ""
        pages.append((page_id, title, text[m.end():] if m else text))
    return pages


def read_cases(tsv):
    """(category, query, expected ids) like SearchEvaluation: '#' lines and the header skipped."""
    cases = []
    for line in open(tsv, encoding="utf-8").read().split("\n"):
        fields = line.split("\t")
        if line.startswith("#") or len(fields) < 3 or fields[0] == "category":
            continue
        cases.append((fields[0], fields[1], {e.strip() for e in fields[2].split("|")}))
    return cases


def fts_queries(query):
    """The AND query (last word a prefix), then the OR fallback."""
    words = ['"' + w.replace('"', '""') + '"' for w in WORD.findall(query)]
    if not words:
        return []
    return [" ".join(words[:-1] + [words[-1] + "*"]), " OR ".join(words)]


def score(cases, rankings):
    """Rows (category, queries, success@1, success@5, MRR), categories sorted, 'overall' last."""
    by = {}
    for (category, _q, expected), ranking in zip(cases, rankings):
        rank = next((i + 1 for i, r in enumerate(ranking[:10]) if r in expected), None)
        entry = (rank == 1, rank is not None and rank <= 5, 1 / rank if rank else 0.0)
        by.setdefault(category, []).append(entry)
        by.setdefault("overall", []).append(entry)
    rows = []
    for category in sorted(by, key=lambda c: (c == "overall", c)):
        e = by[category]
        rows.append((category, len(e), *(sum(x[k] for x in e) / len(e) for k in range(3))))
    return rows


def print_table(rows):
    print("category        queries  success@1  success@5    MRR")
    for c, n, s1, s5, mrr in rows:
        print(f"{c:<16}{n:7d}  {s1:9.3f}  {s5:9.3f}  {mrr:6.3f}")


def main():
    root, tsv = sys.argv[1], sys.argv[2]
    pages = load_pages(root)
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE pages USING fts5(title, body, tokenize='porter unicode61')")
    con.executemany("INSERT INTO pages(rowid, title, body) VALUES (?, ?, ?)",
                    [(i, t, b) for i, (_id, t, b) in enumerate(pages)])
    sql = "SELECT rowid FROM pages WHERE pages MATCH ? ORDER BY bm25(pages, 10.0, 1.0) LIMIT 10"
    cases = read_cases(tsv)
    rankings = []
    for _category, query, _expected in cases:
        rows = []
        for q in fts_queries(query):
            rows = con.execute(sql, (q,)).fetchall()
            if rows:
                break
        rankings.append([pages[r][0] for (r,) in rows])
    if os.environ.get("VERBOSE"):  # per query: expected, top 3
        for (c, q, e), r in zip(cases, rankings):
            print(f"{c}\t{q}\t{'|'.join(sorted(e))}\t{' '.join(r[:3])}", file=sys.stderr)
    print(f"# SQLite {sqlite3.sqlite_version} FTS5, porter unicode61, {len(pages)} pages, {len(cases)} queries")
    print_table(score(cases, rankings))
    snippet_sql = ("SELECT rowid, snippet(pages, 1, '<mark>', '</mark>', '…', 12) FROM pages WHERE pages MATCH ? "
                   "ORDER BY bm25(pages, 10.0, 1.0) LIMIT 10")
    for path in sys.argv[3:]:
        queries = [line.strip() for line in open(path, encoding="utf-8") if line.strip()]
        for label, statement in (("top 10", sql), ("top 10 + snippet", snippet_sql)):
            latencies = []
            for _ in range(3):
                for query in queries:
                    start = time.perf_counter_ns()
                    for q in fts_queries(query):
                        if con.execute(statement, (q,)).fetchall():
                            break
                    latencies.append((time.perf_counter_ns() - start) / 1000)
            latencies.sort()
            pick = lambda f: latencies[min(len(latencies) - 1, int(f * len(latencies)))]
            print(f"# {os.path.basename(path)}: {len(queries)} queries x 3, {label}: "
                  f"p50 {pick(0.5):.0f} µs, p90 {pick(0.9):.0f} µs, p99 {pick(0.99):.0f} µs, max {latencies[-1]:.0f} µs")


if __name__ == "__main__":
    main()
