#!/usr/bin/env bash
# Builds fully static release binaries of cartable for the Raspberry Pi (aarch64 musl) and for
# x86_64 PCs (x86_64 musl) with the `dist` profile of Cargo.toml (fat LTO, one codegen unit,
# stripped), into target/dist/cartable-aarch64 and target/dist/cartable-x86_64, then prints the
# size, sha256 and `file` verdict of each and fails if one is not statically linked.
#
# Usage: image/build.sh [aarch64] [x86_64]     (no argument: both)
#
# On a fresh Debian 12 machine with rustup it installs what it lacks: the two rustup targets,
# musl-tools (musl-gcc compiles the bundled SQLite for x86_64), python3-venv and file (apt), zig
# from PyPI's `ziglang` wheel in a venv under target/ (zig is the C cross compiler and linker for
# aarch64 musl: Debian's gcc-aarch64-linux-gnu links against glibc and fails), and cargo-zigbuild.
# A fat-LTO build takes long on a small machine (tens of minutes on 2 cores); run it under nice.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Pi 3/4/5 in 64-bit mode and the Pi Zero 2 W run aarch64; this bound keeps the binary
# quick to copy onto an SD card and leaves room on the smallest one.
readonly max_aarch64_bytes=$((25 * 1024 * 1024))
target_dir=${CARGO_TARGET_DIR:-target}
dist_dir="$target_dir/dist"
# Absolute, since it goes on PATH.
case "$target_dir" in /*) zig_venv="$target_dir/zig-venv" ;; *) zig_venv="$PWD/$target_dir/zig-venv" ;; esac

arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(aarch64 x86_64)
for arch in "${arches[@]}"; do
  case "$arch" in
    aarch64 | x86_64) ;;
    *) echo "build.sh: unknown architecture '$arch' (expected aarch64 or x86_64)" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

needs_zig=false
needs_musl_gcc=false
for arch in "${arches[@]}"; do
  [ "$arch" = aarch64 ] && needs_zig=true
  [ "$arch" = x86_64 ] && needs_musl_gcc=true
done

say "tools"
packages=()
command -v file >/dev/null 2>&1 || packages+=(file)
command -v sha256sum >/dev/null 2>&1 || packages+=(coreutils)
if $needs_musl_gcc && ! command -v musl-gcc >/dev/null 2>&1; then packages+=(musl-tools); fi
# Debian packages the venv module apart; `python3 -m venv --help` is the honest probe.
if $needs_zig && ! python3 -m venv --help >/dev/null 2>&1; then packages+=(python3-venv); fi
if [ ${#packages[@]} -gt 0 ]; then
  say "installing ${packages[*]} (apt)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"
fi
for arch in "${arches[@]}"; do rustup target add "$arch-unknown-linux-musl"; done
if $needs_zig; then
  if [ ! -x "$zig_venv/bin/python3" ] || ! "$zig_venv/bin/python3" -m ziglang version >/dev/null 2>&1; then
    say "zig from PyPI's ziglang into $zig_venv"
    python3 -m venv "$zig_venv"
    "$zig_venv/bin/pip" install --quiet ziglang
  fi
  # cargo-zigbuild runs `python3 -m ziglang` when no `zig` is on PATH: the venv's python3 has it.
  export PATH="$zig_venv/bin:$PATH"
  if ! command -v cargo-zigbuild >/dev/null 2>&1; then
    say "cargo install cargo-zigbuild --locked (a few minutes)"
    cargo install cargo-zigbuild --locked
  fi
fi

mkdir -p "$dist_dir"
report=()
for arch in "${arches[@]}"; do
  triple="$arch-unknown-linux-musl"
  say "cargo build --profile dist --target $triple"
  started=$(date +%s)
  if [ "$arch" = aarch64 ]; then
    cargo zigbuild --locked --profile dist --target "$triple"
  else
    cargo build --locked --profile dist --target "$triple"
  fi
  seconds=$(($(date +%s) - started))
  out="$dist_dir/cartable-$arch"
  cp "$target_dir/$triple/dist/cartable" "$out"
  verdict=$(file -b "$out")
  case "$verdict" in
    *"statically linked"* | *static-pie*) ;;
    *) echo "build.sh: $out is not static: $verdict" >&2; exit 1 ;;
  esac
  bytes=$(stat -c %s "$out")
  if [ "$arch" = aarch64 ] && [ "$bytes" -gt "$max_aarch64_bytes" ]; then
    echo "build.sh: $out is $bytes bytes, over the 25 MiB bound" >&2
    exit 1
  fi
  report+=("$(printf '%s\n  size:   %s bytes (%s MiB)\n  sha256: %s\n  file:   %s\n  built in %dm%02ds' \
    "$out" "$bytes" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')" \
    "$(sha256sum "$out" | cut -d' ' -f1)" "$verdict" $((seconds / 60)) $((seconds % 60)))")
done

say "static binaries"
printf '%s\n' "${report[@]}"
