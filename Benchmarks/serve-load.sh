#!/usr/bin/env bash
# Load on `formulary serve` and on nginx serving the same built files, side by side in one run:
# wrk on loopback, DURATION seconds at CONNECTIONS connections per URL, one server at a time.
#
#   Benchmarks/serve-load.sh [CORPUS] [DURATION] [CONNECTIONS]
#
# CORPUS defaults to ../shared/corpus/rxhive-v1; DURATION to 30; CONNECTIONS to 64. Needs a
# release build (`swift build -c release --product formulary`), and nginx and wrk from Debian.
# The last row serves the same page from a server with a store, which counts page views.
# Both servers run without access logs and without gzip (wrk sends no Accept-Encoding), with
# every core they want: nginx `worker_processes auto`, Formulary its default event loops.
# The machine's other load (wrk itself takes most of a core) is the same for both.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/rxhive-v1}
duration=${2:-30}
connections=${3:-64}
formulary=${FORMULARY:-.build/release/formulary}
[ -x "$formulary" ] || { echo "build first: swift build -c release --product formulary" >&2; exit 2; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "needs nginx (apt-get install nginx)" >&2; exit 2; }

work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
# mktemp's folder is the user's alone; nginx's workers (another user when started as root) must
# read the site: without this every nginx answer was a 403, and its figures were of errors.
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -z "${WORK:-}" ] && rm -rf "$work"
  return 0
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"); $($nginx -v 2>&1); wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}')"
echo "corpus: $corpus ($(find "$corpus" -name '*.md' | wc -l) files)"

# One build, served by both.
"$formulary" build --content "$corpus" --out "$work/site" -q
formulary_port=${FORMULARY_PORT:-28480}
nginx_port=${NGINX_PORT:-28481}

cat >"$work/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  open_file_cache max=20000 inactive=60s;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/site;
    index index.html;
    error_page 404 /404.html;
  }
}
EOF
"$nginx" -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)
SWIFT_BACKTRACE=enable=yes,interactive=no "$formulary" serve --content "$corpus" --out "$work/site" --no-watch --log-level warning \
  --port "$formulary_port" &
pids+=($!)
for port in $formulary_port $nginx_port; do
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.1
  done
done

# The same URLs on both; search only on Formulary (nginx has no search).
monograph=/composition/paracetamol/
home=/
record=/api/v1/monographs/composition/paracetamol.json
search="/api/v1/search?q=paracetmol+650"
for port in $formulary_port $nginx_port; do
  curl -sf -o /dev/null "http://127.0.0.1:$port$monograph" || { echo "port $port does not serve $monograph" >&2; exit 1; }
done

# Requests/s, p50 ms, p99 ms, errors (non-2xx/3xx, socket errors, timeouts) from wrk's output.
measure() {
  local url=$1 script=${2:-}
  local args=(-t2 -c"$connections" -d"${duration}s" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  wrk "${args[@]}" "$url" >"$work/wrk.txt" 2>&1
  python3 - "$work/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*" + label + r"%\s+([\d.]+)(us|ms|s)\b", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
if m: errors += sum(int(x) for x in m.groups())
m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if m: errors += int(m.group(1))
print(f"{rps:.0f} {ms('50'):.2f} {ms('99'):.2f} {errors}")
PY
}

# Search over many different queries: the evaluation set's, round robin.
awk -F'\t' '!/^#/ && $1 != "category" && $2 != "" {print $2}' Evaluation/search-queries.tsv | head -200 >"$work/queries.txt"
cat >"$work/queries.lua" <<EOF
local queries = {}
for line in io.lines("$work/queries.txt") do
  queries[#queries + 1] = line:gsub("([^%w])", function(c) return string.format("%%%02X", string.byte(c)) end)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/search?q=" .. queries[(n % #queries) + 1])
end
EOF

echo
echo "| URL | Formulary req/s | p50 / p99 ms | errors | nginx req/s | p50 / p99 ms | errors | ratio |"
echo "|---|---|---|---|---|---|---|---|"
for url in "$monograph" "$home" "$record"; do
  read -r f_rps f_p50 f_p99 f_err < <(measure "http://127.0.0.1:$formulary_port$url")
  read -r n_rps n_p50 n_p99 n_err < <(measure "http://127.0.0.1:$nginx_port$url")
  ratio=$(python3 -c "print(f'{$f_rps / $n_rps:.2f}×')")
  echo "| \`$url\` | $f_rps | $f_p50 / $f_p99 | $f_err | $n_rps | $n_p50 / $n_p99 | $n_err | $ratio |"
done
read -r s_rps s_p50 s_p99 s_err < <(measure "http://127.0.0.1:$formulary_port$search")
echo "| \`$search\` (one query, repeated) | $s_rps | $s_p50 / $s_p99 | $s_err | — | | | |"
read -r s_rps s_p50 s_p99 s_err < <(measure "http://127.0.0.1:$formulary_port/" "$work/queries.lua")
echo "| search, $(wc -l <"$work/queries.txt") evaluation queries round robin | $s_rps | $s_p50 / $s_p99 | $s_err | — | | | |"
kill "${pids[1]}"
wait "${pids[1]}" 2>/dev/null || true
# The engine alone, no answer cache: every request is a search.
FORMULARY_SEARCH_CACHE=0 SWIFT_BACKTRACE=enable=yes,interactive=no "$formulary" serve --content "$corpus" --out "$work/site" --no-watch --log-level warning \
  --port "$formulary_port" &
pids[1]=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$formulary_port/healthz" && break; sleep 0.1; done
read -r s_rps s_p50 s_p99 s_err < <(measure "http://127.0.0.1:$formulary_port/" "$work/queries.lua")
echo "| search, same queries, answer cache off (FORMULARY_SEARCH_CACHE=0) | $s_rps | $s_p50 / $s_p99 | $s_err | — | | | |"
kill "${pids[1]}"
wait "${pids[1]}" 2>/dev/null || true
# With a store (as a site that takes contributions is served): every page view is counted, in
# memory, and added to the store every minute. The same page, against nginx again.
SWIFT_BACKTRACE=enable=yes,interactive=no "$formulary" serve --content "$corpus" --out "$work/site" --no-watch --log-level warning \
  --database "$work/store.sqlite" --port "$formulary_port" &
pids[1]=$!
for _ in $(seq 1 900); do curl -sf -o /dev/null "http://127.0.0.1:$formulary_port/healthz" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$nginx_port$monograph" || { echo "nginx does not serve $monograph" >&2; exit 1; }
read -r f_rps f_p50 f_p99 f_err < <(measure "http://127.0.0.1:$formulary_port$monograph")
read -r n_rps n_p50 n_p99 n_err < <(measure "http://127.0.0.1:$nginx_port$monograph")
ratio=$(python3 -c "print(f'{$f_rps / $n_rps:.2f}×')")
echo "| \`$monograph\` with a store, views counted | $f_rps | $f_p50 / $f_p99 | $f_err | $n_rps | $n_p50 / $n_p99 | $n_err | $ratio |"
