#!/usr/bin/env python3
"""Prefix queries as people type them, from a corpus's titles: for every 3rd title, its first word
cut to 3, 4, 5 and 6 letters (`par`, `para`, ...). Written to standard output, one a line, for
`formulary-bench --search` and `fts5_eval.py`; generated at measuring time (corpus text is not
committed). Usage: python3 Evaluation/prefix_queries.py ../shared/corpus/rxhive-v1 > /tmp/prefix.txt
"""
import glob
import os
import re
import sys

root = sys.argv[1]
titles = []
for path in sorted(glob.glob(os.path.join(root, "**", "*.md"), recursive=True)):
    with open(path, encoding="utf-8", errors="replace") as f:
        match = re.search(r"^title:\s*\"?([^\"\n]+)", f.read(4000), re.M)
    if match:
        titles.append(match.group(1).strip())
seen = set()
for title in titles[::3]:
    word = re.findall(r"[A-Za-z]+", title)
    if not word:
        continue
    for n in (3, 4, 5, 6):
        if len(word[0]) > n and word[0][:n].lower() not in seen:
            seen.add(word[0][:n].lower())
            print(word[0][:n].lower())
