#!/usr/bin/env bash
# Fuzzes cartable's parsers of untrusted input with cargo-fuzz, one target after the other, and
# prints a summary. Run by hand (not in CI: it takes as long as you ask):
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]      default: 600 seconds, every target
# Installs the nightly toolchain and cargo-fuzz when missing. Corpora grow in fuzz/corpus/<target>
# (the committed seed-* files are the start); crashes, timeouts and out-of-memory inputs land in
# fuzz/artifacts/<target>/. Minimise one with
#   cargo +nightly fuzz tmin -O TARGET fuzz/artifacts/TARGET/crash-...
# then fix the bug and add the input to tests/fixtures/fuzz/ (see tests/fuzz_regressions.rs).
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(detect office query upload_form zip_import)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null 2>&1 || nice -n 10 cargo install cargo-fuzz

nice -n 10 cargo +nightly fuzz build -O || exit 1
mkdir -p logs
summary=()
failed=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="logs/$target.log"
  echo "== $target: ${seconds}s"
  # Bounds a parser must keep anyway: 10 s per input, 2 GB of memory. One worker process
  # (-fork=1) that carries on after a finding, so the whole time is spent fuzzing.
  nice -n 19 cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    >"$log" 2>&1
  status=$?
  execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  found=$(find "artifacts/$target" -type f | wc -l)
  size=$(find "corpus/$target" -type f | wc -l)
  line="$target: ${seconds}s, ${execs:-?} executions, coverage ${coverage:-?}, corpus $size files, $found artifact(s), exit $status"
  summary+=("$line")
  if [ "$status" -ne 0 ] || [ "$found" -gt 0 ]; then
    failed=1
    grep -m1 -E 'ERROR: libFuzzer|panicked at|deadly signal|timeout' "$log" || true
  fi
done
echo
echo "== summary (logs in fuzz/logs/)"
printf '%s\n' "${summary[@]}"
exit "$failed"
