#!/bin/bash
# Formulary's build against Hugo (and optionally Jekyll) on the same pages, in one run, writing
# to the same place. Usage: Benchmarks/site-build.sh [CORPUS] [COPIES]
#   CORPUS  folder of monographs (default ../shared/corpus: rxhive-v1 + rxhive-v2, ~11,100 pages)
#   COPIES  repeat the corpus this many times under renamed slugs (default 1), to see growth
# Env: WORK scratch folder (default /tmp/formulary-bench; WORK=/dev/shm/... builds in memory),
#      RUNS (default 5), JEKYLL=1 to time Jekyll too (minutes).
# Hugo gets the one-template layout of ../shared/bench/anchors/setup.sh; Formulary builds its full
# site (pages, indexes, sitemap, JSON API, search index). Needs: hugo, hyperfine, GNU time.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "${1:-$here/../shared/corpus}" && pwd)
copies=${2:-1}
work=${WORK:-/tmp/formulary-bench}
runs=${RUNS:-5}
formulary=$here/.build/release/formulary
[ -x "$formulary" ] || (cd "$here" && swift build -c release --product formulary)
mkdir -p "$work"

# The same pages for every tool: Formulary reads content/ as is; Hugo gets copies under content/.
content=$work/content-x$copies
if [ ! -d "$content" ]; then
  echo "laying out $copies cop$( ((copies == 1)) && echo y || echo ies) of $corpus in $content" >&2
  for ((i = 0; i < copies; i++)); do
    suffix=""; ((i > 0)) && suffix="-v$i"
    (cd "$corpus" && find . -name '*.md' ! -name 'README*' ! -name 'index.md') | while read -r f; do
      dir=$(dirname "$f"); base=$(basename "$f" .md)
      mkdir -p "$content/$dir"
      cp "$corpus/$f" "$content/$dir/$base$suffix.md"
    done
  done
fi
hugo_site=$work/hugo-x$copies
if [ ! -d "$hugo_site" ]; then
  mkdir -p "$hugo_site/layouts/_default"
  layout='<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main data-pagefind-body>{{ .Content }}</main><hr><p>Educational use only; consult your doctor.</p></body></html>'
  echo "$layout" > "$hugo_site/layouts/_default/single.html"
  echo '<html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>' > "$hugo_site/layouts/_default/list.html"
  printf 'baseURL = "https://example.org/"\ntitle = "Anchor"\ndisableKinds = ["taxonomy", "term", "RSS"]\n[markup.goldmark.renderer]\nunsafe = true\n' > "$hugo_site/config.toml"
  ln -s "$content" "$hugo_site/content"
fi
pages=$(find "$content" -name '*.md' | wc -l)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -sr); $(date -u +%FT%TZ)"
echo "pages: $pages; output in $work; $(hugo version | cut -d' ' -f1-2); formulary $("$formulary" --version)"

out_f=$work/out-formulary out_h=$work/out-hugo
hyperfine --runs "$runs" --warmup 1 --export-json "$work/hyperfine-x$copies.json" \
  --prepare "rm -rf $out_f $out_f.* $work/.out-formulary*" "$formulary build --content $content --out $out_f --full -q" \
  --prepare "rm -rf $out_h" "hugo --quiet -s $hugo_site -d $out_h"
for tool in formulary hugo; do
  if [ $tool = formulary ]; then
    rm -rf "$out_f"; cmd="$formulary build --content $content --out $out_f --full -q"
  else
    rm -rf "$out_h"; cmd="hugo --quiet -s $hugo_site -d $out_h"
  fi
  /usr/bin/time -f "$tool peak RSS %M KiB, wall %e s" $cmd 2>&1 | grep peak
done
echo "formulary output: $(find "$out_f" -type f | wc -l) files, $(du -sh "$out_f" | cut -f1); hugo output: $(find "$out_h" -type f | wc -l) files, $(du -sh "$out_h" | cut -f1)"

# Incremental: edit one page, rebuild (the cache from the last full build is beside the output).
"$formulary" build --content "$content" --out "$out_f" --full -q
page=$(find "$content" -name 'paracetamol.md' | head -1)
cp "$page" "$work/saved.md"
for i in 1 2 3 4 5; do
  printf '\nEdited for the incremental benchmark (%s).\n' "$i" >> "$page"
  /usr/bin/time -f "incremental rebuild after editing one page: wall %e s, peak RSS %M KiB" \
    "$formulary" build --content "$content" --out "$out_f" 2>&1 | tail -2
done
cp "$work/saved.md" "$page"
"$formulary" build --content "$content" --out "$out_f" -q

if [ "${JEKYLL:-0}" = 1 ]; then
  echo "Jekyll: see ../shared/bench/anchors/measure.sh (112 s for 6,447 pages there)"
fi
