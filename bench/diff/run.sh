#!/usr/bin/env bash
# Whole-process comparison of `slipway diff` with `git diff --no-index --histogram` and GNU
# `diff -u` on generated pairs: 5 MB and 50 MB CRD-like JSON with 1% of lines changed, and two
# unrelated 10 MB texts. Prints hyperfine tables and peak RSS (GNU time). Needs hyperfine, git,
# diffutils, python3 and GNU time (/usr/bin/time).
#
# usage: bench/diff/run.sh [WORKDIR]     (inputs are generated there; default /tmp/slipway-bench-diff)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-/tmp/slipway-bench-diff}
runs=${RUNS:-5}
mkdir -p "$work"

# Build once and warm the CDS archive, so the timings are of diffing, not of building.
"$root/slipway" --version >/dev/null

gen() { # name kind args...
  local name=$1; shift
  if [ ! -f "$work/$name-a" ]; then
    python3 "$here/generate.py" "$@" "$work/$name-a" "$work/$name-b"
  fi
}
gen crd5 crd 5 1
gen crd50 crd 50 1
gen unrelated10 unrelated 10

for pair in crd5 crd50 unrelated10; do
  a="$work/$pair-a" b="$work/$pair-b"
  echo "## $pair: $(du -h "$a" | cut -f1) + $(du -h "$b" | cut -f1), $(wc -l <"$a") lines"
  hyperfine --style basic --warmup 1 --runs "$runs" -i \
    --export-markdown "$work/$pair.md" \
    -n "slipway diff" "$root/slipway diff $a $b >/dev/null" \
    -n "git diff --histogram" "git diff --no-index --histogram $a $b >/dev/null" \
    -n "GNU diff -u" "diff -u $a $b >/dev/null"
  cat "$work/$pair.md"
  for tool in "$root/slipway diff" "git diff --no-index --histogram" "diff -u"; do
    rss=$( { /usr/bin/time -f '%M' $tool "$a" "$b" >/dev/null; } 2>&1 | tail -n 1 || true)
    lines=$($tool "$a" "$b" | wc -l || true)
    echo "peak RSS $tool: ${rss} KiB; output lines: $lines"
  done
  echo
done
