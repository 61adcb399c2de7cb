#!/bin/bash
# Peer measure: Pagefind on Formulary's evaluation set (success@1, success@5, MRR per category).
# Lays out the 6,816 rxhive-v1 pages (composition/<letter>/*.md and generic/*.md) as a Hugo site with
# the one-template layout of /work/shared/bench/anchors/setup.sh (page body inside data-pagefind-body;
# its Markdown H1 repeats the title), builds it with Hugo, indexes it with Pagefind, then runs every
# query through the site's own pagefind.js in Node (pagefind_eval.mjs) and prints the table.
# URLs map back to ids: /composition/<letter>/<slug>/ -> composition/<slug>, /generic/<slug>/ -> generic/<slug>.
# Usage (from the repository root):
#   bash Evaluation/peers/pagefind_eval.sh ../shared/corpus/rxhive-v1 Evaluation/search-queries.tsv
# Needs: apt hugo, node >= 20, pip 'pagefind[extended]==1.5.2'. Work files go to $WORK (default /tmp/peers).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
corpus=$(cd "$1" && pwd) tsv=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
work=${WORK:-/tmp/peers}
PAGEFIND=${PAGEFIND:-$(python3 -c 'import os, pagefind_bin_extended as p; print(os.path.join(os.path.dirname(p.__file__), "pagefind_extended"))')}
site=$work/hugo out=$work/public
rm -rf "$site" "$out"; mkdir -p "$site/layouts/_default" "$site/content"

layout='<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main data-pagefind-body>{{ .Content }}</main><hr><p>Educational use only; consult your doctor.</p></body></html>'
for name in single minimal-medicine default; do echo "$layout" > "$site/layouts/_default/$name.html"; done
echo '<html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>' > "$site/layouts/_default/list.html"
cat > "$site/config.toml" <<'T'
baseURL = "https://example.org/"
title = "Peers"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
unsafe = true
T
cp -r "$corpus/composition" "$corpus/generic" "$site/content/"
echo "pages: $(find "$site/content" -name '*.md' | wc -l)" >&2

hugo --quiet -s "$site" -d "$out" >&2
"$PAGEFIND" --site "$out" >&2
echo "# $(hugo version | cut -d' ' -f1-2), $("$PAGEFIND" --version), node $(node --version)"
node "$here/pagefind_eval.mjs" "$out" "$tsv"
