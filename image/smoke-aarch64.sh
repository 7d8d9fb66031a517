#!/usr/bin/env bash
# Smoke test of the Raspberry Pi binary on this (x86_64) machine under qemu-user: imports a few
# documents into a temporary data folder, serves it on 127.0.0.1, searches over HTTP, downloads
# one hit per query and compares its sha256 with the source file, then stops the server with
# SIGTERM and expects a clean exit. Everything is bounded in time; only 127.0.0.1 is used.
#
# Usage: image/smoke-aarch64.sh [BINARY]     (default target/dist/cartable-aarch64, from image/build.sh)
# The transcript goes to the terminal and to target/smoke-aarch64.log.
#
# Needs Debian's qemu-user-static (installed when missing). cartable runs its text extraction in
# a child process of its own binary, and the kernel can only start that aarch64 child through
# binfmt_misc: the script registers qemu's aarch64 handler when it is not (root needed then).
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:-target/dist/cartable-aarch64}
log=target/smoke-aarch64.log
mkdir -p target
exec > >(tee "$log") 2>&1

step() { printf '\n== %s\n' "$*"; }
die() { echo "smoke: FAILED: $*"; exit 1; }

[ -x "$binary" ] || die "no binary at $binary (run image/build.sh aarch64)"

step "qemu-user and binfmt"
missing=()
command -v qemu-aarch64-static >/dev/null 2>&1 || missing+=(qemu-user-static)
command -v update-binfmts >/dev/null 2>&1 || missing+=(binfmt-support)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! grep -qs '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64; then
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  update-binfmts --enable qemu-aarch64
fi
qemu-aarch64-static --version | head -n1
file -b "$binary"
qemu=(qemu-aarch64-static "$binary")
timeout 60 "${qemu[@]}" --version

# The documents: a PDF, a Word and an OpenDocument file from the shared corpus when it is beside
# the clone, else the repository's sample notes. Each comes with a query that must find it.
corpus=../shared/corpus/public
documents=() queries=()
if [ -d "$corpus" ]; then
  documents=("$corpus/Activité - Calculer.pdf" "$corpus/Activité - Flou gaussien.docx"
    "$corpus/Activité - Internationalisation et traduction.odt")
  queries=("calculer" "flou gaussien" "internationalisation traduction")
fi
if [ ${#documents[@]} -eq 0 ] || ! [ -f "${documents[0]}" ]; then
  documents=(assets/samples/fonctions-affines.md assets/samples/reviser.md)
  queries=("fonctions affines" "reviser")
fi

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -KILL "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
data=$work/data

step "import ${#documents[@]} documents (before serving: import does not yet run beside serve)"
started=$(date +%s)
timeout 600 "${qemu[@]}" --data "$data" import "${documents[@]}"
echo "import took $(($(date +%s) - started)) s under qemu"

step "serve on 127.0.0.1"
# A free port, chosen by the kernel and released just before the server takes it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
# An empty mDNS name turns announcing off: the test sends nothing beyond 127.0.0.1.
CARTABLE_MDNS_NAME="" "${qemu[@]}" --data "$data" serve --listen "127.0.0.1:$port" &
server=$!
started=$(date +%s)
until curl -fsS --max-time 5 "$base/healthz" >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || die "the server exited before answering"
  [ $(($(date +%s) - started)) -lt 120 ] || die "no answer on $base/healthz after 120 s"
  sleep 1
done
echo "serving on $base after $(($(date +%s) - started)) s"

step "search and download"
for i in "${!queries[@]}"; do
  query=${queries[$i]}
  source=${documents[$i]}
  name=$(basename "$source")
  json=$(curl -fsS --max-time 30 -G "$base/api/search" --data-urlencode "q=$query" --data-urlencode "limit=10")
  # The hit for this file: its download address, or nothing.
  found=$(printf '%s' "$json" | python3 -c '
import json, sys
answer = json.load(sys.stdin)
print("total", answer["total"], "hits", [hit["file_name"] for hit in answer["hits"]], file=sys.stderr)
print(next((hit["download_url"] for hit in answer["hits"] if hit["file_name"] == sys.argv[1]), ""))
' "$name")
  [ -n "$found" ] || die "search « $query » did not find $name"
  curl -fsS --max-time 60 -o "$work/download" "$base$found"
  want=$(sha256sum "$source" | cut -d' ' -f1)
  got=$(sha256sum "$work/download" | cut -d' ' -f1)
  [ "$want" = "$got" ] || die "$name downloaded with sha256 $got, expected $want"
  echo "« $query » -> $name, $found, sha256 $got (same as the source)"
done

step "stop with SIGTERM"
kill -TERM "$server"
started=$(date +%s)
while kill -0 "$server" 2>/dev/null; do
  [ $(($(date +%s) - started)) -lt 30 ] || die "still running 30 s after SIGTERM"
  sleep 0.5
done
status=0
wait "$server" || status=$?
server=""
[ "$status" -eq 0 ] || die "the server exited with status $status after SIGTERM"
echo "stopped cleanly (exit 0) after $(($(date +%s) - started)) s"

step "smoke test passed"
