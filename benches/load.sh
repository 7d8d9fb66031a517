#!/usr/bin/env bash
# Load benchmark of the real server (figures only, asserts nothing):
#   - search requests/s and p50/p99 at concurrency 1, 8, 64, queries rotated from queries.tsv,
#     next to nginx serving a saved search answer (the same bytes, no work: the HTTP floor);
#   - downloads of a ~1 MB PDF at concurrency 64 and 512, next to nginx serving the same file;
#   - the server's peak RSS.
# Needs wrk, nginx and the built binary (cargo build --release). Uses 127.0.0.1 only.
# Usage: benches/load.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
binary="target/release/cartable"
corpus="${CARTABLE_CORPUS:-../shared/corpus}"
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "load.sh needs $tool (apt-get install wrk nginx-light)"; exit 2; }
done
[ -x "$binary" ] || { echo "build first: cargo build --release"; exit 2; }
[ -d "$corpus/public" ] || { echo "no corpus at $corpus"; exit 2; }
ulimit -n 8192 || true

work="$(mktemp -d)"
# nginx workers run as an unprivileged user: they must be able to read the files.
chmod 755 "$work"
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "importing the corpus..."
"$binary" --data "$work/data" import "$corpus/public" >/dev/null 2>&1 || true
port=$((20000 + RANDOM % 10000))
# wrk comes from one address with hundreds of connections: lift the per-device and per-class
# caps of admission control (README, "Capacité") so what is measured is serving itself.
CARTABLE_MDNS_NAME="" CARTABLE_CONNECTIONS_PER_CLIENT=4096 CARTABLE_DOWNLOADS_PER_CLIENT=4096 \
  CARTABLE_FAMILY_REQUESTS=4096 CARTABLE_FAMILY_DOWNLOADS=4096 \
  "$binary" --data "$work/data" serve --listen "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"

# The PDF closest to 1 MB, and its document id.
pdf="$(find "$corpus/public" -name '*.pdf' -size +700k -size -1500k -printf '%s\t%p\n' | sort -n | awk -F'\t' '{d=$1-1048576; if (d<0) d=-d; print d "\t" $2}' | sort -n | head -1 | cut -f2)"
sha="$(sha256sum "$pdf" | cut -d' ' -f1)"
id="$(python3 - "$base" "$(basename "$pdf")" <<'PY'
import json, sys, urllib.request
base, name = sys.argv[1], sys.argv[2]
for offset in range(0, 10000, 100):
    page = json.load(urllib.request.urlopen(f"{base}/api/documents?limit=100&offset={offset}"))
    for hit in page["documents"]:
        if hit["file_name"] == name:
            print(hit["id"]); sys.exit(0)
    if offset + 100 >= page["total"]:
        break
sys.exit("the PDF was not imported")
PY
)"

# nginx serving the same PDF and a saved search answer, as the reference.
mkdir -p "$work/www"
cp "$pdf" "$work/www/file.pdf"
curl -s "$base/api/search?q=fonctions" > "$work/www/search.json"
nport=$((port + 1))
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  server { listen 127.0.0.1:$nport; root $work/www; }
}
CONF
mkdir -p "$work/nginx-tmp"
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.3

# wrk script: rotate the queries of queries.tsv.
python3 - "$corpus/queries.tsv" > "$work/rotate.lua" <<'PY'
import sys, urllib.parse
queries = [l.split("\t")[0] for l in open(sys.argv[1], encoding="utf-8").read().splitlines()[1:] if l]
print("local paths = {" + ",".join('"/api/search?q=%s"' % urllib.parse.quote(q) for q in queries) + "}")
print("local i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend")
PY

# run URL CONNECTIONS [SCRIPT] -> "req/s p50_ms p99_ms"
run() {
  local url="$1" connections="$2" script="${3:-}" threads=2
  [ "$connections" -lt 2 ] && threads=1
  local out
  out="$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency ${script:+-s "$script"} "$url" 2>&1)"
  local rps p50 p99
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
to_ms() {
  python3 -c "
import re,sys
v=sys.argv[1]; m=re.match(r'([0-9.]+)(us|ms|s|m)',v)
print('n/a' if not m else '%.2f' % (float(m.group(1))*{'us':0.001,'ms':1,'s':1000,'m':60000}[m.group(2)]))" "$1"
}

printf '\n%-34s %12s %9s %9s %14s %8s\n' "run" "req/s" "p50 ms" "p99 ms" "nginx req/s" "ratio"
for c in 1 8 64; do
  read -r rps p50 p99 <<<"$(run "$base/api/search?q=x" "$c" "$work/rotate.lua")"
  read -r nrps _ _ <<<"$(run "http://127.0.0.1:$nport/search.json" "$c")"
  printf '%-34s %12s %9s %9s %14s %8s\n' "search, c=$c (nginx: saved answer)" "$rps" "$p50" "$p99" "$nrps" "$(python3 -c "print('%.2f' % ($rps/$nrps))")"
done
for c in 64 512; do
  read -r rps p50 p99 <<<"$(run "$base/documents/$id/file" "$c")"
  read -r nrps _ _ <<<"$(run "http://127.0.0.1:$nport/file.pdf" "$c")"
  printf '%-34s %12s %9s %9s %14s %8s\n' "download $(($(stat -c%s "$pdf") / 1024)) KB PDF, c=$c" "$rps" "$p50" "$p99" "$nrps" "$(python3 -c "print('%.2f' % ($rps/$nrps))")"
done
echo
echo "server peak RSS: $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$server/status)"
[ "$(sha256sum "$work/www/file.pdf" | cut -d' ' -f1)" = "$sha" ] || echo "warning: reference file differs"
