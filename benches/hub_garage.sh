#!/usr/bin/env bash
# The hub tests (tests/hub.rs) against a real Garage server on 127.0.0.1, by hand: CI runs them
# against moto's S3 server, since building Garage takes over an hour on a 2-core machine.
# Needs `garage` on the PATH (cargo install garage --locked) and openssl.
# Usage: benches/hub_garage.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v garage >/dev/null || { echo "hub_garage.sh needs garage (cargo install garage --locked)"; exit 2; }
root="$(mktemp -d)"
cat > "$root/garage.toml" <<TOML
metadata_dir = "$root/meta"
data_dir = "$root/data"
db_engine = "sqlite"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:3901"
rpc_public_addr = "127.0.0.1:3901"
rpc_secret = "$(openssl rand -hex 32)"
[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:3900"
root_domain = ".s3.garage.localhost"
[admin]
api_bind_addr = "127.0.0.1:3903"
admin_token = "$(openssl rand -hex 16)"
TOML
g() { garage -c "$root/garage.toml" "$@"; }
garage --version
g server >"$root/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$root"' EXIT
sleep 3
# One node holding everything, one key, the tests' bucket.
node=$(g status 2>/dev/null | awk '/127.0.0.1:3901/ {print $1; exit}')
g layout assign -z dc1 -c 1G "$node" >/dev/null
g layout apply --version 1 >/dev/null
g key create cartable-key >"$root/key.txt"
g bucket create cartable-test >/dev/null
g bucket allow --read --write --owner cartable-test --key cartable-key >/dev/null
CARTABLE_TEST_S3=http://127.0.0.1:3900 \
CARTABLE_TEST_S3_KEY_ID=$(awk '/Key ID:/ {print $3}' "$root/key.txt") \
CARTABLE_TEST_S3_SECRET=$(awk '/Secret key:/ {print $3}' "$root/key.txt") \
CARTABLE_TEST_S3_REGION=garage \
  cargo test --test hub
g bucket info cartable-test | grep -E "Size|Objects"
