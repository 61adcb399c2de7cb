#!/usr/bin/env bash
# Fuzzes the monograph parser with libFuzzer and AddressSanitizer.
#
#   Fuzz/run.sh [SECONDS]          (default 300)
#
# Seeds: a few dozen real pages from ../shared/corpus (when present) and the example site.
# Findings (crash-*, timeout-*, leak-*) are written to fuzz-findings/; replay one with
#   .build-fuzz/debug/formulary-fuzz fuzz-findings/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
clang_lib="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/lib/clang"
fuzzer_lib="$(ls "$clang_lib"/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a | head -n 1)"

# SwiftPM aliases `main` to the target's own entry point, so libFuzzer's main is left out
# (fuzzer_no_main) and FuzzTarget.swift starts libFuzzer's driver itself.
swift build --scratch-path .build-fuzz -c debug --product formulary-fuzz \
  -Xswiftc -sanitize=address \
  -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
  -Xswiftc -DFUZZING \
  -Xlinker "$fuzzer_lib" -Xlinker -lstdc++ 2>&1 | grep -v "Cannot export local symbol" || true

seeds="fuzz-seeds"
mkdir -p "$seeds" fuzz-findings
cp examples/site/content/*/*.md "$seeds"/ 2>/dev/null || true
if [ -d ../shared/corpus ]; then
  find ../shared/corpus -name '*.md' | sort | awk 'NR % 300 == 1' | while read -r page; do
    cp "$page" "$seeds/$(echo "$page" | tr '/' '_')"
  done
  cp ../shared/corpus/rxhive-v1/generic/alemtuzumab-12mg.md "$seeds"/
fi
.build-fuzz/debug/formulary-fuzz "$seeds" -artifact_prefix=fuzz-findings/ \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
